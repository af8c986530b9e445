// app/eval/ThresholdCurve.h
#pragma once

#include "eval/EvalRun.h"
#include <optional>

namespace vwb {

/// Precision, recall and F1 of "keep the results whose similarity is at least t", pooled over
/// every (query, result) pair of a run. Unjudged results are left out of precision (and counted),
/// never taken as irrelevant; recall is over every relevant judged document of the set.
struct ThresholdPoint
{
    double threshold = 0;
    int kept = 0;     // judged results at or above the threshold
    int relevant = 0; // of them relevant
    int unjudged = 0; // unjudged results at or above the threshold
    double precision = 0;
    double recall = 0;
    double f1 = 0;
};

struct ThresholdCurve
{
    QList<ThresholdPoint> points; // thresholds high to low, one per distinct similarity
    int relevantTotal = 0;
    int withoutSimilarity = 0; // results the ranking gave no similarity (full-text only rows)

    /// The point of highest F1 (the higher threshold among equals).
    std::optional<ThresholdPoint> bestF1() const;
    /// The lowest threshold whose precision is at least `target` (keeps the most while meeting it).
    std::optional<ThresholdPoint> lowestMeeting(double targetPrecision) const;
};

ThresholdCurve thresholdCurve(const EvalRun &run, const QuerySet &set, int relevantFrom);
} // namespace vwb
