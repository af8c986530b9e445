// app/migrations/KnexLedger.h
#pragma once

#include "core/Result.h"
#include <QDateTime>
#include <QList>
#include <QString>

namespace vwb {
class PgConnection;

/// Where a ledger lives: `tableName` (the lock table is `<tableName>_lock`) and `schemaName`
/// (default: none, i.e. the search_path). Two ledgers of the same layout and rules exist: Knex's
/// (knex_migrations, or the tableName a knexfile sets), which the workbench reads and whose lock it
/// may free but where it never records a migration — the project's Knex could not load a .sql
/// name and would call its folder corrupt — and the workbench's own (vwb_migrations), for its SQL
/// migrations on databases no Knex project manages, such as the sandbox.
struct LedgerConfig
{
    QString tableName = QStringLiteral("vwb_migrations");
    QString schemaName;
    bool knexOwned = false; // read from a knexfile: Knex's, whatever its name
    QString lockTableName() const { return tableName + QStringLiteral("_lock"); }
    bool isKnexLedger() const { return knexOwned || tableName == QLatin1String("knex_migrations"); }
    static LedgerConfig workbench() { return {}; }
    static LedgerConfig knex(const QString &schema = {}) { return {QStringLiteral("knex_migrations"), schema, true}; }
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
/// How many rows of knex_migrations a Knex project recorded (names other than the workbench's
/// .sql ones): more than none means a Knex project owns this database's schema. 0 without the table.
Result<int> projectMigrationCount(PgConnection &conn);
/// "schema"."table", or "table" when no schema is configured; escaped through libpq.
QString qualified(PgConnection &conn, const LedgerConfig &config, const QString &table);
} // namespace knexledger
} // namespace vwb
