// app/maintenance/IndexBuild.h
#pragma once

#include "maintenance/MaintenanceJob.h"

namespace vwb {
class PgConnection;

/// What an ANN index build sets on its session first, and why.
struct IndexBuildSettings
{
    QStringList statements; // SET maintenance_work_mem …, SET max_parallel_maintenance_workers …
    QStringList notes;      // what was chosen, for the log
    QStringList warnings;   // the graph will not fit: the build slows down once memory is full
};

/// Sizes maintenance_work_mem for an HNSW graph of `rows` elements of `dims` × `bytesPerDimension`
/// with `m` links (IVFFlat: the rows' sample, which the server's setting always holds): the
/// estimate plus 64 MB, never below the server's own setting nor above the larger of 1 GB, the
/// server's setting and its maximum; max_parallel_maintenance_workers up to the server's
/// max_parallel_workers (at most 4; a server on this machine: one worker per core beside the
/// leader); and, with workers, min_parallel_table_scan_size 0 so that pgvector builds in parallel
/// on a table whose vectors are stored out of line. Reads settings only.
Result<IndexBuildSettings> indexBuildSettings(PgConnection &conn, const QString &method, qint64 rows, int dims, int bytesPerDimension,
                                              int m);

/// indexBuildSettings() for rebuilding (REINDEX) the pgvector index `target` names — an index, or
/// a table's first HNSW, else IVFFlat, index — read from the catalogs: its method, the dimensions
/// and type of its key, its m, the table's rows. No settings when there is no pgvector index.
/// `target`: a name as SQL writes it ("s"."t").
Result<IndexBuildSettings> rebuildSettings(PgConnection &conn, const QString &target);

/// Builds an index again from its recorded definition, CONCURRENTLY and with indexBuildSettings():
/// CREATE INDEX CONCURRENTLY when it is gone, REINDEX INDEX CONCURRENTLY when an invalid one of that
/// name is there (a build that was killed), no statement at all when a valid one is there.
/// `rows`: the table's when known better than its statistics (-1: reltuples).
Result<MaintenancePlan> planIndexFromDefinition(PgConnection &conn, const QString &qualifiedIndex, const QString &definition,
                                                qint64 rows = -1);

/// pgvector's "hnsw graph no longer fits into maintenance_work_mem after N tuples": a warning to
/// show (the build goes on, much slower), or empty for any other notice.
QString graphFitWarning(const QString &notice);
} // namespace vwb
