// ui/widgets/SimilarityBarDelegate.h
#pragma once

#include "models/SearchResultModel.h"
#include "theme/Theme.h"
#include <QPainter>
#include <QStyledItemDelegate>
#include <cmath>

namespace vwb::ui {

/// Paints the similarity column as a bar with the number on it.
class SimilarityBarDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    double low = 0, high = 1;
    void paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        const double s = index.data(SearchResultModel::SimilarityRole).toDouble();
        if (std::isnan(s)) { // a full-text-only row of a hybrid list
            QStyledItemDelegate::paint(p, option, index);
            return;
        }
        const double share = high > low ? qBound(0.0, (s - low) / (high - low), 1.0) : 1.0;
        QRectF bar = QRectF(option.rect).adjusted(2, 4, -2, -4);
        p->save();
        if (option.state & QStyle::State_Selected)
            p->fillRect(option.rect, option.palette.highlight());
        p->setPen(Qt::NoPen);
        p->setBrush(Theme::fill(Tone::Ok));
        p->drawRect(bar);
        p->setBrush(QColor(0x2e, 0x7d, 0x32)); // white on it in either theme
        p->drawRect(QRectF(bar.left(), bar.top(), bar.width() * share, bar.height()));
        p->setPen(share > 0.5 ? QColor(Qt::white) : option.palette.color(QPalette::Text));
        p->drawText(bar, Qt::AlignCenter, QString::number(s, 'f', 4));
        p->restore();
    }
};
} // namespace vwb::ui
