// app/core/DataChange.cpp
#include "core/DataChange.h"

namespace vwb {

QString describe(const DataChange &change)
{
    const QString where = change.table.isEmpty() ? QStringLiteral("the database") : change.table;
    switch (change.kind) {
    case DataChange::Kind::Rows: return QStringLiteral("rows of %1").arg(where);
    case DataChange::Kind::Vectors: return QStringLiteral("vectors of %1").arg(where);
    case DataChange::Kind::Indexes: return QStringLiteral("indexes of %1").arg(where);
    case DataChange::Kind::Schema: return QStringLiteral("schema of %1").arg(where);
    case DataChange::Kind::Storage: return QStringLiteral("storage of %1").arg(where);
    }
    return where;
}
} // namespace vwb
