// tests/db/tst_migrationrunner.cpp — applying and rolling back against the test cluster, each
// test in its own schema (search_path), the ledger as Knex keeps it.
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include "migrations/MigrationRunner.h"
#include <QProcess>

using namespace vwb;

class TestMigrationRunner : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void statusCreatesNothing();
    void latestAppliesEverythingAsOneBatch();
    void rollbackUndoesTheLastBatchNewestFirst();
    void rollbackAllUndoesInReverseFileOrder();
    void upAndDownByName();
    void failureInOneTransactionLeavesNothingAndFreesTheLock();
    void heldLockIsReportedWithKnexTextAndNothingRuns();
    void heldLockIsReportedEvenWithNothingToRun();
    void unlockFreesAStuckLockAndRepairsAMalformedOne();
    void corruptFolderIsRefused();
    void twoProcessesAtOnceExactlyOneApplies();
    void productionReadOnlyRefusesToMigrate();
    void knexLedgerIsNeverWritten();
    void rowsAnEarlierVersionLeftInKnexLedgerMoveToTheWorkbenchLedger();
    void databaseAKnexProjectManagesIsNotMigratedByTheWorkbench();

private:
    ConnectionProfile profileFor(const QString &schema) const;
    QList<MigrationFile> folder(const QString &name) const;
    QStringList ledgerNames();
    QString m_schema;
    std::unique_ptr<PgConnection> m_conn;
};

ConnectionProfile TestMigrationRunner::profileFor(const QString &schema) const
{
    ConnectionProfile p = test::clusterProfile();
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(schema));
    return p;
}

QList<MigrationFile> TestMigrationRunner::folder(const QString &name) const
{
    auto files = scanMigrations(QStringLiteral(VWB_TEST_DATA "/") + name);
    if (!files.ok())
        qFatal("%s", qPrintable(files.error().message));
    return files.value();
}

QStringList TestMigrationRunner::ledgerNames()
{
    auto r = m_conn->exec(QStringLiteral("SELECT name || ':' || batch FROM vwb_migrations ORDER BY id"));
    if (!r.ok())
        return {r.error().message};
    QStringList out;
    for (const auto &row : r.value().rows)
        out << row.first();
    return out;
}

void TestMigrationRunner::init()
{
    m_schema = QStringLiteral("tst_mig_%1").arg(QString::fromLatin1(QTest::currentTestFunction()).toLower().left(40));
    auto admin = test::connect();
    QVERIFY(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1;").arg(m_schema)).ok());
    auto conn = PgConnection::open(profileFor(m_schema));
    QVERIFY(conn.ok());
    m_conn = std::move(conn).value();
}

void TestMigrationRunner::cleanup()
{
    m_conn.reset();
    auto admin = test::connect();
    QVERIFY(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(m_schema)).ok());
}

void TestMigrationRunner::statusCreatesNothing()
{
    MigrationRunner runner(*m_conn);
    auto status = runner.status(folder(QStringLiteral("migrations-simple")));
    QVERIFY(status.ok());
    QVERIFY(!status.value().ledgerExists);
    QCOMPARE(status.value().lock, LockState::Absent);
    QCOMPARE(status.value().count(MigrationState::Pending), 3);
    auto tables = m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = $1"), {m_schema});
    QCOMPARE(tables.value().scalar(), QStringLiteral("0"));
}

void TestMigrationRunner::latestAppliesEverythingAsOneBatch()
{
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*m_conn);
    auto plan = planMigrations(runner.status(files).value(), files, {MigrationAction::Latest, {}});
    QVERIFY(plan.ok());
    QVERIFY2(!plan.value().singleTransaction, "a transaction:false file makes Knex run each on its own");
    auto outcome = runner.run(plan.value());
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message + outcome.error().detail));
    QCOMPARE(outcome.value().batch, 1);
    QCOMPARE(ledgerNames(), (QStringList{"20250101000000_a.sql:1", "20250102000000_b.sql:1", "20250103000000_c.sql:1"}));
    auto idx = m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE 'mig_%_idx'"),
                            {m_schema});
    QCOMPARE(idx.value().scalar(), QStringLiteral("2"));
    auto status = runner.status(files);
    QCOMPARE(status.value().lock, LockState::Free);
    QCOMPARE(status.value().count(MigrationState::Applied), 3);
    auto again = planMigrations(status.value(), files, {MigrationAction::Latest, {}});
    QVERIFY(again.value().steps.isEmpty());
    QCOMPARE(again.value().nothingToDoMessage(), QStringLiteral("Already up to date"));
}

