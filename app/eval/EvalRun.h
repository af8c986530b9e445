// app/eval/EvalRun.h
#pragma once

#include "eval/EvalConfig.h"
#include "eval/QuerySet.h"
#include <QDateTime>

namespace vwb {

struct RankedDoc
{
    QString id;
    double score = 0;            // what the list was ordered by
    double similarity = qQNaN(); // vector similarity; NaN when the ranking had none for the row
};

struct QueryRun
{
    QString queryId;
    QList<RankedDoc> ranked;
    double ms = 0; // embedding and search
    QString error; // the search failed for this query; its list is empty
};

/// A query set run through one configuration: every query's ranked list, as stored.
struct EvalRun
{
    qint64 id = 0; // 0 until stored
    QString name;
    EvalConfig config;
    QDateTime startedAt;
    double totalMs = 0;
    bool baseline = false;
    QList<QueryRun> queries;
    /// Document id -> its config.collapseKey value, for the listed and the judged documents that
    /// have one: equal keys are one document when scoring.
    QHash<QString, QString> keys;
    QStringList warnings;

    const QueryRun *query(const QString &id) const;
};

/// One query's list as it is scored: documents mapped to their duplicate key (copies collapsed to
/// the first), judgments carried over to the key (a copy of a judged document is judged alike,
/// with the highest grade any copy got).
struct ScoredList
{
    QStringList ranked;
    QList<double> similarity; // per entry of `ranked`
    Judgments judgments;
};
ScoredList scoredList(const EvalRun &run, const QueryRun *list, const Judgments &judgments);

/// Every query of the set scored (a query the run has no list for scores as an empty list).
struct ScoredRun
{
    QStringList queryIds; // the set's order
    QList<QueryScores> perQuery;
    AverageScores mean;
    int failed = 0; // queries whose search failed
};
ScoredRun scoreRun(const EvalRun &run, const QuerySet &set, const MetricOptions &options);
} // namespace vwb
