// app/metrics/TableSizes.h
#pragma once

#include "schema/DatabaseSchema.h"
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <optional>

namespace vwb {
class PgConnection;

/// What a table is to the workbench.
enum class TableRole { Content, Vectors, Ledger, Other };
QString tableRoleName(TableRole role); // "content", "vectors", "ledger", "other"

/// One table's bytes on disk, split so that heap + indexes + toast == total exactly:
///   total   = pg_total_relation_size(table)
///   indexes = pg_indexes_size(table)                      (the table's own indexes)
///   toast   = pg_total_relation_size(reltoastrelid)       (TOAST table and its index; 0 without)
///   heap    = total - indexes - toast                     (main, free space map, visibility map
///                                                          and init forks = pg_table_size - toast)
/// All four come from one statement; under concurrent writes a file may grow between two of the
/// size functions, and the heap figure absorbs that difference (it is never below 0).
struct TableSize
{
    TableRef table;
    TableRole role = TableRole::Other;
    qint64 heapBytes = 0;
    qint64 indexBytes = 0;
    qint64 toastBytes = 0;
    qint64 totalBytes = 0;
    qint64 rowEstimate = -1;        // pg_class.reltuples; -1 when never analyzed (or vacuumed)
    std::optional<double> coverage; // content tables: fraction 0..1 of rows with a vector
    bool coverageExact = false;     // counted (fetchCoverage) rather than read from statistics

    QJsonObject toJson() const;
};

struct TableSizeOptions
{
    /// Only these schemas; empty: every schema but pg_catalog, information_schema, pg_toast, pg_temp*.
    QStringList schemas;
    enum class Coverage {
        None,     // leave coverage empty
        Estimate, // from the planner's statistics (pg_stats), no table is read; empty until ANALYZE
        Exact,    // fetchCoverage(): full scans of each content and vector table
    } coverage
        = Coverage::Estimate;
    /// The ledger tables (Knex's and the workbench's own); each and "<name>_lock" get the Ledger
    /// role in any schema.
    QStringList ledgerTables{QStringLiteral("knex_migrations"), QStringLiteral("vwb_migrations")};
    /// Waits at most this long for a lock on a table (a VACUUM FULL or ALTER TABLE holds one) before
    /// failing, instead of hanging behind it; 0 keeps the session's lock_timeout.
    int lockTimeoutMs = 5000; // ms
};

/// Every table (relkind r, p, m) of the chosen schemas with its sizes, ordered by total size,
/// largest first. Content and vector tables are recognised from `schema`. Read-only; catalog
/// functions only, except Coverage::Exact.
Result<QList<TableSize>> readTableSizes(PgConnection &conn, const DatabaseSchema &schema, const TableSizeOptions &options = {});

/// The fraction of a content table's rows with a vector, from pg_stats: 1 - null_frac of the
/// vector column when inline, else (distinct non-null foreign keys in the vector table) /
/// (content reltuples), clamped to 0..1. Empty when either table has not been analyzed.
Result<std::optional<double>> estimateCoverage(PgConnection &conn, const ContentPair &pair);

/// One table in a SizeSnapshot: the sizes without the catalog context.
struct SizeSample
{
    TableRef table;
    qint64 heapBytes = 0;
    qint64 indexBytes = 0;
    qint64 toastBytes = 0;
    qint64 totalBytes = 0;
    qint64 rowEstimate = -1;

    static SizeSample of(const TableSize &size);
    QJsonObject toJson() const;
};

/// Every table's sizes at one moment: what SizeHistory records and gives back.
struct SizeSnapshot
{
    QDateTime at; // UTC
    QList<SizeSample> tables;

    static SizeSnapshot of(const QDateTime &at, const QList<TableSize> &sizes);
    qint64 totalBytes() const;
    /// The sample of `table`, or nullptr when the snapshot has none.
    const SizeSample *find(const TableRef &table) const;
    QJsonObject toJson() const;
};
} // namespace vwb
