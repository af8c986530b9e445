// app/core/DataChange.h
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace vwb {

/// What a write did to the database, so views showing it can refresh: every write the workbench
/// makes (backfill, import, migration, maintenance, demo seed) raises one through its Session.
struct DataChange
{
    enum class Kind {
        Rows,    // content rows added, changed or removed
        Vectors, // vectors written or removed (coverage, sizes)
        Indexes, // an index built, rebuilt or dropped
        Schema,  // tables or columns changed (the cached schema is read again)
        Storage, // VACUUM / ANALYZE: sizes and statistics
    };
    Kind kind = Kind::Rows;
    QString table; // "schema.table" as TableRef::display() gives it; empty: anywhere in the database

    bool operator==(const DataChange &) const = default;
};

/// A readable name ("vectors of public.topic_vectors"), for logs and status lines.
QString describe(const DataChange &change);
} // namespace vwb

Q_DECLARE_METATYPE(vwb::DataChange)
