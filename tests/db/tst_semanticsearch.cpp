// tests/db/tst_semanticsearch.cpp — searches on the test cluster: index use, exact mode, metric
// against operator class, thresholds, filters and hostile input.
#include "../support/TestCluster.h"

#include "search/ForumSpellings.h"
#include "search/SemanticSearch.h"

using namespace vwb;

class TestSemanticSearch : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void annSearchUsesTheHnswIndex();
    void indexUseIsReadFromTheScanCountersOrElseThePlan();
    void exactSearchComparesEveryVectorAndAgrees();
    void metricOtherThanTheIndexIsWarnedAbout();
    void thresholdKeepsOnlySimilarEnoughRows();
    void forumFilterAndHostileForumNames();
    void wrongDimensionIsRefusedBeforeAnyQuery();
    void likeIdLeavesTheRowItselfOut();
    void planOfTheExactSqlIsShown();
    void forumMatchesIgnoringCaseAsTheApplicationDoes();
    void likeIdWithSeveralVectorRowsFillsTheLimitWithEachRowOnce();
    void aColumnWithNoVectorsSaysBackfillFirst();

private:
    SearchRequest request(const QString &vector = QStringLiteral("[1,0,0,0,0,0,0,0]"));
    const QString m_schema = QStringLiteral("tst_semantic");
    std::unique_ptr<PgConnection> m_conn;
    ContentPair m_pair;
    ContentPair m_posts; // 50 rows, no vector yet
};

void TestSemanticSearch::initTestCase()
{
    auto admin = test::connect();
    QVERIFY(
        admin
            ->execScript(
                QStringLiteral(
                    "DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1; SET search_path = %1, public; SELECT setseed(0.42);"
                    "CREATE TABLE topics (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL, content text NOT NULL);"
                    "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int REFERENCES topics(id), forum_name varchar NOT NULL, vector vector(8) NOT NULL);"
                    "INSERT INTO topics (forum_name, title, content) SELECT 'f' || (g % 4), 't' || g, 'c' FROM generate_series(1, 4000) g;"
                    "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, "
                    "  (SELECT array_agg(random() - 0.5)::vector(8) FROM generate_series(1, 8) WHERE id > 0) FROM topics;"
                    "CREATE INDEX topic_vectors_hnsw ON topic_vectors USING hnsw (vector vector_cosine_ops);"
                    "CREATE TABLE posts (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL, content text NOT NULL);"
                    "CREATE TABLE post_vectors (id serial PRIMARY KEY, post_id int REFERENCES posts(id), forum_name varchar NOT NULL, vector vector(8));"
                    "INSERT INTO posts (forum_name, title, content) SELECT 'f1', 'p' || g, 'c' FROM generate_series(1, 50) g;"
                    "CREATE INDEX post_vectors_hnsw ON post_vectors USING hnsw (vector vector_cosine_ops);"
                    "ANALYZE topics; ANALYZE topic_vectors;")
                    .arg(m_schema))
            .ok());
    ConnectionProfile p = test::clusterProfile();
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    auto conn = PgConnection::open(p);
    QVERIFY(conn.ok());
    m_conn = std::move(conn).value();
    auto schema = discoverSchema(*m_conn);
    m_pair = *schema.value().find(m_schema + QStringLiteral(".topics"));
    m_posts = *schema.value().find(m_schema + QStringLiteral(".posts"));
}

void TestSemanticSearch::cleanupTestCase()
{
    m_conn.reset();
    auto admin = test::connect();
    QVERIFY(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(m_schema)).ok());
}

SearchRequest TestSemanticSearch::request(const QString &vector)
{
    SearchRequest r;
    r.pair = m_pair;
    r.vector = vector;
    r.metric = SearchMetric::Cosine;
    r.limit = 10;
    return r;
}

void TestSemanticSearch::annSearchUsesTheHnswIndex()
{
    auto outcome = SemanticSearch::run(*m_conn, request());
    QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
    QCOMPARE(outcome.value().hits.size(), 10);
    QVERIFY(outcome.value().indexUsed);
    QCOMPARE(outcome.value().indexName, QStringLiteral("topic_vectors_hnsw"));
    QVERIFY(outcome.value().warnings.isEmpty());
    for (int i = 1; i < 10; ++i)
        QVERIFY(outcome.value().hits.at(i - 1).distance <= outcome.value().hits.at(i).distance);
}

