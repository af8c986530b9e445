// tests/db/tst_maintenance.cpp — maintenance statements with live progress on the test cluster.
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include "maintenance/IndexList.h"
#include "maintenance/MaintenanceJob.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QThread>
#include <QElapsedTimer>
#include <QMutex>
#include <csignal>
#include <thread>

using namespace vwb;

class TestMaintenance : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void ivfflatListsFollowPgvectorsGuidance();
    void createIndexUsesTheMetricsOperatorClassAndWarns();
    void indexBuildProgressIsObservedWhileItRuns();
    void cancelEndsAnIndexBuildWithinASecond();
    void ctrlCCancelsTheCliIndexBuild();
    void aSessionEndedMidBuildSaysWhatItLeft();
    void vacuumAndAnalyzeRun();
    void reindexThenVacuumRunsBothInOrder();
    void repairRebuildsAnInvalidIndex();
    void repairDropsALeftoverOfAFailedReindex();
    void indexListShowsMethodOperatorClassAndValidity();
    void anIndexNamedWithADotIsDroppedByThatName();
    void productionReadOnlyRefuses_data();
    void productionReadOnlyRefuses();

private:
    MaintenanceRequest createHnsw() const;
    const QString m_schema = QStringLiteral("tst_maintenance");
    ConnectionProfile m_profile;
    std::unique_ptr<PgConnection> m_conn;
};

void TestMaintenance::initTestCase()
{
    test::resetSchema(
        m_schema,
        QStringLiteral(
            "SELECT setseed(0.3); CREATE TABLE items (id serial PRIMARY KEY, embedding vector(64));"
            "INSERT INTO items (embedding) SELECT (SELECT array_agg(random())::vector(64) FROM generate_series(1, 64) WHERE g > 0) "
            "FROM generate_series(1, 60000) g; ANALYZE items;"));
    m_profile = test::profileInSchema(m_schema);
    auto conn = PgConnection::open(m_profile);
    QVERIFY(conn.ok());
    m_conn = std::move(conn).value();
}

void TestMaintenance::cleanupTestCase()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

MaintenanceRequest TestMaintenance::createHnsw() const
{
    MaintenanceRequest r;
    r.kind = MaintenanceRequest::Kind::CreateIndex;
    r.table = {m_schema, QStringLiteral("items")};
    r.column = QStringLiteral("embedding");
    r.method = QStringLiteral("hnsw");
    r.metric = SearchMetric::L2;
    r.index = QStringLiteral("items_hnsw");
    return r;
}

void TestMaintenance::ivfflatListsFollowPgvectorsGuidance()
{
    QCOMPARE(ivfflatLists(500), 1);
    QCOMPARE(ivfflatLists(100000), 100);
    QCOMPARE(ivfflatLists(1000000), 1000);
    QCOMPARE(ivfflatLists(4000000), 2000);
}

void TestMaintenance::createIndexUsesTheMetricsOperatorClassAndWarns()
{
    MaintenanceRequest r = createHnsw();
    r.method = QStringLiteral("ivfflat");
    r.metric = SearchMetric::InnerProduct;
    r.lists = 5000;
    auto plan = planMaintenance(*m_conn, r);
    QVERIFY(plan.ok());
    QVERIFY2(plan.value().sql().contains(QLatin1String("USING ivfflat (\"embedding\" vector_ip_ops) WITH (lists = 5000)")),
             qPrintable(plan.value().sql()));
    QVERIFY(plan.value().warnings.join(QLatin1Char('|')).contains(QLatin1String("rows for 5000 lists")));
    r.column = QStringLiteral("nope");
    QVERIFY(!planMaintenance(*m_conn, r).ok());
    // A second model's column of another type gets that type's operator class, or a plain refusal.
    VERIFY_OK(m_conn->exec(QStringLiteral("ALTER TABLE items ADD COLUMN half halfvec(64), ADD COLUMN sparse sparsevec(64)")));
    r = createHnsw();
    r.column = QStringLiteral("half");
    r.metric = SearchMetric::Cosine;
    auto half = planMaintenance(*m_conn, r);
    QVERIFY(half.ok());
    QVERIFY2(half.value().sql().contains(QLatin1String("USING hnsw (\"half\" halfvec_cosine_ops)")), qPrintable(half.value().sql()));
    r.column = QStringLiteral("sparse");
    auto sparse = planMaintenance(*m_conn, r);
    QVERIFY(!sparse.ok() && sparse.error().message.contains(QLatin1String("sparsevec")));
    VERIFY_OK(m_conn->exec(QStringLiteral("ALTER TABLE items DROP COLUMN half, DROP COLUMN sparse")));
}

