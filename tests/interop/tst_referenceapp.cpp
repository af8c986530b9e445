// tests/interop/tst_referenceapp.cpp — the workbench beside the reference design's own Node service
// (../shared/reference-app, as shipped: its knexfile, migrations and services, run with the real
// Knex 3 CLI and tsx): its Knex deploy keeps working after the workbench's writes, the workbench's
// backfill writes the vectors the service writes, and the two write side by side safely.
// Each test works in a database of its own.
#include "support/TestCluster.h"
#include "interop/KnexCliSupport.h"

#include "connection/DatabaseUrl.h"
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace vwb;
using namespace vwb::test::knex;

class TestReferenceApp : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void improvementsReachTheApplicationAsKnexMigrations();
    void backfillWritesTheVectorsTheApplicationWrites();
    void aConcurrentApplicationWriterSeesNoDuplicateAndNoDeadlock();

private:
    QProcessEnvironment appEnvironment() const;
    Finished knex(const QStringList &args);
    Finished vwb(const QStringList &args, const QProcessEnvironment &extra = {});
    Finished tsx(const QStringList &args);
    QString scalar(const QString &sql);
    void exportAndApplyImprovements();
    void startEmbedder();
    void seedTopics(int n);

    QString m_db;
    ConnectionProfile m_profile;
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_app;
    std::unique_ptr<PgConnection> m_conn;
    std::unique_ptr<QProcess> m_embedder;
    QString m_embedderUrl;
};

QProcessEnvironment TestReferenceApp::appEnvironment() const
{
    // What the reference knexfile reads: the development entry, from POSTGRES_*.
    QProcessEnvironment env = quietEnvironment();
    env.insert(QStringLiteral("NODE_ENV"), QStringLiteral("development"));
    env.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    env.insert(QStringLiteral("POSTGRES_HOST"), m_profile.params.host);
    env.insert(QStringLiteral("POSTGRES_PORT"), m_profile.params.port);
    env.insert(QStringLiteral("POSTGRES_DB"), m_db);
    env.insert(QStringLiteral("POSTGRES_USER"), m_profile.params.user);
    env.insert(QStringLiteral("POSTGRES_PASSWORD"), m_profile.params.password.isEmpty() ? QStringLiteral("x") : m_profile.params.password);
    if (!m_embedderUrl.isEmpty()) {
        env.insert(QStringLiteral("OPENAI_BASE_URL"), m_embedderUrl);
        env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("sk-test"));
    }
    return env;
}

Finished TestReferenceApp::knex(const QStringList &args)
{
    return runProcess(QStringLiteral(VWB_NODE), QStringList{QStringLiteral(VWB_KNEX_CLI)} + args, appEnvironment(), m_app);
}

Finished TestReferenceApp::vwb(const QStringList &args, const QProcessEnvironment &extra)
{
    QProcessEnvironment env = appEnvironment();
    env.insert(extra);
    // A database URL of its own: the same server and database the knexfile reaches.
    ConnectionParams params = m_profile.params;
    params.dbname = m_db;
    return runProcess(QStringLiteral(VWB_CLI), args + QStringList{QStringLiteral("--url"), toDatabaseUrl(params, false)}, env);
}

Finished TestReferenceApp::tsx(const QStringList &args)
{
    return runProcess(QStringLiteral(VWB_NODE), QStringList{QStringLiteral(VWB_TSX_CLI)} + args, appEnvironment(), m_app);
}

QString TestReferenceApp::scalar(const QString &sql)
{
    auto r = m_conn->exec(sql);
    return r.ok() ? r.value().scalar() : r.error().message;
}

void TestReferenceApp::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(VWB_REFERENCE_APP "/knexfile.js")),
             "the reference application is missing at " VWB_REFERENCE_APP " (../shared/reference-app)");
    QVERIFY2(QFileInfo::exists(QStringLiteral(VWB_KNEX_CLI)) && QFileInfo::exists(QStringLiteral(VWB_TSX_CLI)),
             "knex and tsx are not installed: run the suite through ctest so the knex_install fixture installs them");
}

