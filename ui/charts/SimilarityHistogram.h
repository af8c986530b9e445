// ui/charts/SimilarityHistogram.h
#pragma once

#include <QChartView>

class QBarSet;
class QLineSeries;
class QValueAxis;
class QBarCategoryAxis;

namespace vwb::ui {

/// Histogram of candidate similarities with a vertical line at the threshold; moving the
/// threshold moves the line only (no query, no re-binning).
class SimilarityHistogram : public QChartView
{
    Q_OBJECT
public:
    static constexpr int Bins = 20;
    explicit SimilarityHistogram(QWidget *parent = nullptr);
    void setSimilarities(const QList<double> &similarities);
    void setThreshold(double similarity);

    double minimum() const { return m_min; }
    double maximum() const { return m_max; }
    QList<int> counts() const { return m_counts; }
    double thresholdLineX() const; // in bin units, for tests
    double countStep() const;      // the count axis' tick interval: a whole number
    double countTop() const;       // where the count axis ends: a multiple of countStep()

private:
    QChart *m_chart = nullptr;
    QLineSeries *m_bars = nullptr;
    QLineSeries *m_line = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QList<int> m_counts;
    double m_min = 0;
    double m_max = 1;
    double m_threshold = 0;
};
} // namespace vwb::ui
