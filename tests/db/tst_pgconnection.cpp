// tests/db/tst_pgconnection.cpp — the libpq connection class against a real server.
#include "../support/TestCluster.h"

#include "connection/AsyncConnection.h"
#include "connection/ServerCheck.h"
#include "connection/SessionUnlocks.h"
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QThread>
#include <thread>

using namespace vwb;

class TestPgConnection : public QObject
{
    Q_OBJECT
private slots:
    void pgvectorIsInstalledInTheTestCluster();
    void boundParametersRoundTripHostileText_data();
    void boundParametersRoundTripHostileText();
    void nullParameterIsSqlNull();
    void injectionThroughAParameterIsJustText();
    void identifiersAreEscaped();
    void cancelEndsPgSleepWithinOneSecond();
    void aStopBetweenStatementsStopsTheNextOnes();
    void statementTimeoutIsATimeoutNotACancel();
    void aConnectionsStatementTimeoutNamesItselfWhenItStops();
    void serverNoticesAreCaptured();
    void sqlErrorCarriesSqlStateAndOneLine();
    void applicationNameIsSet();
    void missingDatabaseIsNamed();
    void refusedPortFailsFastAndSaysSo();
    void productionIsReadOnlyUntilUnlocked();
    void destroyingAnAsyncConnectionClosesItsSession();
    void wrongTypedNameKeepsProductionLocked();
    void productionWithoutTlsIsRefused();
    void tlsModesBehaveAsLibpqDocuments();
    void aProfilesOwnOptionsCannotTurnReadOnlyOff();
    void serverCheckReportsVersionsTlsAndLatency();
    void asyncConnectionDeliversOnTheCallersThread();
};

void TestPgConnection::pgvectorIsInstalledInTheTestCluster()
{
    auto conn = test::connect();
    auto version = conn->exec(QStringLiteral("SELECT extversion FROM pg_extension WHERE extname = 'vector'"));
    QVERIFY2(version.ok(), qPrintable(version.ok() ? QString() : version.error().message));
    QVERIFY2(!version.value().scalar().isEmpty(), "pgvector is missing from the test cluster");
    auto distance = conn->exec(QStringLiteral("SELECT '[1,2,3]'::vector <-> '[1,2,4]'::vector"));
    QVERIFY(distance.ok());
    QCOMPARE(distance.value().scalar(), QStringLiteral("1"));
}

void TestPgConnection::boundParametersRoundTripHostileText_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("single quote") << QStringLiteral("O'Brien's");
    QTest::newRow("backslashes") << QStringLiteral("C:\\path\\to\\'file'");
    QTest::newRow("dollar quoting") << QStringLiteral("$$; DROP TABLE x; $$");
    QTest::newRow("percent and underscore") << QStringLiteral("100% _match_");
    QTest::newRow("unicode") << QStringLiteral("Grüße, 日本語, emoji 🚀");
    QTest::newRow("empty") << QString(QLatin1String(""));
    QTest::newRow("long") << QString(100000, QLatin1Char('x'));
    QTest::newRow("newlines") << QStringLiteral("a\nb\r\nc\t");
}

void TestPgConnection::boundParametersRoundTripHostileText()
{
    QFETCH(QString, text);
    auto conn = test::connect();
    auto r = conn->exec(QStringLiteral("SELECT $1::text, length($1::text)"), {text});
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
    QCOMPARE(r.value().value(0, 0), text);
    QVERIFY(!r.value().isNull(0, 0));
    QCOMPARE(r.value().value(0, 1).toInt(), int(text.toUcs4().size()));
}

void TestPgConnection::nullParameterIsSqlNull()
{
    auto conn = test::connect();
    auto r = conn->exec(QStringLiteral("SELECT $1::text IS NULL, $2::int + 1"), {QVariant(), 41});
    QVERIFY(r.ok());
    QCOMPARE(r.value().value(0, 0), QStringLiteral("t"));
    QCOMPARE(r.value().value(0, 1), QStringLiteral("42"));
}

