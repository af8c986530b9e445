// app/cli/EvalCli.h — what the vwb eval subcommands share.
#pragma once

#include "cli/CliSupport.h"
#include "eval/EvalRun.h"
#include "eval/RankingMetrics.h"
#include "eval/RunComparison.h"

namespace vwb::cli {

/// --k and --relevant-from, on every command that scores.
void addMetricOptions(CommandParser &cmd);
/// Reads them; a usage error as text.
QString readMetricOptions(const QCommandLineParser &p, MetricOptions &options);
QJsonObject scoresJson(const QueryScores &scores, int k);
/// "0.7793  0.8456  …": MAP, MRR, P@k, R@k, nDCG@k, hit@k, judged@k.
QString scoresLine(const QueryScores &scores);
QString scoresHeader(int k);

/// --metric, --top and --csv of a comparison of two runs; readComparisonOptions() gives a usage error as text.
void addComparisonOptions(CommandParser &cmd);
QString readComparisonOptions(const QCommandLineParser &p, EvalMetric &metric);
/// B against A on `metric`, query by query, with the paired randomization test: a summary (the
/// queries that moved most), --json or --csv.
int printComparison(CommandParser &cmd, const EvalRun &a, const EvalRun &b, const QuerySet &set, const MetricOptions &options,
                    EvalMetric metric);

/// The name sets are kept under for the profile --profile/--url names (the default one without).
Result<QString> evalProfileKey(CommandParser &cmd);

int runEvalScore(const QStringList &args);
int runEvalSets(const QString &sub, const QStringList &args);    // import, sets, export, judge, drop
int runEvalRuns(const QString &sub, const QStringList &args);    // run, runs, show, baseline
int runEvalCompare(const QString &sub, const QStringList &args); // compare, drift, threshold
} // namespace vwb::cli
