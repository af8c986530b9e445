// app/schema/VectorColumnAdd.h
#pragma once

#include "schema/DatabaseSchema.h"

namespace vwb {
class PgConnection;

/// A second vector column beside the application's (a new model's vectors, to backfill and
/// evaluate before anything changes for the application).
struct VectorColumnAdd
{
    /// pgvector's HNSW and IVFFlat index at most this many dimensions of the type.
    int indexableDimensions() const { return type == QLatin1String("halfvec") ? 4000 : 2000; }
    QString name;
    int dimensions = 0;
    QString type = QStringLiteral("vector"); // vector or halfvec
};

/// Adds the column to the pair's vector table: nullable and without a default, so it is a change
/// of the catalog only (no table rewrite) that the application's inserts, which do not name it,
/// never see. The brief ACCESS EXCLUSIVE lock waits at most 5 s (lock_timeout) rather than
/// queue the application's queries behind a long transaction. Refused on a write-locked
/// (production) connection, for a name the table has, or for dimensions outside 1-16000.
Result<void> addVectorColumn(PgConnection &conn, const ContentPair &pair, const VectorColumnAdd &column);
} // namespace vwb
