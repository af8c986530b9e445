// tests/ui/tst_migrationspanel.cpp — the Migrations panel against the test cluster (label db).
#include "../support/TestCluster.h"

#include "connection/ProfileStore.h"
#include "connection/SessionUnlocks.h"
#include "dialogs/PlanPreviewDialog.h"
#include "mainwindow/MainWindow.h"
#include "models/MigrationTableModel.h"
#include "panels/MigrationsPanel.h"
#include "session/ConnectionController.h"
#include "session/LiveSession.h"
#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace vwb;
using namespace vwb::ui;

class TestMigrationsPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void showsStatusAndAppliesAfterShowingThePlan();
    void productionStaysReadOnlyUntilUnlocked();
    void knexProjectGetsTheImprovementAsAFileAfterThePreview();
    void aCanceledMigrationLeavesTheDatabaseAsItWas();

private:
    std::unique_ptr<MainWindow> openWindow(bool production, const QString &schema = {});
    QTemporaryDir m_dir;
    const QString m_schema = QStringLiteral("tst_migrations_panel");
    // A database of its own: CREATE INDEX CONCURRENTLY waits for every older transaction in its
    // database, and a parallel run's other tests keep starting them in the shared one.
    const QString m_database = QStringLiteral("vwb_migrations_panel");
    ConnectionProfile m_profile;
};

void TestMigrationsPanel::initTestCase()
{
    m_profile = test::freshDatabase(m_database);
    VERIFY_OK(test::connect(m_profile)->execScript(QStringLiteral("CREATE EXTENSION vector; CREATE SCHEMA %1;").arg(m_schema)));
}

void TestMigrationsPanel::cleanupTestCase()
{
    QVERIFY(test::dropDatabase(m_database));
}

std::unique_ptr<MainWindow> TestMigrationsPanel::openWindow(bool production, const QString &schema)
{
    ConnectionProfile p = m_profile;
    p.name = production ? QStringLiteral("prod-panel") : QStringLiteral("panel");
    p.source = ProfileSource::Saved;
    p.production = production;
    p.params.sslmode = QStringLiteral("require");
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(schema.isEmpty() ? m_schema : schema));
    ProfileStore store(m_dir.filePath(QStringLiteral("profiles.ini")));
    if (!store.save(p, nullptr).ok())
        qFatal("cannot save the test profile");
    MainWindow::Options options;
    options.catalog.settingsPath = store.path();
    options.profile = p.name;
    auto window = std::make_unique<MainWindow>(options);
    window->migrations()->setFolder(QStringLiteral(VWB_TEST_DATA "/migrations-simple"));
    window->show();
    return window;
}

void TestMigrationsPanel::showsStatusAndAppliesAfterShowingThePlan()
{
    auto window = openWindow(false);
    MigrationsPanel *panel = window->migrations();
    QAbstractItemModelTester tester(panel->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 3, 15000);
    QCOMPARE(panel->model()->status().count(MigrationState::Pending), 3);
    QVERIFY(panel->lockLabel()->text().contains(QLatin1String("absent")));
    QTRY_VERIFY(panel->latestButton()->isEnabled());

    QSignalSpy finished(panel, &MigrationsPanel::actionFinished);
    QTest::mouseClick(panel->latestButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel->findChild<PlanPreviewDialog *>() != nullptr, 10000);
    auto *dialog = panel->findChild<PlanPreviewDialog *>();
    QVERIFY(dialog->planText().contains(QLatin1String("CREATE INDEX CONCURRENTLY mig_b_id_idx")));
    QVERIFY(dialog->planText().contains(QLatin1String("UPDATE \"vwb_migrations_lock\" SET is_locked = 1 WHERE is_locked = 0")));
    QCOMPARE(panel->model()->status().count(MigrationState::Applied), 0); // nothing ran before Run
    QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QCOMPARE(finished.first().at(1).toString(), QStringLiteral("Batch 1 run: 3 migrations"));
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->status().count(MigrationState::Applied), 3, 10000);
    QTRY_VERIFY(panel->lockLabel()->text().contains(QLatin1String("free")));
    const QModelIndex batch = panel->model()->index(0, MigrationTableModel::Batch);
    QCOMPARE(batch.data().toInt(), 1);
    QVERIFY(panel->log()->toPlainText().contains(QLatin1String("migrating 20250103000000_c.sql")));
}

void TestMigrationsPanel::productionStaysReadOnlyUntilUnlocked()
{
    auto window = openWindow(true);
    MigrationsPanel *panel = window->migrations();
    QTRY_VERIFY_WITH_TIMEOUT(window->session()->isConnected(), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 3, 10000);
    QVERIFY(!panel->latestButton()->isEnabled());
    QVERIFY(!panel->runCommandButton()->isEnabled()); // the project's Knex writes too
    const auto labels = panel->findChildren<QLabel *>();
    QVERIFY(std::any_of(labels.begin(), labels.end(),
                        [](QLabel *l) { return l->text().contains(QLatin1String("Production is read-only")) && !l->isHidden(); }));
    QSignalSpy unlocked(window->controller(), &vwb::ConnectionController::unlockFinished);
    window->controller()->unlockWrites(m_database);
    QVERIFY(unlocked.wait(10000));
    QTRY_VERIFY(panel->latestButton()->isEnabled());
    QVERIFY(panel->runCommandButton()->isEnabled());
    SessionUnlocks::lock(QStringLiteral("prod-panel"));
}

