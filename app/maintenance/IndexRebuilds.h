// app/maintenance/IndexRebuilds.h
#pragma once

#include "core/LocalSqlite.h"
#include <QDateTime>
#include <optional>

namespace vwb {

/// An ANN index a backfill dropped to fill its table faster, recorded before the drop: until it is
/// built again (by the backfill, its next run, or `vwb index repair NAME`) the record is how it is
/// found and rebuilt exactly as it was.
struct PendingRebuild
{
    QString index;      // "schema.name", unescaped
    QString table;      // "schema.name", unescaped
    QString definition; // pg_get_indexdef
    QDateTime droppedAt;
};

/// The local record of dropped-for-rebuild indexes and of measured backfill rates, per database
/// (SizeHistory::profileKey). SQLite beside the embedding sources; any thread.
class IndexRebuilds
{
public:
    explicit IndexRebuilds(QString path = defaultPath());
    /// $VWB_INDEX_REBUILDS, else $XDG_DATA_HOME/vector-workbench/index-rebuilds.sqlite.
    static QString defaultPath();

    Result<void> recordPending(const QString &profile, const PendingRebuild &p);
    Result<void> clearPending(const QString &profile, const QString &index);
    /// Those of one table ("schema.name"), or all when empty, by index name.
    Result<QList<PendingRebuild>> pending(const QString &profile, const QString &table = {});

    /// Rows per second measured for a column ("schema.table.column") and a kind of work: "fill",
    /// "in-place" (with the provider's id after a colon) or "build".
    Result<void> recordRate(const QString &profile, const QString &column, const QString &kind, double rowsPerSecond);
    Result<std::optional<double>> rate(const QString &profile, const QString &column, const QString &kind);

private:
    LocalSqlite m_db;
};
} // namespace vwb