void TestSemanticSearch::indexUseIsReadFromTheScanCountersOrElseThePlan()
{
    // The executor's own index-scan counters, read in the search's transaction: no EXPLAIN.
    auto counted = SemanticSearch::run(*m_conn, request());
    QVERIFY(counted.ok());
    QCOMPARE(counted.value().indexUseFrom, QStringLiteral("scan counters"));
    QCOMPARE(counted.value().indexName, QStringLiteral("topic_vectors_hnsw"));
    // Counters the search's own statements did not move are not taken for its scans: this
    // connection scans the index outside any search first, and the metric it then searches by
    // is one the index cannot serve.
    QVERIFY(m_conn->exec(QStringLiteral("SELECT id FROM topic_vectors ORDER BY vector <=> '[0,1,0,0,0,0,0,0]' LIMIT 3")).ok());
    SearchRequest l2 = request();
    l2.metric = SearchMetric::L2;
    auto unserved = SemanticSearch::run(*m_conn, l2);
    QVERIFY(unserved.ok());
    QCOMPARE(unserved.value().indexUseFrom, QStringLiteral("scan counters"));
    QVERIFY(!unserved.value().indexUsed);
    // With the counters off (a superuser's setting) the plan says it, and says it right.
    QVERIFY(m_conn->exec(QStringLiteral("SET track_counts = off")).ok());
    auto planned = SemanticSearch::run(*m_conn, request());
    QVERIFY(m_conn->exec(QStringLiteral("RESET track_counts")).ok());
    QVERIFY(planned.ok());
    QCOMPARE(planned.value().indexUseFrom, QStringLiteral("plan"));
    QVERIFY(planned.value().indexUsed);
    QCOMPARE(planned.value().indexName, QStringLiteral("topic_vectors_hnsw"));
    // No row back: the plan is asked (an executor may skip a scan whose other side is empty).
    SearchRequest none = request();
    none.forum = QStringLiteral("no such forum");
    auto empty = SemanticSearch::run(*m_conn, none);
    QVERIFY(empty.ok());
    QVERIFY(empty.value().hits.isEmpty());
    QCOMPARE(empty.value().indexUseFrom, QStringLiteral("plan"));
    // Nothing to learn when no index may serve.
    SearchRequest exact = request();
    exact.exact = true;
    QCOMPARE(SemanticSearch::run(*m_conn, exact).value().indexUseFrom, QString());
}

void TestSemanticSearch::exactSearchComparesEveryVectorAndAgrees()
{
    SearchRequest r = request();
    r.exact = true;
    auto exact = SemanticSearch::run(*m_conn, r);
    QVERIFY(exact.ok());
    QVERIFY(!exact.value().indexUsed);
    QVERIFY(exact.value().warnings.join(QLatin1Char('|')).contains(QLatin1String("exact search")));
    auto truth = m_conn->exec(QStringLiteral("SELECT topic_id FROM topic_vectors ORDER BY vector <=> '[1,0,0,0,0,0,0,0]' LIMIT 10"));
    QList<qint64> expected, got;
    for (const auto &row : truth.value().rows)
        expected << row.first().toLongLong();
    for (const SearchHit &h : exact.value().hits)
        got << h.key.toLongLong();
    QCOMPARE(got, expected);
}

void TestSemanticSearch::metricOtherThanTheIndexIsWarnedAbout()
{
    SearchRequest r = request();
    r.metric = SearchMetric::L2;
    auto outcome = SemanticSearch::run(*m_conn, r);
    QVERIFY(outcome.ok());
    QVERIFY(!outcome.value().indexUsed);
    const QString warnings = outcome.value().warnings.join(QLatin1Char('|'));
    QVERIFY2(warnings.contains(QLatin1String("vector_cosine_ops")) && warnings.contains(QLatin1String("serves cosine")),
             qPrintable(warnings));
    QVERIFY(warnings.contains(QLatin1String("does not use an ANN index")));
}

