// tests/unit/tst_searchsql.cpp — the search SQL's shape, thresholds per metric, plan reading.
#include "maintenance/IndexList.h"
#include "search/RecallCheck.h"
#include "search/SemanticSearch.h"
#include <QTest>

using namespace vwb;

class TestSearchSql : public QObject
{
    Q_OBJECT
private slots:
    void thresholdsMapToDistancesPerMetric_data();
    void thresholdsMapToDistancesPerMetric();
    void innerQueryOrdersByTheOperatorSoTheIndexCanServeIt_data();
    void innerQueryOrdersByTheOperatorSoTheIndexCanServeIt();
    void knobsBecomeSetLocal();
    void forumNotYetResolvedComparesLikeTheApplication();
    void withoutAUniqueKeyEachRowComesOnceAtItsNearest();
    void indexesAreReadFromAJsonPlan();
    void recallCountsTheShareOfTheTruthFound();
    void dimensionsAreCountedFromVectorText();
    void aHalfvecIndexIsSearchedThroughItsCast();
    void indexTablesKeepTheirColumnsInLine();
};

namespace {
ContentPair pair()
{
    ContentPair p;
    p.content = {QStringLiteral("public"), QStringLiteral("topics")};
    p.vectors = {QStringLiteral("public"), QStringLiteral("topic_vectors")};
    p.foreignKey = QStringLiteral("topic_id");
    p.contentColumns = {QStringLiteral("id"), QStringLiteral("forum_name"), QStringLiteral("title"), QStringLiteral("content"),
                        QStringLiteral("created_at")};
    p.vectorTableColumns = {QStringLiteral("id"), QStringLiteral("topic_id"), QStringLiteral("forum_name"), QStringLiteral("vector")};
    p.roles.text = QStringLiteral("content");
    p.roles.title = QStringLiteral("title");
    p.roles.filter = QStringLiteral("forum_name");
    p.contentTypes.insert(QStringLiteral("forum_name"), QStringLiteral("varchar"));
    VectorColumn c;
    c.name = QStringLiteral("vector");
    c.type = QStringLiteral("vector");
    c.dimensions = 3;
    p.columns << c;
    return p;
}
QString quote(const QString &s)
{
    return QLatin1Char('"') + s + QLatin1Char('"');
}
} // namespace

void TestSearchSql::thresholdsMapToDistancesPerMetric_data()
{
    QTest::addColumn<int>("metric");
    QTest::addColumn<double>("distance");
    QTest::addColumn<double>("similarity");
    QTest::newRow("l2 zero distance") << int(SearchMetric::L2) << 0.0 << 1.0;
    QTest::newRow("l2 one") << int(SearchMetric::L2) << 1.0 << 0.5;
    QTest::newRow("l2 three") << int(SearchMetric::L2) << 3.0 << 0.25;
    QTest::newRow("cosine same") << int(SearchMetric::Cosine) << 0.0 << 1.0;
    QTest::newRow("cosine orthogonal") << int(SearchMetric::Cosine) << 1.0 << 0.0;
    QTest::newRow("cosine opposite") << int(SearchMetric::Cosine) << 2.0 << -1.0;
    QTest::newRow("ip: <#> is the negative inner product") << int(SearchMetric::InnerProduct) << -0.8 << 0.8;
}

void TestSearchSql::thresholdsMapToDistancesPerMetric()
{
    QFETCH(int, metric);
    QFETCH(double, distance);
    QFETCH(double, similarity);
    QCOMPARE(similarityFromDistance(SearchMetric(metric), distance), similarity);
    QCOMPARE(distanceFromSimilarity(SearchMetric(metric), similarity), distance);
}

void TestSearchSql::innerQueryOrdersByTheOperatorSoTheIndexCanServeIt_data()
{
    QTest::addColumn<int>("metric");
    QTest::addColumn<QString>("op");
    QTest::newRow("l2") << int(SearchMetric::L2) << "<->";
    QTest::newRow("cosine") << int(SearchMetric::Cosine) << "<=>";
    QTest::newRow("ip") << int(SearchMetric::InnerProduct) << "<#>";
}

