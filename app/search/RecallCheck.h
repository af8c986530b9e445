// app/search/RecallCheck.h
#pragma once

#include "search/SemanticSearch.h"

namespace vwb {

struct RecallReport
{
    int samples = 0;
    int k = 10;
    double meanRecall = 0;
    double stddevRecall = 0;
    double annMedianMs = 0;
    double exactMedianMs = 0;
    QString indexName; // the index the ANN searches used ("" when none)
};

/// Recall@k of the index against exact search: `samples` stored vectors picked at random, each
/// searched both ways (itself excluded); `base` carries the pair, metric and knobs. The share of
/// the exact top-k the index found, averaged, with its standard deviation and both latencies.
Result<RecallReport> measureRecall(PgConnection &conn, const SearchRequest &base, int samples, int k,
                                   const std::function<bool()> &canceled = {});
/// The keys of up to `samples` rows with a stored vector in `column`, picked at random: the query
/// points of a recall measurement (each searched by its own vector, itself left out).
Result<QStringList> sampleStoredKeys(PgConnection &conn, const ContentPair &pair, const VectorColumn &column, int samples);
/// Pure: |found ∩ truth| / |truth| (1 when truth is empty).
double recallOf(const QList<RowKey> &found, const QList<RowKey> &truth);
} // namespace vwb