void TestMaintenance::indexBuildProgressIsObservedWhileItRuns()
{
    auto plan = planMaintenance(*m_conn, createHnsw());
    QVERIFY(plan.ok());
    QMutex mutex;
    QStringList phases;
    qint64 maxDone = 0;
    JobContext ctx([&](const JobProgress &p) {
        QMutexLocker lock(&mutex);
        if (!phases.contains(p.step))
            phases << p.step;
        maxDone = qMax(maxDone, p.done);
    });
    MaintenanceJob job(m_profile, plan.value());
    auto ran = job.run(ctx);
    QVERIFY2(ran.ok(), qPrintable(ran.ok() ? QString() : ran.error().message));
    QVERIFY2(std::any_of(phases.begin(), phases.end(), [](const QString &s) { return s.startsWith(QLatin1String("building index")); }),
             qPrintable(phases.join(QLatin1Char('|'))));
    QVERIFY(maxDone > 0);
    auto exists = m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE indexname = 'items_hnsw'"));
    QCOMPARE(exists.value().scalar(), QStringLiteral("1"));
    MaintenanceRequest drop;
    drop.kind = MaintenanceRequest::Kind::DropIndex;
    drop.index = m_schema + QStringLiteral(".items_hnsw");
    drop.concurrently = true;
    auto dropPlan = planMaintenance(*m_conn, drop);
    QVERIFY(dropPlan.value().destructive);
    JobContext quiet;
    QVERIFY(MaintenanceJob(m_profile, dropPlan.value()).run(quiet).ok());
}

void TestMaintenance::cancelEndsAnIndexBuildWithinASecond()
{
    MaintenanceRequest r = createHnsw();
    r.index = QStringLiteral("items_hnsw_canceled");
    r.efConstruction = 400; // slow enough to be caught mid-build
    auto plan = planMaintenance(*m_conn, r);
    std::atomic_bool building = false;
    JobContext ctx([&](const JobProgress &p) {
        if (p.step.startsWith(QLatin1String("building index")))
            building = true;
    });
    Result<void> outcome = Error::internal(QStringLiteral("not run"));
    MaintenanceJob job(m_profile, plan.value());
    std::thread worker([&] { outcome = job.run(ctx); });
    QTRY_VERIFY_WITH_TIMEOUT(building.load(), 30000);
    QElapsedTimer clock;
    clock.start();
    ctx.requestCancel();
    worker.join();
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!outcome.ok());
    QVERIFY(outcome.error().isCanceled());
    auto exists = m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE indexname = 'items_hnsw_canceled'"));
    QCOMPARE(exists.value().scalar(), QStringLiteral("0"));
}

void TestMaintenance::aSessionEndedMidBuildSaysWhatItLeft()
{
    // A restart or failover in the middle of a concurrent build: the job says the build left an
    // invalid index and how to build it again.
    MaintenanceRequest r = createHnsw();
    r.index = QStringLiteral("items_hnsw_cut");
    r.concurrently = true;
    r.efConstruction = 400;
    auto plan = planMaintenance(*m_conn, r);
    VERIFY_OK(plan);
    Result<void> outcome = Error::internal(QStringLiteral("not run"));
    MaintenanceJob job(m_profile, plan.value());
    JobContext ctx;
    std::thread worker([&] { outcome = job.run(ctx); });
    const QString builder = QStringLiteral("SELECT p.pid FROM pg_stat_progress_create_index p JOIN pg_class c ON c.oid = p.relid "
                                           "WHERE c.relname = 'items' AND c.relnamespace = '%1'::regnamespace "
                                           "AND p.phase LIKE 'building index%'")
                                .arg(m_schema);
    QTRY_VERIFY_WITH_TIMEOUT(m_conn->exec(builder).value().rowCount() == 1, 30000);
    VERIFY_OK(m_conn->exec(QStringLiteral("SELECT pg_terminate_backend(%1)").arg(m_conn->exec(builder).value().scalar())));
    worker.join();
    QVERIFY(!outcome.ok());
    QCOMPARE(outcome.error().kind, Error::Kind::Connection);
    QVERIFY2(outcome.error().message.startsWith(QLatin1String("The connection was lost during CREATE INDEX CONCURRENTLY"))
                 && outcome.error().message.contains(QLatin1String("vwb index repair NAME")),
             qPrintable(outcome.error().message));
    auto left = m_conn->exec(
        QStringLiteral("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('%1.items_hnsw_cut')").arg(m_schema));
    QCOMPARE(left.value().scalar(), QStringLiteral("f"));
    VERIFY_OK(m_conn->exec(QStringLiteral("DROP INDEX %1.items_hnsw_cut").arg(m_schema)));
}

