// tests/ui/tst_mainwindow_connect.cpp — the GUI shell against the test cluster (label db).
#include "../support/TestCluster.h"

#include "connection/ProfileStore.h"
#include "connection/SessionUnlocks.h"
#include "mainwindow/MainWindow.h"
#include "panels/AuditPanel.h"
#include "session/ConnectionController.h"
#include "session/LiveSession.h"
#include "connection/PgConnection.h"
#include "widgets/EnvironmentBadge.h"
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <optional>

using namespace vwb;
using namespace vwb::ui;

class TestMainWindowConnect : public QObject
{
    Q_OBJECT
private slots:
    void sandboxConnectsAndFillsTheStatusBar();
    void productionUnlockFlipsTheLock();
    void firstRunStartsItsOwnSandboxFromTheWelcomePage();
};

void TestMainWindowConnect::sandboxConnectsAndFillsTheStatusBar()
{
    (void)test::clusterProfile();
    QTemporaryDir dir;
    MainWindow::Options options;
    options.catalog.settingsPath = dir.filePath(QStringLiteral("profiles.ini"));
    options.profile = QStringLiteral("sandbox");
    MainWindow window(options);
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), vwb::ConnectionController::State::Connected, 15000);
    QVERIFY(window.serverLabel()->text().startsWith(QLatin1String("PostgreSQL ")));
    QVERIFY2(window.vectorLabel()->text().startsWith(QLatin1String("pgvector 0.")), qPrintable(window.vectorLabel()->text()));
    QCOMPARE(window.badge()->kind(), EnvironmentBadge::Kind::Sandbox);

    // Browse's lanes stop a statement that would hold the server (a filter no index serves);
    // other lanes keep the server's setting (a recall sweep may run long on purpose).
    QTRY_VERIFY_WITH_TIMEOUT(window.session()->isConnected(), 15000);
    QHash<QString, QString> shown;
    for (const char *lane : {"browse", "browse-counts", "search"})
        window.session()->runOnServer<QString>(
            QLatin1String(lane), &window,
            [](PgConnection &conn) -> Result<QString> {
                auto r = conn.exec(QStringLiteral("SHOW statement_timeout"));
                if (!r.ok())
                    return r.error();
                return r.value().value(0, 0);
            },
            [&shown, lane](Result<QString> r) { shown.insert(QLatin1String(lane), r.ok() ? r.value() : r.error().message); });
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 3, 15000);
    QCOMPARE(shown.value(QStringLiteral("browse")), QStringLiteral("15s"));
    QCOMPARE(shown.value(QStringLiteral("browse-counts")), QStringLiteral("30s"));
    QCOMPARE(shown.value(QStringLiteral("search")), QStringLiteral("0"));

    // The server ends a lane's session (as a restart does): the task running then fails, and
    // the lane connects again at once, so the next task runs — with the lane's time limit. A lane
    // of the test's own: the panels' lanes may run a task of theirs in between (a page the Browse
    // view paints), which would meet the ended session first.
    window.session()->setStatementTimeout(QStringLiteral("test-lane"), 15000);
    auto ask = [&window](const QString &sql) -> Result<QString> {
        std::optional<Result<QString>> answer;
        window.session()->runOnServer<QString>(
            QStringLiteral("test-lane"), &window,
            [sql](PgConnection &conn) -> Result<QString> {
                auto r = conn.exec(sql);
                if (!r.ok())
                    return r.error();
                return r.value().value(0, 0);
            },
            [&answer](Result<QString> r) { answer = r; });
        if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, 15000))
            return Error::internal(QStringLiteral("no answer in 15 s"));
        return *answer;
    };
    const Result<QString> pid = ask(QStringLiteral("SELECT pg_backend_pid()::text"));
    VERIFY_OK(pid);
    auto admin = test::connect();
    QCOMPARE(admin->exec(QStringLiteral("SELECT pg_terminate_backend($1::int)"), {pid.value()}).value().scalar(), QStringLiteral("t"));
    const Result<QString> lost = ask(QStringLiteral("SELECT 1::text"));
    QVERIFY(!lost.ok());
    QCOMPARE(lost.error().kind, Error::Kind::Connection);
    const Result<QString> again = ask(QStringLiteral("SELECT current_setting('statement_timeout') || ' ' || pg_backend_pid()"));
    VERIFY_OK(again);
    QVERIFY2(again.value().startsWith(QLatin1String("15s ")) && !again.value().endsWith(u' ' + pid.value()), qPrintable(again.value()));
}

