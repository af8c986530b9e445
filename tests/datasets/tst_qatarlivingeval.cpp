// tests/datasets/tst_qatarlivingeval.cpp — the Qatar Living judged set (../shared/data, labels db
// and data) run end to end through `vwb`: topics imported and backfilled on the schema the
// migrations create, the set imported, re-ranking runs with vector, full-text and hybrid ranking
// stored and compared, and a run exported to a TREC file scored the same by an independent script.
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include "migrations/MigrationRunner.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

using namespace vwb;

class TestQatarLivingEval : public QObject
{
    Q_OBJECT
    const QString m_schema = QStringLiteral("tst_qleval");
    QTemporaryDir m_dir;
    QString m_url;

    static QString dataDir()
    {
        const QString env = qEnvironmentVariable("VWB_SHARED_DATA");
        return (env.isEmpty() ? QStringLiteral(VWB_SHARED_DATA) : env) + QStringLiteral("/semeval2016-qatarliving-cqa");
    }

    /// Runs vwb with --url and --json; the parsed output, or a failed test.
    QJsonObject vwb(const QStringList &args, int expectedExit = 0)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("VWB_EVALUATIONS"), m_dir.filePath(QStringLiteral("evaluations.sqlite")));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(VWB_CLI), args + QStringList{QStringLiteral("--url"), m_url, QStringLiteral("--json")});
        if (!p.waitForFinished(240000))
            qFatal("vwb %s timed out", qPrintable(args.join(QLatin1Char(' '))));
        const QByteArray out = p.readAllStandardOutput();
        if (p.exitCode() != expectedExit)
            qWarning("vwb %s exited %d: %s %s", qPrintable(args.join(QLatin1Char(' '))), p.exitCode(), out.constData(),
                     p.readAllStandardError().constData());
        return p.exitCode() == expectedExit ? QJsonDocument::fromJson(out).object() : QJsonObject{{QStringLiteral("failed"), true}};
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(dataDir() + QStringLiteral("/qrels.tsv")), qPrintable("missing data: " + dataDir()));
        auto admin = test::connect();
        VERIFY_OK(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1;").arg(m_schema)));
        ConnectionParams params = test::clusterProfile().params;
        params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
        m_url = toDatabaseUrl(params, true);
        ConnectionProfile profile = test::clusterProfile();
        profile.params = params;
        auto conn = PgConnection::open(profile);
        VERIFY_OK(conn);
        // The schema users have: every migration, the HNSW cosine index included.
        auto files = scanMigrations(QStringLiteral(VWB_TEST_DATA "/../../migrations"));
        MigrationRunner runner(*conn.value());
        VERIFY_OK(runner.run(planMigrations(runner.status(files.value()).value(), files.value(), {MigrationAction::Latest, {}}).value()));
        QVERIFY(!vwb({QStringLiteral("import"), QStringLiteral("--content"), dataDir() + QStringLiteral("/topics.jsonl")})
                     .contains(QStringLiteral("failed")));
        QVERIFY(!vwb({QStringLiteral("backfill")}).contains(QStringLiteral("failed")));
        const QJsonObject imported = vwb({QStringLiteral("eval"), QStringLiteral("import"), QStringLiteral("--set"), QStringLiteral("ql"),
                                          QStringLiteral("--queries"), dataDir() + QStringLiteral("/queries.jsonl"),
                                          QStringLiteral("--judgments"), dataDir() + QStringLiteral("/qrels.tsv")});
        QCOMPARE(imported.value(QStringLiteral("judgments")).toInt(), 910);
    }

    void cleanupTestCase() { test::dropSchema(m_schema); }

    void hybridRerankingIsAtLeastTheBetterOfVectorAndText()
    {
        QHash<QString, double> map;
        QHash<QString, qint64> runs;
        for (const QString &ranking : {QStringLiteral("vector"), QStringLiteral("text"), QStringLiteral("hybrid")}) {
            const QJsonObject run = vwb({QStringLiteral("eval"), QStringLiteral("run"), QStringLiteral("--set"), QStringLiteral("ql"),
                                         QStringLiteral("--mode"), QStringLiteral("rerank"), QStringLiteral("--ranking"), ranking,
                                         QStringLiteral("--name"), ranking});
            QCOMPARE(run.value(QStringLiteral("queries")).toInt(), 80); // 11 without a relevant candidate, apart
            QCOMPARE(run.value(QStringLiteral("without_relevant")).toInt(), 11);
            QCOMPARE(run.value(QStringLiteral("failed")).toInt(), 0);
            // Re-ranking ranks only judged candidates: nothing unjudged can appear.
            QCOMPARE(run.value(QStringLiteral("mean")).toObject().value(QStringLiteral("judged@10")).toDouble(), 1.0);
            map.insert(ranking, run.value(QStringLiteral("mean")).toObject().value(QStringLiteral("map")).toDouble());
            runs.insert(ranking, run.value(QStringLiteral("run")).toInteger());
        }
        qInfo("MAP vector %.4f, text %.4f, hybrid %.4f", map[QStringLiteral("vector")], map[QStringLiteral("text")],
              map[QStringLiteral("hybrid")]);
        QVERIFY(map[QStringLiteral("vector")] > 0.5 && map[QStringLiteral("text")] > 0.5); // both rank better than chance
        QVERIFY(map[QStringLiteral("hybrid")] >= qMax(map[QStringLiteral("vector")], map[QStringLiteral("text")]));

        const QJsonObject compared = vwb({QStringLiteral("eval"), QStringLiteral("compare"), QStringLiteral("--set"),
                                          QStringLiteral("ql"), QString::number(runs[QStringLiteral("vector")]),
                                          QString::number(runs[QStringLiteral("hybrid")])});
        QCOMPARE(compared.value(QStringLiteral("queries")).toInt(), 80);
        QVERIFY(qAbs(compared.value(QStringLiteral("delta")).toDouble() - (map[QStringLiteral("hybrid")] - map[QStringLiteral("vector")]))
                < 1e-9);
        const double p = compared.value(QStringLiteral("p_value")).toDouble();
        QVERIFY(p > 0 && p <= 1);
        QCOMPARE(compared.value(QStringLiteral("wins")).toInt() + compared.value(QStringLiteral("losses")).toInt()
                     + compared.value(QStringLiteral("ties")).toInt(),
                 80);
    }

    void anExportedRunScoresTheSameInAnIndependentScript()
    {
        const QString runFile = m_dir.filePath(QStringLiteral("hybrid.trec"));
        const QJsonObject shown = vwb({QStringLiteral("eval"), QStringLiteral("show"), QStringLiteral("--set"), QStringLiteral("ql"),
                                       QStringLiteral("hybrid"), QStringLiteral("--run-out"), runFile});
        const QJsonObject ours = shown.value(QStringLiteral("mean")).toObject();
        QProcess script;
        script.start(QStringLiteral("python3"),
                     {QStringLiteral(VWB_TEST_DATA "/../tools/trec_score.py"), dataDir() + QStringLiteral("/qrels.tsv"), runFile,
                      QStringLiteral("10"), QStringLiteral("1")});
        QVERIFY(script.waitForFinished(60000));
        QCOMPARE(script.exitCode(), 0);
        const QJsonObject theirs = QJsonDocument::fromJson(script.readAllStandardOutput()).object();
        QCOMPARE(theirs.value(QStringLiteral("queries")).toInt(), 80);
        const QJsonObject mean = theirs.value(QStringLiteral("mean")).toObject();
        const QList<std::pair<const char *, const char *>> pairs{
            {"map", "map"}, {"mrr", "mrr"}, {"p", "p@10"}, {"r", "r@10"}, {"ndcg", "ndcg@10"}};
        for (const auto &[script, vwb] : pairs)
            QVERIFY2(qAbs(mean.value(QLatin1String(script)).toDouble() - ours.value(QLatin1String(vwb)).toDouble()) < 1e-9, script);
    }

    void thresholdFromTheVectorRun()
    {
        const QJsonObject curve = vwb({QStringLiteral("eval"), QStringLiteral("threshold"), QStringLiteral("--set"), QStringLiteral("ql"),
                                       QStringLiteral("vector"), QStringLiteral("--target-precision"), QStringLiteral("0.7")});
        const QJsonArray points = curve.value(QStringLiteral("points")).toArray();
        QVERIFY(points.size() > 100);
        const QJsonObject best = curve.value(QStringLiteral("best_f1")).toObject();
        for (const QJsonValue &p : points) // the best is the best
            QVERIFY(p.toObject().value(QStringLiteral("f1")).toDouble() <= best.value(QStringLiteral("f1")).toDouble() + 1e-12);
        QCOMPARE(points.last().toObject().value(QStringLiteral("recall")).toDouble() > 0.9, true); // all ranked: nearly all found
        const QJsonObject meeting = curve.value(QStringLiteral("lowest_meeting_target")).toObject();
        QVERIFY(meeting.value(QStringLiteral("precision")).toDouble() >= 0.7);
    }
};

QTEST_GUILESS_MAIN(TestQatarLivingEval)
#include "tst_qatarlivingeval.moc"
