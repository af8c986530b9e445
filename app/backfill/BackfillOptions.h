// app/backfill/BackfillOptions.h
#pragma once

#include "backfill/IndexStrategy.h"
#include "schema/DatabaseSchema.h"

namespace vwb {

enum class BackfillMode {
    Missing, // content rows with no vector row (inline: a NULL vector)
    Stale,   // rows whose vector is older than the content (content.updated_at > vectors.updated_at)
    All,     // every row, e.g. after a model change
};

struct BackfillOptions
{
    static constexpr int DefaultBatchSize = 256;
    static constexpr int MaxBatchSize = 10'000;
    static constexpr int DefaultWorkers = 4;
    static constexpr int MaxWorkers = 8;

    ContentPair pair;
    QString column; // the vector column; empty: the pair's first
    BackfillMode mode = BackfillMode::Missing;
    int batchSize = DefaultBatchSize;
    /// Batches in flight at once, each on its own connection (claimed in turn, SKIP LOCKED keeping
    /// them apart): while one waits for the provider another writes. 1: one after another.
    int workers = DefaultWorkers;
    double requestsPerMinute = 0; // provider requests; 0: no limit
    double tokensPerMinute = 0;   // estimated at 4 characters a token; 0: no limit
    /// What to embed of each row: a column or a {column} template (EmbeddingText). Empty: the text
    /// the column was last filled from (the local record), else `{content}` as the reference
    /// design's service embeds it.
    QString text;
    QString sourcesPath; // the local record of sources (EmbeddingSources); empty: none read or kept
    /// Before writing, re-embed a few rows that have vectors and compare: a column filled by
    /// another provider, model or text is refused (mode All replaces every vector, so it may).
    bool checkSource = true;
    /// Through the column's ANN indexes, or without them and building them again after the fill
    /// (BackfillIndexes); auto takes the faster by the estimate.
    IndexStrategy indexStrategy = IndexStrategy::Auto;
    /// The local record of dropped indexes and measured rates (IndexRebuilds); empty: the rebuild
    /// strategy is refused (a dropped index must be recorded first) and nothing is measured.
    QString rebuildsPath;
};

QString backfillModeName(BackfillMode mode); // "missing", "stale", "all"
} // namespace vwb
