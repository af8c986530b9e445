// app/backfill/BackfillIndexes.h
#pragma once

#include "backfill/BackfillSql.h"
#include "backfill/IndexStrategy.h"
#include "maintenance/IndexRebuilds.h"

namespace vwb {
class EmbeddingProvider;
class JobContext;
class PgConnection;

/// A backfill's plan for the ANN indexes on its column: the estimate and the strategy taken, the
/// indexes a rebuild drops, and those an earlier run dropped and did not build again.
struct BackfillIndexPlan
{
    IndexStrategyEstimate estimate;
    QList<ColumnIndex> indexes;    // on the column now (a rebuild drops the valid ones, and invalid leftovers)
    QList<PendingRebuild> pending; // dropped by an earlier run: built after this fill, whatever the strategy
    QString rateKey;               // the column's name in the rates record
    bool rebuilds() const { return estimate.chosen == IndexStrategy::Rebuild || !pending.isEmpty(); }
};

/// Reads the column's indexes, the record of pending rebuilds and measured rates (`rebuildsPath`),
/// and chooses. `rows`: what the backfill writes; `provider`: whose rates (none: a local one's).
Result<BackfillIndexPlan> planBackfillIndexes(PgConnection &conn, const BackfillOptions &options, const BackfillSql &st, qint64 rows,
                                              const EmbeddingProvider *provider, const QString &rebuildsPath);

/// "vector-workbench backfill, rebuilding <oid>": what the backfill's connections call themselves
/// while the table's indexes are away, so searches can say why there is none.
QString rebuildingApplicationName(PgConnection &conn, const QString &vectorsTable);

/// "schema.table" of the vector table, as the record of pending rebuilds names it.
QString rebuildTableName(const ContentPair &pair);

/// With the rebuild strategy: records each valid index of `table` ("schema.table"), then drops it
/// CONCURRENTLY (a record that cannot be written drops nothing); an earlier run's invalid build of
/// a recorded one goes too.
Result<void> dropForRebuild(PgConnection &conn, const BackfillIndexPlan &plan, const QString &table, const QString &rebuildsPath,
                            JobContext &ctx);

/// Builds every recorded index of the table again (MaintenanceJob: CONCURRENTLY, memory sized for
/// the graph, live progress under `step`) and clears each record once its index is valid.
/// `rows`: the table's, for sizing memory (its statistics may predate the fill). Returns the
/// build's milliseconds.
Result<qint64> buildRecorded(PgConnection &conn, const QString &vectorsTable, qint64 rows, const QString &rebuildsPath, JobContext &ctx,
                             qint64 done, qint64 total);
} // namespace vwb