void TestSemanticSearch::thresholdKeepsOnlySimilarEnoughRows()
{
    for (SearchMetric m : {SearchMetric::Cosine, SearchMetric::L2, SearchMetric::InnerProduct}) {
        SearchRequest r = request();
        r.metric = m;
        r.exact = true;
        r.limit = 200;
        auto all = SemanticSearch::run(*m_conn, r);
        QVERIFY(all.ok());
        const double cut = all.value().hits.at(49).similarity; // keep the top 50
        r.threshold = cut;
        auto kept = SemanticSearch::run(*m_conn, r);
        QVERIFY(kept.ok());
        QVERIFY(kept.value().hits.size() >= 50);
        QVERIFY(kept.value().hits.size() < 200);
        for (const SearchHit &h : kept.value().hits)
            QVERIFY(h.similarity >= cut - 1e-9);
    }
}

void TestSemanticSearch::forumFilterAndHostileForumNames()
{
    SearchRequest r = request();
    r.forum = QStringLiteral("f2");
    r.iterativeScan = true;
    auto outcome = SemanticSearch::run(*m_conn, r);
    QVERIFY(outcome.ok());
    QCOMPARE(outcome.value().hits.size(), 10);
    for (const SearchHit &h : outcome.value().hits)
        QCOMPARE(h.forum, QStringLiteral("f2"));
    for (const QString &hostile : {QStringLiteral("x' OR '1'='1"), QStringLiteral("\\"), QStringLiteral("%"), QStringLiteral("日本")}) {
        r.forum = hostile;
        auto none = SemanticSearch::run(*m_conn, r);
        QVERIFY(none.ok());
        QVERIFY(none.value().hits.isEmpty());
    }
}

void TestSemanticSearch::wrongDimensionIsRefusedBeforeAnyQuery()
{
    auto outcome = SemanticSearch::run(*m_conn, request(QStringLiteral("[1,2,3]")));
    QVERIFY(!outcome.ok());
    QVERIFY2(outcome.error().message.contains(QLatin1String("3 dimensions")) && outcome.error().message.contains(QLatin1String("has 8")),
             qPrintable(outcome.error().message));
}

void TestSemanticSearch::likeIdLeavesTheRowItselfOut()
{
    SearchRequest r = request(QString());
    r.likeKey = QStringLiteral("17");
    r.exact = true;
    auto outcome = SemanticSearch::run(*m_conn, r);
    QVERIFY(outcome.ok());
    QCOMPARE(outcome.value().hits.size(), 10);
    for (const SearchHit &h : outcome.value().hits)
        QVERIFY(h.key != QLatin1String("17"));
    r.likeKey = QStringLiteral("999999");
    QVERIFY(!SemanticSearch::run(*m_conn, r).ok());
}

void TestSemanticSearch::planOfTheExactSqlIsShown()
{
    auto plan = SemanticSearch::explain(*m_conn, request(), true);
    QVERIFY(plan.ok());
    QVERIFY2(plan.value().contains(QLatin1String("topic_vectors_hnsw")), qPrintable(plan.value()));
    QVERIFY(plan.value().contains(QLatin1String("actual time")));
}

void TestSemanticSearch::forumMatchesIgnoringCaseAsTheApplicationDoes()
{
    // The reference service compares LOWER(forum_name) = LOWER(?): "F2" finds the rows stored as "f2",
    // read from the table, then through an index on forum_name (a skip scan over its values).
    for (const bool indexed : {false, true}) {
        if (indexed)
            VERIFY_OK(m_conn->exec(QStringLiteral("CREATE INDEX topic_vectors_forum ON topic_vectors (forum_name)")));
        auto spellings = forumSpellings(*m_conn, m_pair, QStringLiteral("F2"));
        VERIFY_OK(spellings);
        QCOMPARE(spellings.value(), QStringList{QStringLiteral("f2")});
        SearchRequest r = request();
        r.forum = QStringLiteral("F2");
        r.iterativeScan = true;
        auto outcome = SemanticSearch::run(*m_conn, r);
        VERIFY_OK(outcome);
        QCOMPARE(outcome.value().hits.size(), 10);
        for (const SearchHit &h : outcome.value().hits)
            QCOMPARE(h.forum, QStringLiteral("f2"));
    }
    VERIFY_OK(m_conn->exec(QStringLiteral("DROP INDEX topic_vectors_forum")));
}