void TestSearchSql::innerQueryOrdersByTheOperatorSoTheIndexCanServeIt()
{
    QFETCH(int, metric);
    QFETCH(QString, op);
    SearchRequest r;
    r.pair = pair();
    r.vector = QStringLiteral("[1,2,3]");
    r.metric = SearchMetric(metric);
    r.forum = QStringLiteral("O'Hara");
    r.forumSpellings = {QStringLiteral("o'hara"), QStringLiteral("O'HARA")}; // as run() resolves them
    r.threshold = 0.5;
    r.limit = 7;
    QVariantList params;
    const QString sql = SemanticSearch::sqlFor(r, quote, &params);
    QVERIFY2(sql.contains(QStringLiteral("ORDER BY v.\"vector\" %1 $1::vector LIMIT $3").arg(op)), qPrintable(sql));
    QVERIFY2(sql.contains(QLatin1String("v.\"forum_name\" = ANY($2::text[])")), qPrintable(sql)); // equality on the stored values
    QVERIFY(!sql.contains(QLatin1String("LOWER"), Qt::CaseInsensitive));                          // no function on the column
    QVERIFY(sql.contains(QLatin1String(") n JOIN \"public\".\"topics\" c")));                     // join and threshold outside
    QVERIFY(sql.contains(QLatin1String("WHERE n.distance <= $4")));
    QCOMPARE(params.at(1).toString(), QStringLiteral("{\"o'hara\",\"O'HARA\"}"));
    QCOMPARE(params.at(3).toDouble(), distanceFromSimilarity(SearchMetric(metric), 0.5));
    QCOMPARE(params.last().toInt(), 7);
}

void TestSearchSql::forumNotYetResolvedComparesLikeTheApplication()
{
    SearchRequest r;
    r.pair = pair();
    r.vector = QStringLiteral("[1,2,3]");
    r.forum = QStringLiteral("Travel");
    QVariantList params;
    const QString sql = SemanticSearch::sqlFor(r, quote, &params);
    QVERIFY2(sql.contains(QLatin1String("lower(v.\"forum_name\") = lower($2)")), qPrintable(sql)); // LOWER(forum_name) = LOWER(?)
    QCOMPARE(params.at(1).toString(), QStringLiteral("Travel"));
}

void TestSearchSql::withoutAUniqueKeyEachRowComesOnceAtItsNearest()
{
    SearchRequest r;
    r.pair = pair();
    r.pair.keyIsUnique = false;
    r.vector = QStringLiteral("[1,2,3]");
    r.limit = 5;
    r.likeKey = QStringLiteral("42");
    QVariantList params;
    const QString sql = SemanticSearch::sqlFor(r, quote, &params);
    QVERIFY2(sql.contains(QLatin1String("SELECT DISTINCT ON (ref) * FROM (")), qPrintable(sql));
    QVERIFY2(sql.contains(QLatin1String("v.\"topic_id\" IS DISTINCT FROM $2")), qPrintable(sql)); // itself, every copy, in the scan
    QCOMPARE(params.at(1).toLongLong(), 42);
    QCOMPARE(params.at(2).toInt(), 10); // twice the limit fetched, so duplicates don't take the place of rows
    QCOMPARE(params.last().toInt(), 5);
    r.pair.keyIsUnique = true;
    QVERIFY(!SemanticSearch::sqlFor(r, quote, &params).contains(QLatin1String("DISTINCT ON")));
    QCOMPARE(params.at(2).toInt(), 5);
}

void TestSearchSql::knobsBecomeSetLocal()
{
    SearchRequest r;
    r.efSearch = 80;
    r.probes = 12;
    r.iterativeScan = true;
    QCOMPARE(SemanticSearch::settingsFor(r),
             (QStringList{"SET LOCAL hnsw.ef_search = 80", "SET LOCAL ivfflat.probes = 12",
                          "SET LOCAL hnsw.iterative_scan = relaxed_order", "SET LOCAL ivfflat.iterative_scan = relaxed_order"}));
    r.exact = true;
    QVERIFY(SemanticSearch::settingsFor(r).contains(QStringLiteral("SET LOCAL enable_indexscan = off")));
}

void TestSearchSql::indexesAreReadFromAJsonPlan()
{
    const QString plan = QStringLiteral(R"([{"Plan": {"Node Type": "Limit", "Plans": [{"Node Type": "Nested Loop", "Plans": [
        {"Node Type": "Index Scan", "Index Name": "topic_vectors_vector_hnsw_idx"},
        {"Node Type": "Index Scan", "Index Name": "topics_pkey"}]}]}}])");
    QCOMPARE(SemanticSearch::indexesInPlan(plan), (QStringList{"topic_vectors_vector_hnsw_idx", "topics_pkey"}));
    QVERIFY(SemanticSearch::indexesInPlan(QStringLiteral("not json")).isEmpty());
}

void TestSearchSql::recallCountsTheShareOfTheTruthFound()
{
    QCOMPARE(recallOf({"1", "2", "3", "4"}, {"1", "2", "3", "5"}), 0.75);
    QCOMPARE(recallOf({}, {"1"}), 0.0);
    QCOMPARE(recallOf({"1"}, {}), 1.0);
    QCOMPARE(recallOf({"7f1c", "b2"}, {"b2", "9e"}), 0.5); // uuids and text keys alike
}

