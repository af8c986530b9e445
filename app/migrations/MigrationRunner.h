// app/migrations/MigrationRunner.h
#pragma once

#include "migrations/MigrationPlan.h"
#include <functional>

namespace vwb {
class PgConnection;

struct MigrationOutcome
{
    int batch = 0;
    QStringList names; // what ran, in order
    bool up = true;
};

/// Reads a ledger (Knex's or the workbench's own) and writes the workbench's own, with Knex's rules
/// and layout, over one connection (not thread-safe: the caller's worker thread owns it). Status
/// never creates or changes a table; running a plan creates the ledger tables the way Knex's
/// ensureTable does when they are missing. Knex's ledger is never written but for freeing its lock.
class MigrationRunner
{
public:
    MigrationRunner(PgConnection &conn, LedgerConfig config = LedgerConfig::workbench());

    Result<MigrationStatus> status(const QList<MigrationFile> &files);
    /// Takes the lock as Knex does (a conditional UPDATE of the lock row; here with FOR UPDATE
    /// NOWAIT first so a concurrent run is reported, not waited for), runs the plan, records or
    /// deletes ledger rows, frees the lock. A failure rolls back what it can and names the file.
    Result<MigrationOutcome> run(const MigrationPlan &plan, const std::function<void(const QString &)> &log = {});
    /// Knex's forceFreeMigrationsLock (knex migrate:unlock): the lock table back to one free row.
    Result<void> forceUnlock();

    static QString lockHeldMessage();
    static QString knexLedgerRefusal(const LedgerConfig &config);
    /// The ledger a folder's migrations are recorded in: the workbench's own for .sql files, Knex's
    /// for a folder of Knex's (.js/.ts) only.
    static LedgerConfig ledgerFor(const QList<MigrationFile> &files);

private:
    Result<MigrationOutcome> runPlan(const MigrationPlan &plan, const std::function<void(const QString &)> &log);
    Result<void> freeLock();
    Result<void> ensureLedger(); // creates the tables; moves .sql rows out of knex_migrations
    Result<void> takeLock();
    Result<void> exec(const QString &sql, const QVariantList &params = {});
    Result<QStringList> appliedNames();
    Result<void> runStep(const MigrationStep &step, int batch);
    Result<MigrationOutcome> runInOneTransaction(MigrationPlan plan, const std::function<void(const QString &)> &log);
    Result<MigrationOutcome> runStepByStep(MigrationPlan plan, const std::function<void(const QString &)> &log);
    /// Drops steps another run completed (or undid) meanwhile, as Knex re-reads under the lock.
    Result<QList<MigrationStep>> stillNeeded(const MigrationPlan &plan);
    Result<int> latestBatch();

    PgConnection &m_conn;
    LedgerConfig m_config;
    QString m_ledger; // escaped, schema-qualified
    QString m_lock;
};
} // namespace vwb