void TestPgConnection::injectionThroughAParameterIsJustText()
{
    auto conn = test::connect();
    QVERIFY(conn->exec(QStringLiteral("CREATE TEMP TABLE victims(name text)")).ok());
    QVERIFY(conn->exec(QStringLiteral("INSERT INTO victims VALUES ($1)"), {QStringLiteral("x'); DROP TABLE victims; --")}).ok());
    auto r = conn->exec(QStringLiteral("SELECT count(*), min(name) FROM victims"));
    QVERIFY(r.ok());
    QCOMPARE(r.value().value(0, 0), QStringLiteral("1"));
    QCOMPARE(r.value().value(0, 1), QStringLiteral("x'); DROP TABLE victims; --"));
}

void TestPgConnection::identifiersAreEscaped()
{
    auto conn = test::connect();
    const QString name = QStringLiteral("odd \"table\" name");
    const QString quoted = conn->escapeIdentifier(name);
    QCOMPARE(quoted, QStringLiteral("\"odd \"\"table\"\" name\""));
    QVERIFY(conn->exec(QStringLiteral("CREATE TEMP TABLE %1 (id int)").arg(quoted)).ok());
    auto r = conn->exec(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname = $1"), {name});
    QVERIFY(r.ok());
    QCOMPARE(r.value().scalar(), QStringLiteral("1"));
}

void TestPgConnection::cancelEndsPgSleepWithinOneSecond()
{
    auto conn = test::connect();
    PgConnection *raw = conn.get();
    QElapsedTimer clock;
    std::atomic_bool started = false;
    Result<QueryResult> outcome = Error::internal(QStringLiteral("not run"));
    std::thread worker([&] {
        started = true;
        outcome = raw->exec(QStringLiteral("SELECT pg_sleep(30)"));
    });
    // Wait until the server really runs the statement, then cancel it from this thread.
    auto watcher = test::connect();
    QTRY_VERIFY_WITH_TIMEOUT(started
                                 && watcher->exec(QStringLiteral("SELECT 1 FROM pg_stat_activity WHERE query = "
                                                                 "'SELECT pg_sleep(30)' AND state = 'active'"))
                                            .value()
                                            .rowCount()
                                        == 1,
                             10000);
    clock.start();
    raw->cancelCurrent();
    worker.join();
    const qint64 ms = clock.elapsed();
    QVERIFY2(ms < 1000, qPrintable(QStringLiteral("cancel took %1 ms").arg(ms)));
    QVERIFY(!outcome.ok());
    QVERIFY(outcome.error().isCanceled());
    QCOMPARE(outcome.error().message, QStringLiteral("Canceled"));
    QVERIFY2(raw->exec(QStringLiteral("SELECT 1")).ok(), "the connection stays usable after a cancel");
}

void TestPgConnection::aStopBetweenStatementsStopsTheNextOnes()
{
    // A task's cancel that lands while no statement runs (between two of a migration's steps,
    // say) is not lost: the task's next statement is refused; its cleanup after that runs.
    auto conn = test::connect();
    VERIFY_OK(conn->execScript(QStringLiteral("CREATE TEMP TABLE stop_probe (id int)")));
    conn->requestStop();
    auto refused = conn->exec(QStringLiteral("INSERT INTO stop_probe VALUES (1)"));
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().isCanceled());
    QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM stop_probe")).value().scalar(), QStringLiteral("0"));
    conn->requestStop();
    conn->clearStop(); // the task ended before sending anything: nothing of it is left
    VERIFY_OK(conn->exec(QStringLiteral("INSERT INTO stop_probe VALUES (3)")));

    // And one that lands while a statement runs cancels it, as cancelCurrent() does.
    PgConnection *raw = conn.get();
    Result<QueryResult> outcome = Error::internal(QStringLiteral("not run"));
    std::thread worker([&] { outcome = raw->exec(QStringLiteral("SELECT pg_sleep(30) AS stop_probe")); });
    auto watcher = test::connect();
    const QString running = QStringLiteral("SELECT 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30) AS stop_probe' "
                                           "AND state = 'active'");
    QTRY_VERIFY_WITH_TIMEOUT(watcher->exec(running).value().rowCount() == 1, 10000);
    raw->requestStop();
    worker.join();
    QVERIFY(!outcome.ok());
    QVERIFY(outcome.error().isCanceled());
    VERIFY_OK(raw->exec(QStringLiteral("SELECT 1"))); // the canceled statement took the stop
}

