// tests/db/tst_halfvecindex.cpp — halfvec expression indexes: built by the workbench, found in
// the catalogs, searched through with the cast the planner matches, results ranked at full
// precision, recall measured against full-precision exact search.
#include "../support/TestCluster.h"

#include "maintenance/MaintenanceJob.h"
#include "search/RecallCheck.h"
#include "search/SearchTuning.h"
#include <QTemporaryDir>

using namespace vwb;

class TestHalfvecIndex : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void createsACastIndexWithTheHalfvecOperatorClass();
    void theCatalogsNameTheCastAndNothingElse();
    void searchesGoThroughItAndRankAtFullPrecision();
    void recallIsMeasuredAgainstFullPrecision();
    void badRequestsSayWhy();
    void aTunedSettingBelongsToTheIndexSearched();

private:
    SearchRequest request(SearchPrecision precision) const;
    const VectorColumn &column() const { return m_pair.columns.first(); }
    void rediscover();
    const QString m_schema = QStringLiteral("tst_halfvecindex");
    ConnectionProfile m_profile;
    std::unique_ptr<PgConnection> m_conn;
    ContentPair m_pair;
    QString m_query;
};

void TestHalfvecIndex::initTestCase()
{
    // 10,000 rows of 16 dimensions, a full-precision HNSW index beside the halfvec one built below,
    // and an expression index that is no cast (the search must not take it for one).
    test::resetSchema(
        m_schema,
        QStringLiteral(
            "SELECT setseed(0.31);"
            "CREATE TABLE topics (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL, "
            "content text NOT NULL);"
            "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int UNIQUE REFERENCES topics(id), "
            "forum_name varchar NOT NULL, vector vector(16) NOT NULL);"
            "INSERT INTO topics (forum_name, title, content) SELECT 'f', 't' || g, 'c' FROM generate_series(1, 10000) g;"
            "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, "
            "  (SELECT array_agg(random() - 0.5)::vector(16) FROM generate_series(1, 16) WHERE id > 0) FROM topics;"
            "CREATE INDEX topic_vectors_full ON topic_vectors USING hnsw (vector vector_cosine_ops);"
            "CREATE INDEX topic_vectors_normalized ON topic_vectors USING hnsw ((l2_normalize(vector)::vector(16)) vector_l2_ops);"
            "CREATE TABLE wide (id serial PRIMARY KEY, v vector(2500), h halfvec(16), huge vector(4001));"
            "ANALYZE topics; ANALYZE topic_vectors;"));
    m_profile = test::profileInSchema(m_schema);
    m_conn = test::connect(m_profile);
    rediscover();
    QStringList parts;
    for (int i = 0; i < 16; ++i)
        parts << QString::number(std::sin(0.7 * i + 0.2), 'f', 6);
    m_query = QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
}

void TestHalfvecIndex::cleanupTestCase()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

void TestHalfvecIndex::rediscover()
{
    auto schema = discoverSchema(*m_conn);
    VERIFY_OK(schema);
    m_pair = *schema.value().find(m_schema + QStringLiteral(".topics"));
}

SearchRequest TestHalfvecIndex::request(SearchPrecision precision) const
{
    SearchRequest r;
    r.pair = m_pair;
    r.vector = m_query;
    r.limit = 10;
    r.precision = precision;
    r.efSearch = 100;
    return r;
}

void TestHalfvecIndex::createsACastIndexWithTheHalfvecOperatorClass()
{
    MaintenanceRequest r;
    r.kind = MaintenanceRequest::Kind::CreateIndex;
    r.table = {m_schema, QStringLiteral("topic_vectors")};
    r.column = QStringLiteral("vector");
    r.halfvec = true;
    r.concurrently = true;
    auto plan = planMaintenance(*m_conn, r);
    VERIFY_OK(plan);
    QVERIFY2(plan.value().sql().contains(QLatin1String("CREATE INDEX CONCURRENTLY \"topic_vectors_vector_hnsw_cosine_halfvec_idx\" "
                                                       "ON \"tst_halfvecindex\".\"topic_vectors\" USING hnsw ((\"vector\"::halfvec(16)) "
                                                       "halfvec_cosine_ops)")),
             qPrintable(plan.value().sql()));
    JobContext ctx;
    VERIFY_OK(MaintenanceJob(m_profile, plan.value()).run(ctx));
    // Half the size of the full-precision graph on the same rows (16-dimension elements are small
    // beside the graph's links, so less than half is saved here than at 1,536).
    auto sizes = m_conn->exec(QStringLiteral("SELECT pg_relation_size('topic_vectors_vector_hnsw_cosine_halfvec_idx'), "
                                             "pg_relation_size('topic_vectors_full')"));
    VERIFY_OK(sizes);
    QVERIFY2(sizes.value().value(0, 0).toLongLong() < sizes.value().value(0, 1).toLongLong(),
             qPrintable(sizes.value().rows.first().join(QLatin1Char(' '))));
    rediscover();
    // a second time: refused at the plan, before any job starts
    auto again = planMaintenance(*m_conn, r);
    QVERIFY(!again.ok());
    QVERIFY2(again.error().message.contains(QLatin1String("topic_vectors_vector_hnsw_cosine_halfvec_idx already exists"))
                 && again.error().message.contains(QLatin1String("--name")),
             qPrintable(again.error().message));
}