void TestMainWindowConnect::productionUnlockFlipsTheLock()
{
    QTemporaryDir dir;
    ConnectionProfile prod = test::clusterProfile();
    prod.name = QStringLiteral("prod-copy");
    prod.source = ProfileSource::Saved;
    prod.production = true;
    prod.params.sslmode = QStringLiteral("require");
    ProfileStore store(dir.filePath(QStringLiteral("profiles.ini")));
    QVERIFY(store.save(prod, nullptr).ok());

    MainWindow::Options options;
    options.catalog.settingsPath = store.path();
    options.profile = prod.name;
    MainWindow window(options);
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), vwb::ConnectionController::State::Connected, 15000);
    QVERIFY(window.controller()->report()->readOnly);
    QCOMPARE(window.badge()->text(), QStringLiteral("PRODUCTION · READ-ONLY"));

    QSignalSpy unlocked(window.controller(), &vwb::ConnectionController::unlockFinished);
    window.controller()->unlockWrites(QStringLiteral("wrong"));
    QCOMPARE(unlocked.count(), 1);
    QCOMPARE(unlocked.at(0).at(0).toBool(), false);

    window.controller()->unlockWrites(prod.params.dbname);
    QVERIFY(unlocked.wait(10000));
    QCOMPARE(unlocked.at(1).at(0).toBool(), true);
    QCOMPARE(window.badge()->text(), QStringLiteral("PRODUCTION · WRITES UNLOCKED"));
    QTRY_VERIFY_WITH_TIMEOUT(window.controller()->report() && !window.controller()->report()->readOnly, 10000);

    // The Audit log panel shows both attempts, this profile's only, newest first.
    window.showPanel(QStringLiteral("Audit log"));
    QTableWidget *audit = window.audit()->table();
    QVERIFY(audit->rowCount() >= 2);
    QCOMPARE(audit->item(0, 3)->text(), QStringLiteral("unlock writes"));
    QCOMPARE(audit->item(0, 4)->text(), QStringLiteral("done"));
    QCOMPARE(audit->item(1, 4)->text(), QStringLiteral("failed"));
    for (int row = 0; row < audit->rowCount(); ++row)
        QCOMPARE(audit->item(row, 2)->text(), prod.name);
    SessionUnlocks::lock(prod.name);
}

void TestMainWindowConnect::firstRunStartsItsOwnSandboxFromTheWelcomePage()
{
    QTemporaryDir dir;
    const QString base = dir.filePath(QStringLiteral("sandbox"));
    MainWindow::Options options;
    options.catalog.settingsPath = dir.filePath(QStringLiteral("profiles.ini"));
    options.sandboxBaseDir = base;
    qunsetenv("DATABASE_URL");
    qunsetenv("POSTGRES_HOST");
    {
        MainWindow window(options);
        window.show();
        QCOMPARE(window.controller()->state(), vwb::ConnectionController::State::Idle); // the welcome page waits
        const auto buttons = window.findChildren<QPushButton *>();
        const auto start = std::find_if(buttons.begin(), buttons.end(),
                                        [](QPushButton *b) { return b->text() == QLatin1String("Start the sandbox"); });
        QVERIFY(start != buttons.end());
        QTest::mouseClick(*start, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(window.controller()->state(), vwb::ConnectionController::State::Connected, 90000);
        QVERIFY(window.vectorLabel()->text().startsWith(QLatin1String("pgvector 0.")));
        QCOMPARE(window.controller()->profile().params.port, QString::number(LocalCluster(base).status().port));
    }
    QVERIFY(LocalCluster(base).remove().ok());
}

QTEST_MAIN(TestMainWindowConnect)
#include "tst_mainwindow_connect.moc"
