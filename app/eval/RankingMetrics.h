// app/eval/RankingMetrics.h
#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

namespace vwb {

/// A query's judgments: document id → grade (0 = judged irrelevant). Documents not in it are
/// unjudged, which is not the same as irrelevant: the metrics below say how many there were.
using Judgments = QHash<QString, int>;

struct MetricOptions
{
    int k = 10;           // the cut-off of P@k, R@k, nDCG@k, hit@k, judged@k
    int relevantFrom = 1; // a grade at least this counts as relevant (binary metrics)
};

/// One query's scores for one ranked list. Binary metrics count grade >= relevantFrom as
/// relevant; nDCG uses the grades (gain 2^g - 1, discount log2(rank + 1), ideal over every judged
/// document of the query, not only the retrieved ones).
struct QueryScores
{
    int relevant = 0;        // relevant documents judged for the query (R)
    int retrieved = 0;       // length of the ranked list
    int unjudgedAtK = 0;     // results in the top k nobody judged
    double precisionAtK = 0; // relevant in the top k / k
    double recallAtK = 0;    // relevant in the top k / R
    double reciprocalRank = 0;
    double averagePrecision = 0; // over the whole list, / R
    double ndcgAtK = 0;
    double hitAtK = 0;    // 1 when a relevant document is in the top k
    double judgedAtK = 0; // share of the top k that was judged (of min(k, retrieved))
    bool hasRelevant() const { return relevant > 0; }
};

QueryScores scoreRanking(const QStringList &ranked, const Judgments &judgments, const MetricOptions &options = {});

/// The mean of each metric over the queries that have a relevant document; the others are
/// counted apart (`withoutRelevant`), since every metric is 0 or undefined for them.
struct AverageScores
{
    int queries = 0;         // averaged over
    int withoutRelevant = 0; // left out of the averages
    QueryScores mean;        // relevant/retrieved/unjudgedAtK hold sums
};

AverageScores averageScores(const QList<QueryScores> &perQuery);

/// Keeps the first of each run of results that share a key (the same text filed twice, for
/// example): a copy of a relevant document further down is not a second hit nor a miss. A result
/// whose key is empty is always kept.
QStringList collapseDuplicates(const QStringList &ranked, const std::function<QString(const QString &)> &keyOf);
} // namespace vwb
