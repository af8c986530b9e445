// ui/charts/ChartPalette.h
#pragma once

class QChartView;

namespace vwb::ui {

/// Paints `view`'s chart from the application's palette — background, plot area, title, legend,
/// axes and grid — now and after every theme switch, so a chart is dark in the dark theme. The
/// series keep their own colours (chosen to read on both).
void followPalette(QChartView *view);
} // namespace vwb::ui
