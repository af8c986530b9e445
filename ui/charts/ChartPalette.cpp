// ui/charts/ChartPalette.cpp
#include "charts/ChartPalette.h"

#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QLegend>

namespace vwb::ui {
namespace {
void paint(QChartView *view)
{
    static bool painting = false; // a colour set here must not start another round through plotAreaChanged
    QChart *chart = view->chart();
    if (!chart || painting)
        return;
    painting = true;
    const QPalette &p = view->palette();
    const QColor text = p.color(QPalette::Text), base = p.color(QPalette::Base);
    QColor grid = p.color(QPalette::Mid);
    if (grid == base) // a palette without its own mid tone
        grid = text.lighter(300);
    grid.setAlpha(110);
    view->setBackgroundBrush(base);
    chart->setBackgroundBrush(base);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(text);
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(grid);
    }
    painting = false;
}

/// Repaints its chart view's chart when the palette changes or the view first shows.
class PaletteFollower : public QObject
{
public:
    explicit PaletteFollower(QChartView *view) : QObject(view), m_view(view) {}

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_view && (event->type() == QEvent::PaletteChange || event->type() == QEvent::Show))
            paint(m_view);
        return false;
    }

private:
    QChartView *m_view;
};
} // namespace

void followPalette(QChartView *view)
{
    view->installEventFilter(new PaletteFollower(view));
    // Axes are added (and replaced) as data arrives: each relayout paints the new ones too.
    QObject::connect(view->chart(), &QChart::plotAreaChanged, view, [view] { paint(view); });
    paint(view);
}
} // namespace vwb::ui
