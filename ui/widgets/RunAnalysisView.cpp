// ui/widgets/RunAnalysisView.cpp
#include "widgets/RunAnalysisView.h"

#include "charts/ComparisonChart.h"
#include "charts/ThresholdChart.h"
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <cmath>

namespace vwb::ui {

RunAnalysisView::RunAnalysisView(QWidget *parent) : QTabWidget(parent)
{
    auto *comparison = new QWidget;
    auto *comparisonLayout = new QVBoxLayout(comparison);
    m_comparisonSummary = new QLabel(tr("Select two runs and compare them."));
    m_comparisonSummary->setWordWrap(true);
    m_comparisonSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_comparisonChart = new ComparisonChart;
    comparisonLayout->addWidget(m_comparisonSummary);
    comparisonLayout->addWidget(m_comparisonChart, 1);
    addTab(comparison, tr("Comparison"));
    auto *threshold = new QWidget;
    auto *thresholdLayout = new QVBoxLayout(threshold);
    auto *thresholdRow = new QHBoxLayout;
    m_thresholdSummary = new QLabel(tr("Select a vector run and show its threshold curve."));
    m_thresholdSummary->setWordWrap(true);
    m_pick = new QComboBox;
    m_pick->addItem(tr("best F1"), 0.0);
    for (double p : {0.6, 0.7, 0.8, 0.9})
        m_pick->addItem(tr("precision ≥ %1").arg(p), p);
    m_useThreshold = new QPushButton(tr("Use in Search"));
    m_useThreshold->setToolTip(tr("Set the Search panel's minimum similarity to this threshold"));
    m_useThreshold->setEnabled(false);
    thresholdRow->addWidget(m_thresholdSummary, 1);
    thresholdRow->addWidget(m_pick);
    thresholdRow->addWidget(m_useThreshold);
    m_thresholdChart = new ThresholdChart;
    thresholdLayout->addLayout(thresholdRow);
    thresholdLayout->addWidget(m_thresholdChart, 1);
    addTab(threshold, tr("Threshold"));
    connect(m_pick, &QComboBox::currentIndexChanged, this, &RunAnalysisView::updateRecommendation);
    connect(m_useThreshold, &QPushButton::clicked, this, [this] {
        if (!std::isnan(m_recommended))
            emit thresholdChosen(m_recommended);
    });
}

void RunAnalysisView::showComparison(const Comparison &c, const QString &metricName, qint64 runA, const QString &configA, qint64 runB,
                                     const QString &configB)
{
    m_comparisonChart->setComparison(c, metricName);
    QStringList moved;
    for (const QueryDelta &d : c.perQuery.mid(0, 3))
        if (qAbs(d.delta()) > 1e-12)
            moved << tr("%1 (%2%3)").arg(d.queryId, d.delta() > 0 ? QStringLiteral("+") : QString()).arg(d.delta(), 0, 'f', 3);
    m_comparisonSummary->setText(
        tr("<b>A</b> run %1: %2<br><b>B</b> run %3: %4<br>%5%6")
            .arg(runA)
            .arg(configA.toHtmlEscaped())
            .arg(runB)
            .arg(configB.toHtmlEscaped())
            .arg(comparisonSentence(c, metricName).toHtmlEscaped())
            .arg(moved.isEmpty() ? QString() : tr(" · moved most: ") + moved.join(QStringLiteral(", ")).toHtmlEscaped()));
    setCurrentIndex(0);
}

void RunAnalysisView::showCurve(const ThresholdCurve &curve, qint64 run)
{
    m_curve = curve;
    m_thresholdChart->setCurve(m_curve);
    setCurrentIndex(1);
    updateRecommendation();
    if (m_curve.points.isEmpty())
        m_thresholdSummary->setText(tr("Run %1 has no similarities to set a threshold from: its ranking is full text").arg(run));
}

void RunAnalysisView::updateRecommendation()
{
    const double target = m_pick->currentData().toDouble();
    const auto point = target > 0 ? m_curve.lowestMeeting(target) : m_curve.bestF1();
    m_recommended = point ? point->threshold : qQNaN();
    m_thresholdChart->setMarker(m_recommended);
    m_useThreshold->setEnabled(point.has_value());
    if (m_curve.points.isEmpty())
        return;
    m_thresholdSummary->setText(point ? tr("Keep similarity ≥ <b>%1</b>: precision %2, recall %3, F1 %4 (%5 relevant judged; unjudged "
                                           "results are left out of precision)")
                                            .arg(point->threshold, 0, 'f', 4)
                                            .arg(point->precision, 0, 'f', 3)
                                            .arg(point->recall, 0, 'f', 3)
                                            .arg(point->f1, 0, 'f', 3)
                                            .arg(m_curve.relevantTotal)
                                      : tr("No threshold reaches precision %1 on this run").arg(target));
}
} // namespace vwb::ui
