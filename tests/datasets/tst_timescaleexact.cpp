// tests/datasets/tst_timescaleexact.cpp — real OpenAI vectors (../shared/data, label data):
// exact search returns the known top-10 for both models; the HNSW index finds nearly all of them.
#include "../support/TestCluster.h"

#include "data/CorpusImport.h"
#include "migrations/MigrationRunner.h"
#include "search/RecallCheck.h"
#include <QFile>

using namespace vwb;

class TestTimescaleExact : public QObject
{
    Q_OBJECT
private slots:
    void exactSearchReturnsTheKnownTop10_data();
    void exactSearchReturnsTheKnownTop10();

private:
    static QString dataDir();
};

QString TestTimescaleExact::dataDir()
{
    const QString env = qEnvironmentVariable("VWB_SHARED_DATA");
    return (env.isEmpty() ? QStringLiteral(VWB_SHARED_DATA) : env) + QStringLiteral("/timescale-blog-openai-embeddings");
}

void TestTimescaleExact::exactSearchReturnsTheKnownTop10_data()
{
    QTest::addColumn<QString>("model");
    QTest::newRow("text-embedding-3-small") << QStringLiteral("text-embedding-3-small");
    QTest::newRow("text-embedding-ada-002") << QStringLiteral("text-embedding-ada-002");
}

void TestTimescaleExact::exactSearchReturnsTheKnownTop10()
{
    QFETCH(QString, model);
    QVERIFY2(QFile::exists(dataDir() + QStringLiteral("/topics.jsonl")), qPrintable("missing data: " + dataDir()));
    const QString schema = QStringLiteral("tst_timescale_%1").arg(QString(model).replace(QLatin1Char('-'), QLatin1Char('_')));
    auto admin = test::connect();
    QVERIFY(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1;").arg(schema)).ok());
    ConnectionProfile p = test::clusterProfile();
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(schema));
    auto conn = PgConnection::open(p);
    QVERIFY(conn.ok());
    auto files = scanMigrations(QStringLiteral(VWB_TEST_DATA "/../../migrations"));
    MigrationRunner runner(*conn.value());
    QVERIFY(runner.run(planMigrations(runner.status(files.value()).value(), files.value(), {MigrationAction::Latest, {}}).value()).ok());
    auto discovered = discoverSchema(*conn.value());
    const ContentPair topics = *discovered.value().find(schema + QStringLiteral(".topics"));
    auto imported = importCorpus(
        *conn.value(), topics,
        {dataDir() + QStringLiteral("/topics.jsonl"), dataDir() + QStringLiteral("/topic_vectors.%1.jsonl.gz").arg(model), false, {}, {}});
    QVERIFY2(imported.ok(), qPrintable(imported.ok() ? QString() : imported.error().message));
    QCOMPARE(imported.value().contentRows, 129);
    QCOMPARE(imported.value().vectorRows, 129);

    // Ground truth: query, rank, topic, cosine (float64, ties to the smaller id).
    QFile truthFile(dataDir() + QStringLiteral("/exact_knn_top10.%1.tsv").arg(model));
    QVERIFY(truthFile.open(QIODevice::ReadOnly));
    QMap<qint64, QList<QPair<qint64, double>>> truth;
    for (const QByteArray &line : truthFile.readAll().split('\n').mid(1)) {
        const QList<QByteArray> f = line.split('\t');
        if (f.size() == 4)
            truth[f.at(0).toLongLong()].append({f.at(2).toLongLong(), f.at(3).toDouble()});
    }
    QCOMPARE(truth.size(), 129);
    int exactOrder = 0;
    for (auto it = truth.cbegin(); it != truth.cend(); ++it) {
        SearchRequest request;
        request.pair = topics;
        request.metric = SearchMetric::Cosine;
        request.exact = true;
        request.likeKey = QString::number(it.key());
        request.limit = 10;
        auto outcome = SemanticSearch::run(*conn.value(), request);
        QVERIFY2(outcome.ok(), qPrintable(outcome.ok() ? QString() : outcome.error().message));
        const QList<SearchHit> &hits = outcome.value().hits;
        QCOMPARE(hits.size(), 10);
        bool same = true;
        for (int i = 0; i < 10; ++i) {
            const auto &[id, cosine] = it.value().at(i);
            QVERIFY2(
                qAbs(hits.at(i).similarity - cosine) < 1e-5,
                qPrintable(
                    QStringLiteral("query %1 rank %2: cosine %3 vs %4").arg(it.key()).arg(i + 1).arg(hits.at(i).similarity).arg(cosine)));
            if (hits.at(i).key.toLongLong() != id) {
                same = false;
                // float32 storage may swap true near-ties, nothing else
                QVERIFY2(
                    qAbs(hits.at(i).similarity - cosine) < 1e-6,
                    qPrintable(
                        QStringLiteral("query %1 rank %2: got %3, expected %4").arg(it.key()).arg(i + 1).arg(hits.at(i).key).arg(id)));
            }
        }
        exactOrder += same ? 1 : 0;
    }
    QVERIFY2(exactOrder >= 125, qPrintable(QStringLiteral("%1 of 129 queries in the exact order").arg(exactOrder)));

    // Recall of the HNSW index on real embeddings. On 129 rows the planner rightly prefers a
    // sequential scan, which would make recall exact by construction: a session that discourages
    // sequential scans makes the ANN search go through the index, and the report says it did.
    ConnectionProfile indexed = p;
    indexed.params.extra.insert(QStringLiteral("options"),
                                p.params.extra.value(QStringLiteral("options")) + QStringLiteral(" -c enable_seqscan=off"));
    auto throughIndex = PgConnection::open(indexed);
    QVERIFY(throughIndex.ok());
    SearchRequest base;
    base.pair = topics;
    base.metric = SearchMetric::Cosine;
    auto recall = measureRecall(*throughIndex.value(), base, 40, 10);
    QVERIFY(recall.ok());
    QVERIFY2(recall.value().indexName.contains(QLatin1String("hnsw")), qPrintable(recall.value().indexName));
    QVERIFY2(recall.value().meanRecall >= 0.95, qPrintable(QString::number(recall.value().meanRecall)));
    QVERIFY(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(schema)).ok());
}

QTEST_GUILESS_MAIN(TestTimescaleExact)
#include "tst_timescaleexact.moc"