void TestReferenceApp::init()
{
    m_db = QStringLiteral("tst_refapp_%1").arg(QString::fromLatin1(QTest::currentTestFunction()).toLower().left(40));
    m_profile = test::clusterProfile();
    auto admin = test::connect();
    QVERIFY(admin->execScript(QStringLiteral("DROP DATABASE IF EXISTS %1").arg(m_db)).ok());
    QVERIFY(admin->execScript(QStringLiteral("CREATE DATABASE %1").arg(m_db)).ok());
    ConnectionProfile p = m_profile;
    p.params.dbname = m_db;
    m_conn = test::connect(p);
    // The application as shipped, copied (shared/ is read-only) beside the test's node_modules.
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    m_app = m_tmp->filePath(QStringLiteral("app"));
    const QDir from(QStringLiteral(VWB_REFERENCE_APP));
    QDirIterator it(from.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString relative = from.relativeFilePath(file);
        if (relative.startsWith(QLatin1String("node_modules/")))
            continue;
        QVERIFY(QDir().mkpath(QFileInfo(m_app + QLatin1Char('/') + relative).absolutePath()));
        QVERIFY(QFile::copy(file, m_app + QLatin1Char('/') + relative));
        QFile::setPermissions(m_app + QLatin1Char('/') + relative, QFile::ReadOwner | QFile::WriteOwner);
    }
    QVERIFY(QFile::link(QStringLiteral(VWB_KNEX_PREFIX "/node_modules"), m_app + QStringLiteral("/node_modules")));
    const Finished latest = knex({QStringLiteral("migrate:latest")}); // the design's own schema, by its own Knex
    QVERIFY2(latest.exitCode == 0 && latest.out.contains(QLatin1String("Batch 1 run: 3 migrations")), qPrintable(latest.report()));
}

void TestReferenceApp::cleanup()
{
    if (m_embedder) {
        m_embedder->terminate();
        m_embedder->waitForFinished(5000);
        m_embedder.reset();
    }
    m_embedderUrl.clear();
    m_conn.reset();
    m_tmp.reset();
    (void)test::connect()->execScript(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_db));
}

void TestReferenceApp::startEmbedder()
{
    m_embedder = std::make_unique<QProcess>();
    m_embedder->setProcessEnvironment(quietEnvironment());
    m_embedder->start(QStringLiteral(VWB_NODE), {m_app + QStringLiteral("/tools/fake-embeddings-server.mjs"), QStringLiteral("--port"),
                                                 QStringLiteral("0"), QStringLiteral("--max-seconds"), QStringLiteral("600")});
    QVERIFY(m_embedder->waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_embedder->canReadLine(), 20000);
    const QJsonObject said = QJsonDocument::fromJson(m_embedder->readLine()).object();
    const QString listening = said.value(QStringLiteral("listening")).toString();
    QVERIFY2(listening.startsWith(QLatin1String("127.0.0.1:")), qPrintable(listening));
    m_embedderUrl = QStringLiteral("http://%1/v1").arg(listening);
}

void TestReferenceApp::seedTopics(int n)
{
    QVERIFY(m_conn
                ->exec(QStringLiteral("INSERT INTO topics (forum_name, title, content) SELECT "
                                      "(ARRAY['Travel', 'travel', 'Cooking'])[1 + g % 3], 'Topic ' || g, "
                                      "'Words about trains, bread and harbours, number ' || g FROM generate_series(1, $1) g"),
                       {n})
                .ok());
}

void TestReferenceApp::exportAndApplyImprovements()
{
    const Finished exported = vwb(
        {QStringLiteral("migrate"), QStringLiteral("export"), QStringLiteral("--project"), m_app, QStringLiteral("--json")});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.report()));
    const QJsonArray files = QJsonDocument::fromJson(exported.out.toUtf8())[QStringLiteral("files")].toArray();
    QCOMPARE(files.size(), 5);
    for (const QJsonValue &f : files) {
        QVERIFY(f[QStringLiteral("written")].toBool());
        QVERIFY2(f[QStringLiteral("file")].toString().startsWith(m_app + QStringLiteral("/db/migrations/"))
                     && f[QStringLiteral("file")].toString().endsWith(QLatin1String(".js")),
                 qPrintable(f[QStringLiteral("file")].toString()));
    }
    const Finished applied = knex({QStringLiteral("migrate:latest")});
    QVERIFY2(applied.exitCode == 0 && applied.out.contains(QLatin1String("Batch 2 run: 5 migrations")), qPrintable(applied.report()));
}

