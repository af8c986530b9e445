// tests/db/tst_explain.cpp — ExplainRunner against the test cluster: real plans whose exclusive
// times add up, EXPLAIN ANALYZE of a write that leaves nothing behind, the statement timeout, one
// statement only, the pgvector hints on the plans they are meant for, an IVFFlat scan, and
// `vwb explain --json` on a join.
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include "plan/ExplainRunner.h"
#include "plan/PlanHints.h"
#include "plan/PlanParser.h"
#include "schema/DatabaseSchema.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <functional>

using namespace vwb;

class TestExplain : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void joinExclusiveTimesAddUpToTheTotal();
    void analyzeOfAnInsertLeavesNoRowBehind();
    void statementTimeoutIsAClearErrorAndTheConnectionLivesOn();
    void multipleStatementsAreRefused();
    void seqScanAndSortOnAnIndexedColumnGetTheSeqScanHint();
    void limitAboveEfSearchGetsTheEfSearchHint();
    void ivfflatIndexScanIsRead();
    void cliJsonOfAJoinAddsUpToTheTotal();
    void applicationSqlWithPlaceholdersIsExplainedAsWritten();

private:
    Result<ExplainOutcome> explain(const QString &sql, bool analyze, const QStringList &settings = {}, int timeoutMs = 30000);
    qint64 count(const QString &sql);
    bool insideTransaction();
    QList<PlanHint> hints(const Plan &plan);
    const QString m_schema = QStringLiteral("tst_explain");
    std::unique_ptr<PgConnection> m_conn;
};

void TestExplain::initTestCase()
{
    test::resetSchema(
        m_schema,
        QStringLiteral(
            "CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, region int NOT NULL);"
            "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric NOT NULL);"
            "INSERT INTO customers SELECT g, 'c' || g, g % 10 FROM generate_series(1, 1000) g;"
            "INSERT INTO orders SELECT g, 1 + (g * 7) % 1000, g % 100 FROM generate_series(1, 20000) g;"
            "CREATE INDEX orders_customer ON orders (customer_id);"
            // An inline content table (a title and its vector), so schema discovery pairs it.
            "CREATE TABLE items (id int PRIMARY KEY, title text NOT NULL, embedding vector(3) NOT NULL);"
            "INSERT INTO items SELECT g, 'item ' || g, ARRAY[sin(g), cos(g), sin(g * 0.5)]::vector FROM generate_series(1, 2000) g;"
            "CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_cosine_ops);"
            "ANALYZE customers; ANALYZE orders; ANALYZE items;"));
    auto conn = PgConnection::open(test::profileInSchema(m_schema));
    QVERIFY2(conn.ok(), qPrintable(conn.ok() ? QString() : conn.error().message));
    m_conn = std::move(conn).value();
}

void TestExplain::cleanupTestCase()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

Result<ExplainOutcome> TestExplain::explain(const QString &sql, bool analyze, const QStringList &settings, int timeoutMs)
{
    ExplainOptions options;
    options.analyze = analyze;
    options.settings = settings;
    options.timeoutMs = timeoutMs;
    return ExplainRunner::run(*m_conn, sql, {}, options);
}

qint64 TestExplain::count(const QString &sql)
{
    auto r = m_conn->exec(sql);
    if (!r.ok())
        qFatal("%s: %s", qPrintable(sql), qPrintable(r.error().message));
    return r.value().scalar().toLongLong();
}

/// True when a transaction is still open on the connection (the EXPLAIN's was not rolled back):
/// only the first statement of a transaction starts at the transaction's start.
bool TestExplain::insideTransaction()
{
    // SAVEPOINT is refused outside a transaction block; inside one it succeeds (and is released).
    if (!m_conn->exec(QStringLiteral("SAVEPOINT vwb_probe")).ok())
        return false;
    if (!m_conn->exec(QStringLiteral("RELEASE SAVEPOINT vwb_probe")).ok())
        qFatal("RELEASE SAVEPOINT failed");
    return true;
}

QList<PlanHint> TestExplain::hints(const Plan &plan)
{
    auto schema = discoverSchema(*m_conn);
    if (!schema.ok())
        qFatal("discoverSchema: %s", qPrintable(schema.error().message));
    return planHints(plan, schema.value(), {m_schema, QStringLiteral("public")});
}