void TestSemanticSearch::likeIdWithSeveralVectorRowsFillsTheLimitWithEachRowOnce()
{
    QVERIFY(!m_pair.keyIsUnique); // the reference design's schema: nothing stops a second vector row
    // Topic 17 twice (itself), and its nearest neighbour twice.
    auto nearest = SemanticSearch::run(*m_conn, [this] {
        SearchRequest r = request(QString());
        r.likeKey = QStringLiteral("17");
        r.exact = true;
        r.limit = 1;
        return r;
    }());
    VERIFY_OK(nearest);
    const RowKey neighbour = nearest.value().hits.first().key;
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT topic_id, forum_name, vector "
                                          "FROM topic_vectors WHERE topic_id IN (17, $1)"),
                           {neighbour}));
    for (const bool exact : {true, false}) {
        SearchRequest r = request(QString());
        r.likeKey = QStringLiteral("17");
        r.exact = exact;
        r.efSearch = 100;
        auto outcome = SemanticSearch::run(*m_conn, r);
        VERIFY_OK(outcome);
        QSet<RowKey> ids;
        for (const SearchHit &h : outcome.value().hits)
            ids.insert(h.key);
        QCOMPARE(outcome.value().hits.size(), 10);
        QCOMPARE(ids.size(), 10);
        QVERIFY(!ids.contains(QStringLiteral("17")));
        QCOMPARE(outcome.value().hits.first().key, neighbour);
        for (const QString &w : outcome.value().warnings)
            QVERIFY2(!w.startsWith(QLatin1String("asked for")), qPrintable(w));
    }
    VERIFY_OK(m_conn->exec(QStringLiteral("DELETE FROM topic_vectors WHERE id > 4000")));
}


void TestSemanticSearch::aColumnWithNoVectorsSaysBackfillFirst()
{
    SearchRequest r = request();
    r.pair = m_posts;
    auto none = SemanticSearch::run(*m_conn, r);
    QVERIFY2(none.ok(), qPrintable(none.ok() ? QString() : none.error().message));
    QVERIFY(none.value().hits.isEmpty());
    QVERIFY(none.value().noVectors);
    // One note, the one that matters: not "no ANN index" or "asked for 10 rows, got 0" beside it.
    QCOMPARE(none.value().warnings,
             QStringList{QStringLiteral("%1.post_vectors.vector holds no vectors yet, so there is nothing to compare the query "
                                        "with: backfill it first")
                             .arg(m_schema)});
    // One vector, NULL: still none to compare with.
    QVERIFY(m_conn->exec(QStringLiteral("INSERT INTO post_vectors (post_id, forum_name, vector) VALUES (1, 'f1', NULL)")).ok());
    auto stillNone = SemanticSearch::run(*m_conn, r);
    QVERIFY(stillNone.ok());
    QVERIFY(stillNone.value().noVectors);
    // A filter that matches nothing, where vectors exist: that is not the same news.
    QVERIFY(m_conn->exec(QStringLiteral("UPDATE post_vectors SET vector = '[1,0,0,0,0,0,0,0]'")).ok());
    r.forum = QStringLiteral("no such forum");
    auto filtered = SemanticSearch::run(*m_conn, r);
    QVERIFY(m_conn->exec(QStringLiteral("DELETE FROM post_vectors")).ok());
    QVERIFY(filtered.ok());
    QVERIFY(filtered.value().hits.isEmpty());
    QVERIFY(!filtered.value().noVectors);
    QVERIFY(filtered.value().warnings.join(QLatin1Char('\n')).contains(QStringLiteral("the filter matches no row")));
}

QTEST_GUILESS_MAIN(TestSemanticSearch)
#include "tst_semanticsearch.moc"