void TestMigrationsPanel::knexProjectGetsTheImprovementAsAFileAfterThePreview()
{
    // A Node project as the reference design lays it out: ES modules, migrations in db/migrations.
    QTemporaryDir project;
    QVERIFY(QDir(project.path()).mkpath(QStringLiteral("db/migrations")));
    for (const auto &[name, text] : {std::pair{"package.json", QByteArray(R"({"type": "module"})")},
                                     std::pair{"knexfile.js", QByteArray("export default { development: { client: 'pg', "
                                                                         "migrations: { directory: './db/migrations' } } };\n")}}) {
        QFile f(project.filePath(QLatin1String(name)));
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(text) == text.size());
    }
    auto window = openWindow(false);
    MigrationsPanel *panel = window->migrations();
    QTRY_VERIFY_WITH_TIMEOUT(window->session()->isConnected(), 15000);
    QSignalSpy finished(panel, &MigrationsPanel::actionFinished);
    panel->requestKnexExport(project.path(), {QStringLiteral("20250201000001_hnsw_indexes.sql")});
    QTRY_VERIFY_WITH_TIMEOUT(panel->findChild<PlanPreviewDialog *>() != nullptr, 20000);
    auto *dialog = panel->findChild<PlanPreviewDialog *>();
    QVERIFY2(dialog->planText().contains(QLatin1String("_vwb_hnsw_indexes.js ====="))
                 && dialog->planText().contains(QLatin1String("export const config = { transaction: false };")),
             qPrintable(dialog->planText()));
    QVERIFY(QDir(project.filePath(QStringLiteral("db/migrations"))).isEmpty()); // nothing written before Write
    QTest::mouseClick(dialog->runButton(), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(!finished.isEmpty(), qPrintable(panel->log()->toPlainText()), 10000);
    QVERIFY(finished.first().at(0).toBool());
    const QStringList written = QDir(project.filePath(QStringLiteral("db/migrations"))).entryList(QDir::Files);
    QCOMPARE(written.size(), 1);
    QVERIFY(written.first().endsWith(QLatin1String("_vwb_hnsw_indexes.js")));
    // The panel now shows the project's folder, read against Knex's ledger: Knex runs these.
    QTRY_COMPARE_WITH_TIMEOUT(panel->folder(), project.filePath(QStringLiteral("db/migrations")), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(panel->ledger().isKnexLedger(), 10000);
    QTRY_VERIFY(!panel->latestButton()->isEnabled());
}

void TestMigrationsPanel::aCanceledMigrationLeavesTheDatabaseAsItWas()
{
    const QString schema = QStringLiteral("tst_migrations_cancel");
    auto holder = test::connect(m_profile); // holds advisory lock 4242: the migration waits on it until canceled
    VERIFY_OK(holder->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1").arg(schema)));
    QVERIFY(holder->exec(QStringLiteral("SELECT pg_advisory_lock(4242)")).ok());
    auto window = openWindow(false, schema);
    MigrationsPanel *panel = window->migrations();
    panel->setFolder(QStringLiteral(VWB_TEST_DATA "/migrations-blocking"));
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 1, 15000);
    QTRY_VERIFY(panel->latestButton()->isEnabled());
    QVERIFY(!panel->cancelButton()->isEnabled());

    QSignalSpy finished(panel, &MigrationsPanel::actionFinished);
    QTest::mouseClick(panel->latestButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(panel->findChild<PlanPreviewDialog *>() != nullptr, 10000);
    QTest::mouseClick(panel->findChild<PlanPreviewDialog *>()->runButton(), Qt::LeftButton);
    const QString waiting = QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted");
    QTRY_VERIFY_WITH_TIMEOUT(holder->exec(waiting).value().scalar().toInt() == 1, 15000); // the migration is inside its transaction
    QVERIFY(panel->cancelButton()->isEnabled());
    QTest::mouseClick(panel->cancelButton(), Qt::LeftButton);
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY2(finished.first().at(1).toString().contains(QLatin1String("anceled")), qPrintable(finished.first().at(1).toString()));
    QVERIFY(!panel->cancelButton()->isEnabled());

    // As it was: no table, nothing recorded, the lock free, no statement left waiting.
    auto check = [&](const QString &sql) { return holder->exec(sql.arg(schema)).value().scalar(); };
    QCOMPARE(check(QStringLiteral("SELECT to_regclass('%1.blocked_done') IS NULL")), QStringLiteral("t"));
    QCOMPARE(check(QStringLiteral("SELECT count(*) FROM %1.vwb_migrations")), QStringLiteral("0"));
    QCOMPARE(check(QStringLiteral("SELECT coalesce(max(is_locked), 0) FROM %1.vwb_migrations_lock")), QStringLiteral("0"));
    QCOMPARE(holder->exec(waiting).value().scalar().toInt(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->status().count(MigrationState::Pending), 1, 10000);
    QVERIFY(holder->exec(QStringLiteral("SELECT pg_advisory_unlock(4242)")).ok());
    window.reset();
}

QTEST_MAIN(TestMigrationsPanel)
#include "tst_migrationspanel.moc"
