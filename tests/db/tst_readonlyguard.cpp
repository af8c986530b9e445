// tests/db/tst_readonlyguard.cpp — EXPLAIN ANALYZE on a locked production session: every way a
// rolled-back READ ONLY transaction let a statement act on the server (a function ending another
// session, resetting statistics, taking a session lock, a view or operator or row-security policy
// hiding such a call, CREATE TABLE AS) is refused before anything runs, from the library and the
// CLI; queries that change nothing still run; an unlocked session runs what it is given.
#include "../support/CliRun.h"
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include "connection/SessionUnlocks.h"
#include "plan/ExplainRunner.h"

using namespace vwb;

class TestReadOnlyGuard : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void functionsThatActOutsideTheTransactionAreRefused_data();
    void functionsThatActOutsideTheTransactionAreRefused();
    void anotherSessionSurvivesTheAttempt();
    void statementsThatAreNotQueriesAreRefused_data();
    void statementsThatAreNotQueriesAreRefused();
    void queriesThatChangeNothingRun_data();
    void queriesThatChangeNothingRun();
    void theCliRefusesAndExitsNonZero();
    void anUnlockedSessionRunsWhatItIsGiven();

private:
    ConnectionProfile production() const;
    Result<ExplainOutcome> analyze(PgConnection &conn, const QString &sql, const QVariantList &params = {});
    const QString m_schema = QStringLiteral("tst_readonlyguard");
    std::unique_ptr<PgConnection> m_prod;
};

ConnectionProfile TestReadOnlyGuard::production() const
{
    ConnectionProfile p = test::profileInSchema(m_schema);
    p.name = QStringLiteral("prod-guard");
    p.production = true;
    p.params.sslmode = QStringLiteral("require"); // the test cluster's certificate is self-signed
    return p;
}

void TestReadOnlyGuard::initTestCase()
{
    test::resetSchema(
        m_schema,
        QStringLiteral("CREATE TABLE items (id int PRIMARY KEY, title text, meta jsonb, embedding vector(3));"
                       "INSERT INTO items SELECT g, 'item ' || g, jsonb_build_object('n', g), ARRAY[sin(g), cos(g), 1]::vector "
                       "FROM generate_series(1, 200) g;"
                       "CREATE SEQUENCE ticket;"
                       // a function of the application's, labelled IMMUTABLE, that ends sessions all the same
                       "CREATE FUNCTION tidy(p int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT pg_terminate_backend(p)';"
                       "CREATE FUNCTION plain_len(t text) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT length(t)';"
                       // views hiding a call, one under another
                       "CREATE VIEW sessions_ended AS SELECT pid, pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE false;"
                       "CREATE VIEW over_sessions AS SELECT * FROM sessions_ended;"
                       "CREATE VIEW plain_items AS SELECT id, title FROM items;"
                       // an operator over a volatile function
                       "CREATE FUNCTION bump(a int, b int) RETURNS int LANGUAGE sql VOLATILE AS 'SELECT a + b';"
                       "CREATE OPERATOR #%# (LEFTARG = int, RIGHTARG = int, FUNCTION = bump);"
                       // a row-security policy calling a function of the application's
                       "CREATE TABLE guarded (id int);"
                       "CREATE FUNCTION allowed(id int) RETURNS boolean LANGUAGE sql VOLATILE AS 'SELECT true';"
                       "ALTER TABLE guarded ENABLE ROW LEVEL SECURITY;"
                       "CREATE POLICY see_some ON guarded USING (allowed(id));"
                       // a domain whose CHECK ends sessions
                       "CREATE DOMAIN killer AS int CHECK (pg_terminate_backend(VALUE) IS NOT NULL);"
                       "ANALYZE items;"));
    SessionUnlocks::lock(production().name);
    auto conn = PgConnection::open(production());
    VERIFY_OK(conn);
    m_prod = std::move(conn).value();
    QVERIFY(m_prod->isWriteLocked());
}

void TestReadOnlyGuard::cleanupTestCase()
{
    m_prod.reset();
    SessionUnlocks::lock(production().name);
    test::dropSchema(m_schema);
}

Result<ExplainOutcome> TestReadOnlyGuard::analyze(PgConnection &conn, const QString &sql, const QVariantList &params)
{
    ExplainOptions options;
    options.analyze = true;
    return ExplainRunner::run(conn, sql, params, options);
}

