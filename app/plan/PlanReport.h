// app/plan/PlanReport.h
#pragma once

#include "plan/PlanCompare.h"
#include "plan/PlanHints.h"
#include <QJsonObject>

namespace vwb {

/// A parsed plan, its hints and comparisons as JSON and as monospaced text: what `vwb explain`
/// prints, and what a GUI can show or save. Times in ms, shares 0..1, rows per loop.
QJsonObject planNodeToJson(const PlanNode &node); // with its children
QJsonObject planHintToJson(const PlanHint &hint);
/// {analyzed, total_ms, planning_ms, execution_ms, plan: node, hints: [...], details}
QJsonObject planToJson(const Plan &plan, const QList<PlanHint> &hints);
QJsonObject planComparisonToJson(const PlanComparison &comparison);

/// "↑12×" (12 times more rows than estimated), "↓150×", "1.0×"; "never" / "" when there is none.
QString estimateText(const PlanNode &node);
/// Long vector literals ('[0.1,0.2,…]', ~10 kB at 1536 dimensions) cut to "'[0.1,0.2,0.3,…1536 dims]'".
QString abbreviateVectorLiterals(const QString &text);
/// One line per node (figures in columns, then the indented node and its conditions), then the
/// hints and the totals.
QStringList planToText(const Plan &plan, const QList<PlanHint> &hints);
QStringList planComparisonToText(const PlanComparison &comparison);
} // namespace vwb
