// app/eval/ThresholdCurve.cpp
#include "eval/ThresholdCurve.h"

#include <algorithm>
#include <cmath>

namespace vwb {

std::optional<ThresholdPoint> ThresholdCurve::bestF1() const
{
    std::optional<ThresholdPoint> best;
    for (const ThresholdPoint &p : points)
        if (!best || p.f1 > best->f1 + 1e-12)
            best = p;
    return best;
}

std::optional<ThresholdPoint> ThresholdCurve::lowestMeeting(double targetPrecision) const
{
    std::optional<ThresholdPoint> lowest;
    for (const ThresholdPoint &p : points)
        if (p.kept > 0 && p.precision >= targetPrecision - 1e-12)
            lowest = p; // points run high to low: the last one meeting it is the lowest
    return lowest;
}

ThresholdCurve thresholdCurve(const EvalRun &run, const QuerySet &set, int relevantFrom)
{
    ThresholdCurve curve;
    struct Pair
    {
        double similarity;
        int grade; // -1 unjudged
    };
    QList<Pair> pairs;
    for (const JudgedQuery &q : set.queries) {
        const ScoredList list = scoredList(run, run.query(q.id), set.judgments.value(q.id));
        for (int grade : list.judgments)
            curve.relevantTotal += grade >= relevantFrom ? 1 : 0;
        for (int i = 0; i < list.ranked.size(); ++i) {
            if (std::isnan(list.similarity.at(i))) {
                ++curve.withoutSimilarity;
                continue;
            }
            pairs << Pair{list.similarity.at(i), list.judgments.value(list.ranked.at(i), -1)};
        }
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair &a, const Pair &b) { return a.similarity > b.similarity; });
    ThresholdPoint p;
    for (int i = 0; i < pairs.size(); ++i) {
        const Pair &x = pairs.at(i);
        if (x.grade < 0)
            ++p.unjudged;
        else {
            ++p.kept;
            p.relevant += x.grade >= relevantFrom ? 1 : 0;
        }
        if (i + 1 < pairs.size() && pairs.at(i + 1).similarity == x.similarity)
            continue; // one point per distinct similarity: equal ones are kept or dropped together
        p.threshold = x.similarity;
        p.precision = p.kept ? double(p.relevant) / p.kept : 0;
        p.recall = curve.relevantTotal ? double(p.relevant) / curve.relevantTotal : 0;
        p.f1 = p.precision + p.recall > 0 ? 2 * p.precision * p.recall / (p.precision + p.recall) : 0;
        curve.points << p;
    }
    return curve;
}
} // namespace vwb
