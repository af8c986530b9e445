// app/backfill/IndexStrategy.h
#pragma once

#include "core/Result.h"
#include "schema/DatabaseSchema.h"
#include <optional>

namespace vwb {
class PgConnection;

/// How a backfill treats the ANN indexes on the column it fills. Every row written into a table
/// with an HNSW index is inserted into the graph as it is written (measured here: 193 rows/s with
/// the migrations' HNSW index against 5,747 rows/s without it); filling without the index and
/// building it afterwards is often several times faster, at the price of exact search meanwhile.
enum class IndexStrategy {
    Auto,    // the cheaper of the two by the estimate
    InPlace, // write through the indexes in place
    Rebuild, // drop them (their definitions recorded first), fill, build them again CONCURRENTLY
};
QString indexStrategyName(IndexStrategy s); // "auto", "in-place", "rebuild"
std::optional<IndexStrategy> parseIndexStrategy(const QString &name);

/// An hnsw or ivfflat index on a vector column (plain or an expression over it: halfvec casts).
struct ColumnIndex
{
    QString schema, name; // unescaped
    QString method;       // hnsw | ivfflat
    QString definition;   // pg_get_indexdef
    bool valid = true;
    QString qualified() const { return schema + QLatin1Char('.') + name; }
};

/// The ANN indexes that writes to `table`.`column` go through, valid or not, by name.
Result<QList<ColumnIndex>> annIndexesOn(PgConnection &conn, const TableRef &table, const QString &column);

/// Rows per second of each part of a backfill, measured on this database (IndexRebuilds keeps
/// them) or defaults measured on a 2-core machine with the migrations' indexes.
struct BackfillRates
{
    double fill = 0;      // the whole backfill with no ANN index on the column
    double inPlace = 0;   // the whole backfill through the column's ANN indexes
    double build = 0;     // CREATE INDEX, rows of the table per second, all of the column's indexes
    QStringList measured; // which of "fill", "in-place", "build" come from this database
};

/// Defaults when nothing was measured: the fill is `measuredFill` when known, else as fast as the
/// writes with a provider that computes locally, else 1,000 rows/s — and never faster than the
/// provider's limits (`requestsPerMinute` × `batchSize`, `tokensPerMinute` at `tokensPerRow`).
/// In place adds each index's insert cost to the fill's (local) or overlaps it (remote).
BackfillRates defaultBackfillRates(const QList<ColumnIndex> &indexes, bool localProvider, double requestsPerMinute,
                                   double tokensPerMinute, int batchSize, double tokensPerRow, double measuredFill = 0);

/// The two ways compared, and the one taken.
struct IndexStrategyEstimate
{
    IndexStrategy chosen = IndexStrategy::InPlace;
    bool asked = false;        // the caller picked it (not auto)
    qint64 rows = 0;           // to write
    qint64 tableRows = 0;      // in the table once written: what a rebuild indexes
    double inPlaceSeconds = 0; // rows / in-place rate
    double rebuildSeconds = 0; // rows / fill rate + tableRows / build rate
    QStringList indexes;       // what a rebuild drops and builds again (qualified names)
    BackfillRates rates;
    QString reason; // one sentence, for the log and the dry run
};

/// Pure: with no ANN index (or nothing to write), in place; else the asked strategy, or the faster.
IndexStrategyEstimate chooseIndexStrategy(IndexStrategy asked, const QList<ColumnIndex> &indexes, qint64 rows, qint64 tableRows,
                                          const BackfillRates &rates);
} // namespace vwb
