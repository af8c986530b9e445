// app/maintenance/IndexList.h
#pragma once

#include "core/Result.h"
#include "schema/DatabaseSchema.h"
#include <QJsonObject>
#include <QStringList>

namespace vwb {
class PgConnection;

/// One index as the catalog and the statistics see it.
struct IndexInfo
{
    QString schema;
    QString name;
    QString table;         // schema-qualified unless public
    QString method;        // btree, hnsw, ivfflat, ...
    QStringList opclasses; // one per key column: vector_cosine_ops, int4_ops, ...
    QString definition;    // pg_get_indexdef
    qint64 sizeBytes = 0;
    bool valid = true;   // false: a failed concurrent build left it; maintained, never used
    bool unique = false; // unique or primary key
    qint64 scans = 0;    // idx_scan since the statistics were last reset
    QJsonObject toJson() const;
    /// "schema.name", or the bare name in public.
    QString display() const;
    bool isAnn() const { return isAnnMethod(method); }
};

/// A header and one line per index (name, table, method, size, scans, operator classes; invalid
/// ones flagged with the repair command): what `vwb index list` and `vwb sizes` print.
QStringList indexTableLines(const QList<IndexInfo> &indexes);

/// Every index of the tables in these schemas (all but the system ones when empty), by table and
/// name. Read-only and cheap: catalog and statistics views only.
Result<QList<IndexInfo>> listIndexes(PgConnection &conn, const QStringList &schemas = {});
} // namespace vwb