void TestPgConnection::statementTimeoutIsATimeoutNotACancel()
{
    auto conn = test::connect();
    QVERIFY(conn->exec(QStringLiteral("SET statement_timeout = 50")).ok());
    auto r = conn->exec(QStringLiteral("SELECT pg_sleep(5)"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Timeout);
    QCOMPARE(r.error().sqlState, QStringLiteral("57014"));
}

void TestPgConnection::aConnectionsStatementTimeoutNamesItselfWhenItStops()
{
    ConnectOptions options;
    options.statementTimeoutMs = 200;
    auto conn = PgConnection::open(test::clusterProfile(), options);
    VERIFY_OK(conn);
    QCOMPARE(conn.value()->statementTimeoutMs(), 200);
    QCOMPARE(conn.value()->exec(QStringLiteral("SHOW statement_timeout")).value().value(0, 0), QStringLiteral("200ms"));
    auto r = conn.value()->exec(QStringLiteral("SELECT pg_sleep(5)"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Timeout);
    QVERIFY2(r.error().message.startsWith(QLatin1String("Stopped after 0.2 s, the time limit for one statement here")),
             qPrintable(r.error().message));
    // The server checks every 2 s that the client still listens (a killed workbench's statement
    // stops instead of running for nobody: tst_killedjobs); both settings hold after a reconnect.
    QVERIFY(conn.value()->server().versionNum >= 140000); // Debian 12's PostgreSQL 15: the setting exists
    VERIFY_OK(conn.value()->reconnect());
    QCOMPARE(conn.value()->exec(QStringLiteral("SHOW client_connection_check_interval")).value().value(0, 0), QStringLiteral("2s"));
    QCOMPARE(conn.value()->exec(QStringLiteral("SHOW statement_timeout")).value().value(0, 0), QStringLiteral("200ms"));
    VERIFY_OK(conn.value()->setStatementTimeout(0));
    QCOMPARE(conn.value()->exec(QStringLiteral("SHOW statement_timeout")).value().value(0, 0), QStringLiteral("0"));
}

void TestPgConnection::serverNoticesAreCaptured()
{
    auto conn = test::connect();
    auto r = conn->exec(QStringLiteral("DO $$ BEGIN RAISE NOTICE 'hello %', 42; END $$"));
    QVERIFY(r.ok());
    QCOMPARE(r.value().notices, QStringList{QStringLiteral("NOTICE: hello 42")});
    auto next = conn->exec(QStringLiteral("SELECT 1"));
    QVERIFY(next.value().notices.isEmpty());
}

void TestPgConnection::sqlErrorCarriesSqlStateAndOneLine()
{
    auto conn = test::connect();
    auto r = conn->exec(QStringLiteral("SELECT * FROM no_such_table"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().kind, Error::Kind::Sql);
    QCOMPARE(r.error().sqlState, QStringLiteral("42P01"));
    QCOMPARE(r.error().message, QStringLiteral("relation \"no_such_table\" does not exist"));
    QVERIFY(!r.error().message.contains(QLatin1Char('\n')));
    auto dims = conn->exec(QStringLiteral("SELECT '[1,2]'::vector(3)"));
    QVERIFY(!dims.ok());
    QCOMPARE(dims.error().sqlState, QStringLiteral("22000"));
    QVERIFY2(dims.error().message.contains(QLatin1String("expected 3 dimensions")), qPrintable(dims.error().message));
}

void TestPgConnection::applicationNameIsSet()
{
    auto conn = PgConnection::open(test::clusterProfile(), {5000, QStringLiteral("vwb-test-app")});
    QVERIFY(conn.ok());
    auto r = conn.value()->exec(QStringLiteral("SHOW application_name"));
    QCOMPARE(r.value().scalar(), QStringLiteral("vwb-test-app"));
}

void TestPgConnection::missingDatabaseIsNamed()
{
    ConnectionProfile p = test::clusterProfile();
    p.params.dbname = QStringLiteral("no_such_db");
    auto conn = PgConnection::open(p);
    QVERIFY(!conn.ok());
    QCOMPARE(conn.error().kind, Error::Kind::Connection);
    QCOMPARE(conn.error().sqlState, QStringLiteral("3D000"));
    QVERIFY2(conn.error().message.startsWith(QLatin1String("Database \"no_such_db\" does not exist")), qPrintable(conn.error().message));
}

void TestPgConnection::refusedPortFailsFastAndSaysSo()
{
    ConnectionProfile p;
    p.name = QStringLiteral("nowhere");
    p.params.host = QStringLiteral("127.0.0.1");
    p.params.port = QStringLiteral("1");
    p.params.user = QStringLiteral("nobody");
    QElapsedTimer clock;
    clock.start();
    auto conn = PgConnection::open(p);
    QVERIFY(!conn.ok());
    QVERIFY(clock.elapsed() < 5000);
    QCOMPARE(conn.error().sqlState, QStringLiteral("08001"));
    QVERIFY2(conn.error().message.contains(QLatin1String("connection refused")), qPrintable(conn.error().message));
}

void TestPgConnection::productionIsReadOnlyUntilUnlocked()
{
    ConnectionProfile p = test::clusterProfile();
    p.name = QStringLiteral("prod-like-rw");
    p.production = true;
    p.params.sslmode = QStringLiteral("require"); // the test cluster has a self-signed certificate
    SessionUnlocks::lock(p.name);
    {
        auto admin = test::connect();
        QVERIFY(admin->execScript(QStringLiteral("DROP TABLE IF EXISTS guard_probe; CREATE TABLE guard_probe(id int)")).ok());
    }
    auto conn = PgConnection::open(p);
    QVERIFY2(conn.ok(), qPrintable(conn.ok() ? QString() : conn.error().message));
    QVERIFY(conn.value()->server().tls);
    QVERIFY(conn.value()->isWriteLocked());
    auto blocked = conn.value()->exec(QStringLiteral("INSERT INTO guard_probe VALUES (1)"));
    QVERIFY(!blocked.ok());
    QCOMPARE(blocked.error().sqlState, QStringLiteral("25006"));
    QVERIFY2(blocked.error().message.contains(QLatin1String("unlock writes")), qPrintable(blocked.error().message));

    QVERIFY(SessionUnlocks::unlock(p, p.params.dbname).ok());
    QVERIFY(conn.value()->applyUnlock().ok());
    QVERIFY(!conn.value()->isWriteLocked());
    auto allowed = conn.value()->exec(QStringLiteral("INSERT INTO guard_probe VALUES (1)"));
    QVERIFY2(allowed.ok(), qPrintable(allowed.ok() ? QString() : allowed.error().message));
    QCOMPARE(allowed.value().affectedRows, 1);

    SessionUnlocks::lock(p.name);
    auto fresh = PgConnection::open(p);
    QVERIFY(fresh.ok());
    QVERIFY2(!fresh.value()->exec(QStringLiteral("INSERT INTO guard_probe VALUES (2)")).ok(),
             "a new session after lock() is read-only again");
}

void TestPgConnection::wrongTypedNameKeepsProductionLocked()
{
    ConnectionProfile p = test::clusterProfile();
    p.name = QStringLiteral("prod-like-typo");
    p.production = true;
    p.params.sslmode = QStringLiteral("require");
    auto unlocked = SessionUnlocks::unlock(p, p.params.dbname + QStringLiteral("x"));
    QVERIFY(!unlocked.ok());
    QVERIFY(!SessionUnlocks::isUnlocked(p.name));
    auto conn = PgConnection::open(p);
    QVERIFY(conn.ok());
    QVERIFY(!conn.value()->applyUnlock().ok());
    auto r = conn.value()->exec(QStringLiteral("SHOW transaction_read_only"));
    QCOMPARE(r.value().scalar(), QStringLiteral("on"));
}

void TestPgConnection::aProfilesOwnOptionsCannotTurnReadOnlyOff()
{
    // A URL's options=-c default_transaction_read_only=off (or PGOPTIONS' like it) comes first;
    // the workbench's own setting after it wins, and nothing is written.
    ConnectionProfile p = test::clusterProfile();
    p.name = QStringLiteral("prod-like-options");
    p.production = true;
    p.params.sslmode = QStringLiteral("require");
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c default_transaction_read_only=off"));
    SessionUnlocks::lock(p.name);
    {
        auto admin = test::connect();
        QVERIFY(admin->execScript(QStringLiteral("DROP TABLE IF EXISTS options_probe; CREATE TABLE options_probe(id int)")).ok());
    }
    auto conn = PgConnection::open(p);
    QVERIFY2(conn.ok(), qPrintable(conn.ok() ? QString() : conn.error().message));
    QCOMPARE(conn.value()->exec(QStringLiteral("SHOW default_transaction_read_only")).value().scalar(), QStringLiteral("on"));
    QCOMPARE(conn.value()->exec(QStringLiteral("SHOW transaction_read_only")).value().scalar(), QStringLiteral("on"));
    auto blocked = conn.value()->exec(QStringLiteral("INSERT INTO options_probe VALUES (1)"));
    QVERIFY(!blocked.ok());
    QCOMPARE(blocked.error().sqlState, QStringLiteral("25006")); // read_only_sql_transaction
    auto admin = test::connect();
    QCOMPARE(admin->exec(QStringLiteral("SELECT count(*) FROM options_probe")).value().scalar(), QStringLiteral("0"));
    QVERIFY(admin->execScript(QStringLiteral("DROP TABLE options_probe")).ok());
}

void TestPgConnection::tlsModesBehaveAsLibpqDocuments()
{
    // The cluster's certificate is self-signed for CN=localhost: it is its own CA.
    const QString certificate = LocalCluster().status().dataDir + QStringLiteral("/server.crt");
    QVERIFY2(QFile::exists(certificate), qPrintable(certificate));
    auto open = [](const QString &host, const QString &mode, const QString &rootCert) {
        ConnectionProfile p = test::clusterProfile();
        p.params.host = host;
        p.params.sslmode = mode;
        p.params.extra.insert(QStringLiteral("sslrootcert"), rootCert);
        return PgConnection::open(p);
    };
    const QString ip = test::clusterProfile().params.host;
    const QString missing = QStringLiteral("/nonexistent/root.crt");

    // require: encrypted, the certificate not checked.
    auto required = open(ip, QStringLiteral("require"), missing);
    VERIFY_OK(required);
    QVERIFY(required.value()->server().tls);
    // verify-ca: the certificate must chain to a root we trust.
    auto noRoot = open(ip, QStringLiteral("verify-ca"), missing);
    QVERIFY(!noRoot.ok());
    QVERIFY2(noRoot.error().message.startsWith(QLatin1String("The server's TLS certificate could not be verified")),
             qPrintable(noRoot.error().message));
    auto ca = open(ip, QStringLiteral("verify-ca"), certificate);
    VERIFY_OK(ca);
    QVERIFY(ca.value()->server().tls);
    // verify-full: and name the host connected to (CN=localhost, no IP in it).
    auto byName = open(QStringLiteral("localhost"), QStringLiteral("verify-full"), certificate);
    VERIFY_OK(byName);
    auto byAddress = open(ip, QStringLiteral("verify-full"), certificate);
    QVERIFY(!byAddress.ok());
    QVERIFY2(byAddress.error().message.startsWith(QLatin1String("The server's TLS certificate could not be verified"))
                 && byAddress.error().detail.contains(QLatin1String("does not match host name")),
             qPrintable(byAddress.error().message + QStringLiteral(" / ") + byAddress.error().detail));
}

void TestPgConnection::productionWithoutTlsIsRefused()
{
    ConnectionProfile p = test::clusterProfile();
    p.name = QStringLiteral("prod-plain");
    p.production = true;
    p.params.sslmode = QStringLiteral("disable");
    auto conn = PgConnection::open(p);
    QVERIFY(!conn.ok());
    QVERIFY2(conn.error().message.contains(QLatin1String("requires TLS")), qPrintable(conn.error().message));
}

void TestPgConnection::serverCheckReportsVersionsTlsAndLatency()
{
    ConnectionProfile p = test::clusterProfile();
    p.params.sslmode = QStringLiteral("require");
    auto conn = PgConnection::open(p);
    QVERIFY(conn.ok());
    auto report = checkServer(*conn.value());
    QVERIFY(report.ok());
    QVERIFY(report.value().server.versionNum >= 130000);
    QVERIFY(!report.value().pgvectorVersion.isEmpty());
    QVERIFY(report.value().server.tls);
    QVERIFY(report.value().server.tlsProtocol.startsWith(QLatin1String("TLS")));
    QVERIFY(!report.value().readOnly);
    QVERIFY(report.value().latencyMs > 0);
    QVERIFY(report.value().latencyMs < 1000);
    const QJsonObject json = report.value().toJson();
    QCOMPARE(json.value(QStringLiteral("pgvector")).toString(), report.value().pgvectorVersion);
    QCOMPARE(json.value(QStringLiteral("connected")).toBool(), true);
}

void TestPgConnection::asyncConnectionDeliversOnTheCallersThread()
{
    AsyncConnection async;
    QObject context;
    bool opened = false;
    async.open(test::clusterProfile(), {}, &context, [&](Result<void> r) {
        QVERIFY(r.ok());
        opened = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(opened, 10000);
    QThread *deliveredOn = nullptr;
    QString value;
    async.run<QueryResult>(
        &context, [](PgConnection &c) { return c.exec(QStringLiteral("SELECT $1::int * 2"), {21}); },
        [&](Result<QueryResult> r) {
            deliveredOn = QThread::currentThread();
            value = r.ok() ? r.value().scalar() : r.error().message;
        });
    QTRY_VERIFY_WITH_TIMEOUT(deliveredOn != nullptr, 10000);
    QCOMPARE(deliveredOn, QThread::currentThread());
    QCOMPARE(value, QStringLiteral("42"));
}

void TestPgConnection::destroyingAnAsyncConnectionClosesItsSession()
{
    // A dialog's connection goes with the dialog: its session on the server ends at once, even
    // when the worker's event loop stops before it reaches the close queued for it.
    ConnectOptions options;
    options.applicationName = QStringLiteral("vwb-async-close");
    auto watcher = test::connect();
    const QString sessions = QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vwb-async-close'");
    for (int round = 0; round < 5; ++round) {
        auto async = std::make_unique<AsyncConnection>();
        QObject context;
        bool opened = false;
        async->open(test::clusterProfile(), options, &context, [&](Result<void> r) { opened = r.ok(); });
        QTRY_VERIFY_WITH_TIMEOUT(opened, 10000);
        async->run<QueryResult>(
            &context, [](PgConnection &c) { return c.exec(QStringLiteral("SELECT 1")); }, [](Result<QueryResult>) {});
        async.reset(); // with that statement still queued
        QTRY_COMPARE_WITH_TIMEOUT(watcher->exec(sessions).value().scalar(), QStringLiteral("0"), 5000);
    }
}

QTEST_GUILESS_MAIN(TestPgConnection)
#include "tst_pgconnection.moc"
