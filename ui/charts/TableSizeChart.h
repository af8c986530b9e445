// ui/charts/TableSizeChart.h
#pragma once

#include "metrics/TableSizes.h"
#include <QChartView>

class QBarCategoryAxis;
class QBarSet;
class QHorizontalStackedBarSeries;
class QValueAxis;

namespace vwb::ui {

/// Where the space goes: one stacked bar per table (the largest MaxTables), heap, indexes and
/// TOAST in MB, the largest table at the top.
class TableSizeChart : public QChartView
{
    Q_OBJECT
public:
    static constexpr int MaxTables = 10;
    explicit TableSizeChart(QWidget *parent = nullptr);
    void setSizes(const QList<vwb::TableSize> &sizes);

    QStringList tables() const;              // top to bottom
    QList<double> megabytes(int part) const; // part 0 heap, 1 indexes, 2 TOAST; top to bottom
    double axisMaximum() const;

private:
    QChart *m_chart = nullptr;
    QHorizontalStackedBarSeries *m_series = nullptr;
    QBarSet *m_parts[3] = {};
    QBarCategoryAxis *m_tables = nullptr;
    QValueAxis *m_mb = nullptr;
};
} // namespace vwb::ui
