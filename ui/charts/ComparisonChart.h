// ui/charts/ComparisonChart.h
#pragma once

#include "eval/RunComparison.h"
#include <QChartView>

class QBarSet;
class QStackedBarSeries;
class QBarCategoryAxis;
class QValueAxis;

namespace vwb::ui {

/// One bar per query: how much run B moved the metric against run A, gains up in green, losses
/// down in red, largest moves first.
class ComparisonChart : public QChartView
{
    Q_OBJECT
public:
    explicit ComparisonChart(QWidget *parent = nullptr);
    void setComparison(const vwb::Comparison &comparison, const QString &metricName);
    int barCount() const;

private:
    QChart *m_chart = nullptr;
    QStackedBarSeries *m_series = nullptr;
    QBarSet *m_gains = nullptr;
    QBarSet *m_losses = nullptr;
    QBarCategoryAxis *m_queries = nullptr;
    QValueAxis *m_delta = nullptr;
};
} // namespace vwb::ui