void TestMaintenance::ctrlCCancelsTheCliIndexBuild()
{
    // vwb index create runs through the job runner like a backfill: Ctrl-C stops the build now.
    QProcess vwb;
    vwb.start(QStringLiteral(VWB_CLI),
              {QStringLiteral("index"), QStringLiteral("create"), QStringLiteral("--table"), m_schema + QStringLiteral(".items"),
               QStringLiteral("--column"), QStringLiteral("embedding"), QStringLiteral("--method"), QStringLiteral("hnsw"),
               QStringLiteral("--ef-construction"), QStringLiteral("400"), QStringLiteral("--name"),
               QStringLiteral("items_hnsw_cli_canceled"), QStringLiteral("--url"), toDatabaseUrl(m_profile.params, false)});
    QVERIFY(vwb.waitForStarted());
    const QString building = QStringLiteral("SELECT count(*) FROM pg_stat_progress_create_index p JOIN pg_class c ON c.oid = p.relid "
                                            "WHERE c.relname = 'items' AND p.phase LIKE 'building index%'");
    QTRY_VERIFY_WITH_TIMEOUT(m_conn->exec(building).value().scalar().toInt() == 1, 30000);
    ::kill(pid_t(vwb.processId()), SIGINT);
    QVERIFY(vwb.waitForFinished(10000));
    const QString out = QString::fromUtf8(vwb.readAllStandardOutput()), err = QString::fromUtf8(vwb.readAllStandardError());
    QCOMPARE(vwb.exitStatus(), QProcess::NormalExit);
    QCOMPARE(vwb.exitCode(), 130);
    QVERIFY2(out.contains(QLatin1String("canceled: ")), qPrintable(out));
    QVERIFY2(err.contains(QLatin1String("canceling")), qPrintable(err));
    auto exists = m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_indexes WHERE indexname = 'items_hnsw_cli_canceled'"));
    QCOMPARE(exists.value().scalar(), QStringLiteral("0"));
    QCOMPARE(m_conn->exec(building).value().scalar(), QStringLiteral("0"));
}

void TestMaintenance::vacuumAndAnalyzeRun()
{
    for (auto kind : {MaintenanceRequest::Kind::Vacuum, MaintenanceRequest::Kind::Analyze}) {
        MaintenanceRequest r;
        r.kind = kind;
        r.table = {m_schema, QStringLiteral("items")};
        auto plan = planMaintenance(*m_conn, r);
        QVERIFY(plan.ok());
        JobContext ctx;
        QVERIFY(MaintenanceJob(m_profile, plan.value()).run(ctx).ok());
    }
    auto stats = m_conn->exec(QStringLiteral("SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL FROM pg_stat_user_tables "
                                             "WHERE schemaname = $1 AND relname = 'items'"),
                              {m_schema});
    QCOMPARE(stats.value().scalar(), QStringLiteral("t"));
}

