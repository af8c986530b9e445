// ui/charts/ThresholdChart.cpp
#include "charts/ThresholdChart.h"

#include "charts/ChartExport.h"
#include "charts/ChartPalette.h"

#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>
#include <cmath>

namespace vwb::ui {

ThresholdChart::ThresholdChart(QWidget *parent) : QChartView(new QChart, parent), m_chart(chart())
{
    addChartExport(this, QStringLiteral("threshold-curve")); // right-click: save as PNG or SVG
    followPalette(this);                                     // dark in the dark theme
    m_chart->setTitle(tr("Keeping results at or above a similarity"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_x = new QValueAxis;
    m_x->setTitleText(tr("similarity threshold"));
    m_x->setLabelFormat(QStringLiteral("%.2f"));
    m_y = new QValueAxis;
    m_y->setRange(0, 1);
    m_y->setTickCount(6);
    m_y->setLabelFormat(QStringLiteral("%.1f"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    const QList<std::pair<QLineSeries **, QString>> lines{
        {&m_precision, tr("precision")}, {&m_recall, tr("recall")}, {&m_f1, tr("F1")}, {&m_marker, tr("recommended")}};
    for (const auto &[line, name] : lines) {
        *line = new QLineSeries;
        (*line)->setName(name);
        m_chart->addSeries(*line);
        (*line)->attachAxis(m_x);
        (*line)->attachAxis(m_y);
    }
    QPen dashed(Qt::darkGray);
    dashed.setStyle(Qt::DashLine);
    dashed.setWidth(2);
    m_marker->setPen(dashed);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(220);
}

void ThresholdChart::setCurve(const ThresholdCurve &curve)
{
    QList<QPointF> p, r, f;
    double low = 1, high = 0;
    for (const ThresholdPoint &point : curve.points) {
        p << QPointF(point.threshold, point.precision);
        r << QPointF(point.threshold, point.recall);
        f << QPointF(point.threshold, point.f1);
        low = qMin(low, point.threshold);
        high = qMax(high, point.threshold);
    }
    m_precision->replace(p);
    m_recall->replace(r);
    m_f1->replace(f);
    if (high <= low) { // none, or a single point: a range around it
        low = curve.points.isEmpty() ? 0 : low - 0.05;
        high = curve.points.isEmpty() ? 1 : high + 0.05;
    }
    m_x->setRange(low, high);
    m_x->applyNiceNumbers();
    setMarker(qQNaN());
}

void ThresholdChart::setMarker(double threshold)
{
    if (std::isnan(threshold))
        m_marker->clear();
    else
        m_marker->replace({QPointF(threshold, 0), QPointF(threshold, 1)});
}

int ThresholdChart::pointCount() const
{
    return m_f1->count();
}

double ThresholdChart::markerX() const
{
    return m_marker->count() ? m_marker->at(0).x() : qQNaN();
}
} // namespace vwb::ui
