// ui/widgets/CoverageStrip.h
#pragma once

#include "browse/Coverage.h"
#include <QWidget>

namespace vwb::ui {

/// A bar per content table: with vectors (green), stale (orange, part of those), missing (red).
class CoverageStrip : public QWidget
{
    Q_OBJECT
public:
    explicit CoverageStrip(QWidget *parent = nullptr);
    void setCoverage(const QList<vwb::Coverage> &coverage);
    const QList<vwb::Coverage> &coverage() const { return m_coverage; }
    QString summary() const;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<vwb::Coverage> m_coverage;
};
} // namespace vwb::ui
