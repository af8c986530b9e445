// tests/db/tst_recallsweep.cpp — recall-targeted search: the sweep over ef_search, the setting it
// keeps and searches then use, and k rows whenever k rows pass a filter.
#include "../support/TestCluster.h"

#include "metrics/SizeHistory.h"
#include "search/RecallSweep.h"
#include "search/SearchService.h"
#include "search/SearchTuning.h"
#include <QScopeGuard>
#include <QTemporaryDir>

using namespace vwb;

class TestRecallSweep : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void theCheapestPointMeetingTheTargetWins();
    void sweepMeasuresEveryValueBothWaysAndKeepsItsChoice();
    void aFilteredSearchReturnsKRowsWhenKRowsPass();
    void recallIsMeasuredOnTheIndexAloneNotOnTheRefill();

private:
    SearchRequest request(const QString &forum = {}) const;
    const QString m_schema = QStringLiteral("tst_recallsweep");
    std::unique_ptr<PgConnection> m_conn;
    ContentPair m_pair;
    QTemporaryDir m_dir;
};

void TestRecallSweep::initTestCase()
{
    // 4,000 rows; forum 'rare' holds 1 in 10 of them, so few of an ANN scan's first candidates pass it.
    test::resetSchema(
        m_schema,
        QStringLiteral("SELECT setseed(0.17);"
                       "CREATE TABLE topics (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL, "
                       "content text NOT NULL);"
                       "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int UNIQUE REFERENCES topics(id), "
                       "forum_name varchar NOT NULL, vector vector(8) NOT NULL);"
                       "INSERT INTO topics (forum_name, title, content) SELECT CASE WHEN g % 10 = 0 THEN 'rare' ELSE 'common' END, "
                       "'t' || g, 'c' FROM generate_series(1, 4000) g;"
                       "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, "
                       "  (SELECT array_agg(random() - 0.5)::vector(8) FROM generate_series(1, 8) WHERE id > 0) FROM topics;"
                       "CREATE INDEX topic_vectors_hnsw ON topic_vectors USING hnsw (vector vector_cosine_ops) WITH (m = 4, "
                       "ef_construction = 8);"
                       "ANALYZE topics; ANALYZE topic_vectors;"));
    m_conn = test::connect(test::profileInSchema(m_schema));
    auto schema = discoverSchema(*m_conn);
    VERIFY_OK(schema);
    m_pair = *schema.value().find(m_schema + QStringLiteral(".topics"));
    QVERIFY(m_dir.isValid());
}

void TestRecallSweep::cleanupTestCase()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

SearchRequest TestRecallSweep::request(const QString &forum) const
{
    SearchRequest r;
    r.pair = m_pair;
    r.vector = QStringLiteral("[1,0,0,0,0,0,0,0]");
    r.forum = forum;
    r.limit = 10;
    return r;
}

void TestRecallSweep::theCheapestPointMeetingTheTargetWins()
{
    // value, iterative, recall, its lower bound, median ms, p90 ms, short lists
    const QList<SweepPoint> points{{10, false, 0.80, 0.78, 1.0, 1.2, 0},   {40, false, 0.96, 0.955, 2.0, 2.5, 0},
                                   {100, false, 0.99, 0.988, 4.0, 5.0, 0}, {10, true, 0.97, 0.96, 1.5, 1.9, 3},
                                   {40, true, 0.98, 0.97, 1.8, 2.2, 0},    {20, true, 0.96, 0.94, 1.6, 1.9, 0}};
    // 40 iterative: faster than 40 without; 10 iterative came back short; 20 iterative's mean
    // meets 0.95 but the lower end of its interval does not.
    QCOMPARE(chooseSweepPoint(points, 0.95), 4);
    QCOMPARE(chooseSweepPoint(points, 0.985), 2);
    QCOMPARE(chooseSweepPoint(points, 0.999), -1);
    QCOMPARE(sweepValues(QStringLiteral("hnsw"), 10, 0).first(), 10);
    QCOMPARE(sweepValues(QStringLiteral("hnsw"), 50, 0).first(), 50);
    QCOMPARE(sweepValues(QStringLiteral("hnsw"), 10, 0).last(), 1000);
    QCOMPARE(sweepValues(QStringLiteral("ivfflat"), 10, 100), (QList<int>{1, 2, 4, 8, 16, 32, 64, 100}));
}

