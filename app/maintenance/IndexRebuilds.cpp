// app/maintenance/IndexRebuilds.cpp
#include "maintenance/IndexRebuilds.h"


namespace vwb {

IndexRebuilds::IndexRebuilds(QString path)
    : m_db(std::move(path), QStringLiteral("Index rebuilds"), QStringLiteral("index-rebuilds"), [](QSqlDatabase &db) {
          return LocalSqlite::createTables(db, 1,
                                           {"CREATE TABLE IF NOT EXISTS pending (profile TEXT NOT NULL, index_name TEXT NOT NULL, "
                                            "table_name TEXT NOT NULL, definition TEXT NOT NULL, dropped_at INTEGER NOT NULL, "
                                            "PRIMARY KEY (profile, index_name))",
                                            "CREATE TABLE IF NOT EXISTS rates (profile TEXT NOT NULL, column_name TEXT NOT NULL, "
                                            "kind TEXT NOT NULL, rows_per_second REAL NOT NULL, measured_at INTEGER NOT NULL, "
                                            "PRIMARY KEY (profile, column_name, kind))"},
                                           QStringLiteral("Index rebuilds"));
      })
{
}

QString IndexRebuilds::defaultPath()
{
    if (const QString file = qEnvironmentVariable("VWB_INDEX_REBUILDS"); !file.isEmpty())
        return file;
    return LocalSqlite::dataFile(QStringLiteral("index-rebuilds.sqlite"));
}


Result<void> IndexRebuilds::recordPending(const QString &profile, const PendingRebuild &p)
{
    auto q = m_db.run(QStringLiteral("recording %1 before dropping it").arg(p.index),
                      QStringLiteral("INSERT OR REPLACE INTO pending (profile, index_name, table_name, definition, dropped_at) "
                                     "VALUES (?, ?, ?, ?, ?)"),
                      {profile, p.index, p.table, p.definition,
                       (p.droppedAt.isValid() ? p.droppedAt : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch()});
    return q.ok() ? Result<void>() : q.error();
}

Result<void> IndexRebuilds::clearPending(const QString &profile, const QString &index)
{
    auto q = m_db.run(QStringLiteral("clearing %1's record").arg(index),
                      QStringLiteral("DELETE FROM pending WHERE profile = ? AND index_name = ?"), {profile, index});
    return q.ok() ? Result<void>() : q.error();
}

Result<QList<PendingRebuild>> IndexRebuilds::pending(const QString &profile, const QString &table)
{
    auto q = m_db.run(QStringLiteral("reading the indexes to rebuild"),
                      QStringLiteral("SELECT index_name, table_name, definition, dropped_at FROM pending WHERE profile = ? "
                                     "AND (coalesce(?, '') = '' OR table_name = ?) ORDER BY index_name"),
                      {profile, table, table});
    if (!q.ok())
        return q.error();
    QList<PendingRebuild> out;
    while (q.value().next())
        out << PendingRebuild{q.value().value(0).toString(), q.value().value(1).toString(), q.value().value(2).toString(),
                              QDateTime::fromMSecsSinceEpoch(q.value().value(3).toLongLong(), Qt::UTC)};
    return out;
}

Result<void> IndexRebuilds::recordRate(const QString &profile, const QString &column, const QString &kind, double rowsPerSecond)
{
    auto q = m_db.run(QStringLiteral("recording a rate"),
                      QStringLiteral("INSERT OR REPLACE INTO rates (profile, column_name, kind, rows_per_second, measured_at) "
                                     "VALUES (?, ?, ?, ?, ?)"),
                      {profile, column, kind, rowsPerSecond, QDateTime::currentMSecsSinceEpoch()});
    return q.ok() ? Result<void>() : q.error();
}

Result<std::optional<double>> IndexRebuilds::rate(const QString &profile, const QString &column, const QString &kind)
{
    auto q = m_db.run(QStringLiteral("reading a rate"),
                      QStringLiteral("SELECT rows_per_second FROM rates WHERE profile = ? AND column_name = ? AND kind = ?"),
                      {profile, column, kind});
    if (!q.ok())
        return q.error();
    if (!q.value().next())
        return std::optional<double>();
    return std::optional<double>(q.value().value(0).toDouble());
}
} // namespace vwb