void TestMigrationRunner::rollbackUndoesTheLastBatchNewestFirst()
{
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*m_conn);
    QVERIFY(runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::To, "20250101000000_a.sql"}).value()).ok());
    QVERIFY(runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::Latest, {}}).value()).ok());
    QCOMPARE(ledgerNames(), (QStringList{"20250101000000_a.sql:1", "20250102000000_b.sql:2", "20250103000000_c.sql:2"}));
    QStringList log;
    auto rolled = runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::Rollback, {}}).value(),
                             [&log](const QString &line) { log << line; });
    QVERIFY(rolled.ok());
    QCOMPARE(rolled.value().names, (QStringList{"20250103000000_c.sql", "20250102000000_b.sql"}));
    QCOMPARE(ledgerNames(), QStringList{"20250101000000_a.sql:1"});
    QCOMPARE(log.size(), 2);
    auto b = m_conn->exec(QStringLiteral("SELECT to_regclass('mig_b') IS NULL"));
    QCOMPARE(b.value().scalar(), QStringLiteral("t"));
}

void TestMigrationRunner::rollbackAllUndoesInReverseFileOrder()
{
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*m_conn);
    // Apply out of file order: c's index needs a and b, so b then a then c in separate batches.
    QVERIFY(runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::Up, "20250102000000_b.sql"}).value()).ok());
    QVERIFY(runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::Up, {}}).value()).ok());
    QCOMPARE(ledgerNames(), (QStringList{"20250102000000_b.sql:1", "20250101000000_a.sql:2"}));
    auto all = runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::RollbackAll, {}}).value());
    QVERIFY(all.ok());
    QCOMPARE(all.value().names, (QStringList{"20250102000000_b.sql", "20250101000000_a.sql"}));
    QCOMPARE(ledgerNames(), QStringList{});
}

void TestMigrationRunner::upAndDownByName()
{
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*m_conn);
    QVERIFY(runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::Latest, {}}).value()).ok());
    auto down = runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::Down, {}}).value());
    QVERIFY(down.ok());
    QCOMPARE(down.value().names, QStringList{"20250103000000_c.sql"});
    auto up = runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::Up, {}}).value());
    QVERIFY(up.ok());
    QCOMPARE(up.value().batch, 2);
    QCOMPARE(ledgerNames().last(), QStringLiteral("20250103000000_c.sql:2"));
}

void TestMigrationRunner::failureInOneTransactionLeavesNothingAndFreesTheLock()
{
    const auto files = folder(QStringLiteral("migrations-failing"));
    MigrationRunner runner(*m_conn);
    auto plan = planMigrations(runner.status(files).value(), files, {MigrationAction::Latest, {}});
    QVERIFY(plan.value().singleTransaction);
    auto outcome = runner.run(plan.value());
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().sqlState, QStringLiteral("22012"));
    QVERIFY2(outcome.error().detail.contains(QLatin1String("migration file \"20250102000000_fails.sql\" failed")),
             qPrintable(outcome.error().detail));
    QCOMPARE(ledgerNames(), QStringList{});
    auto a = m_conn->exec(QStringLiteral("SELECT to_regclass('mig_a') IS NULL"));
    QCOMPARE(a.value().scalar(), QStringLiteral("t"));
    QCOMPARE(runner.status(files).value().lock, LockState::Free);
}

void TestMigrationRunner::heldLockIsReportedWithKnexTextAndNothingRuns()
{
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*m_conn);
    QVERIFY(runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::To, "20250101000000_a.sql"}).value()).ok());
    QVERIFY(m_conn->exec(QStringLiteral("UPDATE vwb_migrations_lock SET is_locked = 1")).ok()); // a run died
    auto status = runner.status(files);
    QCOMPARE(status.value().lock, LockState::Locked);
    auto outcome = runner.run(planMigrations(status.value(), files, {MigrationAction::Latest, {}}).value());
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().message, QStringLiteral("Can't take lock to run migrations: Migration table is already locked"));
    QCOMPARE(ledgerNames(), QStringList{"20250101000000_a.sql:1"});
    QCOMPARE(runner.status(files).value().lock, LockState::Locked); // a lock error never frees the lock
}

void TestMigrationRunner::heldLockIsReportedEvenWithNothingToRun()
{
    // Knex takes the lock before it knows there is nothing to do: a held lock fails the run.
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*m_conn);
    QVERIFY(runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::Latest, {}}).value()).ok());
    QVERIFY(m_conn->exec(QStringLiteral("UPDATE vwb_migrations_lock SET is_locked = 1")).ok());
    auto plan = planMigrations(runner.status(files).value(), files, {MigrationAction::Latest, {}});
    QVERIFY(plan.value().steps.isEmpty());
    auto outcome = runner.run(plan.value());
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().message, MigrationRunner::lockHeldMessage());
}

