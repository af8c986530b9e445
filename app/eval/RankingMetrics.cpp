// app/eval/RankingMetrics.cpp
#include "eval/RankingMetrics.h"

#include <QSet>
#include <algorithm>
#include <cmath>

namespace vwb {
namespace {

double gain(int grade)
{
    return grade > 0 ? std::pow(2.0, grade) - 1.0 : 0.0;
}

double discount(int rank) // rank from 1
{
    return std::log2(rank + 1.0);
}
} // namespace

QueryScores scoreRanking(const QStringList &ranked, const Judgments &judgments, const MetricOptions &options)
{
    QueryScores s;
    const int k = std::max(1, options.k);
    s.retrieved = int(ranked.size());
    QList<int> grades; // every judged grade of the query, for the ideal DCG
    for (auto it = judgments.cbegin(); it != judgments.cend(); ++it) {
        grades << it.value();
        if (it.value() >= options.relevantFrom)
            ++s.relevant;
    }
    int relevantSoFar = 0, relevantAtK = 0, judgedAtK = 0;
    double dcg = 0, precisionSum = 0;
    QSet<QString> seen; // a document listed twice counts once
    for (int i = 0; i < ranked.size(); ++i) {
        const int rank = i + 1;
        const auto grade = judgments.constFind(ranked.at(i));
        const bool judged = grade != judgments.cend();
        const bool first = !seen.contains(ranked.at(i));
        seen.insert(ranked.at(i));
        const bool relevant = judged && first && grade.value() >= options.relevantFrom;
        if (rank <= k) {
            judgedAtK += judged ? 1 : 0;
            if (judged && first)
                dcg += gain(grade.value()) / discount(rank);
        }
        if (!relevant)
            continue;
        ++relevantSoFar;
        precisionSum += double(relevantSoFar) / rank;
        if (relevantSoFar == 1)
            s.reciprocalRank = 1.0 / rank;
        if (rank <= k) {
            ++relevantAtK;
            s.hitAtK = 1;
        }
    }
    const int shown = std::min<int>(k, int(ranked.size()));
    s.unjudgedAtK = shown - judgedAtK;
    s.judgedAtK = shown > 0 ? double(judgedAtK) / shown : 0;
    s.precisionAtK = double(relevantAtK) / k;
    if (s.relevant > 0) {
        s.recallAtK = double(relevantAtK) / s.relevant;
        s.averagePrecision = precisionSum / s.relevant;
    }
    std::sort(grades.begin(), grades.end(), std::greater<int>());
    double ideal = 0;
    for (int i = 0; i < std::min<int>(k, int(grades.size())); ++i)
        ideal += gain(grades.at(i)) / discount(i + 1);
    s.ndcgAtK = ideal > 0 ? dcg / ideal : 0;
    return s;
}

AverageScores averageScores(const QList<QueryScores> &perQuery)
{
    AverageScores a;
    QueryScores &m = a.mean;
    for (const QueryScores &q : perQuery) {
        if (!q.hasRelevant()) {
            ++a.withoutRelevant;
            continue;
        }
        ++a.queries;
        m.relevant += q.relevant;
        m.retrieved += q.retrieved;
        m.unjudgedAtK += q.unjudgedAtK;
        m.precisionAtK += q.precisionAtK;
        m.recallAtK += q.recallAtK;
        m.reciprocalRank += q.reciprocalRank;
        m.averagePrecision += q.averagePrecision;
        m.ndcgAtK += q.ndcgAtK;
        m.hitAtK += q.hitAtK;
        m.judgedAtK += q.judgedAtK;
    }
    if (a.queries > 0) {
        const double n = a.queries;
        for (double *v : {&m.precisionAtK, &m.recallAtK, &m.reciprocalRank, &m.averagePrecision, &m.ndcgAtK, &m.hitAtK, &m.judgedAtK})
            *v /= n;
    }
    return a;
}

QStringList collapseDuplicates(const QStringList &ranked, const std::function<QString(const QString &)> &keyOf)
{
    QStringList out;
    QSet<QString> keys;
    for (const QString &id : ranked) {
        const QString key = keyOf ? keyOf(id) : QString();
        if (!key.isEmpty() && keys.contains(key))
            continue;
        keys.insert(key);
        out << id;
    }
    return out;
}
} // namespace vwb
