// ui/charts/ComparisonChart.cpp
#include "charts/ComparisonChart.h"

#include "charts/ChartExport.h"
#include "charts/ChartPalette.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QLegend>
#include <QStackedBarSeries>
#include <QValueAxis>
#include <cmath>

namespace vwb::ui {

ComparisonChart::ComparisonChart(QWidget *parent) : QChartView(new QChart, parent), m_chart(chart())
{
    addChartExport(this, QStringLiteral("run-comparison")); // right-click: save as PNG or SVG
    followPalette(this);                                    // dark in the dark theme
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_series = new QStackedBarSeries;
    m_gains = new QBarSet(tr("B better"));
    m_gains->setColor(QColor(0x2e, 0x7d, 0x32));
    m_losses = new QBarSet(tr("B worse"));
    m_losses->setColor(QColor(0xc6, 0x28, 0x28));
    m_series->append(m_gains);
    m_series->append(m_losses);
    m_series->setBarWidth(0.9);
    m_chart->addSeries(m_series);
    m_queries = new QBarCategoryAxis;
    m_queries->setLabelsVisible(false); // one per query: too many to read; hover shows them
    m_queries->setGridLineVisible(false);
    m_delta = new QValueAxis;
    m_delta->setLabelFormat(QStringLiteral("%+.2f"));
    m_chart->addAxis(m_queries, Qt::AlignBottom);
    m_chart->addAxis(m_delta, Qt::AlignLeft);
    m_series->attachAxis(m_queries);
    m_series->attachAxis(m_delta);
    connect(m_series, &QStackedBarSeries::hovered, this, [this](bool on, int index) {
        setToolTip(on && index >= 0 && index < m_queries->count() ? m_queries->at(index) : QString());
    });
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(200);
}

void ComparisonChart::setComparison(const Comparison &c, const QString &metricName)
{
    m_gains->remove(0, m_gains->count());
    m_losses->remove(0, m_losses->count());
    m_queries->clear();
    double largest = 0.05;
    QStringList labels;
    for (const QueryDelta &d : c.perQuery) {
        m_gains->append(qMax(0.0, d.delta()));
        m_losses->append(qMin(0.0, d.delta()));
        labels << tr("query %1: %2 → %3").arg(d.queryId).arg(d.a, 0, 'f', 3).arg(d.b, 0, 'f', 3);
        largest = qMax(largest, std::abs(d.delta()));
    }
    m_queries->append(labels);
    m_delta->setRange(-largest, largest);
    m_delta->setTitleText(tr("%1, B − A").arg(metricName));
    m_chart->setTitle(tr("%1 per query, largest change first (hover a bar for its query)").arg(metricName));
}

int ComparisonChart::barCount() const
{
    return m_gains->count();
}
} // namespace vwb::ui
