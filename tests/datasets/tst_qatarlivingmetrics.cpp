// tests/datasets/tst_qatarlivingmetrics.cpp — the ranking metrics reproduce the Qatar Living set's
// reference figures: its search engine's own order, in re-ranking mode (label data; no server).
#include "eval/QuerySet.h"
#include "eval/RankingMetrics.h"
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <map>

using namespace vwb;

class TestQatarLivingMetrics : public QObject
{
    Q_OBJECT

    static QString dataDir()
    {
        const QString env = qEnvironmentVariable("VWB_SHARED_DATA");
        return (env.isEmpty() ? QStringLiteral(VWB_SHARED_DATA) : env) + QStringLiteral("/semeval2016-qatarliving-cqa");
    }

private slots:
    void searchEngineOrderGivesTheReferenceFigures()
    {
        auto set = QuerySet::read(dataDir() + QStringLiteral("/queries.jsonl"), dataDir() + QStringLiteral("/qrels.tsv"));
        QVERIFY2(set.ok(), qPrintable(set.ok() ? QString() : set.error().message));
        QCOMPARE(set.value().queries.size(), 91);

        // Each query's candidates (metadata.orgq_id "Q268" for query 268) in the engine's order.
        QFile topics(dataDir() + QStringLiteral("/topics.jsonl"));
        QVERIFY(topics.open(QIODevice::ReadOnly));
        QHash<QString, std::map<int, QString>> candidates;
        while (!topics.atEnd()) {
            const QJsonObject t = QJsonDocument::fromJson(topics.readLine()).object();
            const QJsonObject meta = t.value(QStringLiteral("metadata")).toObject();
            candidates[meta.value(QStringLiteral("orgq_id")).toString().mid(1)].emplace(
                meta.value(QStringLiteral("ranking_order")).toInt(), QString::number(qint64(t.value(QStringLiteral("id")).toDouble())));
        }
        QList<QueryScores> at10, at1, at5;
        for (const JudgedQuery &q : set.value().queries) {
            QStringList ranked;
            for (const auto &[order, id] : candidates.value(q.id))
                ranked << id;
            const Judgments &judged = set.value().judgments.value(q.id);
            at10 << scoreRanking(ranked, judged, {10, 1});
            at1 << scoreRanking(ranked, judged, {1, 1});
            at5 << scoreRanking(ranked, judged, {5, 1});
        }
        const AverageScores a10 = averageScores(at10), a1 = averageScores(at1), a5 = averageScores(at5);
        QCOMPARE(a10.queries, 80);         // the README: 80 queries with a relevant candidate
        QCOMPARE(a10.withoutRelevant, 11); // reported apart
        const auto fourPlaces = [](double v) { return QString::number(v, 'f', 4); };
        QCOMPARE(fourPlaces(a10.mean.averagePrecision), QStringLiteral("0.7793"));
        QCOMPARE(fourPlaces(a10.mean.ndcgAtK), QStringLiteral("0.8439"));
        QCOMPARE(fourPlaces(a1.mean.precisionAtK), QStringLiteral("0.8000"));
        QCOMPARE(fourPlaces(a5.mean.recallAtK), QStringLiteral("0.6800"));
        QCOMPARE(a10.mean.judgedAtK, 1.0); // re-ranking: every candidate is judged

        // The same ranking as a TREC run file, scored by `vwb eval score`: the same figures.
        QTemporaryDir dir;
        QFile run(dir.filePath(QStringLiteral("engine.run")));
        QVERIFY(run.open(QIODevice::WriteOnly));
        for (auto it = candidates.cbegin(); it != candidates.cend(); ++it)
            for (const auto &[order, id] : it.value()) // the score falls with the rank, as a run's does
                run.write(QStringLiteral("%1 Q0 %2 %3 %4 engine\n").arg(it.key(), id).arg(order).arg(1.0 / order, 0, 'f', 6).toUtf8());
        run.close();
        QProcess vwb;
        vwb.start(QStringLiteral(VWB_CLI),
                  {QStringLiteral("eval"), QStringLiteral("score"), QStringLiteral("--queries"),
                   dataDir() + QStringLiteral("/queries.jsonl"), QStringLiteral("--judgments"), dataDir() + QStringLiteral("/qrels.tsv"),
                   QStringLiteral("--run"), run.fileName(), QStringLiteral("--json")});
        QVERIFY(vwb.waitForFinished(30000));
        QCOMPARE(vwb.exitCode(), 0);
        const QJsonObject out = QJsonDocument::fromJson(vwb.readAllStandardOutput()).object();
        QCOMPARE(out.value(QStringLiteral("queries")).toInt(), 80);
        QCOMPARE(out.value(QStringLiteral("without_relevant")).toInt(), 11);
        const QJsonObject mean = out.value(QStringLiteral("mean")).toObject();
        QCOMPARE(fourPlaces(mean.value(QStringLiteral("map")).toDouble()), QStringLiteral("0.7793"));
        QCOMPARE(fourPlaces(mean.value(QStringLiteral("ndcg@10")).toDouble()), QStringLiteral("0.8439"));
    }
};

QTEST_GUILESS_MAIN(TestQatarLivingMetrics)
#include "tst_qatarlivingmetrics.moc"
