// app/search/IndexUse.h
#pragma once

#include "connection/QueryResult.h"
#include "schema/DatabaseSchema.h"
#include <QString>
#include <functional>
#include <optional>

namespace vwb {

/// Which ANN index on a column served a search, read from the index-scan counters of the
/// search's own transaction (pg_stat_get_xact_numscans) before and after its SELECT: what the
/// executor did, for the price of a counter read, instead of planning the statement again with
/// EXPLAIN. PostgreSQL folds these counters into its statistics only between transactions, so
/// inside one the difference is exactly this transaction's scans.
class IndexUse
{
public:
    IndexUse(const TableRef &vectors, const VectorColumn &column, const std::function<QString(const QString &)> &quoteIdentifier);
    /// A SELECT of track_counts and each ANN index's scans so far; no parameters, so it rides in
    /// the same script as the transaction's settings and its ROLLBACK.
    QString countsSql() const;
    /// The index the SELECT scanned between the two readings of countsSql(): its name, or an empty
    /// string when it scanned none; nullopt when the counters can't tell (track_counts off, or a
    /// reading that does not fit), and the caller asks EXPLAIN instead.
    std::optional<QString> used(const QueryResult &before, const QueryResult &after) const;
    /// The ANN (hnsw, ivfflat) indexes of the column, in countsSql()'s order.
    const QStringList &indexes() const { return m_names; }

private:
    QStringList m_names;
    QStringList m_regclasses; // 'schema.index' literals
};
} // namespace vwb
