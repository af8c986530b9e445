// app/connection/QueryResult.h
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace vwb {

/// A statement's rows as text (libpq's text format) with their column names and type oids.
/// A NULL is a null QString (isNull()), an empty string is empty but not null.
class QueryResult
{
public:
    QStringList columns;
    QList<unsigned int> columnTypes; // pg_type oids
    QList<QStringList> rows;
    QString commandTag;      // "SELECT 3", "INSERT 0 1", ...
    qint64 affectedRows = 0; // PQcmdTuples, 0 when not a count
    QStringList notices;     // server NOTICE/WARNING messages raised by this statement

    int rowCount() const { return int(rows.size()); }
    int column(const QString &name) const { return int(columns.indexOf(name)); }
    QString value(int row, int col) const { return rows.at(row).at(col); }
    QString value(int row, const QString &name) const { return rows.at(row).at(column(name)); }
    bool isNull(int row, int col) const { return rows.at(row).at(col).isNull(); }
    /// The first column of the first row, or a null string when there is none.
    QString scalar() const { return rows.isEmpty() || rows.first().isEmpty() ? QString() : rows.first().first(); }
};
} // namespace vwb
