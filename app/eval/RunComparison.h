// app/eval/RunComparison.h
#pragma once

#include "eval/EvalRun.h"

namespace vwb {

enum class EvalMetric { AveragePrecision, Ndcg, PrecisionAtK, RecallAtK, ReciprocalRank, HitAtK };

double metricValue(const QueryScores &scores, EvalMetric metric);
QString evalMetricName(EvalMetric metric, int k);           // "MAP", "nDCG@10", …
bool parseEvalMetric(const QString &name, EvalMetric *out); // map, ndcg, p, r, mrr, hit

struct QueryDelta
{
    QString queryId;
    double a = 0;
    double b = 0;
    double delta() const { return b - a; }
};

/// Run B against run A on one metric, query by query (only queries with a relevant document).
struct Comparison
{
    EvalMetric metric = EvalMetric::AveragePrecision;
    int queries = 0;
    double meanA = 0;
    double meanB = 0;
    double delta() const { return meanB - meanA; }
    /// Two-sided paired randomization test: the share of the 2^n sign flips of the per-query
    /// differences (sampled, fixed seed, so a comparison always prints the same p) whose mean is at
    /// least as far from 0 as the observed one.
    double pValue = 1;
    int permutations = 0;
    int wins = 0; // B better
    int losses = 0;
    int ties = 0;
    QList<QueryDelta> perQuery; // largest |delta| first
};

/// "MAP over 80 queries: A 0.7625, B 0.8022, B − A +0.0397 (p = 0.0030, paired randomization test:
/// significant at 0.05); B better on 33, worse on 20, equal on 27".
QString comparisonSentence(const Comparison &comparison, const QString &metricName);

/// The two runs must be scored on the same set (queries are paired by id).
Comparison compareRuns(const ScoredRun &a, const ScoredRun &b, EvalMetric metric, int permutations = 10000);

/// What changed for one query between a baseline run and a later one.
struct QueryDrift
{
    QString queryId;
    QStringList entered;   // in the later top k, not in the baseline's
    QStringList left;      // in the baseline's top k, not in the later one's
    double scoreShift = 0; // mean |score change| of the documents in both top k's
    double metricDelta = 0;
    bool changed() const { return !entered.isEmpty() || !left.isEmpty() || scoreShift > 1e-9 || qAbs(metricDelta) > 1e-12; }
};

/// Every query of the later run against the baseline, top k compared; changed queries first.
QList<QueryDrift> driftFrom(const EvalRun &baseline, const ScoredRun &baselineScores, const EvalRun &later, const ScoredRun &laterScores,
                            EvalMetric metric, int k);
} // namespace vwb