void TestRecallSweep::sweepMeasuresEveryValueBothWaysAndKeepsItsChoice()
{
    auto swept = sweepRecall(*m_conn, request(), 12, 10, 0.9);
    VERIFY_OK(swept);
    const RecallSweepReport &r = swept.value();
    QCOMPARE(r.index, QStringLiteral("topic_vectors_hnsw"));
    QCOMPARE(r.knob, QStringLiteral("ef_search"));
    QCOMPARE(r.samples, 12);
    const QList<int> values = sweepValues(QStringLiteral("hnsw"), 10, 0);
    // Each pass (without, then with iterative scan) climbs the values in order and stops one
    // value after the first that meets the target, or at the last value.
    for (bool iterative : {false, true}) {
        QList<SweepPoint> pass;
        for (const SweepPoint &p : r.points)
            if (p.iterative == iterative)
                pass << p;
        QVERIFY(!pass.isEmpty());
        qsizetype firstMet = -1;
        for (qsizetype i = 0; i < pass.size(); ++i) {
            QCOMPARE(pass.at(i).value, values.at(i));
            QVERIFY(pass.at(i).recall >= 0 && pass.at(i).recall <= 1);
            if (firstMet < 0 && pass.at(i).recallLow + 1e-9 >= 0.9 && pass.at(i).shortQueries == 0)
                firstMet = i;
        }
        QCOMPARE(pass.size(), firstMet < 0 ? values.size() : std::min(firstMet + 2, values.size()));
    }
    QCOMPARE(r.points.first().iterative, false);
    // ef_search 10 on a graph of m 4, ef_construction 8 misses; the sweep goes on until one meets.
    QVERIFY2(r.points.first().recall < 0.9, qPrintable(QString::number(r.points.first().recall)));
    QVERIFY(r.choice());
    QVERIFY(r.choice()->recall >= 0.9 && r.choice()->shortQueries == 0);

    // Kept, and used by a search that sets no knob of its own; an explicit ef_search wins.
    const QString path = m_dir.filePath(QStringLiteral("tuning.sqlite"));
    const QString profile = SizeHistory::profileKey(m_conn->profile());
    VERIFY_OK(SearchTuning(path).record(profile, {m_schema + QStringLiteral(".topic_vectors_hnsw"), r.knob, 37, true, r.choice()->recall,
                                                  0.9, 10, QDateTime::currentDateTimeUtc()}));
    SearchQuery query{request(), {}, QStringLiteral("lexical"), false, path};
    query.request.likeKey = QStringLiteral("5");
    auto tuned = runSearch(*m_conn, query);
    VERIFY_OK(tuned);
    QVERIFY2(tuned.value().tuned.startsWith(QLatin1String("ef_search 37 with iterative scan")), qPrintable(tuned.value().tuned));
    QVERIFY(tuned.value().outcome.settings.contains(QStringLiteral("SET LOCAL hnsw.ef_search = 37")));
    query.request.efSearch = 200;
    auto explicitOne = runSearch(*m_conn, query);
    VERIFY_OK(explicitOne);
    QVERIFY(explicitOne.value().tuned.isEmpty());
    QVERIFY(explicitOne.value().outcome.settings.contains(QStringLiteral("SET LOCAL hnsw.ef_search = 200")));
}

void TestRecallSweep::aFilteredSearchReturnsKRowsWhenKRowsPass()
{
    // On 4,000 rows the planner may rather read the rare rows exactly: make it take the index.
    VERIFY_OK(m_conn->exec(QStringLiteral("SET enable_seqscan = off")));
    const auto reset = qScopeGuard([this] { (void)m_conn->exec(QStringLiteral("RESET enable_seqscan")); });
    SearchRequest r = request(QStringLiteral("rare"));
    r.efSearch = 10;
    auto alone = SemanticSearch::runOnce(*m_conn, r);
    VERIFY_OK(alone);
    QVERIFY(alone.value().indexUsed);
    QVERIFY2(alone.value().hits.size() < 10, "ef_search 10 with a 10% filter comes back short");
    auto full = SemanticSearch::run(*m_conn, r);
    VERIFY_OK(full);
    QCOMPARE(full.value().hits.size(), 10);
    for (const SearchHit &h : full.value().hits)
        QCOMPARE(h.forum, QStringLiteral("rare"));
    // Nearest first, as approximate as the index (iterative scans keep its recall, not exact search's).
    for (int i = 1; i < 10; ++i)
        QVERIFY(full.value().hits.at(i - 1).distance <= full.value().hits.at(i).distance);
    QVERIFY2(full.value().warnings.join(QLatin1Char('\n')).contains(QLatin1String("the index returned")),
             qPrintable(full.value().warnings.join(QLatin1Char('\n'))));
    // A limit past what an iterative scan gathers at once still gets every row asked for.
    r.exact = false;
    r.limit = 300;
    auto many = SemanticSearch::run(*m_conn, r);
    VERIFY_OK(many);
    QCOMPARE(many.value().hits.size(), 300);
}

void TestRecallSweep::recallIsMeasuredOnTheIndexAloneNotOnTheRefill()
{
    VERIFY_OK(m_conn->exec(QStringLiteral("SET enable_seqscan = off")));
    const auto reset = qScopeGuard([this] { (void)m_conn->exec(QStringLiteral("RESET enable_seqscan")); });
    SearchRequest r = request(QStringLiteral("rare"));
    auto swept = sweepRecall(*m_conn, r, 8, 10, 0.95);
    VERIFY_OK(swept);
    // ef_search 10 without iterative scan seldom finds 10 rare rows: short, whatever the refill does for searches.
    QCOMPARE(swept.value().points.first().value, 10);
    QVERIFY(!swept.value().points.first().iterative);
    QVERIFY(swept.value().points.first().shortQueries > 0);
    QVERIFY(swept.value().points.first().recall < 0.9);
    QCOMPARE(swept.value().forum, QStringLiteral("rare"));
}

QTEST_GUILESS_MAIN(TestRecallSweep)
#include "tst_recallsweep.moc"