void TestExplain::joinExclusiveTimesAddUpToTheTotal()
{
    auto outcome = explain(QStringLiteral("SELECT c.region, sum(o.amount) FROM orders o JOIN customers c ON c.id = o.customer_id "
                                          "WHERE c.region < 5 GROUP BY c.region"),
                           true);
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
    const Plan &plan = outcome.value().plan;
    QVERIFY(outcome.value().statement.startsWith(QLatin1String("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ")));
    QVERIFY(plan.analyzed);
    const QList<const PlanNode *> nodes = plan.nodes();
    bool join = false;
    double sum = 0;
    for (const PlanNode *n : nodes) {
        join = join || n->nodeType == QLatin1String("Hash Join") || n->nodeType == QLatin1String("Merge Join")
               || n->nodeType == QLatin1String("Nested Loop");
        QVERIFY(n->exclusiveMs >= 0);
        QVERIFY(n->buffers.reported);
        sum += n->exclusiveMs;
    }
    QVERIFY2(join, "the plan has no join node");
    const double tolerance = 0.01 * double(nodes.size());
    QVERIFY(plan.totalMs() > 0);
    QVERIFY2(qAbs(sum - plan.totalMs()) <= tolerance, qPrintable(QStringLiteral("sum %1, total %2").arg(sum).arg(plan.totalMs())));
    QVERIFY2(qAbs(plan.totalMs() - plan.root.inclusiveMs) <= tolerance,
             qPrintable(QStringLiteral("total %1, root %2").arg(plan.totalMs()).arg(plan.root.inclusiveMs)));
    QVERIFY(plan.executionMs >= plan.root.inclusiveMs);
    // The server's JSON, read again, is the same plan.
    auto again = PlanParser::parse(outcome.value().json);
    QVERIFY(again.ok());
    QCOMPARE(again.value().nodes().size(), nodes.size());
}

void TestExplain::analyzeOfAnInsertLeavesNoRowBehind()
{
    const qint64 before = count(QStringLiteral("SELECT count(*) FROM customers"));
    auto outcome = explain(QStringLiteral("INSERT INTO customers SELECT g, 'new', 1 FROM generate_series(100001, 100010) g"), true);
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
    const Plan &plan = outcome.value().plan;
    QCOMPARE(plan.root.nodeType, QStringLiteral("ModifyTable"));
    QCOMPARE(plan.root.operation, QStringLiteral("Insert"));
    QCOMPARE(plan.root.children.value(0).actualRows, 10.0); // it did run
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM customers")), before);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM customers WHERE id > 100000")), 0);
    QVERIFY(!insideTransaction());
}

void TestExplain::statementTimeoutIsAClearErrorAndTheConnectionLivesOn()
{
    auto setting = m_conn->exec(QStringLiteral("SHOW statement_timeout"));
    QVERIFY(setting.ok());
    const QString timeoutBefore = setting.value().scalar();

    auto outcome = explain(QStringLiteral("SELECT pg_sleep(5)"), true, {}, 200);
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().kind, Error::Kind::Timeout);
    QCOMPARE(outcome.error().sqlState, QStringLiteral("57014"));
    QVERIFY2(outcome.error().message.contains(QLatin1String("statement timeout of 200 ms")), qPrintable(outcome.error().message));

    // Rolled back: the connection answers, outside any transaction, with its own timeout again.
    QCOMPARE(count(QStringLiteral("SELECT 1")), 1);
    setting = m_conn->exec(QStringLiteral("SHOW statement_timeout"));
    QVERIFY(setting.ok());
    QCOMPARE(setting.value().scalar(), timeoutBefore);
    QVERIFY(!insideTransaction());
    auto next = explain(QStringLiteral("SELECT count(*) FROM orders"), true);
    QVERIFY2(next.ok(), qPrintable(next.ok() ? QString() : next.error().message));
}

void TestExplain::multipleStatementsAreRefused()
{
    auto outcome = explain(QStringLiteral("SELECT 1; DROP TABLE customers"), true);
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().kind, Error::Kind::Invalid);
    QVERIFY2(outcome.error().message.contains(QLatin1String("one statement")), qPrintable(outcome.error().message));
    QVERIFY(count(QStringLiteral("SELECT count(*) FROM customers")) > 0);

    // One statement with its ';', or with one inside a string, is fine; EXPLAIN and BEGIN are not.
    const auto single = ExplainRunner::singleStatement(QStringLiteral("SELECT 1;  "));
    QVERIFY(single.ok());
    QCOMPARE(single.value(), QStringLiteral("SELECT 1"));
    QVERIFY(explain(QStringLiteral("SELECT ';' AS semicolon"), false).ok());
    QVERIFY(!ExplainRunner::singleStatement(QStringLiteral("EXPLAIN SELECT 1")).ok());
    QVERIFY(!ExplainRunner::singleStatement(QStringLiteral("BEGIN")).ok());
    QVERIFY(!ExplainRunner::singleStatement(QStringLiteral("  -- nothing\n")).ok());
}