void TestMaintenance::reindexThenVacuumRunsBothInOrder()
{
    QVERIFY(m_conn
                ->execScript(QStringLiteral(
                    "CREATE INDEX items_hnsw_rv ON items USING hnsw (embedding vector_l2_ops) WITH (m = 4, ef_construction = 8);"
                    "DELETE FROM items WHERE id % 10 = 0;"))
                .ok());
    MaintenanceRequest r;
    r.kind = MaintenanceRequest::Kind::ReindexThenVacuum;
    r.table = {m_schema, QStringLiteral("items")};
    r.index = QStringLiteral("items_hnsw_rv");
    auto plan = planMaintenance(*m_conn, r);
    QVERIFY(plan.ok());
    QCOMPARE(plan.value().statements.size(), 2);
    const qint64 vacuumsBefore = m_conn
                                     ->exec(
                                         QStringLiteral(
                                             "SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'items'"),
                                         {m_schema})
                                     .value()
                                     .scalar()
                                     .toLongLong();
    QVERIFY2(plan.value().statements.at(0).startsWith(QLatin1String("REINDEX INDEX CONCURRENTLY")), qPrintable(plan.value().sql()));
    QVERIFY2(plan.value().statements.at(1).startsWith(QLatin1String("VACUUM")), qPrintable(plan.value().sql()));
    // the REINDEX rebuilds an HNSW graph: the session is set up as for a new build (memory for it;
    // on more than one core, workers and the scan-size setting that lets pgvector use them)
    const QString settings = plan.value().settings.join(QLatin1Char('|'));
    QVERIFY2(plan.value().notes.join(QLatin1Char('|')).contains(QLatin1String("maintenance_work_mem")), qPrintable(settings));
    QCOMPARE(settings.contains(QLatin1String("SET min_parallel_table_scan_size = 0")), QThread::idealThreadCount() > 1);
    QStringList log;
    QList<JobProgress> seen;
    JobContext ctx([&seen](const JobProgress &p) { seen << p; }, [&log](const QString &line) { log << line; });
    auto ran = MaintenanceJob(m_profile, plan.value()).run(ctx);
    QVERIFY2(ran.ok(), qPrintable(ran.ok() ? QString() : ran.error().message));
    // One bar for both statements, half each: the REINDEX never fills it.
    for (const JobProgress &p : seen)
        if (p.step.startsWith(QLatin1String("1/2"))) {
            QCOMPARE(p.total, 2000);
            QVERIFY2(p.done <= 1000, qPrintable(QString::number(p.done)));
        }
    QVERIFY(std::any_of(seen.cbegin(), seen.cend(), [](const JobProgress &p) { return p.step.startsWith(QLatin1String("1/2")); }));
    const qsizetype reindexAt = log.indexOf(plan.value().statements.at(0)), vacuumAt = log.indexOf(plan.value().statements.at(1));
    QVERIFY2(reindexAt >= 0 && vacuumAt > reindexAt, qPrintable(log.join(QLatin1Char('\n'))));
    auto vacuums = m_conn->exec(
        QStringLiteral("SELECT vacuum_count FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = 'items'"), {m_schema});
    QCOMPARE(vacuums.value().scalar().toLongLong(), vacuumsBefore + 1);
    QVERIFY(m_conn->exec(QStringLiteral("DROP INDEX items_hnsw_rv")).ok());
}

