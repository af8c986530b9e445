// ui/widgets/RunAnalysisView.h
#pragma once

#include "eval/RunComparison.h"
#include "eval/ThresholdCurve.h"
#include <QTabWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace vwb::ui {
class ComparisonChart;
class ThresholdChart;

/// The Evaluate panel's lower half: two runs compared (a sentence and per-query bars), and one
/// run's precision/recall/F1 against the similarity threshold with the threshold to use (best
/// F1, or the lowest meeting a target precision) marked and offered to the Search panel.
class RunAnalysisView : public QTabWidget
{
    Q_OBJECT
public:
    explicit RunAnalysisView(QWidget *parent = nullptr);

    /// Shows B against A in the comparison tab, and brings it forward.
    void showComparison(const vwb::Comparison &comparison, const QString &metricName, qint64 runA, const QString &configA, qint64 runB,
                        const QString &configB);
    /// Shows a run's threshold curve in the threshold tab, and brings it forward.
    void showCurve(const vwb::ThresholdCurve &curve, qint64 run);

    QLabel *comparisonSummary() const { return m_comparisonSummary; }
    QLabel *thresholdSummary() const { return m_thresholdSummary; }
    ComparisonChart *comparisonChart() const { return m_comparisonChart; }
    ThresholdChart *thresholdChart() const { return m_thresholdChart; }
    QPushButton *useThresholdButton() const { return m_useThreshold; }

signals:
    /// "Use in Search": the threshold recommended for the run shown.
    void thresholdChosen(double similarity);

private:
    void updateRecommendation();

    QLabel *m_comparisonSummary = nullptr;
    ComparisonChart *m_comparisonChart = nullptr;
    ThresholdChart *m_thresholdChart = nullptr;
    QLabel *m_thresholdSummary = nullptr;
    QComboBox *m_pick = nullptr; // best F1, or a target precision
    QPushButton *m_useThreshold = nullptr;
    vwb::ThresholdCurve m_curve;
    double m_recommended = qQNaN();
};
} // namespace vwb::ui
