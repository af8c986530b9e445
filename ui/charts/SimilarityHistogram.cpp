// ui/charts/SimilarityHistogram.cpp
#include "charts/SimilarityHistogram.h"

#include "charts/ChartExport.h"
#include "charts/ChartPalette.h"

#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

namespace vwb::ui {

SimilarityHistogram::SimilarityHistogram(QWidget *parent) : QChartView(new QChart, parent)
{
    addChartExport(this, QStringLiteral("similarity-histogram")); // right-click: save as PNG or SVG
    followPalette(this);                                          // dark in the dark theme
    m_chart = chart();
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setTitle(tr("Candidate similarities"));
    // A step outline of the histogram, filled by the area series that owns it (an area series
    // does not own the lines it spans by itself).
    auto *area = new QAreaSeries;
    m_bars = new QLineSeries(area);
    area->setUpperSeries(m_bars);
    area->setColor(QColor(0x42, 0x85, 0xf4));
    area->setBorderColor(QColor(0x15, 0x65, 0xc0));
    m_line = new QLineSeries;
    QPen pen(QColor(0xd3, 0x2f, 0x2f));
    pen.setWidth(2);
    m_line->setPen(pen);
    m_chart->addSeries(area);
    m_chart->addSeries(m_line);
    m_x = new QValueAxis;
    m_x->setLabelFormat(QStringLiteral("%.2f"));
    m_x->setTitleText(tr("similarity"));
    m_y = new QValueAxis;
    m_y->setLabelFormat(QStringLiteral("%d"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    for (QAbstractSeries *s : std::initializer_list<QAbstractSeries *>{area, m_line}) {
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
}

void SimilarityHistogram::setSimilarities(const QList<double> &similarities)
{
    m_counts = QList<int>(Bins, 0);
    m_min = similarities.isEmpty() ? 0 : *std::min_element(similarities.begin(), similarities.end());
    m_max = similarities.isEmpty() ? 1 : *std::max_element(similarities.begin(), similarities.end());
    if (m_max - m_min < 1e-9)
        m_max = m_min + 1e-3;
    const double width = (m_max - m_min) / Bins;
    for (double s : similarities)
        ++m_counts[qBound(0, int((s - m_min) / width), Bins - 1)];
    QList<QPointF> steps;
    for (int i = 0; i < Bins; ++i) {
        steps << QPointF(m_min + i * width, m_counts.at(i)) << QPointF(m_min + (i + 1) * width, m_counts.at(i));
    }
    m_bars->replace(steps);
    const int top = m_counts.isEmpty() ? 1 : qMax(1, *std::max_element(m_counts.begin(), m_counts.end()));
    // Counts are whole numbers: ticks at a whole step (1, 2, 5, 10, 20, ...), at most five of them
    // above zero, the axis ending on one.
    int step = 1;
    for (int i = 0; top > 5 * step; ++i)
        step = (i % 3 == 1 ? 5 : 2) * step / (i % 3 == 1 ? 2 : 1);
    m_x->setRange(m_min, m_max);
    m_y->setTickType(QValueAxis::TicksDynamic);
    m_y->setTickAnchor(0);
    m_y->setTickInterval(step);
    m_y->setRange(0, (top + step - 1) / step * step);
    setThreshold(m_threshold);
}

void SimilarityHistogram::setThreshold(double similarity)
{
    m_threshold = similarity;
    const double x = qBound(m_min, similarity, m_max);
    m_line->replace({QPointF(x, 0), QPointF(x, m_y->max())});
}

double SimilarityHistogram::thresholdLineX() const
{
    return m_line->count() > 0 ? m_line->at(0).x() : 0;
}

double SimilarityHistogram::countStep() const
{
    return m_y->tickInterval();
}

double SimilarityHistogram::countTop() const
{
    return m_y->max();
}
} // namespace vwb::ui
