// ui/widgets/CoverageStrip.cpp
#include "widgets/CoverageStrip.h"

#include "theme/Theme.h"
#include <QLocale>
#include <QPainter>

namespace vwb::ui {
namespace {
constexpr int RowHeight = 22;
} // namespace

CoverageStrip::CoverageStrip(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void CoverageStrip::setCoverage(const QList<Coverage> &coverage)
{
    m_coverage = coverage;
    setToolTip(summary());
    updateGeometry();
    update();
}

QString CoverageStrip::summary() const
{
    QStringList lines;
    const QLocale locale;
    for (const Coverage &c : m_coverage)
        lines << tr("%1: %2 rows · %3 with vectors · %4 missing%5")
                     .arg(c.table, locale.toString(c.total), locale.toString(c.withVector), locale.toString(c.missing),
                          c.stale >= 0 ? tr(" · %1 stale").arg(locale.toString(c.stale)) : QString());
    return lines.join(QLatin1Char('\n'));
}

QSize CoverageStrip::sizeHint() const
{
    return {600, qMax(1, int(m_coverage.size())) * RowHeight + 4};
}

void CoverageStrip::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QStringList lines = summary().split(QLatin1Char('\n'));
    int labelWidth = 0;
    for (const QString &line : lines)
        labelWidth = qMax(labelWidth, fontMetrics().horizontalAdvance(line) + 8);
    const int labelColumn = qMin(labelWidth, width() * 2 / 3);
    for (int i = 0; i < m_coverage.size(); ++i) {
        const Coverage &c = m_coverage.at(i);
        const int y = 2 + i * RowHeight;
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(4, y, labelColumn, RowHeight), Qt::AlignVCenter | Qt::AlignLeft, lines.value(i));
        const QRectF bar(labelColumn + 8, y + 4, qMax(40, width() - labelColumn - 14), RowHeight - 8);
        p.setPen(Qt::NoPen);
        p.setBrush(Theme::fill(Tone::Muted));
        p.drawRoundedRect(bar, 3, 3);
        if (c.total <= 0)
            continue;
        const double fresh = double(c.withVector - qMax<qint64>(0, c.stale)) / c.total;
        const double stale = double(qMax<qint64>(0, c.stale)) / c.total;
        const double missing = double(c.missing) / c.total;
        double x = bar.left();
        for (const auto &[share, color] : {std::pair{fresh, QColor(0x2e, 0x7d, 0x32)}, std::pair{stale, QColor(0xef, 0x6c, 0x00)},
                                           std::pair{missing, QColor(0xc6, 0x28, 0x28)}}) {
            const double w = share * bar.width();
            p.setBrush(color);
            p.drawRect(QRectF(x, bar.top(), w, bar.height()));
            x += w;
        }
    }
}
} // namespace vwb::ui