void TestReferenceApp::improvementsReachTheApplicationAsKnexMigrations()
{
    exportAndApplyImprovements();
    const QString indexes = QStringLiteral(
        "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'topic_vectors'");
    const QString storage = QStringLiteral(
        "SELECT attstorage FROM pg_attribute WHERE attrelid = 'topic_vectors'::regclass AND attname = 'vector'");
    QCOMPARE(scalar(indexes), QStringLiteral("topic_vectors_forum_name_idx,topic_vectors_pkey,topic_vectors_topic_id_unique,"
                                             "topic_vectors_vector_hnsw_idx"));
    QCOMPARE(scalar(storage), QStringLiteral("p"));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM knex_migrations WHERE name NOT LIKE '%.js'")), QStringLiteral("0"));

    // The application's Knex, as shipped, in both directions.
    const Finished list = knex({QStringLiteral("migrate:list")});
    QVERIFY2(list.exitCode == 0, qPrintable(list.report()));
    QCOMPARE(parseMigrationList(list.out).completed.size(), 8);
    const Finished rollback = knex({QStringLiteral("migrate:rollback")});
    QVERIFY2(rollback.exitCode == 0 && rollback.out.contains(QLatin1String("Batch 2 rolled back: 5 migrations")),
             qPrintable(rollback.report()));
    QCOMPARE(scalar(indexes), QStringLiteral("topic_vectors_forum_name_idx,topic_vectors_pkey,topic_vectors_topic_id_idx"));
    QCOMPARE(scalar(storage), QStringLiteral("e"));
    for (const QString &command : {QStringLiteral("migrate:up"), QStringLiteral("migrate:down"), QStringLiteral("migrate:latest"),
                                   QStringLiteral("migrate:status")}) {
        const Finished run = knex({command});
        QVERIFY2(run.exitCode == 0, qPrintable(run.report()));
    }
    QCOMPARE(scalar(storage), QStringLiteral("p"));

    // Exported once: a second export writes nothing; the workbench won't migrate it itself.
    const Finished again = vwb({QStringLiteral("migrate"), QStringLiteral("export"), QStringLiteral("--project"), m_app});
    QVERIFY2(again.exitCode == 0 && again.out.startsWith(QLatin1String("Wrote 0 Knex migration(s)")), qPrintable(again.report()));
    const Finished own = vwb({QStringLiteral("migrate"), QStringLiteral("latest")});
    QVERIFY2(own.exitCode == 1 && own.err.contains(QLatin1String("managed by Knex")), qPrintable(own.report()));
    const Finished status = vwb(
        {QStringLiteral("migrate"), QStringLiteral("status"), QStringLiteral("--project"), m_app, QStringLiteral("--json")});
    QVERIFY2(status.exitCode == 0, qPrintable(status.report()));
    QCOMPARE(QJsonDocument::fromJson(status.out.toUtf8())[QStringLiteral("applied")].toInt(), 8);

    // The application's own search and insert code still run on the improved schema.
    startEmbedder();
    seedTopics(30);
    QFile check(m_app + QStringLiteral("/check.ts"));
    QVERIFY(check.open(QIODevice::WriteOnly));
    check.write(
        "import db from './db/db';\n"
        "import { VectorInsertionService } from './services/vectors/vectorInsertionService';\n"
        "import { VectorSearchService } from './services/search/vectorSearchService';\n"
        "const insert = new VectorInsertionService();\n"
        "for (const t of await db('topics').select('*')) await insert.insertTopicVector(t.id, t.forum_name, t.content);\n"
        "const hits = await new VectorSearchService().search({ query: 'trains and bread', type: 'topic', forum: 'TRAVEL', threshold: 0 });\n"
        "console.log(JSON.stringify({ hits: hits.length }));\n"
        "await db.destroy();\n");
    check.close();
    const Finished ran = tsx({QStringLiteral("check.ts")});
    QVERIFY2(ran.exitCode == 0 && ran.out.contains(QLatin1String("{\"hits\":10}")), qPrintable(ran.report()));
}