void TestExplain::seqScanAndSortOnAnIndexedColumnGetTheSeqScanHint()
{
    auto outcome = explain(QStringLiteral("SELECT id FROM items ORDER BY embedding <=> '[0.1,0.2,0.3]' LIMIT 5"), true,
                           {QStringLiteral("SET LOCAL enable_indexscan = off")});
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
    bool seqScan = false;
    for (const PlanNode *n : outcome.value().plan.nodes())
        seqScan = seqScan || (n->nodeType == QLatin1String("Seq Scan") && n->relation == QLatin1String("items"));
    QVERIFY(seqScan);
    const QList<PlanHint> found = hints(outcome.value().plan);
    QStringList codes;
    for (const PlanHint &h : found)
        codes << h.code;
    QVERIFY2(codes.contains(QStringLiteral("seq-scan-sort")), qPrintable(codes.join(QLatin1Char(','))));

    // The same query with the index allowed: no hint.
    auto indexed = explain(QStringLiteral("SELECT id FROM items ORDER BY embedding <=> '[0.1,0.2,0.3]' LIMIT 5"), true,
                           {QStringLiteral("SET LOCAL enable_seqscan = off")});
    QVERIFY(indexed.ok());
    QVERIFY(hints(indexed.value().plan).isEmpty());
}

void TestExplain::limitAboveEfSearchGetsTheEfSearchHint()
{
    auto outcome = explain(QStringLiteral("SELECT id FROM items ORDER BY embedding <=> '[0.1,0.2,0.3]' LIMIT 40"), true,
                           {QStringLiteral("SET LOCAL hnsw.ef_search = 10"), QStringLiteral("SET LOCAL enable_seqscan = off")});
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
    const Plan &plan = outcome.value().plan;
    QCOMPARE(plan.root.nodeType, QStringLiteral("Limit"));
    QVERIFY2(plan.root.actualRows < 40, "ef_search = 10 should cut the scan short");
    const QList<PlanHint> found = hints(plan);
    const auto hint = std::find_if(found.begin(), found.end(), [](const PlanHint &h) { return h.code == QLatin1String("ann-short"); });
    QVERIFY(hint != found.end());
    QVERIFY2(hint->message.contains(QLatin1String("ef_search")), qPrintable(hint->message));
    QVERIFY(hint->message.contains(QLatin1String("items_hnsw")));
    QCOMPARE(plan.node(hint->nodeId)->indexName, QStringLiteral("items_hnsw"));
    // The setting was local to the EXPLAIN's transaction.
    auto ef = m_conn->exec(QStringLiteral("SHOW hnsw.ef_search"));
    QVERIFY(ef.ok());
    QCOMPARE(ef.value().scalar(), QStringLiteral("40"));
}

void TestExplain::ivfflatIndexScanIsRead()
{
    QVERIFY(
        m_conn->exec(QStringLiteral("CREATE INDEX items_ivf ON items USING ivfflat (embedding vector_l2_ops) WITH (lists = 10)")).ok());
    auto outcome = explain(QStringLiteral("SELECT id FROM items ORDER BY embedding <-> '[0.5, 0.5, 0.5]' LIMIT 5"), true,
                           {QStringLiteral("SET LOCAL ivfflat.probes = 3")});
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
    const Plan &plan = outcome.value().plan;
    const PlanNode *scan = nullptr;
    double sum = 0;
    for (const PlanNode *n : plan.nodes()) {
        sum += n->exclusiveMs;
        if (n->indexName == QLatin1String("items_ivf"))
            scan = n;
    }
    QVERIFY2(scan, qPrintable(outcome.value().json.left(400)));
    QCOMPARE(scan->nodeType, QStringLiteral("Index Scan"));
    QCOMPARE(scan->actualRows, 5.0);
    QVERIFY(scan->orderBy.contains(QLatin1String("<->")));
    // Against the root's "Actual Total Time" as the server printed it, not a sum of themselves.
    QVERIFY2(qAbs(sum - plan.root.inclusiveMs) <= 0.01 * double(plan.nodes().size()),
             qPrintable(QStringLiteral("sum %1, root %2").arg(sum).arg(plan.root.inclusiveMs)));
    QVERIFY(m_conn->exec(QStringLiteral("DROP INDEX items_ivf")).ok());
}

