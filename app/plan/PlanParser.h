// app/plan/PlanParser.h
#pragma once

#include "core/Result.h"
#include "plan/PlanNode.h"
#include <QByteArray>

namespace vwb {

/// Reads EXPLAIN output into a Plan with its metrics computed (see PlanMetrics.h). Pure functions
/// over text: no server, no throwing, no asserting; bad input is an Error naming the line (text)
/// or the offset / JSON path (JSON) where it went wrong.
class PlanParser
{
public:
    /// Plans deeper than this are refused (real plans are a few dozen levels); it bounds every
    /// recursion over a parsed plan. Qt's JSON reader stops at 1024 nested values (~500 levels).
    static constexpr int MaxDepth = 1000;
    static constexpr qsizetype MaxInputChars = 64 * 1024 * 1024;

    /// FORMAT JSON or TEXT, bare or as psql prints it (a "QUERY PLAN" header, dashes, "+" at the
    /// end of wrapped lines, a "(N rows)" footer).
    static Result<Plan> parse(const QString &text);
    /// FORMAT JSON: `[{"Plan": {...}, "Planning Time": ..., "Execution Time": ...}]`, that object
    /// alone, or a bare plan node. Of several plans (rules) the first is read.
    static Result<Plan> parseJson(const QByteArray &json);
    /// FORMAT TEXT, with or without ANALYZE, BUFFERS, COSTS, VERBOSE.
    static Result<Plan> parseText(const QString &text);
    /// The output without psql's header, dashes, footer, leading column and wrap marks.
    static QString withoutPsqlFrame(const QString &text);
};
} // namespace vwb
