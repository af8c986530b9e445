// ui/charts/ThresholdChart.h
#pragma once

#include "eval/ThresholdCurve.h"
#include <QChartView>

class QLineSeries;
class QValueAxis;

namespace vwb::ui {

/// Precision, recall and F1 against the similarity threshold, with a vertical marker at the
/// threshold recommended.
class ThresholdChart : public QChartView
{
    Q_OBJECT
public:
    explicit ThresholdChart(QWidget *parent = nullptr);
    void setCurve(const vwb::ThresholdCurve &curve);
    void setMarker(double threshold); // NaN hides it
    int pointCount() const;
    double markerX() const; // NaN when hidden

private:
    QChart *m_chart = nullptr;
    QLineSeries *m_precision = nullptr;
    QLineSeries *m_recall = nullptr;
    QLineSeries *m_f1 = nullptr;
    QLineSeries *m_marker = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
};
} // namespace vwb::ui
