// app/migrations/MigrationRunner.cpp
#include "migrations/MigrationRunner.h"

#include "connection/PgConnection.h"
#include "core/AuditLog.h"
#include "migrations/SqlScript.h"

namespace vwb {

MigrationRunner::MigrationRunner(PgConnection &conn, LedgerConfig config)
    : m_conn(conn), m_config(std::move(config)), m_ledger(knexledger::qualified(conn, m_config, m_config.tableName)),
      m_lock(knexledger::qualified(conn, m_config, m_config.lockTableName()))
{
}

QString MigrationRunner::lockHeldMessage()
{
    return QStringLiteral("Can't take lock to run migrations: Migration table is already locked");
}

Result<void> MigrationRunner::exec(const QString &sql, const QVariantList &params)
{
    auto r = params.isEmpty() ? m_conn.execScript(sql) : m_conn.exec(sql, params);
    if (!r.ok())
        return r.error();
    return {};
}

Result<MigrationStatus> MigrationRunner::status(const QList<MigrationFile> &files)
{
    auto ledger = knexledger::read(m_conn, m_config);
    if (!ledger.ok())
        return ledger.error();
    if (m_config.isKnexLedger())
        return classifyMigrations(files, ledger.value());
    auto knex = knexledger::read(m_conn, LedgerConfig::knex(m_config.schemaName));
    if (!knex.ok())
        return knex.error();
    return classifyBesideKnex(files, ledger.value(), knex.value());
}

LedgerConfig MigrationRunner::ledgerFor(const QList<MigrationFile> &files)
{
    const bool sql = std::any_of(files.begin(), files.end(), [](const MigrationFile &f) { return f.isSql(); });
    return sql || files.isEmpty() ? LedgerConfig::workbench() : LedgerConfig::knex();
}

QString MigrationRunner::knexLedgerRefusal(const LedgerConfig &config)
{
    return QStringLiteral("%1 is Knex's ledger: the workbench never records a migration there, since the project's "
                          "Knex could not load it and would call its migration folder corrupt. The workbench's own "
                          "migrations go to vwb_migrations; for a Knex project write them as Knex migrations "
                          "(vwb migrate export --project DIR)")
        .arg(config.tableName);
}

Result<void> MigrationRunner::ensureLedger()
{
    // Knex's ensureTable, with an advisory lock so two first runs don't both insert a lock row.
    // Rows an earlier workbench recorded in Knex's ledger move into its own in the same
    // transaction, in their order, with their batches and times: Knex's ledger is whole again.
    const QString knex = knexledger::qualified(m_conn, LedgerConfig::knex(m_config.schemaName), QStringLiteral("knex_migrations"));
    auto legacy = m_conn.exec(QStringLiteral("SELECT to_regclass($1) IS NOT NULL"), {knex});
    if (!legacy.ok())
        return legacy.error();
    QString sql = QStringLiteral("BEGIN;\nSELECT pg_advisory_xact_lock(hashtext('vwb:knex-ledger'));\n");
    if (!m_config.schemaName.isEmpty())
        sql += QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1;\n").arg(m_conn.escapeIdentifier(m_config.schemaName));
    sql += QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (id serial PRIMARY KEY, name varchar(255), batch integer, "
                          "migration_time timestamptz);\n"
                          "CREATE TABLE IF NOT EXISTS %2 (index serial PRIMARY KEY, is_locked integer);\n"
                          "INSERT INTO %2 (is_locked) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM %2);\n")
               .arg(m_ledger, m_lock);
    if (legacy.value().scalar() == QLatin1String("t"))
        sql += QStringLiteral("INSERT INTO %1 (name, batch, migration_time) SELECT name, batch, migration_time "
                              "FROM %2 WHERE name LIKE '%.sql' ORDER BY id;\n"
                              "DELETE FROM %2 WHERE name LIKE '%.sql';\n")
                   .arg(m_ledger, knex);
    if (auto r = exec(sql + QStringLiteral("COMMIT;")); !r.ok()) {
        (void)m_conn.execScript(QStringLiteral("ROLLBACK"));
        return r.error().withContext(QStringLiteral("creating the ledger tables"));
    }
    return {};
}

Result<void> MigrationRunner::takeLock()
{
    auto row = m_conn.exec(QStringLiteral("SELECT is_locked FROM %1 FOR UPDATE NOWAIT").arg(m_lock));
    if (!row.ok()) {
        if (row.error().sqlState == QLatin1String("55P03")) // lock_not_available: another run holds it now
            return Error{Error::Kind::Sql, lockHeldMessage(), QStringLiteral("55P03"),
                         QStringLiteral("another migration run holds the lock row")};
        return row.error();
    }
    auto taken = m_conn.exec(QStringLiteral("UPDATE %1 SET is_locked = 1 WHERE is_locked = 0").arg(m_lock));
    if (!taken.ok())
        return taken.error();
    if (taken.value().affectedRows != 1)
        return Error{Error::Kind::Sql, lockHeldMessage(), QStringLiteral("55P03"),
                     QStringLiteral("If you are sure migrations are not running you can release the lock manually "
                                    "by running 'vwb migrate unlock' (or 'knex migrate:unlock')")};
    return {};
}

Result<QStringList> MigrationRunner::appliedNames()
{
    auto rows = m_conn.exec(QStringLiteral("SELECT name FROM %1 ORDER BY id").arg(m_ledger));
    if (!rows.ok())
        return rows.error();
    QStringList names;
    for (const QStringList &r : rows.value().rows)
        names << r.first();
    return names;
}

Result<int> MigrationRunner::latestBatch()
{
    auto r = m_conn.exec(QStringLiteral("SELECT coalesce(max(batch), 0) FROM %1").arg(m_ledger));
    if (!r.ok())
        return r.error();
    return r.value().scalar().toInt();
}

Result<QList<MigrationStep>> MigrationRunner::stillNeeded(const MigrationPlan &plan)
{
    auto applied = appliedNames();
    if (!applied.ok())
        return applied.error();
    QList<MigrationStep> steps;
    for (const MigrationStep &s : plan.steps) {
        if (applied.value().contains(s.name) != s.up)
            steps << s;
    }
    return steps;
}

Result<void> MigrationRunner::runStep(const MigrationStep &step, int batch)
{
    if (step.inTransaction) {
        if (auto r = exec(step.sql); !r.ok())
            return r;
    } else {
        for (const QString &statement : splitSqlStatements(step.sql)) {
            if (auto r = exec(statement); !r.ok())
                return r;
        }
    }
    if (step.up)
        return exec(QStringLiteral("INSERT INTO %1 (name, batch, migration_time) VALUES ($1, $2, clock_timestamp())").arg(m_ledger),
                    {step.name, batch});
    return exec(QStringLiteral("DELETE FROM %1 WHERE name = $1").arg(m_ledger), {step.name});
}

Result<MigrationOutcome> MigrationRunner::run(const MigrationPlan &plan, const std::function<void(const QString &)> &log)
{
    QStringList names;
    for (const MigrationStep &step : plan.steps)
        names << step.name;
    AuditedWrite audit(m_conn.profile().name, plan.isUp() ? QStringLiteral("migrate up") : QStringLiteral("migrate down"),
                       QStringLiteral("%1 in %2: %3")
                           .arg(names.isEmpty() ? QStringLiteral("nothing to run") : QStringLiteral("%1 migration(s)").arg(names.size()),
                                m_ledger, names.join(QStringLiteral(", "))));
    auto outcome = runPlan(plan, log);
    audit.finish(outcome, outcome.ok() ? outcome.value().names.size() : -1);
    return outcome;
}

Result<MigrationOutcome> MigrationRunner::runPlan(const MigrationPlan &plan, const std::function<void(const QString &)> &log)
{
    if (m_conn.isWriteLocked())
        return Error::invalid(QStringLiteral("Profile \"%1\" is production and read-only in this session: unlock "
                                             "writes before migrating")
                                  .arg(m_conn.profile().name));
    if (m_config.isKnexLedger())
        return Error::invalid(knexLedgerRefusal(m_config));
    // Even with nothing to run, Knex creates the ledger and takes (and frees) the lock, so a held
    // lock is reported rather than "Already up to date".
    if (auto ledger = ensureLedger(); !ledger.ok())
        return ledger.error();
    return plan.singleTransaction ? runInOneTransaction(plan, log) : runStepByStep(plan, log);
}

Result<MigrationOutcome> MigrationRunner::runInOneTransaction(MigrationPlan plan, const std::function<void(const QString &)> &log)
{
    auto fail = [this](const Error &e, const QString &file) -> Error {
        (void)m_conn.execScript(QStringLiteral("ROLLBACK"));
        return file.isEmpty() ? e : e.withContext(QStringLiteral("migration file \"%1\" failed").arg(file));
    };
    if (auto r = exec(QStringLiteral("BEGIN")); !r.ok())
        return r.error();
    if (auto lock = takeLock(); !lock.ok())
        return fail(lock.error(), {});
    auto steps = stillNeeded(plan);
    if (!steps.ok())
        return fail(steps.error(), {});
    auto batch = latestBatch();
    if (!batch.ok())
        return fail(batch.error(), {});
    MigrationOutcome outcome{plan.isUp() ? batch.value() + 1 : batch.value(), {}, plan.isUp()};
    for (const MigrationStep &step : steps.value()) {
        if (log)
            log(QStringLiteral("%1 %2").arg(step.up ? QStringLiteral("migrating") : QStringLiteral("rolling back"), step.name));
        if (auto r = runStep(step, outcome.batch); !r.ok())
            return fail(r.error(), step.name);
        outcome.names << step.name;
    }
    if (auto r = exec(QStringLiteral("UPDATE %1 SET is_locked = 0").arg(m_lock)); !r.ok())
        return fail(r.error(), {});
    if (auto r = exec(QStringLiteral("COMMIT")); !r.ok())
        return fail(r.error(), {});
    return outcome;
}

Result<MigrationOutcome> MigrationRunner::runStepByStep(MigrationPlan plan, const std::function<void(const QString &)> &log)
{
    // Knex without a transaction for all: the lock is committed on its own first, so a run
    // killed midway leaves it held (and `migrate unlock` frees it), exactly as Knex does.
    if (auto r = exec(QStringLiteral("BEGIN")); !r.ok())
        return r.error();
    if (auto lock = takeLock(); !lock.ok()) {
        (void)m_conn.execScript(QStringLiteral("ROLLBACK"));
        return lock.error();
    }
    if (auto r = exec(QStringLiteral("COMMIT")); !r.ok())
        return r.error();
    auto freeLock = [this] { return exec(QStringLiteral("UPDATE %1 SET is_locked = 0").arg(m_lock)); };

    auto steps = stillNeeded(plan);
    auto batch = latestBatch();
    if (!steps.ok() || !batch.ok()) {
        (void)freeLock();
        return !steps.ok() ? steps.error() : batch.error();
    }
    MigrationOutcome outcome{plan.isUp() ? batch.value() + 1 : batch.value(), {}, plan.isUp()};
    for (const MigrationStep &step : steps.value()) {
        if (log)
            log(QStringLiteral("%1 %2").arg(step.up ? QStringLiteral("migrating") : QStringLiteral("rolling back"), step.name));
        Result<void> ran = step.inTransaction ? exec(QStringLiteral("BEGIN")) : Result<void>();
        if (ran.ok())
            ran = runStep(step, outcome.batch);
        if (ran.ok() && step.inTransaction)
            ran = exec(QStringLiteral("COMMIT"));
        if (!ran.ok()) {
            if (step.inTransaction)
                (void)m_conn.execScript(QStringLiteral("ROLLBACK"));
            (void)freeLock(); // Knex frees the lock on any error but a lock error
            return ran.error().withContext(QStringLiteral("migration file \"%1\" failed").arg(step.name));
        }
        outcome.names << step.name;
    }
    if (auto r = freeLock(); !r.ok())
        return r.error();
    return outcome;
}

Result<void> MigrationRunner::forceUnlock()
{
    AuditedWrite audit(m_conn.profile().name, QStringLiteral("free the migration lock"), QStringLiteral("%1: is_locked = 0").arg(m_lock));
    auto freed = freeLock();
    audit.finish(freed);
    return freed;
}

Result<void> MigrationRunner::freeLock()
{
    if (m_conn.isWriteLocked())
        return Error::invalid(QStringLiteral("Profile \"%1\" is production and read-only in this session: unlock "
                                             "writes before releasing the migration lock")
                                  .arg(m_conn.profile().name));
    auto exists = m_conn.exec(QStringLiteral("SELECT to_regclass($1) IS NOT NULL"), {m_lock});
    if (!exists.ok())
        return exists.error();
    if (exists.value().scalar() != QLatin1String("t"))
        return {}; // Knex does nothing without a lock table
    auto r = exec(QStringLiteral("BEGIN; DELETE FROM %1; INSERT INTO %1 (is_locked) VALUES (0); COMMIT;").arg(m_lock));
    if (!r.ok())
        (void)m_conn.execScript(QStringLiteral("ROLLBACK"));
    return r;
}
} // namespace vwb
