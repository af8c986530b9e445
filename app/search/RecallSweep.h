// app/search/RecallSweep.h
#pragma once

#include "search/SemanticSearch.h"

namespace vwb {

/// One setting of the index's knob, measured.
struct SweepPoint
{
    int value = 0;          // hnsw.ef_search or ivfflat.probes
    bool iterative = false; // pgvector 0.8 iterative index scan on
    double recall = 0;      // mean recall@k against exact search
    double recallLow = 0;   // the lower end of its 95% interval (mean - 1.96 standard errors): what the choice must clear
    double medianMs = 0;    // of the SELECT, per query
    double p90Ms = 0;
    int shortQueries = 0; // samples that got fewer rows than exact search found
};

/// A sweep of one ANN index's knob: the recall/latency curve and the cheapest setting that meets
/// the target with k rows every time.
struct RecallSweepReport
{
    QString index;  // the ANN index swept
    QString method; // hnsw | ivfflat
    QString knob;   // "ef_search" | "probes"
    int k = 10;
    int samples = 0;
    double target = 0.95;
    QString forum; // the filter the samples were searched with, if any
    double exactMedianMs = 0;
    QList<SweepPoint> points; // by iterative, then value
    int chosen = -1;          // into points; -1: no setting met the target
    const SweepPoint *choice() const { return chosen >= 0 ? &points.at(chosen) : nullptr; }
};

/// The values a sweep tries: ef_search from k up to 1,000 (pgvector's maximum); probes in powers of
/// two up to the index's lists.
QList<int> sweepValues(const QString &method, int k, int lists);
/// Pure: the point with the lowest median latency among those whose recall's lower bound meets
/// `target` with no short query (ties: the smaller value, then without iterative scan); -1 when
/// none does. The bound, not the mean: a sample of 50 can put a setting just over the line by chance.
int chooseSweepPoint(const QList<SweepPoint> &points, double target);

/// Sweeps the ANN index that serves `base` (its pair, column, metric and forum filter): `samples`
/// stored vectors picked at random are searched exactly once each, then at each value of the knob
/// with and without iterative scan, in rising order. A pass stops one value after the first that
/// meets the target: a larger ef_search or probes only costs more (at 1,000,000 rows, IVFFlat's
/// last values read most of the table for every sample). `progress` gets (done, total) searches,
/// the total counting every value.
Result<RecallSweepReport> sweepRecall(PgConnection &conn, const SearchRequest &base, int samples, int k, double target,
                                      const std::function<bool()> &canceled = {}, const std::function<void(int, int)> &progress = {});
} // namespace vwb
