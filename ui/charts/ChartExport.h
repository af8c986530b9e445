// ui/charts/ChartExport.h — a chart saved as a picture.
#pragma once

#include "core/Result.h"

class QChartView;

namespace vwb::ui {

/// Writes what `view` shows to `path`: SVG (vector, through QSvgGenerator) when it ends in .svg,
/// else a PNG at the screen's pixel ratio. Written whole or not at all.
Result<void> saveChart(QChartView *view, const QString &path);

/// Adds "Save chart as PNG…" and "Save chart as SVG…" to `view`'s context menu; `fileStem` names
/// the file offered ("similarity-histogram", say).
void addChartExport(QChartView *view, const QString &fileStem);

} // namespace vwb::ui