void TestSearchSql::dimensionsAreCountedFromVectorText()
{
    QCOMPARE(SemanticSearch::dimensionsOf(QStringLiteral("[1,2,3]")), 3);
    QCOMPARE(SemanticSearch::dimensionsOf(QStringLiteral("[]")), 0);
    QCOMPARE(SemanticSearch::dimensionsOf(QStringLiteral("1,2")), 0);
}

void TestSearchSql::aHalfvecIndexIsSearchedThroughItsCast()
{
    SearchRequest r;
    r.pair = pair();
    r.vector = QStringLiteral("[1,2,3]");
    VectorIndex full{QStringLiteral("full"),
                     QStringLiteral("hnsw"),
                     QStringLiteral("vector_cosine_ops"),
                     true,
                     {},
                     QStringLiteral("vector(3)"),
                     false,
                     false};
    VectorIndex half{QStringLiteral("half"),
                     QStringLiteral("hnsw"),
                     QStringLiteral("halfvec_cosine_ops"),
                     true,
                     {},
                     QStringLiteral("halfvec(3)"),
                     true,
                     true};
    r.pair.columns.first().indexes = {full, half};
    QVariantList params;
    const QString viaHalf = SemanticSearch::sqlFor(r, quote, &params);
    // Ordered by the indexed cast, so the planner can use the index; the distance returned is the full one.
    QVERIFY2(viaHalf.contains(QLatin1String("SELECT v.\"topic_id\" AS ref, v.\"vector\" <=> $1::vector AS distance FROM "
                                            "\"public\".\"topic_vectors\" v ORDER BY v.\"vector\"::halfvec(3) <=> "
                                            "$1::vector::halfvec(3) LIMIT $2")),
             qPrintable(viaHalf));
    QVERIFY2(viaHalf.contains(QLatin1String("ORDER BY n.distance, n.ref")), qPrintable(viaHalf));
    QCOMPARE(SemanticSearch::halfvecOrder(r), 3);
    for (const auto &[name, change] : std::initializer_list<std::pair<const char *, std::function<void(SearchRequest &)>>>{
             {"full precision", [](SearchRequest &q) { q.precision = SearchPrecision::Full; }},
             {"exact", [](SearchRequest &q) { q.exact = true; }},
             {"candidates", [](SearchRequest &q) { q.candidates = {QStringLiteral("7")}; }},
             {"l2 (no halfvec index serves it)", [](SearchRequest &q) { q.metric = SearchMetric::L2; }},
             {"a halfvec column's own index", [](SearchRequest &q) { q.pair.columns.first().type = QStringLiteral("halfvec"); }}}) {
        SearchRequest other = r;
        change(other);
        QVERIFY2(!SemanticSearch::sqlFor(other, quote, &params).contains(QLatin1String("::halfvec(")), name);
        QCOMPARE(SemanticSearch::halfvecOrder(other), 0);
    }
    // An expression index that is not the cast (castOfColumn false) is never taken for one.
    r.pair.columns.first().indexes.last().castOfColumn = false;
    QCOMPARE(SemanticSearch::halfvecOrder(r), 0);
    QCOMPARE(chooseIndex(r.pair.columns.first(), SearchMetric::Cosine, SearchPrecision::Auto).index->name, QStringLiteral("full"));
    QVERIFY(!chooseIndex(r.pair.columns.first(), SearchMetric::Cosine, SearchPrecision::Half).index);
    SearchPrecision p = SearchPrecision::Auto;
    QVERIFY(parsePrecision(QStringLiteral("halfvec"), &p) && p == SearchPrecision::Half);
    QVERIFY(!parsePrecision(QStringLiteral("quarter"), &p));
}

void TestSearchSql::indexTablesKeepTheirColumnsInLine()
{
    IndexInfo shortName{QStringLiteral("public"),
                        QStringLiteral("a_idx"),
                        QStringLiteral("t"),
                        QStringLiteral("btree"),
                        {QStringLiteral("int4_ops")},
                        {},
                        1024,
                        true,
                        false,
                        3};
    IndexInfo longName = shortName;
    longName.name = QStringLiteral("topic_vectors_vector_hnsw_cosine_halfvec_idx");
    longName.method = QStringLiteral("hnsw");
    const QStringList lines = indexTableLines({shortName, longName});
    QCOMPARE(lines.size(), 3);
    const qsizetype method = lines.first().indexOf(QLatin1String("METHOD"));
    QCOMPARE(lines.at(1).indexOf(QLatin1String("btree")), method);
    QCOMPARE(lines.at(2).indexOf(QLatin1String("hnsw ")), method);
}

QTEST_GUILESS_MAIN(TestSearchSql)
#include "tst_searchsql.moc"
