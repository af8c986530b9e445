// app/embeddings/ColumnStatus.h
#pragma once

#include "embeddings/ColumnInUse.h"
#include "embeddings/EmbeddingSources.h"
#include "schema/DatabaseSchema.h"

namespace vwb {
class ConnectionProfile;
class PgConnection;

/// Where one vector column of a content table stands in a model change: how many content rows
/// have a vector in it, which provider, model and text filled it last (the local record), and
/// whether the workbench searches with it.
struct ColumnStatus
{
    VectorColumn column;
    qint64 rows = 0;   // content rows
    qint64 filled = 0; // content rows with a vector in this column
    std::optional<EmbeddingSource> source;
    bool inUse = false;

    qint64 missing() const { return rows - filled; }
    /// "filled 4,980 of 5,000 · lexical lexical-stem-v1, 1536 dimensions, of {content}"
    QString describe() const;
};

/// Every vector column of the pair with its fill (one pass over each table), its recorded source
/// (`sourcesPath`, empty: none read) and whether it is `inUse` (the first column when none is).
Result<QList<ColumnStatus>> columnStatuses(PgConnection &conn, const ContentPair &pair, const QString &sourcesPath,
                                           const std::optional<ColumnInUse> &inUse);

/// The column in use for the pair's table on this database: ColumnInUse keyed as the other local
/// records are (SizeHistory::profileKey: a profile's name, or the target of a --url), in the
/// settings file at `settingsPath`.
std::optional<ColumnInUse> loadColumnInUse(const QString &settingsPath, const ConnectionProfile &profile, const ContentPair &pair);
Result<void> saveColumnInUse(const QString &settingsPath, const ConnectionProfile &profile, const ContentPair &pair,
                             const std::optional<ColumnInUse> &use); // nullopt: back to the first column

/// The provider that embeds queries for `column`: the switch's when the column is the one in use,
/// else the one that filled it (the record), else `fallback` (the profile's provider).
QString queryProviderOf(const ColumnStatus &column, const std::optional<ColumnInUse> &use, const QString &fallback);

/// The provider name that last filled the pair's `column` on this database (the local record at
/// `sourcesPath`), empty when nothing records it: what a query of that column is embedded by.
QString recordedProviderOf(const ConnectionProfile &profile, const ContentPair &pair, const QString &column, const QString &sourcesPath);

/// Switches the workbench's searches of the pair to `column`, queried through `provider` (empty:
/// the provider the column was last filled by, from `status`). Refused for a column the table
/// lacks, for a provider that didn't fill it (when the record says which did), and while rows
/// have no vector in it unless `allowMissing` — a search would never find them.
Result<ColumnInUse> switchColumn(const QList<ColumnStatus> &status, const QString &column, const QString &provider, bool allowMissing);
} // namespace vwb