void TestReadOnlyGuard::functionsThatActOutsideTheTransactionAreRefused_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("named"); // what the refusal must name
    QTest::newRow("terminate") << "SELECT pg_terminate_backend(1)"
                               << "pg_terminate_backend(integer,bigint)";
    QTest::newRow("cancel") << "select pg_cancel_backend(1)"
                            << "pg_cancel_backend(integer)";
    QTest::newRow("stat reset") << "SELECT pg_stat_reset()"
                                << "pg_stat_reset()";
    QTest::newRow("stat reset shared") << "SELECT pg_stat_reset_shared('bgwriter')"
                                       << "pg_stat_reset_shared(text)";
    QTest::newRow("advisory lock") << "SELECT pg_advisory_lock(42)"
                                   << "pg_advisory_lock";
    QTest::newRow("notify") << "SELECT pg_notify('channel', 'payload')"
                            << "pg_notify(text,text)";
    QTest::newRow("set_config") << "SELECT set_config('default_transaction_read_only', 'off', false)"
                                << "set_config";
    QTest::newRow("nextval") << "SELECT nextval('ticket')"
                             << "nextval(regclass)";
    QTest::newRow("upper case") << "SELECT PG_TERMINATE_BACKEND(1)"
                                << "pg_terminate_backend";
    QTest::newRow("qualified") << "SELECT pg_catalog.pg_terminate_backend(1)"
                               << "pg_terminate_backend";
    QTest::newRow("quoted") << "SELECT \"pg_catalog\".\"pg_terminate_backend\"(1)"
                            << "pg_terminate_backend";
    QTest::newRow("comment before (") << "SELECT pg_terminate_backend /* x */ (1)"
                                      << "pg_terminate_backend";
    QTest::newRow("in a subquery") << "SELECT id FROM items WHERE id IN (SELECT pg_backend_pid() WHERE pg_stat_reset() IS NULL)"
                                   << "pg_stat_reset()";
    QTest::newRow("in FROM") << "SELECT * FROM pg_terminate_backend(1)"
                             << "pg_terminate_backend";
    QTest::newRow("lying immutable") << "SELECT tidy(1)"
                                     << "tidy(integer) of schema tst_readonlyguard";
    QTest::newRow("app's harmless function") << "SELECT plain_len(title) FROM items"
                                             << "plain_len(text)";
    QTest::newRow("view") << "SELECT * FROM sessions_ended"
                          << "view sessions_ended calls pg_terminate_backend";
    QTest::newRow("view under a view") << "SELECT * FROM over_sessions"
                                       << "pg_terminate_backend";
    QTest::newRow("qualified view") << "SELECT count(*) FROM tst_readonlyguard.sessions_ended"
                                    << "pg_terminate_backend";
    QTest::newRow("operator") << "SELECT id #%# 1 FROM items"
                              << "operator #%# calls bump(integer,integer)";
    QTest::newRow("OPERATOR()") << "SELECT id OPERATOR(tst_readonlyguard.#%#) 1 FROM items"
                                << "bump(integer,integer)";
    QTest::newRow("domain check") << "SELECT 1::killer"
                                  << "domain killer calls pg_terminate_backend";
    QTest::newRow("a view named by a value") << "SELECT table_to_xml('sessions_ended'::regclass, true, false, '')"
                                             << "table_to_xml(regclass,boolean,boolean,text), which reads the tables and views";
    QTest::newRow("query text") << "SELECT query_to_xml('select pg_terminate_backend(1)', true, false, '')"
                                << "query_to_xml";
    QTest::newRow("unicode-escaped name") << "SELECT U&\"pg_\\0074erminate_backend\"(1)"
                                          << "Unicode escapes";
    QTest::newRow("row security") << "SELECT * FROM guarded"
                                  << "row-security policy see_some of guarded calls allowed(integer)";
}

void TestReadOnlyGuard::functionsThatActOutsideTheTransactionAreRefused()
{
    QFETCH(QString, sql);
    QFETCH(QString, named);
    auto ran = analyze(*m_prod, sql);
    QVERIFY2(!ran.ok(), qPrintable(sql));
    const QString message = ran.error().message;
    QVERIFY2(message.contains(named), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("locked production profile")) && message.contains(QLatin1String("--unlock-writes")),
             qPrintable(message));
    // the session is as it was: read-only, and usable
    auto state = m_prod->exec(QStringLiteral("SELECT current_setting('default_transaction_read_only')"));
    VERIFY_OK(state);
    QCOMPARE(state.value().value(0, 0), QStringLiteral("on"));
}

void TestReadOnlyGuard::anotherSessionSurvivesTheAttempt()
{
    auto other = PgConnection::open(test::profileInSchema(m_schema));
    VERIFY_OK(other);
    const QString pid = other.value()->exec(QStringLiteral("SELECT pg_backend_pid()")).value().scalar();
    auto ran = analyze(*m_prod, QStringLiteral("SELECT pg_terminate_backend(%1)").arg(pid));
    QVERIFY(!ran.ok());
    auto alive = other.value()->exec(QStringLiteral("SELECT 1"));
    VERIFY_OK(alive);
    // and the advisory lock was not taken: another session gets it at once
    auto lock = analyze(*m_prod, QStringLiteral("SELECT pg_advisory_lock(4242)"));
    QVERIFY(!lock.ok());
    auto free = other.value()->exec(QStringLiteral("SELECT pg_try_advisory_lock(4242)"));
    VERIFY_OK(free);
    QCOMPARE(free.value().scalar(), QStringLiteral("t"));
}

