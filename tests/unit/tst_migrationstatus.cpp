// tests/unit/tst_migrationstatus.cpp — Knex ledger classification and plans, no server.
#include "migrations/MigrationPlan.h"
#include "migrations/MigrationStatus.h"
#include <QTest>

using namespace vwb;

Q_DECLARE_METATYPE(vwb::LedgerSnapshot)

class TestMigrationStatus : public QObject
{
    Q_OBJECT
private slots:
    void classifiesFilesAgainstTheLedger_data();
    void classifiesFilesAgainstTheLedger();
    void lockState_data();
    void lockState();
    void nextRollbackIsTheLastBatchNewestFirst();
    void duplicateLedgerRowsAreReported();
    void plansFollowKnex_data();
    void plansFollowKnex();
    void corruptFolderRefusesEveryPlanWithKnexText();
    void javascriptMigrationsAreRefusedWithWhereToRunThem();
};

namespace {
QList<MigrationFile> files(const QStringList &names)
{
    QList<MigrationFile> out;
    for (const QString &n : names)
        out.append({n, QStringLiteral(VWB_TEST_DATA "/migrations-simple/") + n});
    return out;
}

LedgerSnapshot ledger(const QList<QPair<QString, int>> &rows, const QStringList &lock = {QStringLiteral("0")})
{
    LedgerSnapshot s;
    s.tableExists = true;
    s.lockTableExists = true;
    qint64 id = 1;
    for (const auto &[name, batch] : rows)
        s.rows.append({id++, name, batch, QDateTime(QDate(2025, 1, 1), QTime(12, 0), Qt::UTC)});
    qint64 index = 1;
    for (const QString &l : lock)
        s.lockRows.append({index++, l});
    return s;
}

const QString A = QStringLiteral("20250101000000_a.sql");
const QString B = QStringLiteral("20250102000000_b.sql");
const QString C = QStringLiteral("20250103000000_c.sql");
} // namespace

void TestMigrationStatus::classifiesFilesAgainstTheLedger_data()
{
    QTest::addColumn<QStringList>("folder");
    QTest::addColumn<LedgerSnapshot>("snapshot");
    QTest::addColumn<QStringList>("applied");
    QTest::addColumn<QStringList>("pending");
    QTest::addColumn<QStringList>("outOfOrder");
    QTest::addColumn<QStringList>("missing");

    LedgerSnapshot none; // no ledger tables at all
    QTest::newRow("no ledger tables") << QStringList{A, B} << none << QStringList{} << QStringList{A, B} << QStringList{}
                                      << QStringList{};
    QTest::newRow("empty folder, no ledger") << QStringList{} << none << QStringList{} << QStringList{} << QStringList{} << QStringList{};
    QTest::newRow("empty ledger") << QStringList{A, B} << ledger({}) << QStringList{} << QStringList{A, B} << QStringList{}
                                  << QStringList{};
    QTest::newRow("one applied") << QStringList{A, B} << ledger({{A, 1}}) << QStringList{A} << QStringList{B} << QStringList{}
                                 << QStringList{};
    QTest::newRow("all applied") << QStringList{A, B, C} << ledger({{A, 1}, {B, 1}, {C, 2}}) << QStringList{A, B, C} << QStringList{}
                                 << QStringList{} << QStringList{};
    QTest::newRow("older file added after a newer one ran")
        << QStringList{A, B, C} << ledger({{A, 1}, {C, 2}}) << QStringList{A, C} << QStringList{} << QStringList{B} << QStringList{};
    QTest::newRow("first file never ran") << QStringList{A, B} << ledger({{B, 1}}) << QStringList{B} << QStringList{} << QStringList{A}
                                          << QStringList{};
    QTest::newRow("file removed after it ran (corrupt)")
        << QStringList{A, C} << ledger({{A, 1}, {B, 1}}) << QStringList{A} << QStringList{C} << QStringList{} << QStringList{B};
    QTest::newRow("empty folder, full ledger") << QStringList{} << ledger({{A, 1}, {B, 2}}) << QStringList{} << QStringList{}
                                               << QStringList{} << QStringList{A, B};
    QTest::newRow("renamed extension counts as different")
        << QStringList{QStringLiteral("20250101000000_a.ts")} << ledger({{QStringLiteral("20250101000000_a.js"), 1}}) << QStringList{}
        << QStringList{QStringLiteral("20250101000000_a.ts")} << QStringList{} << QStringList{QStringLiteral("20250101000000_a.js")};
    QTest::newRow("js and sql side by side") << QStringList{QStringLiteral("20250101000000_a.js"), B}
                                             << ledger({{QStringLiteral("20250101000000_a.js"), 1}})
                                             << QStringList{QStringLiteral("20250101000000_a.js")} << QStringList{B} << QStringList{}
                                             << QStringList{};
    QTest::newRow("ledger without lock table") << QStringList{A} <<
        [] {
            LedgerSnapshot s = ledger({{A, 1}});
            s.lockTableExists = false;
            s.lockRows.clear();
            return s;
        }() << QStringList{A} << QStringList{} << QStringList{}
                                               << QStringList{};
}