void TestReferenceApp::backfillWritesTheVectorsTheApplicationWrites()
{
    startEmbedder();
    seedTopics(150);
    const Finished app = tsx({QStringLiteral("scripts/backfill.ts"), QStringLiteral("--variant"), QStringLiteral("fixed")});
    QVERIFY2(app.exitCode == 0 && app.out.contains(QLatin1String("\"rows\":150")), qPrintable(app.report()));
    QVERIFY(m_conn
                ->execScript(QStringLiteral("CREATE TABLE app_vectors AS SELECT topic_id, vector FROM topic_vectors; "
                                            "DELETE FROM topic_vectors"))
                .ok());

    const Finished dry = vwb({QStringLiteral("backfill"), QStringLiteral("--provider"), QStringLiteral("openai"),
                              QStringLiteral("--dry-run"), QStringLiteral("--json")});
    QVERIFY2(dry.exitCode == 0, qPrintable(dry.report()));
    const QJsonObject estimate = QJsonDocument::fromJson(dry.out.toUtf8()).object();
    QCOMPARE(estimate[QStringLiteral("text")].toString(), QStringLiteral("{content}"));
    QCOMPARE(estimate[QStringLiteral("key_unique")].toBool(), false); // the design's schema: the dry run says so

    const Finished ours = vwb(
        {QStringLiteral("backfill"), QStringLiteral("--provider"), QStringLiteral("openai"), QStringLiteral("--json")});
    QVERIFY2(ours.exitCode == 0, qPrintable(ours.report()));
    QCOMPARE(QJsonDocument::fromJson(ours.out.toUtf8())[QStringLiteral("embedded")].toInt(), 150);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM app_vectors a JOIN topic_vectors v USING (topic_id) WHERE a.vector = v.vector")),
             QStringLiteral("150")); // the same vector for every row, bit for bit

    // A backfill from another source is refused beside them, and nothing is written.
    QVERIFY(m_conn->exec(QStringLiteral("DELETE FROM topic_vectors WHERE topic_id > 140")).ok());
    const Finished offline = vwb({QStringLiteral("backfill")});
    QVERIFY2(offline.exitCode == 1 && offline.err.contains(QLatin1String("was not filled by lexical")), qPrintable(offline.report()));
    const Finished otherText = vwb({QStringLiteral("backfill"), QStringLiteral("--provider"), QStringLiteral("openai"),
                                    QStringLiteral("--text"), QStringLiteral("{title}\\n\\n{content}")});
    QVERIFY2(otherText.exitCode == 1 && otherText.err.contains(QLatin1String("{title}\\n\\n{content}")), qPrintable(otherText.report()));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM topic_vectors")), QStringLiteral("140"));
    const Finished search = vwb({QStringLiteral("search"), QStringLiteral("trains"), QStringLiteral("--json")}); // lexical query
    QVERIFY2(search.exitCode == 0 && search.out.contains(QLatin1String("similarities between the two mean nothing")),
             qPrintable(search.report()));

    const Finished list = knex({QStringLiteral("migrate:list")}); // after the workbench's writes
    QVERIFY2(list.exitCode == 0, qPrintable(list.report()));
}

void TestReferenceApp::aConcurrentApplicationWriterSeesNoDuplicateAndNoDeadlock()
{
    exportAndApplyImprovements(); // one vector row per topic, HNSW: the improved schema
    startEmbedder();
    seedTopics(1500);
    // The application's backfill and the workbench's at once, on the same rows.
    QProcess app;
    app.setProcessEnvironment(appEnvironment());
    app.setWorkingDirectory(m_app);
    app.setProcessChannelMode(QProcess::MergedChannels);
    app.start(QStringLiteral(VWB_NODE),
              {QStringLiteral(VWB_TSX_CLI), QStringLiteral("scripts/backfill.ts"), QStringLiteral("--variant"), QStringLiteral("fixed")});
    QVERIFY(app.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(scalar(QStringLiteral("SELECT count(*) > 0 FROM topic_vectors")) == QLatin1String("t"), 30000);
    const Finished ours = vwb({QStringLiteral("backfill"), QStringLiteral("--provider"), QStringLiteral("openai"),
                               QStringLiteral("--batch"), QStringLiteral("50"), QStringLiteral("--json")});
    QVERIFY(app.waitForFinished(120000));
    const QString appSaid = QString::fromUtf8(app.readAll());
    QVERIFY2(!appSaid.contains(QLatin1String("deadlock")) && !ours.err.contains(QLatin1String("deadlock")),
             qPrintable(appSaid + ours.report()));
    QVERIFY2(ours.exitCode == 0, qPrintable(ours.report()));
    // The application's loop inserts without looking: where the workbench got there first the
    // unique index turns its insert away (and its script stops) instead of storing a duplicate.
    const QJsonObject appResult = QJsonDocument::fromJson(appSaid.section(QLatin1Char('\n'), -2).trimmed().toUtf8()).object();
    const QString appError = appResult[QStringLiteral("error")].toString();
    QVERIFY2(appError.isEmpty() || appError.contains(QLatin1String("duplicate key")), qPrintable(appSaid));
    const Finished rest = vwb({QStringLiteral("backfill"), QStringLiteral("--provider"), QStringLiteral("openai")});
    QVERIFY2(rest.exitCode == 0, qPrintable(rest.report()));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) || '/' || count(DISTINCT topic_id) FROM topic_vectors")), QStringLiteral("1500/1500"));
}

QTEST_GUILESS_MAIN(TestReferenceApp)
#include "tst_referenceapp.moc"
