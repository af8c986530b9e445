// tests/db/tst_statementcursor.cpp — the query console's statements against the test cluster:
// queries a batch at a time through a cursor, writes committed and audited, one statement only,
// timeouts and errors leave the session usable, a locked production session stays read-only.
#include "../support/TestCluster.h"

#include "connection/SessionUnlocks.h"
#include "console/StatementCursor.h"
#include <QTest>

using namespace vwb;

class TestStatementCursor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void aQueryComesInBatchesAndHoldsNothingBetween();
    void closingMidResultEndsTheTransaction();
    void writesAreCommittedAtOnce();
    void aWritingWithRunsAsItIs();
    void oneStatementAndNoTransactionControl_data();
    void oneStatementAndNoTransactionControl();
    void aTimeoutOrAnErrorLeavesTheSessionUsable();
    void lockedProductionRunsOnlyWhatChangesNothing();

private:
    QString stateOf(PgConnection &conn);
    std::unique_ptr<PgConnection> m_conn;
    std::unique_ptr<PgConnection> m_admin;
    const QString m_schema = QStringLiteral("tst_statement_cursor");
};

void TestStatementCursor::initTestCase()
{
    test::resetSchema(m_schema, QStringLiteral("CREATE TABLE items (id int PRIMARY KEY, title text);"
                                               "INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 1234) g;"
                                               "CREATE TABLE notes (id serial PRIMARY KEY, body text);"));
    m_conn = test::connect(test::profileInSchema(m_schema));
    m_admin = test::connect();
    QVERIFY(m_conn && m_admin);
}

void TestStatementCursor::cleanupTestCase()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

QString TestStatementCursor::stateOf(PgConnection &conn)
{
    const QString pid = conn.exec(QStringLiteral("SELECT pg_backend_pid()::text")).value().scalar();
    return m_admin->exec(QStringLiteral("SELECT state FROM pg_stat_activity WHERE pid = $1::int"), {pid}).value().scalar();
}

void TestStatementCursor::aQueryComesInBatchesAndHoldsNothingBetween()
{
    StatementCursor cursor(*m_conn);
    ConsoleOptions options;
    options.batchRows = 500;
    auto first = cursor.start(QStringLiteral("-- every item\nSELECT id, title, NULL::text AS nothing FROM items ORDER BY id;"), options);
    VERIFY_OK(first);
    QCOMPARE(first.value().columns, (QStringList{"id", "title", "nothing"}));
    QCOMPARE(first.value().rows.size(), 500);
    QVERIFY(!first.value().done());
    QVERIFY(first.value().rows.first().at(2).isNull()); // NULL stays NULL, not ""
    QVERIFY(cursor.isOpen());
    // The rest waits on the server outside any transaction: an index built CONCURRENTLY (which
    // waits for every older snapshot) finishes while the result is open.
    QCOMPARE(stateOf(*m_conn), QStringLiteral("idle"));
    VERIFY_OK(m_admin->exec(QStringLiteral("SET statement_timeout = '10s'")));
    auto built = m_admin->exec(QStringLiteral("CREATE INDEX CONCURRENTLY items_title_idx ON %1.items (title)").arg(m_schema));
    VERIFY_OK(m_admin->exec(QStringLiteral("RESET statement_timeout")));
    VERIFY_OK(built);
    StatementCursor again(*m_conn, first.value().state); // as the window does it: one per task, the cursor lives on
    auto second = again.next();
    VERIFY_OK(second);
    QCOMPARE(second.value().rows.first().first(), QStringLiteral("501"));
    QCOMPARE(second.value().rowsSoFar(), 1000);
    auto last = again.next();
    VERIFY_OK(last);
    QCOMPARE(last.value().rows.size(), 234);
    QVERIFY(last.value().done());
    QCOMPARE(last.value().commandTag, QStringLiteral("SELECT 1234"));
    QVERIFY(!again.isOpen() && !last.value().state.open);
    QCOMPARE(stateOf(*m_conn), QStringLiteral("idle")); // no transaction left
    QVERIFY(!again.next().ok());
}

void TestStatementCursor::closingMidResultEndsTheTransaction()
{
    StatementCursor cursor(*m_conn);
    VERIFY_OK(cursor.start(QStringLiteral("SELECT * FROM items")));
    QVERIFY(cursor.isOpen());
    QCOMPARE(m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_cursors WHERE name = 'vwb_console'")).value().scalar(),
             QStringLiteral("1"));
    cursor.close();
    QVERIFY(!cursor.isOpen());
    QCOMPARE(m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_cursors WHERE name = 'vwb_console'")).value().scalar(),
             QStringLiteral("0"));
    QCOMPARE(stateOf(*m_conn), QStringLiteral("idle"));
}

void TestStatementCursor::writesAreCommittedAtOnce()
{
    StatementCursor cursor(*m_conn);
    auto inserted = cursor.start(QStringLiteral("INSERT INTO notes (body) VALUES ('first'), ('second') RETURNING id"));
    VERIFY_OK(inserted);
    QVERIFY(inserted.value().done());
    QCOMPARE(inserted.value().commandTag, QStringLiteral("INSERT 0 2"));
    QCOMPARE(inserted.value().rows.size(), 2);
    QVERIFY(!cursor.isOpen());
    // Seen from another session: committed.
    QCOMPARE(m_admin->exec(QStringLiteral("SELECT count(*) FROM %1.notes").arg(m_schema)).value().scalar(), QStringLiteral("2"));
    auto ddl = cursor.start(QStringLiteral("CREATE INDEX notes_body_idx ON notes (body)"));
    VERIFY_OK(ddl);
    QCOMPARE(ddl.value().commandTag, QStringLiteral("CREATE INDEX"));
}