void TestHalfvecIndex::theCatalogsNameTheCastAndNothingElse()
{
    QHash<QString, VectorIndex> byName;
    for (const VectorIndex &i : column().indexes)
        byName.insert(i.name, i);
    QVERIFY2(byName.contains(QStringLiteral("topic_vectors_vector_hnsw_cosine_halfvec_idx")), qPrintable(byName.keys().join(' ')));
    const VectorIndex half = byName.value(QStringLiteral("topic_vectors_vector_hnsw_cosine_halfvec_idx"));
    QCOMPARE(half.keyType, QStringLiteral("halfvec(16)"));
    QVERIFY(half.expression && half.castOfColumn);
    QCOMPARE(half.halfvecDimensions(), 16);
    QCOMPARE(half.opclass, QStringLiteral("halfvec_cosine_ops"));
    const VectorIndex full = byName.value(QStringLiteral("topic_vectors_full"));
    QVERIFY(!full.expression && !full.castOfColumn);
    QCOMPARE(full.keyType, QStringLiteral("vector(16)"));
    QCOMPARE(full.halfvecDimensions(), 0);
    // An expression of the column that is no cast: listed with it, never searched through as one.
    const VectorIndex normalized = byName.value(QStringLiteral("topic_vectors_normalized"));
    QVERIFY(normalized.expression && !normalized.castOfColumn);
    QCOMPARE(normalized.halfvecDimensions(), 0);
    QVERIFY(!chooseIndex(column(), SearchMetric::L2, SearchPrecision::Auto).index);

    QCOMPARE(chooseIndex(column(), SearchMetric::Cosine, SearchPrecision::Auto).index->name, half.name);
    QCOMPARE(chooseIndex(column(), SearchMetric::Cosine, SearchPrecision::Half).halfvecDimensions, 16);
    QCOMPARE(chooseIndex(column(), SearchMetric::Cosine, SearchPrecision::Full).index->name, full.name);
    QCOMPARE(chooseIndex(column(), SearchMetric::Cosine, SearchPrecision::Full).halfvecDimensions, 0);
}

void TestHalfvecIndex::searchesGoThroughItAndRankAtFullPrecision()
{
    auto half = SemanticSearch::run(*m_conn, request(SearchPrecision::Auto));
    VERIFY_OK(half);
    QVERIFY2(half.value().indexUsed, qPrintable(SemanticSearch::explain(*m_conn, request(SearchPrecision::Auto), false).value()));
    QCOMPARE(half.value().indexName, QStringLiteral("topic_vectors_vector_hnsw_cosine_halfvec_idx"));
    QCOMPARE(half.value().halfvecDimensions, 16);
    QCOMPARE(half.value().hits.size(), 10);
    // Each distance is the full-precision one, and the list is in its order.
    QStringList keys;
    for (const SearchHit &h : half.value().hits)
        keys << h.key;
    auto truth = m_conn->exec(QStringLiteral("SELECT topic_id::text, (vector <=> $1::vector)::text FROM topic_vectors "
                                             "WHERE topic_id = ANY($2::int[])"),
                              {m_query, QLatin1Char('{') + keys.join(QLatin1Char(',')) + QLatin1Char('}')});
    VERIFY_OK(truth);
    QHash<QString, double> fullDistance;
    for (const QStringList &row : truth.value().rows)
        fullDistance.insert(row.at(0), row.at(1).toDouble());
    double previous = -1;
    for (const SearchHit &h : half.value().hits) {
        QVERIFY2(std::abs(h.distance - fullDistance.value(h.key, -9)) < 1e-12,
                 qPrintable(QStringLiteral("%1: %2 vs %3").arg(h.key).arg(h.distance).arg(fullDistance.value(h.key))));
        QVERIFY(h.distance >= previous);
        previous = h.distance;
    }

    auto full = SemanticSearch::run(*m_conn, request(SearchPrecision::Full));
    VERIFY_OK(full);
    QCOMPARE(full.value().indexName, QStringLiteral("topic_vectors_full"));
    QCOMPARE(full.value().halfvecDimensions, 0);
    QVERIFY(!full.value().sql.contains(QLatin1String("::halfvec(")));
    auto plan = SemanticSearch::explain(*m_conn, request(SearchPrecision::Half), false);
    VERIFY_OK(plan);
    QVERIFY2(plan.value().contains(QLatin1String("topic_vectors_vector_hnsw_cosine_halfvec_idx")), qPrintable(plan.value()));
}