void TestMaintenance::repairRebuildsAnInvalidIndex()
{
    // A failed CREATE UNIQUE INDEX CONCURRENTLY leaves its index behind, invalid.
    QVERIFY(m_conn->execScript(QStringLiteral("CREATE TABLE dups (k int); INSERT INTO dups VALUES (1), (1), (2);")).ok());
    QVERIFY(!m_conn->exec(QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY dups_k ON dups (k)")).ok());
    auto invalid = listIndexes(*m_conn, {m_schema});
    QVERIFY(invalid.ok());
    const auto found = std::find_if(invalid.value().begin(), invalid.value().end(),
                                    [](const IndexInfo &i) { return i.name == QLatin1String("dups_k"); });
    QVERIFY(found != invalid.value().end());
    QVERIFY(!found->valid);

    MaintenanceRequest r;
    r.kind = MaintenanceRequest::Kind::RepairIndex;
    r.index = m_schema + QStringLiteral(".dups_k");
    auto plan = planMaintenance(*m_conn, r);
    QVERIFY(plan.ok());
    QCOMPARE(plan.value().statements, QStringList{QStringLiteral("REINDEX INDEX CONCURRENTLY \"%1\".\"dups_k\"").arg(m_schema)});
    QVERIFY(!plan.value().destructive);
    QVERIFY(m_conn->exec(QStringLiteral("DELETE FROM dups WHERE ctid = (SELECT min(ctid) FROM dups WHERE k = 1)")).ok());
    JobContext ctx;
    auto ran = MaintenanceJob(m_profile, plan.value()).run(ctx);
    QVERIFY2(ran.ok(), qPrintable(ran.ok() ? QString() : ran.error().message));
    auto valid = m_conn->exec(QStringLiteral("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)"), {r.index});
    QCOMPARE(valid.value().scalar(), QStringLiteral("t"));
    auto again = planMaintenance(*m_conn, r);
    QVERIFY(!again.ok());
    QVERIFY2(again.error().message.contains(QLatin1String("nothing to repair")), qPrintable(again.error().message));
}

void TestMaintenance::repairDropsALeftoverOfAFailedReindex()
{
    QVERIFY(m_conn->execScript(QStringLiteral("CREATE TABLE dups2 (k int); INSERT INTO dups2 VALUES (1), (1);")).ok());
    QVERIFY(!m_conn->exec(QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY dups2_k_ccnew ON dups2 (k)")).ok());
    MaintenanceRequest r;
    r.kind = MaintenanceRequest::Kind::RepairIndex;
    r.index = m_schema + QStringLiteral(".dups2_k_ccnew");
    // Alone, the name proves nothing: it is rebuilt like any invalid index.
    auto alone = planMaintenance(*m_conn, r);
    QVERIFY(alone.ok());
    QVERIFY2(alone.value().statements.first().startsWith(QLatin1String("REINDEX INDEX CONCURRENTLY")), qPrintable(alone.value().sql()));
    // Beside the index it copies (what a failed REINDEX CONCURRENTLY leaves), it goes.
    QVERIFY(m_conn->exec(QStringLiteral("CREATE INDEX dups2_k ON dups2 (k)")).ok());
    auto plan = planMaintenance(*m_conn, r);
    QVERIFY(plan.ok());
    QCOMPARE(plan.value().statements, QStringList{QStringLiteral("DROP INDEX CONCURRENTLY \"%1\".\"dups2_k_ccnew\"").arg(m_schema)});
    QVERIFY(plan.value().destructive);
    JobContext ctx;
    QVERIFY(MaintenanceJob(m_profile, plan.value()).run(ctx).ok());
    auto gone = m_conn->exec(QStringLiteral("SELECT to_regclass($1) IS NULL"), {r.index});
    QCOMPARE(gone.value().scalar(), QStringLiteral("t"));
}

void TestMaintenance::indexListShowsMethodOperatorClassAndValidity()
{
    QVERIFY(
        m_conn->exec(QStringLiteral("CREATE INDEX items_ivf_list ON items USING ivfflat (embedding vector_cosine_ops) WITH (lists = 4)"))
            .ok());
    QProcess vwb;
    vwb.start(QStringLiteral(VWB_CLI), {QStringLiteral("index"), QStringLiteral("list"), QStringLiteral("--url"),
                                        toDatabaseUrl(m_profile.params, false), QStringLiteral("--json")});
    QVERIFY(vwb.waitForFinished(30000));
    QCOMPARE(vwb.exitCode(), 0);
    QJsonObject ivf;
    for (const QJsonValue &v : QJsonDocument::fromJson(vwb.readAllStandardOutput()).array())
        if (v[QStringLiteral("name")] == QStringLiteral("items_ivf_list") && v[QStringLiteral("schema")] == m_schema)
            ivf = v.toObject();
    QCOMPARE(ivf.value(QStringLiteral("method")).toString(), QStringLiteral("ivfflat"));
    QCOMPARE(ivf.value(QStringLiteral("opclasses")).toArray(), QJsonArray{QStringLiteral("vector_cosine_ops")});
    QCOMPARE(ivf.value(QStringLiteral("valid")).toBool(), true);
    auto size = m_conn->exec(QStringLiteral("SELECT pg_relation_size('items_ivf_list')"));
    QCOMPARE(ivf.value(QStringLiteral("size_bytes")).toInteger(), size.value().scalar().toLongLong());
    QVERIFY(m_conn->exec(QStringLiteral("DROP INDEX items_ivf_list")).ok());
}

void TestMaintenance::anIndexNamedWithADotIsDroppedByThatName()
{
    // what `index create --name my.idx` makes: an index whose name holds a dot
    QVERIFY(m_conn->exec(QStringLiteral("CREATE INDEX \"my.idx\" ON items (id)")).ok());
    QVERIFY(m_conn->exec(QStringLiteral("CREATE INDEX items_by_id ON items (id)")).ok());
    const QString url = toDatabaseUrl(m_profile.params, false);
    for (const QString &name : {QStringLiteral("my.idx"), m_schema + QStringLiteral(".items_by_id")}) {
        QProcess vwb;
        vwb.start(QStringLiteral(VWB_CLI), {QStringLiteral("index"), QStringLiteral("drop"), name, QStringLiteral("--url"), url});
        QVERIFY(vwb.waitForFinished(30000));
        QVERIFY2(vwb.exitCode() == 0, qPrintable(name + QLatin1Char(' ') + QString::fromUtf8(vwb.readAllStandardError())));
    }
    auto left = m_conn->exec(QStringLiteral("SELECT count(*) FROM pg_class WHERE relname IN ('my.idx', 'items_by_id') "
                                            "AND relnamespace = '%1'::regnamespace")
                                 .arg(m_schema));
    QVERIFY(left.ok());
    QCOMPARE(left.value().scalar(), QStringLiteral("0"));
}

void TestMaintenance::productionReadOnlyRefuses_data()
{
    // PostgreSQL runs VACUUM, ANALYZE, REINDEX and CLUSTER inside a read-only transaction: on a
    // locked production profile the workbench's own refusal is all that stops them.
    QTest::addColumn<int>("kind");
    using Kind = MaintenanceRequest::Kind;
    for (const auto &[name, kind] : {std::pair{"vacuum", Kind::Vacuum},
                                     {"analyze", Kind::Analyze},
                                     {"reindex", Kind::Reindex},
                                     {"reindex then vacuum", Kind::ReindexThenVacuum},
                                     {"create index", Kind::CreateIndex},
                                     {"drop index", Kind::DropIndex}})
        QTest::newRow(name) << int(kind);
}

void TestMaintenance::productionReadOnlyRefuses()
{
    QFETCH(int, kind);
    // A table autovacuum leaves alone, never analyzed: any VACUUM or ANALYZE would set reltuples,
    // any REINDEX give its indexes new files, CREATE or DROP INDEX change the list.
    VERIFY_OK(m_conn->execScript(
        QStringLiteral("DROP TABLE IF EXISTS guard_items;"
                       "CREATE TABLE guard_items (id int PRIMARY KEY, body text, embedding vector(3)) WITH (autovacuum_enabled = off);"
                       "CREATE INDEX guard_items_body ON guard_items (body);"
                       "INSERT INTO guard_items SELECT g, 'b' || g, '[1,2,3]' FROM generate_series(1, 200) g;")));
    const QString fingerprint = QStringLiteral(
                                    "SELECT string_agg(c.relname || ':' || c.relfilenode || ':' || c.reltuples, ',' ORDER BY c.relname) FROM pg_class c "
                                    "WHERE c.relnamespace = '%1'::regnamespace AND c.relname LIKE 'guard_items%'")
                                    .arg(m_schema);
    const QString before = m_conn->exec(fingerprint).value().scalar();
    QVERIFY2(before.startsWith(QLatin1String("guard_items:")) && before.section(QLatin1Char(','), 0, 0).endsWith(QLatin1String(":-1")),
             qPrintable(before));

    ConnectionProfile prod = m_profile;
    prod.name = QStringLiteral("prod-maintenance");
    prod.production = true;
    prod.params.sslmode = QStringLiteral("require");
    MaintenanceRequest r;
    r.kind = MaintenanceRequest::Kind(kind);
    r.table = {m_schema, QStringLiteral("guard_items")};
    r.index = r.kind == MaintenanceRequest::Kind::DropIndex ? QStringLiteral("guard_items_body") : QString();
    r.column = QStringLiteral("embedding");
    auto plan = planMaintenance(*m_conn, r);
    VERIFY_OK(plan);
    JobContext ctx;
    auto ran = MaintenanceJob(prod, plan.value()).run(ctx);
    QVERIFY(!ran.ok());
    QVERIFY2(ran.error().message.contains(QLatin1String("is production and read-only in this session: unlock writes before")),
             qPrintable(ran.error().message));
    QCOMPARE(m_conn->exec(fingerprint).value().scalar(), before);
}

QTEST_GUILESS_MAIN(TestMaintenance)
#include "tst_maintenance.moc"
