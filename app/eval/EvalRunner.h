// app/eval/EvalRunner.h
#pragma once

#include "eval/EvalRun.h"
#include <functional>

namespace vwb {
class PgConnection;

struct EvalProgress
{
    std::function<void(int done, int total)> step; // after each query
    std::function<bool()> canceled;                // checked between queries
};

/// The text a query is searched with: its title and its text, as a topic's are written
/// ("title\n\ntext"), or the text alone.
QString evalQueryText(const JudgedQuery &query);
/// The set's query that `text` searches for (its text, or its evalQueryText()); a text no query
/// of the set has is a query of its own, named by itself (as the Search panel's grades make them).
JudgedQuery judgedQueryFor(const QuerySet &set, const QString &text);

/// Runs every query of the set through the configuration, on `conn`, read-only: each query is
/// embedded by the configured provider (dimensions checked against the column first) and
/// searched with the configured ranking, knobs and mode; in re-ranking mode its judged documents
/// are its candidates, all of them ranked. A query that fails (say the provider rejects it) is
/// kept with its error; a failure of the set-up (no such table, wrong dimensions) ends the run.
Result<EvalRun> runEvaluation(PgConnection &conn, const QuerySet &set, const EvalConfig &config, const EvalProgress &progress = {});
} // namespace vwb