void TestMigrationStatus::classifiesFilesAgainstTheLedger()
{
    QFETCH(QStringList, folder);
    QFETCH(LedgerSnapshot, snapshot);
    QFETCH(QStringList, applied);
    QFETCH(QStringList, pending);
    QFETCH(QStringList, outOfOrder);
    QFETCH(QStringList, missing);
    const MigrationStatus s = classifyMigrations(files(folder), snapshot);
    QCOMPARE(s.names(MigrationState::Applied), applied);
    QCOMPARE(s.names(MigrationState::Pending), pending);
    QCOMPARE(s.names(MigrationState::PendingOutOfOrder), outOfOrder);
    QCOMPARE(s.names(MigrationState::Missing), missing);
    QCOMPARE(s.isCorrupt(), !missing.isEmpty());
    QCOMPARE(s.ledgerExists, snapshot.tableExists);
}

void TestMigrationStatus::lockState_data()
{
    QTest::addColumn<bool>("lockTable");
    QTest::addColumn<QStringList>("rows");
    QTest::addColumn<QString>("state");
    QTest::newRow("no lock table") << false << QStringList{} << "absent";
    QTest::newRow("free") << true << QStringList{"0"} << "free";
    QTest::newRow("locked") << true << QStringList{"1"} << "locked";
    QTest::newRow("no row") << true << QStringList{} << "malformed";
    QTest::newRow("two lock rows") << true << QStringList{"0", "0"} << "malformed";
    QTest::newRow("odd value") << true << QStringList{"7"} << "malformed";
    QTest::newRow("null value") << true << QStringList{QString()} << "malformed";
}

void TestMigrationStatus::lockState()
{
    QFETCH(bool, lockTable);
    QFETCH(QStringList, rows);
    QFETCH(QString, state);
    LedgerSnapshot s = ledger({}, rows);
    s.lockTableExists = lockTable;
    const MigrationStatus status = classifyMigrations({}, s);
    QCOMPARE(MigrationStatus::lockName(status.lock), state);
    if (state == QLatin1String("malformed"))
        QVERIFY(!status.lockDetail.isEmpty());
}

void TestMigrationStatus::nextRollbackIsTheLastBatchNewestFirst()
{
    const MigrationStatus s = classifyMigrations(files({A, B, C}), ledger({{A, 1}, {B, 2}, {C, 2}}));
    QCOMPARE(s.lastBatch, 2);
    QCOMPARE(s.nextRollback, (QStringList{C, B}));
}

void TestMigrationStatus::duplicateLedgerRowsAreReported()
{
    const MigrationStatus s = classifyMigrations(files({A}), ledger({{A, 1}, {A, 2}}));
    QCOMPARE(s.names(MigrationState::Applied), QStringList{A});
    QCOMPARE(s.entries.first().timesApplied, 2);
    QVERIFY(s.problems.join(QLatin1Char('|')).contains(QLatin1String("recorded 2 times")));
}

