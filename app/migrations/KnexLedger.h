// app/migrations/KnexLedger.h
#pragma once

#include "core/Result.h"
#include <QDateTime>
#include <QList>
#include <QString>

namespace vwb {
class PgConnection;

/// Where the ledger lives: Knex's `tableName` (default knex_migrations; the lock table is
/// `<tableName>_lock`) and `schemaName` (default: none, i.e. the search_path).
struct LedgerConfig
{
    QString tableName = QStringLiteral("knex_migrations");
    QString schemaName;
    QString lockTableName() const { return tableName + QStringLiteral("_lock"); }
};

struct LedgerRow
{
    qint64 id = 0;
    QString name;
    int batch = 0;
    QDateTime migrationTime; // null when the column is NULL
};

struct LockRow
{
    qint64 index = 0;
    QString isLocked; // as stored: "0", "1", another number, or null
};

/// What the ledger tables hold, read without creating or changing anything.
struct LedgerSnapshot
{
    bool tableExists = false;
    bool lockTableExists = false;
    QList<LedgerRow> rows;   // ordered by id, as Knex's listCompleted
    QList<LockRow> lockRows; // ordered by index
};

namespace knexledger {
/// Reads both tables; a missing table is reported, never created. Plain SELECTs only.
Result<LedgerSnapshot> read(PgConnection &conn, const LedgerConfig &config);
/// "schema"."table", or "table" when no schema is configured; escaped through libpq.
QString qualified(PgConnection &conn, const LedgerConfig &config, const QString &table);
} // namespace knexledger
} // namespace vwb
