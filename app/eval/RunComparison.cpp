// app/eval/RunComparison.cpp
#include "eval/RunComparison.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace vwb {

double metricValue(const QueryScores &s, EvalMetric metric)
{
    switch (metric) {
    case EvalMetric::Ndcg: return s.ndcgAtK;
    case EvalMetric::PrecisionAtK: return s.precisionAtK;
    case EvalMetric::RecallAtK: return s.recallAtK;
    case EvalMetric::ReciprocalRank: return s.reciprocalRank;
    case EvalMetric::HitAtK: return s.hitAtK;
    case EvalMetric::AveragePrecision: break;
    }
    return s.averagePrecision;
}

QString evalMetricName(EvalMetric metric, int k)
{
    switch (metric) {
    case EvalMetric::Ndcg: return QStringLiteral("nDCG@%1").arg(k);
    case EvalMetric::PrecisionAtK: return QStringLiteral("P@%1").arg(k);
    case EvalMetric::RecallAtK: return QStringLiteral("R@%1").arg(k);
    case EvalMetric::ReciprocalRank: return QStringLiteral("MRR");
    case EvalMetric::HitAtK: return QStringLiteral("hit@%1").arg(k);
    case EvalMetric::AveragePrecision: break;
    }
    return QStringLiteral("MAP");
}

bool parseEvalMetric(const QString &name, EvalMetric *out)
{
    const QString n = name.toLower();
    const QList<std::pair<QString, EvalMetric>> names{
        {QStringLiteral("map"), EvalMetric::AveragePrecision}, {QStringLiteral("ndcg"), EvalMetric::Ndcg},
        {QStringLiteral("p"), EvalMetric::PrecisionAtK},       {QStringLiteral("r"), EvalMetric::RecallAtK},
        {QStringLiteral("mrr"), EvalMetric::ReciprocalRank},   {QStringLiteral("hit"), EvalMetric::HitAtK}};
    for (const auto &[word, metric] : names) {
        if (n == word) {
            *out = metric;
            return true;
        }
    }
    return false;
}

QString comparisonSentence(const Comparison &c, const QString &metricName)
{
    return QStringLiteral("%1 over %2 queries: A %3, B %4, B − A %5 (p = %6, paired randomization test: %7); B better on %8, "
                          "worse on %9, equal on %10")
        .arg(metricName, QString::number(c.queries), QString::number(c.meanA, 'f', 4), QString::number(c.meanB, 'f', 4),
             (c.delta() >= 0 ? QStringLiteral("+") : QString()) + QString::number(c.delta(), 'f', 4), QString::number(c.pValue, 'f', 4),
             c.pValue < 0.05 ? QStringLiteral("significant at 0.05") : QStringLiteral("not significant at 0.05"), QString::number(c.wins),
             QString::number(c.losses), QString::number(c.ties));
}

Comparison compareRuns(const ScoredRun &a, const ScoredRun &b, EvalMetric metric, int permutations)
{
    Comparison out;
    out.metric = metric;
    QList<double> diffs;
    for (int i = 0; i < a.queryIds.size(); ++i) {
        const int j = int(b.queryIds.indexOf(a.queryIds.at(i)));
        if (j < 0 || !a.perQuery.at(i).hasRelevant())
            continue;
        const QueryDelta d{a.queryIds.at(i), metricValue(a.perQuery.at(i), metric), metricValue(b.perQuery.at(j), metric)};
        out.perQuery << d;
        diffs << d.delta();
        out.meanA += d.a;
        out.meanB += d.b;
        if (d.delta() > 1e-12)
            ++out.wins;
        else if (d.delta() < -1e-12)
            ++out.losses;
        else
            ++out.ties;
    }
    out.queries = int(diffs.size());
    if (out.queries == 0)
        return out;
    out.meanA /= out.queries;
    out.meanB /= out.queries;
    std::stable_sort(out.perQuery.begin(), out.perQuery.end(),
                     [](const QueryDelta &x, const QueryDelta &y) { return std::abs(x.delta()) > std::abs(y.delta()); });
    double observed = 0;
    for (double d : diffs)
        observed += d;
    observed = std::abs(observed);
    std::mt19937_64 random(0x5eed5eedULL); // fixed: the same runs always give the same p
    int asFar = 0;
    for (int p = 0; p < permutations; ++p) {
        double sum = 0;
        for (double d : diffs)
            sum += (random() & 1) ? d : -d;
        if (std::abs(sum) >= observed - 1e-12)
            ++asFar;
    }
    out.permutations = permutations;
    out.pValue = (asFar + 1.0) / (permutations + 1.0);
    return out;
}

QList<QueryDrift> driftFrom(const EvalRun &baseline, const ScoredRun &baselineScores, const EvalRun &later, const ScoredRun &laterScores,
                            EvalMetric metric, int k)
{
    QList<QueryDrift> out;
    for (int i = 0; i < laterScores.queryIds.size(); ++i) {
        const QString id = laterScores.queryIds.at(i);
        QueryDrift d;
        d.queryId = id;
        const QueryRun *was = baseline.query(id);
        const QueryRun *now = later.query(id);
        QHash<QString, double> before;
        QStringList beforeIds;
        for (int r = 0; was && r < qMin(k, int(was->ranked.size())); ++r) {
            before.insert(was->ranked.at(r).id, was->ranked.at(r).score);
            beforeIds << was->ranked.at(r).id;
        }
        QStringList nowIds;
        double shift = 0;
        int common = 0;
        for (int r = 0; now && r < qMin(k, int(now->ranked.size())); ++r) {
            const RankedDoc &doc = now->ranked.at(r);
            nowIds << doc.id;
            if (auto it = before.constFind(doc.id); it != before.cend()) {
                shift += std::abs(doc.score - *it);
                ++common;
            } else {
                d.entered << doc.id;
            }
        }
        for (const QString &b : beforeIds)
            if (!nowIds.contains(b))
                d.left << b;
        d.scoreShift = common ? shift / common : 0;
        const int j = int(baselineScores.queryIds.indexOf(id));
        if (j >= 0)
            d.metricDelta = metricValue(laterScores.perQuery.at(i), metric) - metricValue(baselineScores.perQuery.at(j), metric);
        out << d;
    }
    std::stable_sort(out.begin(), out.end(), [](const QueryDrift &x, const QueryDrift &y) {
        if (x.changed() != y.changed())
            return x.changed();
        return std::abs(x.metricDelta) > std::abs(y.metricDelta);
    });
    return out;
}
} // namespace vwb
