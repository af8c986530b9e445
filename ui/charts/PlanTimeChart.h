// ui/charts/PlanTimeChart.h
#pragma once

#include "plan/PlanNode.h"
#include <QChartView>

class QBarSet;
class QBarCategoryAxis;
class QHorizontalBarSeries;
class QValueAxis;

namespace vwb::ui {

/// Exclusive time per node as horizontal bars, the slowest nodes only (at most MaxBars), in plan
/// order so the bars read like the tree. Empty for a plan without times (plain EXPLAIN).
class PlanTimeChart : public QChartView
{
    Q_OBJECT
public:
    static constexpr int MaxBars = 12;
    explicit PlanTimeChart(QWidget *parent = nullptr);
    void setPlan(const vwb::Plan &plan);

    QStringList categories() const; // "#3 Seq Scan on items", top to bottom
    QList<double> values() const;   // exclusive ms, same order
    double axisMaximum() const;

private:
    QChart *m_chart = nullptr;
    QHorizontalBarSeries *m_series = nullptr;
    QBarSet *m_set = nullptr;
    QBarCategoryAxis *m_nodes = nullptr;
    QValueAxis *m_ms = nullptr;
};
} // namespace vwb::ui