void TestMigrationRunner::unlockFreesAStuckLockAndRepairsAMalformedOne()
{
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*m_conn);
    QVERIFY(runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::To, "20250101000000_a.sql"}).value()).ok());
    QVERIFY(m_conn->exec(QStringLiteral("INSERT INTO vwb_migrations_lock (is_locked) VALUES (1)")).ok());
    QCOMPARE(runner.status(files).value().lock, LockState::Malformed);
    QVERIFY(runner.forceUnlock().ok());
    auto rows = m_conn->exec(QStringLiteral("SELECT count(*), max(is_locked) FROM vwb_migrations_lock"));
    QCOMPARE(rows.value().value(0, 0), QStringLiteral("1"));
    QCOMPARE(rows.value().value(0, 1), QStringLiteral("0"));
    QCOMPARE(runner.status(files).value().lock, LockState::Free);
}

void TestMigrationRunner::corruptFolderIsRefused()
{
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*m_conn);
    QVERIFY(runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::To, "20250101000000_a.sql"}).value()).ok());
    QVERIFY(m_conn
                ->exec(QStringLiteral("INSERT INTO vwb_migrations (name, batch, migration_time) VALUES "
                                      "('20240101000000_gone.js', 1, now())"))
                .ok());
    auto status = runner.status(files);
    QCOMPARE(status.value().names(MigrationState::Missing), QStringList{"20240101000000_gone.js"});
    auto plan = planMigrations(status.value(), files, {MigrationAction::Latest, {}});
    QVERIFY(!plan.ok());
    QCOMPARE(plan.error().message, QStringLiteral("The migration directory is corrupt, the following files are "
                                                  "missing: 20240101000000_gone.js"));
}

void TestMigrationRunner::twoProcessesAtOnceExactlyOneApplies()
{
    ConnectionProfile p = profileFor(m_schema);
    const QString url = toDatabaseUrl(p.params, false);
    const QStringList args{QStringLiteral("migrate"), QStringLiteral("latest"),
                           QStringLiteral("--url"),   url,
                           QStringLiteral("--dir"),   QStringLiteral(VWB_TEST_DATA "/migrations-blocking")};
    auto blocker = test::connect();
    QVERIFY(blocker->exec(QStringLiteral("SELECT pg_advisory_lock(4242)")).ok());

    QProcess first;
    first.start(QStringLiteral(VWB_CLI), args);
    QVERIFY(first.waitForStarted());
    // Wait until the first run holds the Knex lock and sits on the advisory lock inside its batch.
    QTRY_COMPARE_WITH_TIMEOUT(blocker
                                  ->exec(QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                                        "AND objid = 4242 AND NOT granted"))
                                  .value()
                                  .scalar(),
                              QStringLiteral("1"), 15000);
    QProcess second;
    second.start(QStringLiteral(VWB_CLI), args);
    QVERIFY(second.waitForFinished(15000));
    QCOMPARE(second.exitCode(), 1);
    const QString secondErr = QString::fromUtf8(second.readAllStandardError());
    QVERIFY2(secondErr.contains(QLatin1String("Migration table is already locked")), qPrintable(secondErr));
    QVERIFY(secondErr.contains(QLatin1String("vwb migrate unlock")));

    QVERIFY(blocker->exec(QStringLiteral("SELECT pg_advisory_unlock(4242)")).ok());
    QVERIFY(first.waitForFinished(15000));
    QCOMPARE(first.exitCode(), 0);
    QVERIFY(QString::fromUtf8(first.readAllStandardOutput()).contains(QLatin1String("Batch 1 run: 1 migrations")));
    QCOMPARE(ledgerNames(), QStringList{"20250101000000_waits_for_the_test.sql:1"});
}

void TestMigrationRunner::productionReadOnlyRefusesToMigrate()
{
    ConnectionProfile p = profileFor(m_schema);
    p.name = QStringLiteral("prod-migrate");
    p.production = true;
    p.params.sslmode = QStringLiteral("require");
    auto conn = PgConnection::open(p);
    QVERIFY(conn.ok());
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*conn.value());
    auto outcome = runner.run(planMigrations(runner.status(files).value(), files, {MigrationAction::Latest, {}}).value());
    QVERIFY(!outcome.ok());
    // The workbench's own refusal, before any statement: the server's would also say "read-only".
    QVERIFY2(
        outcome.error().message.contains(QLatin1String("is production and read-only in this session: unlock writes before migrating")),
        qPrintable(outcome.error().message));
    QVERIFY(outcome.error().sqlState.isEmpty());
    QVERIFY(!runner.status(files).value().ledgerExists);
    QVERIFY(!runner.forceUnlock().ok());
}

