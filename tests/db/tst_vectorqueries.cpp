// tests/db/tst_vectorqueries.cpp — the application's own vector queries read back from
// pg_stat_statements (loaded by the test cluster, as by the sandbox), with their plans and advice.
#include "../support/TestCluster.h"

#include "advice/ChangeEstimate.h"
#include "advice/VectorQueries.h"
#include "connection/DatabaseUrl.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace vwb;

class TestVectorQueries : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void referenceSearchIsListedWithWhyNoIndexServesItAndItsRewrite();
    void theSuggestedIndexIsEstimatedOnACopyBeforeItExists();

private:
    QVector<VectorQuery> mine();
    DatabaseSchema schema();
    const QString m_schema = QStringLiteral("tst_vector_queries");
    std::unique_ptr<PgConnection> m_conn;
};

void TestVectorQueries::initTestCase()
{
    auto admin = test::connect();
    auto status = statementsStatus(*admin);
    VERIFY_OK(status);
    QVERIFY2(status.value().loaded, qPrintable(status.value().howToEnable())); // the cluster preloads it
    VERIFY_OK(enableStatements(*admin));
    test::resetSchema(
        m_schema,
        QStringLiteral(
            "SELECT setseed(0.3);"
            "CREATE TABLE topics (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL, content text NOT NULL);"
            "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int REFERENCES topics(id), forum_name varchar NOT NULL, vector vector(8) NOT NULL);"
            "INSERT INTO topics (forum_name, title, content) SELECT 'f' || (g % 3), 't' || g, 'c' FROM generate_series(1, 3000) g;"
            "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, "
            "  (SELECT array_agg(random() - 0.5)::vector(8) FROM generate_series(1, 8) WHERE id > 0) FROM topics;"
            "CREATE INDEX topic_vectors_cosine ON topic_vectors USING hnsw (vector vector_cosine_ops);"
            "ANALYZE topics; ANALYZE topic_vectors;"));
    m_conn = test::connect(test::profileInSchema(m_schema));
    QVERIFY(statementsStatus(*m_conn).value().ready());
    // The reference service's search, as Knex sends it (schema-qualified here, to tell it from other tests').
    const QString search = QStringLiteral(
                               "SELECT v.topic_id, t.*, 1 / (1 + (v.vector <-> $1::vector)) as similarity "
                               "FROM %1.topic_vectors v JOIN %1.topics t ON t.id = v.topic_id WHERE LOWER(v.forum_name) = LOWER($2) "
                               "AND 1 / (1 + (v.vector <-> $3::vector)) >= $4 ORDER BY similarity DESC LIMIT $5")
                               .arg(m_schema);
    const QString q = QStringLiteral("[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8]");
    for (int i = 0; i < 3; ++i)
        VERIFY_OK(m_conn->exec(search, {q, QStringLiteral("F1"), q, 0.1, 10}));
    // The same shape without the forum filter, which at this size the planner would rather apply first.
    const QString everywhere = QStringLiteral("SELECT v.topic_id, t.*, 1 / (1 + (v.vector <-> $1::vector)) as similarity "
                                              "FROM %1.topic_vectors v JOIN %1.topics t ON t.id = v.topic_id "
                                              "WHERE 1 / (1 + (v.vector <-> $2::vector)) >= $3 ORDER BY similarity DESC LIMIT $4")
                                   .arg(m_schema);
    VERIFY_OK(m_conn->exec(everywhere, {q, q, 0.1, 10}));
}

void TestVectorQueries::cleanupTestCase()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

DatabaseSchema TestVectorQueries::schema()
{
    DatabaseSchema out;
    const auto all = discoverSchema(*m_conn); // held: a range-for over a temporary's member dangles
    for (const ContentPair &p : all.value().pairs)
        if (p.content.schema == m_schema)
            out.pairs << p;
    return out;
}

QVector<VectorQuery> TestVectorQueries::mine()
{
    auto all = vectorQueries(*m_conn, schema(), 1000);
    QVector<VectorQuery> out;
    if (!all.ok())
        return out;
    for (const VectorQuery &q : all.value())
        if (q.sql.contains(m_schema + QStringLiteral(".topic_vectors")))
            out << q;
    return out;
}

