// ui/charts/PlanTimeChart.cpp
#include "charts/PlanTimeChart.h"

#include "charts/ChartExport.h"
#include "charts/ChartPalette.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QHorizontalBarSeries>
#include <QValueAxis>
#include <algorithm>

namespace vwb::ui {

PlanTimeChart::PlanTimeChart(QWidget *parent) : QChartView(new QChart, parent), m_chart(chart())
{
    addChartExport(this, QStringLiteral("plan-times")); // right-click: save as PNG or SVG
    followPalette(this);                                // dark in the dark theme
    m_chart->legend()->hide();
    m_chart->setTitle(tr("Exclusive time per node (ms)"));
    m_series = new QHorizontalBarSeries;
    m_set = new QBarSet(tr("exclusive ms"));
    m_set->setColor(QColor(0xe5, 0x73, 0x73));
    m_series->append(m_set);
    m_series->setBarWidth(0.7);
    m_chart->addSeries(m_series);
    m_nodes = new QBarCategoryAxis;
    m_ms = new QValueAxis;
    m_ms->setLabelFormat(QStringLiteral("%.2f"));
    m_chart->addAxis(m_nodes, Qt::AlignLeft);
    m_chart->addAxis(m_ms, Qt::AlignBottom);
    m_series->attachAxis(m_nodes);
    m_series->attachAxis(m_ms);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
}

void PlanTimeChart::setPlan(const Plan &plan)
{
    QList<const PlanNode *> nodes;
    for (const PlanNode *n : plan.nodes())
        if (n->timed && !n->neverExecuted())
            nodes << n;
    std::stable_sort(nodes.begin(), nodes.end(), [](const PlanNode *a, const PlanNode *b) { return a->exclusiveMs > b->exclusiveMs; });
    nodes = nodes.mid(0, MaxBars);
    // A horizontal bar axis lists its first category at the bottom: append in reverse plan order.
    std::sort(nodes.begin(), nodes.end(), [](const PlanNode *a, const PlanNode *b) { return a->id > b->id; });
    QStringList labels;
    QList<qreal> values;
    double max = 0;
    for (const PlanNode *n : nodes) {
        QString label = QStringLiteral("#%1 %2").arg(n->id).arg(n->label());
        if (label.size() > 42)
            label = label.left(41) + QChar(0x2026);
        labels << label;
        values << n->exclusiveMs;
        max = qMax(max, n->exclusiveMs);
    }
    m_set->remove(0, m_set->count());
    m_set->append(values);
    m_nodes->clear();
    m_nodes->append(labels);
    m_ms->setRange(0, max > 0 ? max * 1.05 : 1);
    m_ms->applyNiceNumbers();
}

QStringList PlanTimeChart::categories() const
{
    QStringList top;
    const QStringList all = m_nodes->categories();
    for (auto it = all.crbegin(); it != all.crend(); ++it)
        top << *it;
    return top;
}

QList<double> PlanTimeChart::values() const
{
    QList<double> top;
    for (int i = m_set->count() - 1; i >= 0; --i)
        top << m_set->at(i);
    return top;
}

double PlanTimeChart::axisMaximum() const
{
    return m_ms->max();
}
} // namespace vwb::ui