void TestMigrationStatus::plansFollowKnex_data()
{
    QTest::addColumn<int>("action");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("appliedBefore");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("error");
    const QStringList all{A, B, C};
    QTest::newRow("latest from empty") << int(MigrationAction::Latest) << QString() << QStringList{} << all << QString();
    QTest::newRow("latest when done") << int(MigrationAction::Latest) << QString() << all << QStringList{} << QString();
    QTest::newRow("latest runs out-of-order ones too")
        << int(MigrationAction::Latest) << QString() << QStringList{A, C} << QStringList{B} << QString();
    QTest::newRow("to b") << int(MigrationAction::To) << B << QStringList{} << QStringList{A, B} << QString();
    QTest::newRow("to unknown") << int(MigrationAction::To) << "x.sql" << QStringList{} << QStringList{}
                                << "Migration \"x.sql\" not found.";
    QTest::newRow("up next") << int(MigrationAction::Up) << QString() << QStringList{A} << QStringList{B} << QString();
    QTest::newRow("up named") << int(MigrationAction::Up) << C << QStringList{A} << QStringList{C} << QString();
    QTest::newRow("up already applied is a no-op") << int(MigrationAction::Up) << A << QStringList{A} << QStringList{} << QString();
    QTest::newRow("up unknown") << int(MigrationAction::Up) << "nope.sql" << QStringList{} << QStringList{}
                                << "Migration \"nope.sql\" not found.";
    QTest::newRow("down last in file order") << int(MigrationAction::Down) << QString() << QStringList{A, B} << QStringList{B}
                                             << QString();
    QTest::newRow("down named") << int(MigrationAction::Down) << A << QStringList{A, B} << QStringList{A} << QString();
    QTest::newRow("down not run") << int(MigrationAction::Down) << C << QStringList{A} << QStringList{}
                                  << "Migration \"" + C + "\" was not run.";
    QTest::newRow("rollback all in reverse file order")
        << int(MigrationAction::RollbackAll) << QString() << QStringList{A, B, C} << QStringList{C, B, A} << QString();
    QTest::newRow("rollback nothing") << int(MigrationAction::Rollback) << QString() << QStringList{} << QStringList{} << QString();
}

void TestMigrationStatus::plansFollowKnex()
{
    QFETCH(int, action);
    QFETCH(QString, name);
    QFETCH(QStringList, appliedBefore);
    QFETCH(QStringList, expected);
    QFETCH(QString, error);
    QList<QPair<QString, int>> rows;
    for (const QString &n : appliedBefore)
        rows.append({n, 1});
    const auto folder = files({A, B, C});
    const MigrationStatus status = classifyMigrations(folder, ledger(rows));
    auto plan = planMigrations(status, folder, {MigrationAction(action), name});
    if (!error.isEmpty()) {
        QVERIFY(!plan.ok());
        QCOMPARE(plan.error().message, error);
        return;
    }
    QVERIFY2(plan.ok(), qPrintable(plan.ok() ? QString() : plan.error().message));
    QStringList got;
    for (const MigrationStep &s : plan.value().steps)
        got << s.name;
    QCOMPARE(got, expected);
    if (!expected.isEmpty())
        QVERIFY(plan.value().describe({}).contains(expected.first()));
}

void TestMigrationStatus::corruptFolderRefusesEveryPlanWithKnexText()
{
    const auto folder = files({A});
    const MigrationStatus status = classifyMigrations(folder, ledger({{A, 1}, {B, 1}}));
    for (MigrationAction a :
         {MigrationAction::Latest, MigrationAction::Rollback, MigrationAction::Up, MigrationAction::Down, MigrationAction::RollbackAll}) {
        auto plan = planMigrations(status, folder, {a, {}});
        QVERIFY(!plan.ok());
        QCOMPARE(plan.error().message, QStringLiteral("The migration directory is corrupt, the following files are missing: ") + B);
    }
}

void TestMigrationStatus::javascriptMigrationsAreRefusedWithWhereToRunThem()
{
    const QList<MigrationFile> folder{{QStringLiteral("20240101000000_knex.js"), QStringLiteral("/x/20240101000000_knex.js")}};
    const MigrationStatus status = classifyMigrations(folder, ledger({}));
    auto plan = planMigrations(status, folder, {MigrationAction::Latest, {}});
    QVERIFY(!plan.ok());
    QVERIFY2(plan.error().message.contains(QLatin1String("npx knex migrate:latest")), qPrintable(plan.error().message));
}

QTEST_GUILESS_MAIN(TestMigrationStatus)
#include "tst_migrationstatus.moc"
