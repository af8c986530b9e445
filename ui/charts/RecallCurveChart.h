// ui/charts/RecallCurveChart.h
#pragma once

#include "search/RecallSweep.h"
#include <QChartView>

class QLineSeries;
class QLogValueAxis;
class QScatterSeries;
class QValueAxis;

namespace vwb::ui {

/// A recall sweep's curve: recall@k against median latency, one line without and one with
/// iterative scan (each point a value of ef_search or probes), the target recall as a dashed
/// line and the chosen setting as a marker.
class RecallCurveChart : public QChartView
{
    Q_OBJECT
public:
    explicit RecallCurveChart(QWidget *parent = nullptr);
    void setSweep(const vwb::RecallSweepReport &sweep);
    int pointCount() const;      // on both lines
    QPointF chosenPoint() const; // (ms, recall); NaN when none was chosen

private:
    QChart *m_chart = nullptr;
    QLineSeries *m_plain = nullptr;
    QLineSeries *m_iterative = nullptr;
    QLineSeries *m_target = nullptr;
    QScatterSeries *m_chosen = nullptr;
    QLogValueAxis *m_x = nullptr; // latencies span 1 ms to 100s of ms: a log scale keeps the fast end readable
    QValueAxis *m_y = nullptr;
};
} // namespace vwb::ui