void TestExplain::cliJsonOfAJoinAddsUpToTheTotal()
{
    QProcess vwb;
    vwb.start(QStringLiteral(VWB_CLI),
              {QStringLiteral("explain"), QStringLiteral("--analyze"), QStringLiteral("--json"), QStringLiteral("--url"),
               toDatabaseUrl(test::profileInSchema(m_schema).params, false),
               QStringLiteral("SELECT c.region, count(*) FROM %1.orders o JOIN %1.customers c ON c.id = o.customer_id "
                              "GROUP BY c.region")
                   .arg(m_schema)});
    QVERIFY(vwb.waitForFinished(30000));
    QCOMPARE(vwb.exitCode(), 0);
    const QJsonObject out = QJsonDocument::fromJson(vwb.readAllStandardOutput()).object();
    QVERIFY(out.value(QStringLiteral("analyzed")).toBool());
    double sum = 0;
    int nodes = 0;
    bool join = false;
    std::function<void(const QJsonObject &)> walk = [&](const QJsonObject &n) {
        sum += n.value(QStringLiteral("exclusive_ms")).toDouble();
        ++nodes;
        join = join || n.value(QStringLiteral("node_type")).toString().contains(QLatin1String("Join"))
               || n.value(QStringLiteral("node_type")).toString() == QLatin1String("Nested Loop");
        for (const QJsonValue &c : n.value(QStringLiteral("children")).toArray())
            walk(c.toObject());
    };
    walk(out.value(QStringLiteral("plan")).toObject());
    QVERIFY(join);
    const double total = out.value(QStringLiteral("total_ms")).toDouble();
    QVERIFY(total > 0);
    QVERIFY2(qAbs(sum - total) <= 0.01 * nodes, qPrintable(QStringLiteral("sum %1, total %2").arg(sum).arg(total)));
}

void TestExplain::applicationSqlWithPlaceholdersIsExplainedAsWritten()
{
    // The reference service's search, as it writes it for Knex (its table names changed to this schema's).
    const QString knexSql = QStringLiteral("SELECT i.id, 1 / (1 + (i.embedding <-> ?::vector)) AS similarity FROM items i "
                                           "WHERE LOWER(i.title) = LOWER(?) AND 1 / (1 + (i.embedding <-> ?::vector)) >= ? "
                                           "ORDER BY similarity DESC LIMIT ?");
    ExplainOptions options;
    auto generic = ExplainRunner::run(*m_conn, knexSql, {}, options);
    VERIFY_OK(generic);
    QVERIFY(generic.value().genericPlan);
    QVERIFY(generic.value().plan.root.nodeType == QLatin1String("Limit"));
    options.analyze = true;
    auto refused = ExplainRunner::run(*m_conn, knexSql, {}, options);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.contains(QLatin1String("takes 5 parameter(s)")), qPrintable(refused.error().message));
    auto valued = ExplainRunner::run(*m_conn, knexSql,
                                     {QStringLiteral("[1,0,0]"), QStringLiteral("item 7"), QStringLiteral("[1,0,0]"), 0.1, 10}, options);
    VERIFY_OK(valued);
    QVERIFY(!valued.value().genericPlan);
    QVERIFY(valued.value().plan.analyzed);
    auto dollars = ExplainRunner::run(*m_conn, QStringLiteral("SELECT * FROM orders WHERE customer_id = $1"), {QStringLiteral("5")},
                                      options);
    VERIFY_OK(dollars);
    auto wrongCount = ExplainRunner::run(*m_conn, QStringLiteral("SELECT * FROM orders WHERE customer_id = $1"), {5, 6}, options);
    QVERIFY(!wrongCount.ok());
    // No prepared statement is left behind on the connection.
    QCOMPARE(m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_prepared_statements")).value().scalar(), QStringLiteral("0"));

    const QString url = toDatabaseUrl(test::profileInSchema(m_schema).params, false);
    QProcess vwb;
    vwb.start(QStringLiteral(VWB_CLI), {QStringLiteral("explain"), QStringLiteral("--url"), url, knexSql});
    QVERIFY(vwb.waitForFinished(30000));
    QCOMPARE(vwb.exitCode(), 0);
    QVERIFY(vwb.readAllStandardOutput().contains("-- the generic plan"));
    vwb.start(QStringLiteral(VWB_CLI), {QStringLiteral("explain"), QStringLiteral("--analyze"), QStringLiteral("--url"), url, knexSql});
    QVERIFY(vwb.waitForFinished(30000));
    QCOMPARE(vwb.exitCode(), 2);
    QVERIFY(vwb.readAllStandardError().contains("--param"));
    vwb.start(QStringLiteral(VWB_CLI),
              {QStringLiteral("explain"), QStringLiteral("--analyze"), QStringLiteral("--url"), url,
               QStringLiteral("SELECT * FROM orders WHERE customer_id = ?"), QStringLiteral("--param"), QStringLiteral("5")});
    QVERIFY(vwb.waitForFinished(30000));
    QCOMPARE(vwb.exitCode(), 0);
}

QTEST_GUILESS_MAIN(TestExplain)
#include "tst_explain.moc"
