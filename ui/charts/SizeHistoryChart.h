// ui/charts/SizeHistoryChart.h
#pragma once

#include "metrics/TableSizes.h"
#include <QChartView>

class QValueAxis;
class QLineSeries;

namespace vwb::ui {

/// Size over time from the local history: the database total and the largest tables (MaxTables),
/// one line each, in MB against time before now — in hours when the samples span up to two days,
/// in days beyond. (A QDateTimeAxis would be the obvious axis, but in Qt 6.4 its labels stay
/// empty when the series are replaced, as they are on every refresh here.)
class SizeHistoryChart : public QChartView
{
    Q_OBJECT
public:
    static constexpr int MaxTables = 4;
    explicit SizeHistoryChart(QWidget *parent = nullptr);
    void setSamples(const QList<vwb::SizeSnapshot> &samples);

    QStringList seriesNames() const;
    QList<QPointF> points(const QString &series) const; // x: time before now (negative, in unit()), y: MB
    QString unit() const { return m_unit; }             // "minutes", "hours" or "days"
    double axisStart() const;
    double axisEnd() const;
    double axisMaximum() const;

private:
    QChart *m_chart = nullptr;
    QValueAxis *m_time = nullptr;
    QString m_unit = QStringLiteral("hours");
    QValueAxis *m_mb = nullptr;
    QList<QLineSeries *> m_lines;
};
} // namespace vwb::ui