void TestVectorQueries::referenceSearchIsListedWithWhyNoIndexServesItAndItsRewrite()
{
    auto found = mine();
    QCOMPARE(found.size(), 2);
    std::sort(found.begin(), found.end(), [](const VectorQuery &a, const VectorQuery &b) { return a.calls > b.calls; });
    const VectorQuery q = found.first(); // the reference search, run three times
    QVERIFY(q.calls >= 3);
    QVERIFY(q.meanMs > 0);
    QCOMPARE(q.advice.op, QStringLiteral("<->"));
    QVERIFY2(q.planError.isEmpty(), qPrintable(q.planError));
    QVERIFY2(q.planIndex.isEmpty(), qPrintable(q.planNodes)); // its generic plan: no ANN index
    QVERIFY2(q.planNodes.startsWith(QLatin1String("Limit > Sort")), qPrintable(q.planNodes));
    QVERIFY(!q.advice.reasons.isEmpty());
    QVERIFY2(!q.advice.rewrite.isEmpty(), qPrintable(q.sql));
    QVERIFY(q.rewritePlanIndex.isEmpty()); // no index serves <-> yet: the rewrite can't use the cosine one either
    QVERIFY(q.seqScans.contains(QStringLiteral("topic_vectors")));
    QVERIFY2(q.storagePlainEffect.contains(QLatin1String("with STORAGE PLAIN its scan of")), qPrintable(q.storagePlainEffect));

    // The suggested index: the rewrite's plan now uses it; the original's still can't.
    QVERIFY(q.advice.suggestedIndex.contains(QLatin1String("vector_l2_ops")));
    VERIFY_OK(m_conn->exec(QStringLiteral("CREATE INDEX topic_vectors_l2 ON topic_vectors USING hnsw (vector vector_l2_ops)")));
    found = mine();
    QCOMPARE(found.size(), 2);
    for (const VectorQuery &each : found) {
        QVERIFY(each.planIndex.isEmpty()); // as written, neither can use it
        QVERIFY(!each.advice.rewrite.isEmpty());
        if (!each.sql.contains(QLatin1String("LOWER")))
            QVERIFY2(each.rewritePlanIndex.endsWith(QLatin1String("topic_vectors_l2")), qPrintable(each.advice.rewrite));
    }

    QProcess vwb;
    vwb.start(QStringLiteral(VWB_CLI),
              {QStringLiteral("queries"), QStringLiteral("--json"), QStringLiteral("--limit"), QStringLiteral("1000"),
               QStringLiteral("--url"), toDatabaseUrl(test::profileInSchema(m_schema).params, false)});
    QVERIFY(vwb.waitForFinished(30000));
    QCOMPARE(vwb.exitCode(), 0);
    const QJsonArray listed = QJsonDocument::fromJson(vwb.readAllStandardOutput())[QStringLiteral("queries")].toArray();
    bool seen = false;
    for (const QJsonValue &v : listed)
        seen = seen || (v[QStringLiteral("query")].toString().contains(m_schema) && !v[QStringLiteral("rewrite")].toString().isEmpty());
    QVERIFY(seen);
    VERIFY_OK(m_conn->exec(QStringLiteral("DROP INDEX topic_vectors_l2")));
}

void TestVectorQueries::theSuggestedIndexIsEstimatedOnACopyBeforeItExists()
{
    auto found = mine();
    QCOMPARE(found.size(), 2);
    const auto everywhere = std::find_if(found.begin(), found.end(),
                                         [](const VectorQuery &q) { return !q.sql.contains(QLatin1String("LOWER")); });
    QVERIFY(everywhere != found.end());
    auto estimates = estimateChanges(*m_conn, *everywhere, schema(), 2000);
    VERIFY_OK(estimates);
    QCOMPARE(estimates.value().size(), 2); // the suggested index, and STORAGE PLAIN (pgvector's default is EXTERNAL)
    const ChangeEstimate &e = estimates.value().first();
    const ChangeEstimate &plain = estimates.value().last();
    QCOMPARE(plain.change, QStringLiteral("STORAGE PLAIN"));
    QVERIFY(plain.costBefore > 0 && plain.costAfter >= plain.costBefore); // 40-byte vectors: never out of line, the same pages
    QCOMPARE(e.change, QStringLiteral("hnsw (vector vector_l2_ops)"));
    QCOMPARE(e.sampleRows, 2000);
    QVERIFY(e.costBefore > 0);
    QVERIFY(e.indexAfter.isEmpty()); // as written no index helps, not even this one
    QVERIFY2(!e.rewriteIndexAfter.isEmpty() && e.rewriteCostAfter < e.rewriteCostBefore, qPrintable(e.summary()));
    // Nothing was kept: no index, no copy.
    QCOMPARE(m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE indexname = 'vwb_estimate_ann'")).value().scalar(),
             QStringLiteral("0"));
    QCOMPARE(m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_tables WHERE schemaname LIKE 'pg_temp%'")).value().scalar(),
             QStringLiteral("0"));
    QCOMPARE(m_conn->exec(QStringLiteral("SELECT count(*) FROM topic_vectors")).value().scalar(), QStringLiteral("3000"));

    ConnectionProfile production = test::profileInSchema(m_schema);
    production.production = true;
    production.params.sslmode = QStringLiteral("require");
    auto locked = PgConnection::open(production);
    VERIFY_OK(locked);
    auto refused = estimateChanges(*locked.value(), *everywhere, schema(), 2000);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message.contains(QLatin1String("read-only")));
}

QTEST_GUILESS_MAIN(TestVectorQueries)
#include "tst_vectorqueries.moc"
