// app/advice/ChangeEstimate.h
#pragma once

#include "advice/VectorQueries.h"

namespace vwb {

/// What a proposed change would do to one of the application's queries, from the planner's
/// estimates on a copy: before and after the change, the query as written and its rewrite.
struct ChangeEstimate
{
    QString change;                                       // "hnsw (vector vector_l2_ops)", "STORAGE PLAIN"
    int sampleRows = 0;                                   // rows in the copy
    double costBefore = 0, costAfter = 0;                 // the query as written: the planner's total cost
    QString indexBefore, indexAfter;                      // the ANN index its plan scans, if any
    double rewriteCostBefore = -1, rewriteCostAfter = -1; // the rewrite, when there is one
    QString rewriteIndexAfter;
    QString summary() const; // one line for people
};

/// Copies up to `sampleRows` rows of the query's vector table into a temporary table of the same
/// name (which shadows it for this session), plans the query (generic plan) on the copy, applies
/// each change the advice points at — the index that would serve it, SET STORAGE PLAIN when the
/// column is stored out of line — to a copy and plans again. Everything runs in transactions that
/// are rolled back; a write-locked (production) session refuses, since temporary tables need a
/// writable transaction. Costs are the planner's, on the copy's size: compare them with each other.
Result<QList<ChangeEstimate>> estimateChanges(PgConnection &conn, const VectorQuery &query, const DatabaseSchema &schema,
                                              int sampleRows = 5000);
} // namespace vwb
