// app/backfill/BackfillWriter.h
#pragma once

#include "backfill/BackfillSql.h"
#include "embeddings/EmbeddingProvider.h"
#include <optional>

namespace vwb {
class PgConnection;

/// One claimed batch: the content keys, a vector for each (none for a row the provider
/// rejected) and, where BackfillSql::forumName, each content row's forum_name (null for NULL).
struct BackfillBatch
{
    QStringList keys;
    QStringList forumNames;
    QList<std::optional<Embedding>> vectors;
};

struct BackfillWrite
{
    qint64 embedded = 0; // content rows whose vector was written
    qint64 inserted = 0; // vector rows inserted
    qint64 updated = 0;  // vector rows updated (more than `embedded` where duplicates exist)
};

/// Writes a batch inside the transaction open on `db`, in which its rows were claimed (locked).
/// Missing rows of a separate vector table (BackfillSql::directInsert) are COPYed straight into
/// it: the claim's locks keep other backfills off these rows, and a temporary table would only
/// write every vector twice. Should something else have inserted a vector for one of them meanwhile
/// and a unique index objects, the batch goes the general way instead. That way, for every mode:
/// COPY into a temporary table, then one UPDATE where a vector row exists and one INSERT where
/// none does. Nothing is committed here.
Result<BackfillWrite> writeBackfillBatch(PgConnection &db, const BackfillSql &sql, BackfillMode mode, const BackfillBatch &batch);
} // namespace vwb