void TestMigrationRunner::knexLedgerIsNeverWritten()
{
    const auto files = folder(QStringLiteral("migrations-simple"));
    for (const LedgerConfig &ledger : {LedgerConfig::knex(), LedgerConfig{QStringLiteral("app_migrations"), {}, true}}) {
        MigrationRunner runner(*m_conn, ledger);
        auto plan = planMigrations(runner.status(files).value(), files, {MigrationAction::Latest, {}});
        QVERIFY(plan.ok());
        auto outcome = runner.run(plan.value());
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().message, MigrationRunner::knexLedgerRefusal(ledger));
        auto tables = m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname = $1"), {m_schema});
        QCOMPARE(tables.value().scalar(), QStringLiteral("0")); // not even the ledger tables were made
    }
}

void TestMigrationRunner::rowsAnEarlierVersionLeftInKnexLedgerMoveToTheWorkbenchLedger()
{
    // What earlier versions did: the workbench's .sql names in Knex's own ledger.
    QVERIFY(m_conn
                ->execScript(QStringLiteral(
                    "CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz);"
                    "CREATE TABLE knex_migrations_lock (index serial PRIMARY KEY, is_locked integer);"
                    "INSERT INTO knex_migrations_lock (is_locked) VALUES (0);"
                    "CREATE TABLE mig_a (id int); CREATE TABLE mig_b (id int);"
                    "INSERT INTO knex_migrations (name, batch, migration_time) VALUES "
                    "('20250101000000_a.sql', 1, '2026-01-01T00:00:00Z'), ('20250102000000_b.sql', 1, '2026-01-01T00:00:01Z');"))
                .ok());
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*m_conn);
    auto status = runner.status(files);
    QVERIFY(status.ok());
    QCOMPARE(status.value().names(MigrationState::Applied), (QStringList{"20250101000000_a.sql", "20250102000000_b.sql"}));
    QCOMPARE(status.value().names(MigrationState::Pending), QStringList{"20250103000000_c.sql"});
    QCOMPARE(status.value().legacyRows, (QStringList{"20250101000000_a.sql", "20250102000000_b.sql"}));
    QCOMPARE(status.value().knexMigrations, 0);
    QVERIFY(std::any_of(status.value().problems.begin(), status.value().problems.end(),
                        [](const QString &p) { return p.contains(QLatin1String("call its folder corrupt")); }));
    QVERIFY(!status.value().ledgerExists); // status changed nothing

    auto outcome = runner.run(planMigrations(status.value(), files, {MigrationAction::Latest, {}}).value());
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
    QCOMPARE(outcome.value().names, QStringList{"20250103000000_c.sql"});
    QCOMPARE(outcome.value().batch, 2);
    QCOMPARE(ledgerNames(), (QStringList{"20250101000000_a.sql:1", "20250102000000_b.sql:1", "20250103000000_c.sql:2"}));
    QCOMPARE(m_conn->exec(QStringLiteral("SELECT count(*) FROM knex_migrations")).value().scalar(), QStringLiteral("0"));
    auto times = m_conn->exec(QStringLiteral("SELECT to_char(migration_time AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
                                             "FROM vwb_migrations ORDER BY id LIMIT 1"));
    QCOMPARE(times.value().scalar(), QStringLiteral("2026-01-01 00:00:00")); // moved as they were
    QVERIFY(runner.status(files).value().legacyRows.isEmpty());
}

void TestMigrationRunner::databaseAKnexProjectManagesIsNotMigratedByTheWorkbench()
{
    QVERIFY(m_conn
                ->execScript(QStringLiteral(
                    "CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz);"
                    "INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('20240101120000_create_authors.js', 1, now());"))
                .ok());
    const auto files = folder(QStringLiteral("migrations-simple"));
    MigrationRunner runner(*m_conn);
    auto status = runner.status(files);
    QVERIFY(status.ok());
    QCOMPARE(status.value().knexMigrations, 1);
    QCOMPARE(status.value().lastKnexMigration, QStringLiteral("20240101120000_create_authors.js"));
    QCOMPARE(status.value().count(MigrationState::Missing), 0); // Knex's rows are Knex's, not missing files here
    auto plan = planMigrations(status.value(), files, {MigrationAction::Latest, {}});
    QVERIFY(!plan.ok());
    QCOMPARE(plan.error().message, knexManagedMessage(status.value()));
    QVERIFY2(plan.error().message.contains(QLatin1String("vwb migrate export --project")), qPrintable(plan.error().message));
    QVERIFY(!runner.status(files).value().ledgerExists);
}

QTEST_GUILESS_MAIN(TestMigrationRunner)
#include "tst_migrationrunner.moc"