void TestReadOnlyGuard::statementsThatAreNotQueriesAreRefused_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("named");
    QTest::newRow("create table as") << "CREATE TABLE stolen AS SELECT * FROM items"
                                     << "CREATE is not a query";
    QTest::newRow("select into") << "SELECT * INTO stolen FROM items"
                                 << "holds INTO";
    QTest::newRow("data-modifying with") << "WITH gone AS (DELETE FROM items RETURNING id) SELECT count(*) FROM gone"
                                         << "holds DELETE";
    QTest::newRow("insert") << "INSERT INTO items (id) VALUES (1000)"
                            << "INSERT is not a query";
    QTest::newRow("update") << "update items set title = 'x'"
                            << "UPDATE is not a query";
    QTest::newRow("for update") << "SELECT * FROM items FOR UPDATE"
                                << "holds UPDATE";
    QTest::newRow("vacuum") << "VACUUM items"
                            << "VACUUM is not a query";
}

void TestReadOnlyGuard::statementsThatAreNotQueriesAreRefused()
{
    QFETCH(QString, sql);
    QFETCH(QString, named);
    auto ran = analyze(*m_prod, sql);
    QVERIFY2(!ran.ok(), qPrintable(sql));
    QVERIFY2(ran.error().message.contains(named), qPrintable(ran.error().message));
    auto table = m_prod->exec(QStringLiteral("SELECT to_regclass('%1.stolen') IS NULL").arg(m_schema));
    VERIFY_OK(table);
    QCOMPARE(table.value().scalar(), QStringLiteral("t"));
}

void TestReadOnlyGuard::queriesThatChangeNothingRun_data()
{
    QTest::addColumn<QString>("sql");
    QTest::newRow("vector search") << "SELECT id, 1 - (embedding <=> '[1,0,1]'::vector) AS similarity FROM items "
                                      "ORDER BY embedding <=> '[1,0,1]'::vector LIMIT 10";
    QTest::newRow("aggregates and json") << "SELECT count(*), max(meta->>'n'), now(), random() < 2 FROM items WHERE meta @> '{\"n\": 1}'";
    QTest::newRow("names in strings and comments")
        << "SELECT 'pg_terminate_backend(1)', $x$ pg_stat_reset() $x$ -- pg_advisory_lock(1)\n FROM items /* DELETE */ LIMIT 1";
    QTest::newRow("a quoted column named like a write") << "SELECT title AS \"update\" FROM items LIMIT 1";
    QTest::newRow("view of a table") << "SELECT * FROM plain_items WHERE id < 5";
    QTest::newRow("with and values") << "WITH v(x) AS (VALUES (1), (2)) SELECT sum(x)::numeric(10,2) FROM v";
    QTest::newRow("table") << "TABLE plain_items";
    QTest::newRow("catalog reads") << "SELECT pid, state FROM pg_stat_activity WHERE pid = pg_backend_pid()";
}

void TestReadOnlyGuard::queriesThatChangeNothingRun()
{
    QFETCH(QString, sql);
    auto ran = analyze(*m_prod, sql);
    VERIFY_OK(ran);
    QVERIFY(ran.value().readOnly);
    QVERIFY(ran.value().plan.analyzed);
}

void TestReadOnlyGuard::theCliRefusesAndExitsNonZero()
{
    const QString url = toDatabaseUrl(test::profileInSchema(m_schema).params, false) + QStringLiteral("&sslmode=require");
    const test::CliRun refused = test::runVwb({QStringLiteral("explain"), QStringLiteral("--analyze"), QStringLiteral("--production"),
                                               QStringLiteral("--url"), url, QStringLiteral("select pg_stat_reset()")});
    QVERIFY2(refused.code != 0 && refused.code != -1, qPrintable(refused.out + refused.err));
    QVERIFY2(refused.err.contains(QLatin1String("pg_stat_reset(), which is VOLATILE")), qPrintable(refused.err));
    // without --analyze nothing runs, and the plan is shown
    const test::CliRun plain = test::runVwb({QStringLiteral("explain"), QStringLiteral("--production"), QStringLiteral("--url"), url,
                                             QStringLiteral("select pg_stat_reset()")});
    QVERIFY2(plain.code == 0, qPrintable(plain.out + plain.err));
    QVERIFY2(plain.out.contains(QLatin1String("Result")), qPrintable(plain.out));
}

void TestReadOnlyGuard::anUnlockedSessionRunsWhatItIsGiven()
{
    ConnectionProfile p = production();
    QVERIFY(SessionUnlocks::unlock(p, p.params.dbname).ok());
    auto conn = PgConnection::open(p);
    VERIFY_OK(conn);
    QVERIFY(!conn.value()->isWriteLocked());
    auto ran = analyze(*conn.value(), QStringLiteral("SELECT pg_advisory_xact_lock(7), tidy(-1)"));
    VERIFY_OK(ran);
    QVERIFY(ran.value().plan.analyzed);
    SessionUnlocks::lock(p.name);
}

QTEST_GUILESS_MAIN(TestReadOnlyGuard)
#include "tst_readonlyguard.moc"
