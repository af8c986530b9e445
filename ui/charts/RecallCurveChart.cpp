// ui/charts/RecallCurveChart.cpp
#include "charts/RecallCurveChart.h"

#include "charts/ChartExport.h"
#include "charts/ChartPalette.h"

#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <cmath>

namespace vwb::ui {

RecallCurveChart::RecallCurveChart(QWidget *parent) : QChartView(new QChart, parent), m_chart(chart())
{
    addChartExport(this, QStringLiteral("recall-curve")); // right-click: save as PNG or SVG
    followPalette(this);                                  // dark in the dark theme
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_x = new QLogValueAxis;
    m_x->setTitleText(tr("median ms per search (log scale)"));
    m_x->setBase(10);
    m_x->setLabelFormat(QStringLiteral("%g"));
    m_x->setMinorTickCount(8);
    m_y = new QValueAxis;
    m_y->setTitleText(tr("recall@k"));
    m_y->setLabelFormat(QStringLiteral("%.2f"));
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_plain = new QLineSeries;
    m_iterative = new QLineSeries;
    m_target = new QLineSeries;
    m_chosen = new QScatterSeries;
    m_chosen->setMarkerSize(14);
    m_chosen->setColor(QColor(0xc6, 0x28, 0x28));
    for (QLineSeries *line : {m_plain, m_iterative})
        line->setPointsVisible(true);
    QPen dashed(Qt::darkGray);
    dashed.setStyle(Qt::DashLine);
    dashed.setWidth(2);
    m_target->setPen(dashed);
    for (QXYSeries *s : std::initializer_list<QXYSeries *>{m_plain, m_iterative, m_target, m_chosen}) {
        m_chart->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
    }
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(260);
}

void RecallCurveChart::setSweep(const RecallSweepReport &sweep)
{
    QList<QPointF> plain, iterative;
    double fastest = 1e9, slowest = 0, lowest = 1;
    for (const SweepPoint &p : sweep.points) {
        const double ms = std::max(p.medianMs, 0.01); // a log axis has no 0
        (p.iterative ? iterative : plain) << QPointF(ms, p.recall);
        fastest = std::min(fastest, ms);
        slowest = std::max(slowest, ms);
        lowest = std::min(lowest, p.recall);
    }
    m_plain->setName(tr("%1, iterative scan off").arg(sweep.knob));
    m_iterative->setName(tr("%1, iterative scan on").arg(sweep.knob));
    m_target->setName(tr("target %1").arg(sweep.target, 0, 'f', 2));
    m_chosen->setName(sweep.choice() ? tr("chosen: %1 %2").arg(sweep.knob).arg(sweep.choice()->value) : tr("none meets the target"));
    m_plain->replace(plain);
    m_iterative->replace(iterative);
    const double left = sweep.points.isEmpty() ? 0.1 : fastest / 1.5, right = sweep.points.isEmpty() ? 100 : slowest * 1.5;
    m_x->setRange(left, right);
    // From a round step below the lowest recall (or the target) to 1.
    const double bottom = std::floor(std::min(lowest, sweep.target) * 20 - 1) / 20;
    m_y->setRange(std::max(0.0, bottom), 1.0);
    const int steps = int(std::round((1.0 - std::max(0.0, bottom)) * 20)); // of 0.05
    m_y->setTickCount(steps > 10 ? 6 : std::max(2, steps + 1));
    m_target->replace({QPointF(left, sweep.target), QPointF(right, sweep.target)});
    if (const SweepPoint *c = sweep.choice())
        m_chosen->replace({QPointF(std::max(c->medianMs, 0.01), c->recall)});
    else
        m_chosen->clear();
    m_chart->setTitle(tr("%1 (%2): recall against speed, %3 samples%4")
                          .arg(sweep.index, sweep.method)
                          .arg(sweep.samples)
                          .arg(sweep.forum.isEmpty() ? QString() : tr(", filter %1").arg(sweep.forum)));
}

int RecallCurveChart::pointCount() const
{
    return int(m_plain->count() + m_iterative->count());
}

QPointF RecallCurveChart::chosenPoint() const
{
    return m_chosen->count() > 0 ? m_chosen->at(0) : QPointF(qQNaN(), qQNaN());
}
} // namespace vwb::ui