void TestHalfvecIndex::recallIsMeasuredAgainstFullPrecision()
{
    SearchRequest exact = request(SearchPrecision::Half);
    exact.exact = true;
    QCOMPARE(SemanticSearch::halfvecOrder(exact), 0);
    QVariantList params;
    QVERIFY(!SemanticSearch::sqlFor(
                 exact, [](const QString &s) { return s; }, &params)
                 .contains(QLatin1String("::halfvec(")));
    auto report = measureRecall(*m_conn, request(SearchPrecision::Half), 30, 10);
    VERIFY_OK(report);
    QCOMPARE(report.value().indexName, QStringLiteral("topic_vectors_vector_hnsw_cosine_halfvec_idx"));
    // 16 random dimensions at ef_search 100: the graph finds nearly all; halfvec's rounding (about
    // 1e-3 of each value) may swap a near tie at the tenth place, no more.
    QVERIFY2(report.value().meanRecall >= 0.9, qPrintable(QString::number(report.value().meanRecall)));
}

void TestHalfvecIndex::badRequestsSayWhy()
{
    MaintenanceRequest r;
    r.kind = MaintenanceRequest::Kind::CreateIndex;
    r.table = {m_schema, QStringLiteral("wide")};
    r.column = QStringLiteral("v");
    auto tooWide = planMaintenance(*m_conn, r);
    QVERIFY(!tooWide.ok());
    QVERIFY2(tooWide.error().message.contains(QLatin1String("2500 dimensions"))
                 && tooWide.error().message.contains(QLatin1String("--halfvec")),
             qPrintable(tooWide.error().message));
    r.halfvec = true;
    auto half = planMaintenance(*m_conn, r);
    VERIFY_OK(half);
    QVERIFY2(half.value().sql().contains(QLatin1String("((\"v\"::halfvec(2500)) halfvec_cosine_ops)")), qPrintable(half.value().sql()));
    r.column = QStringLiteral("h");
    auto already = planMaintenance(*m_conn, r);
    QVERIFY(!already.ok() && already.error().message.contains(QLatin1String("already halfvec")));
    r.column = QStringLiteral("huge");
    auto huge = planMaintenance(*m_conn, r);
    QVERIFY(!huge.ok() && huge.error().message.contains(QLatin1String("at most 4000")));

    // Half precision asked for on a column with no halfvec index for the metric.
    SearchRequest l2 = request(SearchPrecision::Half);
    l2.metric = SearchMetric::L2;
    auto refused = SemanticSearch::run(*m_conn, l2);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.contains(QLatin1String("No valid halfvec index"))
                 && refused.error().message.contains(QLatin1String("--halfvec")),
             qPrintable(refused.error().message));
}

void TestHalfvecIndex::aTunedSettingBelongsToTheIndexSearched()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("tuning.sqlite"));
    TunedSetting s;
    s.index = m_schema + QStringLiteral(".topic_vectors_vector_hnsw_cosine_halfvec_idx");
    s.knob = QStringLiteral("ef_search");
    s.value = 77;
    s.recall = 0.97;
    s.target = 0.95;
    s.k = 10;
    VERIFY_OK(SearchTuning(path).record(QStringLiteral("p"), s));
    SearchRequest half = request(SearchPrecision::Auto);
    half.efSearch = 0;
    QVERIFY(applyTunedSetting(half, QStringLiteral("p"), path).has_value());
    QCOMPARE(half.efSearch, 77);
    SearchRequest full = request(SearchPrecision::Full);
    full.efSearch = 0;
    QVERIFY(!applyTunedSetting(full, QStringLiteral("p"), path).has_value());
    QCOMPARE(full.efSearch, 0);
}

QTEST_GUILESS_MAIN(TestHalfvecIndex)
#include "tst_halfvecindex.moc"
