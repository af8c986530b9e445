// ui/charts/TableSizeChart.cpp
#include "charts/TableSizeChart.h"

#include "charts/ChartExport.h"
#include "charts/ChartPalette.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QHorizontalStackedBarSeries>
#include <QLegend>
#include <QValueAxis>

namespace vwb::ui {
namespace {
constexpr double Mb = 1024.0 * 1024.0;
}

TableSizeChart::TableSizeChart(QWidget *parent) : QChartView(new QChart, parent), m_chart(chart())
{
    addChartExport(this, QStringLiteral("table-sizes")); // right-click: save as PNG or SVG
    followPalette(this);                                 // dark in the dark theme
    m_chart->setTitle(tr("Size by table (MB)"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_series = new QHorizontalStackedBarSeries;
    const char *const names[] = {"heap", "indexes", "TOAST"};
    const QColor colors[] = {QColor(0x42, 0xa5, 0xf5), QColor(0xff, 0xa7, 0x26), QColor(0xab, 0x47, 0xbc)};
    for (int i = 0; i < 3; ++i) {
        m_parts[i] = new QBarSet(tr(names[i]));
        m_parts[i]->setColor(colors[i]);
        m_series->append(m_parts[i]);
    }
    m_series->setBarWidth(0.7);
    m_chart->addSeries(m_series);
    m_tables = new QBarCategoryAxis;
    m_mb = new QValueAxis;
    m_mb->setLabelFormat(QStringLiteral("%.1f"));
    m_chart->addAxis(m_tables, Qt::AlignLeft);
    m_chart->addAxis(m_mb, Qt::AlignBottom);
    m_series->attachAxis(m_tables);
    m_series->attachAxis(m_mb);
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(220);
}

void TableSizeChart::setSizes(const QList<TableSize> &sizes)
{
    QList<TableSize> top = sizes;
    std::stable_sort(top.begin(), top.end(), [](const TableSize &a, const TableSize &b) { return a.totalBytes > b.totalBytes; });
    top = top.mid(0, MaxTables);
    QStringList labels;
    QList<qreal> parts[3];
    double max = 0;
    // The axis lists its first category at the bottom: append the smallest first.
    for (auto it = top.crbegin(); it != top.crend(); ++it) {
        labels << it->table.display();
        parts[0] << it->heapBytes / Mb;
        parts[1] << it->indexBytes / Mb;
        parts[2] << it->toastBytes / Mb;
        max = qMax(max, it->totalBytes / Mb);
    }
    for (int i = 0; i < 3; ++i) {
        m_parts[i]->remove(0, m_parts[i]->count());
        m_parts[i]->append(parts[i]);
    }
    m_tables->clear();
    m_tables->append(labels);
    m_mb->setRange(0, max > 0 ? max * 1.05 : 1);
    m_mb->applyNiceNumbers();
}

QStringList TableSizeChart::tables() const
{
    QStringList out = m_tables->categories();
    std::reverse(out.begin(), out.end());
    return out;
}

QList<double> TableSizeChart::megabytes(int part) const
{
    QList<double> out;
    if (part < 0 || part > 2)
        return out;
    for (int i = m_parts[part]->count() - 1; i >= 0; --i)
        out << m_parts[part]->at(i);
    return out;
}

double TableSizeChart::axisMaximum() const
{
    return m_mb->max();
}
} // namespace vwb::ui