void TestStatementCursor::aWritingWithRunsAsItIs()
{
    StatementCursor cursor(*m_conn);
    auto moved = cursor.start(
        QStringLiteral("WITH gone AS (DELETE FROM notes WHERE body = 'first' RETURNING id) SELECT count(*) FROM gone"));
    VERIFY_OK(moved);
    QVERIFY(moved.value().done());
    QCOMPARE(moved.value().rows.first().first(), QStringLiteral("1"));
    QCOMPARE(m_admin->exec(QStringLiteral("SELECT count(*) FROM %1.notes WHERE body = 'first'").arg(m_schema)).value().scalar(),
             QStringLiteral("0"));
}

void TestStatementCursor::oneStatementAndNoTransactionControl_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("says");
    QTest::newRow("two") << "SELECT 1; SELECT 2"
                         << "one statement at a time";
    QTest::newRow("none") << "  -- only a comment\n"
                          << "No statement";
    QTest::newRow("begin") << "BEGIN"
                           << "controls the transaction";
    QTest::newRow("commit") << "/* done */ commit"
                            << "controls the transaction";
}

void TestStatementCursor::oneStatementAndNoTransactionControl()
{
    QFETCH(QString, sql);
    QFETCH(QString, says);
    StatementCursor cursor(*m_conn);
    auto r = cursor.start(sql);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(says), qPrintable(r.error().message));
    QCOMPARE(stateOf(*m_conn), QStringLiteral("idle"));
}

void TestStatementCursor::aTimeoutOrAnErrorLeavesTheSessionUsable()
{
    StatementCursor cursor(*m_conn);
    ConsoleOptions options;
    options.timeoutMs = 200;
    auto slow = cursor.start(QStringLiteral("SELECT pg_sleep(5)"), options);
    QVERIFY(!slow.ok());
    QCOMPARE(slow.error().kind, Error::Kind::Timeout);
    QVERIFY(!cursor.isOpen());
    QCOMPARE(m_conn->exec(QStringLiteral("SELECT 1")).value().scalar(), QStringLiteral("1"));
    // An error past the first batch (row 600 divides by zero) shows at once: the server computes
    // the rest of the result when the statement commits.
    options = {};
    auto partly = cursor.start(QStringLiteral("SELECT 1 / (600 - g) FROM generate_series(1, 1000) g"), options);
    QVERIFY(!partly.ok());
    QVERIFY2(partly.error().message.contains(QLatin1String("division by zero")), qPrintable(partly.error().message));
    QVERIFY(!cursor.isOpen());
    QCOMPARE(m_conn->exec(QStringLiteral("SELECT 2")).value().scalar(), QStringLiteral("2"));
}

void TestStatementCursor::lockedProductionRunsOnlyWhatChangesNothing()
{
    ConnectionProfile p = test::profileInSchema(m_schema);
    p.name = QStringLiteral("console-prod");
    p.production = true;
    p.params.sslmode = QStringLiteral("require");
    SessionUnlocks::lock(p.name);
    auto prod = PgConnection::open(p);
    VERIFY_OK(prod);
    QVERIFY(prod.value()->isWriteLocked());
    StatementCursor cursor(*prod.value());
    auto read = cursor.start(QStringLiteral("SELECT count(*) FROM items"));
    VERIFY_OK(read);
    QVERIFY(read.value().readOnly());
    QCOMPARE(read.value().rows.first().first(), QStringLiteral("1234"));
    const QString victim = m_admin->exec(QStringLiteral("SELECT pg_backend_pid()::text")).value().scalar();
    for (const QString &sql :
         {QStringLiteral("DELETE FROM items"), QStringLiteral("UPDATE items SET title = 'x'"),
          QStringLiteral("SELECT pg_terminate_backend(%1)").arg(victim), QStringLiteral("SELECT nextval('notes_id_seq')"),
          QStringLiteral("CREATE TABLE sneaky AS SELECT 1"), QStringLiteral("SELECT pg_advisory_lock(1)")}) {
        auto refused = cursor.start(sql);
        QVERIFY2(!refused.ok(), qPrintable(sql));
        QVERIFY2(refused.error().message.contains(QLatin1String("Unlock writes")), qPrintable(refused.error().message));
        QVERIFY(!cursor.isOpen());
    }
    QCOMPARE(m_admin->exec(QStringLiteral("SELECT count(*) FROM %1.items").arg(m_schema)).value().scalar(), QStringLiteral("1234"));
    QCOMPARE(m_admin->exec(QStringLiteral("SELECT 'alive'")).value().scalar(), QStringLiteral("alive")); // not terminated
    QCOMPARE(m_admin->exec(QStringLiteral("SELECT to_regclass('%1.sneaky') IS NULL").arg(m_schema)).value().scalar(), QStringLiteral("t"));
}

QTEST_GUILESS_MAIN(TestStatementCursor)
#include "tst_statementcursor.moc"
