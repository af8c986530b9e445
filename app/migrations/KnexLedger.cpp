// app/migrations/KnexLedger.cpp
#include "migrations/KnexLedger.h"

#include "connection/PgConnection.h"

namespace vwb::knexledger {

QString qualified(PgConnection &conn, const LedgerConfig &config, const QString &table)
{
    const QString name = conn.escapeIdentifier(table);
    return config.schemaName.isEmpty() ? name : conn.escapeIdentifier(config.schemaName) + QLatin1Char('.') + name;
}

Result<int> projectMigrationCount(PgConnection &conn)
{
    auto exists = conn.exec(QStringLiteral("SELECT to_regclass('knex_migrations') IS NOT NULL"));
    if (!exists.ok())
        return exists.error();
    if (exists.value().scalar() != QLatin1String("t"))
        return 0;
    auto n = conn.exec(QStringLiteral("SELECT count(*) FROM knex_migrations WHERE name NOT LIKE '%.sql'"));
    if (!n.ok())
        return n.error();
    return n.value().scalar().toInt();
}

Result<LedgerSnapshot> read(PgConnection &conn, const LedgerConfig &config)
{
    LedgerSnapshot snap;
    // to_regclass resolves through the search_path like Knex's hasTable does without a schema.
    auto exists = conn.exec(QStringLiteral("SELECT to_regclass($1) IS NOT NULL, to_regclass($2) IS NOT NULL"),
                            {qualified(conn, config, config.tableName), qualified(conn, config, config.lockTableName())});
    if (!exists.ok())
        return exists.error().withContext(QStringLiteral("looking for the ledger tables"));
    snap.tableExists = exists.value().value(0, 0) == QLatin1String("t");
    snap.lockTableExists = exists.value().value(0, 1) == QLatin1String("t");
    if (snap.tableExists) {
        auto rows = conn.exec(QStringLiteral("SELECT id, name, batch, to_char(migration_time AT TIME ZONE 'UTC', "
                                             "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM %1 ORDER BY id")
                                  .arg(qualified(conn, config, config.tableName)));
        if (!rows.ok())
            return rows.error().withContext(QStringLiteral("reading %1").arg(config.tableName));
        for (const QStringList &r : rows.value().rows)
            snap.rows.append({r.at(0).toLongLong(), r.at(1), r.at(2).toInt(),
                              r.at(3).isNull() ? QDateTime() : QDateTime::fromString(r.at(3), Qt::ISODateWithMs)});
    }
    if (snap.lockTableExists) {
        auto rows = conn.exec(
            QStringLiteral("SELECT index, is_locked FROM %1 ORDER BY index").arg(qualified(conn, config, config.lockTableName())));
        if (!rows.ok())
            return rows.error().withContext(QStringLiteral("reading %1").arg(config.lockTableName()));
        for (const QStringList &r : rows.value().rows)
            snap.lockRows.append({r.at(0).toLongLong(), r.at(1)});
    }
    return snap;
}
} // namespace vwb::knexledger
