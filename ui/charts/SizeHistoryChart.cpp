// ui/charts/SizeHistoryChart.cpp
#include "charts/SizeHistoryChart.h"

#include "charts/ChartExport.h"
#include "charts/ChartPalette.h"

#include <QLegend>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>

namespace vwb::ui {
namespace {
constexpr double Mb = 1024.0 * 1024.0;
}

SizeHistoryChart::SizeHistoryChart(QWidget *parent) : QChartView(new QChart, parent), m_chart(chart())
{
    addChartExport(this, QStringLiteral("size-history")); // right-click: save as PNG or SVG
    followPalette(this);                                  // dark in the dark theme
    m_chart->setTitle(tr("Size over time (MB)"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_time = new QValueAxis;
    m_time->setLabelFormat(QStringLiteral("%.3g"));
    m_mb = new QValueAxis;
    m_mb->setLabelFormat(QStringLiteral("%.1f"));
    m_chart->addAxis(m_time, Qt::AlignBottom);
    m_chart->addAxis(m_mb, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(220);
}

void SizeHistoryChart::setSamples(const QList<SizeSnapshot> &samples)
{
    for (QLineSeries *line : m_lines) {
        m_chart->removeSeries(line);
        delete line;
    }
    m_lines.clear();
    // The largest tables of the newest sample get a line each, beside the total.
    QList<TableRef> tables;
    if (!samples.isEmpty()) {
        QList<SizeSample> newest = samples.last().tables;
        std::stable_sort(newest.begin(), newest.end(),
                         [](const SizeSample &a, const SizeSample &b) { return a.totalBytes > b.totalBytes; });
        for (const SizeSample &s : newest.mid(0, MaxTables))
            tables << s.table;
    }
    auto addLine = [this](const QString &name) {
        auto *line = new QLineSeries;
        line->setName(name);
        line->setPointsVisible(true);
        m_chart->addSeries(line);
        line->attachAxis(m_time);
        line->attachAxis(m_mb);
        m_lines << line;
        return line;
    };
    QLineSeries *total = addLine(tr("all tables"));
    QList<QLineSeries *> perTable;
    for (const TableRef &t : tables)
        perTable << addLine(t.display());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 span = samples.isEmpty() ? 0 : samples.first().at.secsTo(now);
    // The unit that keeps the numbers readable: "-4 minutes", not "-0.063 hours".
    const double secondsPerUnit = span <= 2 * 3600 ? 60.0 : span <= 2 * 86400 ? 3600.0 : 86400.0;
    m_unit = span <= 2 * 3600 ? QStringLiteral("minutes") : span <= 2 * 86400 ? QStringLiteral("hours") : QStringLiteral("days");
    m_time->setTitleText(tr("%1 before now").arg(m_unit));
    double max = 0, earliest = 0;
    for (const SizeSnapshot &s : samples) {
        const double x = -s.at.secsTo(now) / secondsPerUnit;
        earliest = qMin(earliest, x);
        total->append(x, s.totalBytes() / Mb);
        max = qMax(max, s.totalBytes() / Mb);
        for (int i = 0; i < tables.size(); ++i)
            if (const SizeSample *one = s.find(tables.at(i)))
                perTable.at(i)->append(x, one->totalBytes / Mb);
    }
    m_time->setRange(earliest < -0.05 ? earliest * 1.05 : -1.0, 0.0);
    m_time->applyNiceNumbers();
    m_time->setMax(0.0); // "now" ends the axis
    m_time->setLabelFormat(m_time->max() - m_time->min() >= 5 ? QStringLiteral("%.0f") : QStringLiteral("%.1f"));
    m_mb->setRange(0, max > 0 ? max * 1.1 : 1);
    m_mb->applyNiceNumbers();
}

QStringList SizeHistoryChart::seriesNames() const
{
    QStringList out;
    for (const QLineSeries *line : m_lines)
        out << line->name();
    return out;
}

QList<QPointF> SizeHistoryChart::points(const QString &series) const
{
    for (const QLineSeries *line : m_lines)
        if (line->name() == series)
            return line->points();
    return {};
}

double SizeHistoryChart::axisStart() const
{
    return m_time->min();
}
double SizeHistoryChart::axisEnd() const
{
    return m_time->max();
}
double SizeHistoryChart::axisMaximum() const
{
    return m_mb->max();
}
} // namespace vwb::ui
