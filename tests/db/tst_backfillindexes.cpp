// tests/db/tst_backfillindexes.cpp — a backfill's index strategy: drop, fill and build the ANN
// index again (searches exact meanwhile, and saying why), and what a run killed at each stage
// leaves for the next run or `vwb index repair` to finish.
#include "BackfillFixture.h"

#include "backfill/BackfillIndexes.h"
#include "maintenance/HealthCheck.h"
#include "maintenance/IndexBuild.h"
#include "maintenance/IndexRebuilds.h"
#include "metrics/SizeHistory.h"
#include "search/SemanticSearch.h"
#include <QTemporaryDir>
#include <QThread>

using namespace vwb;
using test::TestProvider;

class TestBackfillIndexes : public QObject, public test::BackfillFixture
{
    Q_OBJECT
public:
    TestBackfillIndexes() : BackfillFixture(QStringLiteral("tst_backfillindexes")) {}

private slots:
    void initTestCase();
    void init();
    void cleanup() { tearDown(); }
    void rebuildFillsWithoutTheIndexAndBuildsItAgain();
    void aFailedFillLeavesTheIndexRecordedForRepair();
    void theNextRunFinishesAnInterruptedRebuild();
    void aKilledBuildIsFinishedFromItsInvalidIndex();
    void autoWithoutARecordNeverDrops();
    void aStaleRecordOfAValidIndexIsDropped();
    void buildMemoryIsSizedForTheGraph();
    void aGraphThatOutgrowsMemoryIsWarnedAbout();
    void theBuildRunsInParallelOnASmallHeap();

private:
    QString index() const { return m_schema + QStringLiteral(".tv_hnsw"); }
    QString definition();
    BackfillOptions rebuildOptions(IndexStrategy s = IndexStrategy::Rebuild) const;
    QList<PendingRebuild> pending(const QString &record = {});
    /// A job whose provider fails its `call`th request: the fill stops there. Its record: `record` (empty: m_record).
    Result<void> runFailingAt(int call, const QString &record = {});
    QTemporaryDir m_dir;
    QString m_record, m_default;
};

void TestBackfillIndexes::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The jobs keep their record where they are told; `vwb index repair` (planMaintenance) reads
    // the default one: two files, so a job that cleared the default one instead of its own shows.
    m_record = m_dir.filePath(QStringLiteral("index-rebuilds.sqlite"));
    m_default = m_dir.filePath(QStringLiteral("default-index-rebuilds.sqlite"));
    qputenv("VWB_INDEX_REBUILDS", m_default.toUtf8());
}

void TestBackfillIndexes::init()
{
    setUp();
    QFile::remove(m_record);
    QFile::remove(m_default);
    VERIFY_OK(m_conn->exec(QStringLiteral("CREATE INDEX tv_hnsw ON topic_vectors USING hnsw (vector vector_cosine_ops) WITH (m = 8)")));
    auto schema = discoverSchema(*m_conn);
    VERIFY_OK(schema);
    m_pair = *schema.value().find(m_schema + QStringLiteral(".topics"));
    QVERIFY(m_pair.columns.first().hasAnnIndex());
}

QString TestBackfillIndexes::definition()
{
    auto d = m_conn->exec(QStringLiteral("SELECT pg_get_indexdef(to_regclass($1)) || ' ' || (SELECT indisvalid FROM pg_index "
                                         "WHERE indexrelid = to_regclass($1))"),
                          {index()});
    return d.ok() ? d.value().scalar() : d.error().message;
}

BackfillOptions TestBackfillIndexes::rebuildOptions(IndexStrategy s) const
{
    BackfillOptions o = options(BackfillMode::Missing);
    o.indexStrategy = s;
    o.rebuildsPath = m_record;
    return o;
}

QList<PendingRebuild> TestBackfillIndexes::pending(const QString &record)
{
    auto p = IndexRebuilds(record.isEmpty() ? m_record : record).pending(SizeHistory::profileKey(profile()));
    return p.ok() ? p.value() : QList<PendingRebuild>{};
}

Result<void> TestBackfillIndexes::runFailingAt(int call, const QString &record)
{
    auto provider = std::make_unique<TestProvider>();
    provider->onCall = [call](int n, const std::function<bool()> &) -> Result<void> {
        return n == call ? Result<void>(Error::io(QStringLiteral("the provider went away"))) : Result<void>();
    };
    JobContext ctx;
    BackfillOptions o = rebuildOptions();
    if (!record.isEmpty())
        o.rebuildsPath = record;
    return job(o, std::move(provider))->run(ctx);
}

void TestBackfillIndexes::rebuildFillsWithoutTheIndexAndBuildsItAgain()
{
    seed(1500);
    const QString before = definition();
    QVERIFY2(before.endsWith(QLatin1String(" true")), qPrintable(before));
    // Mid-fill: the index is gone, recorded, and a search planned on the schema read before the
    // drop still runs, exactly, and says why.
    QString midIndex, midWarnings, midError;
    QList<PendingRebuild> midRecord;
    auto provider = std::make_unique<TestProvider>();
    provider->onCall = [&](int n, const std::function<bool()> &) -> Result<void> {
        if (n != 3)
            return {};
        auto other = test::connect(profile());
        midIndex = other->exec(QStringLiteral("SELECT coalesce(to_regclass($1)::text, 'gone')"), {index()}).value().scalar();
        midRecord = pending();
        SearchRequest r;
        r.pair = m_pair; // still lists tv_hnsw
        r.vector = other->exec(QStringLiteral("SELECT vector::text FROM topic_vectors LIMIT 1")).value().scalar();
        auto found = SemanticSearch::run(*other, r);
        if (found.ok())
            midWarnings = found.value().warnings.join(QLatin1Char('\n'));
        else
            midError = found.error().message;
        return {};
    };
    auto one = job(rebuildOptions(), std::move(provider));
    auto report = one->report();
    JobContext ctx;
    auto ran = one->run(ctx);
    VERIFY_OK(ran);
    QCOMPARE(midIndex, QStringLiteral("gone"));
    QCOMPARE(midRecord.size(), 1);
    QCOMPARE(midRecord.first().index, index());
    QCOMPARE(midRecord.first().table, m_schema + QStringLiteral(".topic_vectors"));
    QVERIFY2(midError.isEmpty(), qPrintable(midError));
    QVERIFY2(midWarnings.contains(QLatin1String("a backfill is filling it without its ANN index")), qPrintable(midWarnings));
    // After: the same index, valid, every row once, the record gone and the rates kept.
    QCOMPARE(definition(), before);
    QVERIFY(pending().isEmpty());
    QCOMPARE(report->indexStrategy, QStringLiteral("rebuild"));
    QVERIFY(report->buildMs > 0);
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT topic_id) FROM topic_vectors")), 1500);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 1500);
    verifyVectorsMatchTheirText();
    const QString column = m_schema + QStringLiteral(".topic_vectors.vector");
    auto build = IndexRebuilds(m_record).rate(SizeHistory::profileKey(profile()), column, QStringLiteral("build"));
    VERIFY_OK(build);
    QVERIFY(build.value() && *build.value() > 0);
    auto fill = IndexRebuilds(m_record).rate(SizeHistory::profileKey(profile()), column, QStringLiteral("fill:lexical"));
    VERIFY_OK(fill);
    QVERIFY(fill.value() && *fill.value() > 0);
}

void TestBackfillIndexes::aFailedFillLeavesTheIndexRecordedForRepair()
{
    seed(1000);
    const QString before = definition();
    auto failed = runFailingAt(3, m_default); // the record vwb index repair reads
    QVERIFY(!failed.ok());
    QVERIFY2(failed.error().message.contains(QLatin1String("went away")), qPrintable(failed.error().message));
    QCOMPARE(definition(), QString()); // gone: pg_get_indexdef(NULL)
    QCOMPARE(pending(m_default).size(), 1);
    // vwb health says so, with the fix.
    auto schema = discoverSchema(*m_conn);
    VERIFY_OK(schema);
    auto health = runHealthChecks(*m_conn, schema.value());
    VERIFY_OK(health);
    const auto finding = std::find_if(health.value().cbegin(), health.value().cend(),
                                      [](const HealthFinding &f) { return f.check == QLatin1String("index_dropped_for_rebuild"); });
    QVERIFY(finding != health.value().cend());
    QCOMPARE(finding->actionTarget, index());
    QCOMPARE(finding->action, HealthFinding::Action::RepairIndex);
    // vwb index repair NAME builds it again from the record, and clears it.
    MaintenanceRequest repair;
    repair.kind = MaintenanceRequest::Kind::RepairIndex;
    repair.index = QStringLiteral("tv_hnsw");
    auto plan = planMaintenance(*m_conn, repair);
    VERIFY_OK(plan);
    QVERIFY2(plan.value().statements.value(0).startsWith(QLatin1String("CREATE INDEX CONCURRENTLY tv_hnsw ON")),
             qPrintable(plan.value().sql()));
    JobContext ctx;
    VERIFY_OK(MaintenanceJob(profile(), plan.value()).run(ctx));
    QCOMPARE(definition(), before);
    QVERIFY(pending(m_default).isEmpty());
    // The committed batches are kept; the rest is a rerun's.
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 2 * 64);
}

void TestBackfillIndexes::theNextRunFinishesAnInterruptedRebuild()
{
    seed(1000);
    const QString before = definition();
    QVERIFY(!runFailingAt(2).ok());
    QCOMPARE(pending().size(), 1);
    // Even asked to write through the index, a run finds it recorded and builds it after the fill.
    auto one = job(rebuildOptions(IndexStrategy::InPlace));
    auto report = one->report();
    JobContext ctx;
    VERIFY_OK(one->run(ctx));
    QCOMPARE(report->indexStrategy, QStringLiteral("rebuild"));
    QVERIFY2(report->strategyReason.contains(QLatin1String("dropped by an earlier backfill")), qPrintable(report->strategyReason));
    QCOMPARE(definition(), before);
    QVERIFY(pending().isEmpty());
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT topic_id) FROM topic_vectors")), 1000);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 1000);
}

void TestBackfillIndexes::aKilledBuildIsFinishedFromItsInvalidIndex()
{
    seed(500);
    const QString before = definition();
    QVERIFY(!runFailingAt(2).ok());
    // What a CREATE INDEX CONCURRENTLY killed part-way leaves: the index, invalid.
    VERIFY_OK(
        m_conn->execScript(QStringLiteral("CREATE INDEX tv_hnsw ON topic_vectors USING hnsw (vector vector_cosine_ops) WITH (m = 8); "
                                          "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'tv_hnsw'::regclass")));
    QVERIFY(definition().endsWith(QLatin1String(" false")));
    auto plan = planIndexFromDefinition(*m_conn, index(), pending().value(0).definition);
    VERIFY_OK(plan);
    QCOMPARE(plan.value().statements, QStringList{QStringLiteral("REINDEX INDEX CONCURRENTLY \"tst_backfillindexes\".\"tv_hnsw\"")});
    // The next backfill drops the invalid build with the fill and builds it after.
    auto one = job(rebuildOptions(IndexStrategy::Auto));
    JobContext ctx;
    VERIFY_OK(one->run(ctx));
    QCOMPARE(definition(), before);
    QVERIFY(pending().isEmpty());
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 500);
}

void TestBackfillIndexes::autoWithoutARecordNeverDrops()
{
    seed(3000); // enough that the estimate prefers a rebuild
    BackfillOptions o = rebuildOptions(IndexStrategy::Auto);
    auto estimate = estimateBackfill(*m_conn, o, 0);
    VERIFY_OK(estimate);
    QCOMPARE(estimate.value().indexes.chosen, IndexStrategy::Rebuild);
    o.rebuildsPath.clear();
    auto one = job(o);
    auto report = one->report();
    JobContext ctx;
    VERIFY_OK(one->run(ctx));
    QCOMPARE(report->indexStrategy, QStringLiteral("in-place"));
    QVERIFY(definition().endsWith(QLatin1String(" true")));
    // Asked to rebuild with no record to keep the definition in: refused before anything is dropped.
    o.indexStrategy = IndexStrategy::Rebuild;
    VERIFY_OK(m_conn->exec(QStringLiteral("TRUNCATE topic_vectors")));
    auto refused = job(o)->run(ctx);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.contains(QLatin1String("records the indexes it drops")), qPrintable(refused.error().message));
    QVERIFY(definition().endsWith(QLatin1String(" true")));
}

void TestBackfillIndexes::aStaleRecordOfAValidIndexIsDropped()
{
    // Killed after the build, before its record went: the index is there and valid.
    seed(300);
    auto def = m_conn->exec(QStringLiteral("SELECT pg_get_indexdef(to_regclass($1))"), {index()});
    VERIFY_OK(def);
    VERIFY_OK(IndexRebuilds(m_record).recordPending(SizeHistory::profileKey(profile()),
                                                    {index(), m_schema + QStringLiteral(".topic_vectors"), def.value().scalar(), {}}));
    auto one = job(rebuildOptions(IndexStrategy::InPlace));
    auto report = one->report();
    JobContext ctx;
    VERIFY_OK(one->run(ctx));
    QCOMPARE(report->indexStrategy, QStringLiteral("in-place"));
    QVERIFY(pending().isEmpty());
    QVERIFY(definition().endsWith(QLatin1String(" true")));
}

void TestBackfillIndexes::buildMemoryIsSizedForTheGraph()
{
    VERIFY_OK(m_conn->exec(QStringLiteral("SET maintenance_work_mem = '64MB'")));
    // 100,000 × 1536 float4: ~616 MB of graph, which 64 MB does not hold.
    auto fits = indexBuildSettings(*m_conn, QStringLiteral("hnsw"), 100000, 1536, 4, 16);
    VERIFY_OK(fits);
    QVERIFY2(fits.value().statements.value(0).startsWith(QLatin1String("SET maintenance_work_mem = '6")),
             qPrintable(fits.value().statements.join(QLatin1Char('|'))));
    QVERIFY(fits.value().warnings.isEmpty());
    // 10 million: more than the 1 GB ceiling; the build is told, and warned.
    auto capped = indexBuildSettings(*m_conn, QStringLiteral("hnsw"), 10000000, 1536, 4, 16);
    VERIFY_OK(capped);
    QCOMPARE(capped.value().statements.value(0), QStringLiteral("SET maintenance_work_mem = '1024MB'"));
    QCOMPARE(capped.value().warnings.size(), 1);
    // halfvec halves it; IVFFlat needs no graph memory.
    auto half = indexBuildSettings(*m_conn, QStringLiteral("hnsw"), 100000, 1536, 2, 16);
    VERIFY_OK(half);
    QVERIFY2(half.value().statements.value(0).startsWith(QLatin1String("SET maintenance_work_mem = '3")),
             qPrintable(half.value().statements.join(QLatin1Char('|'))));
    auto ivf = indexBuildSettings(*m_conn, QStringLiteral("ivfflat"), 10000000, 1536, 4, 16);
    VERIFY_OK(ivf);
    QVERIFY(!ivf.value().statements.join(QLatin1Char('|')).contains(QLatin1String("maintenance_work_mem")));
}

void TestBackfillIndexes::aGraphThatOutgrowsMemoryIsWarnedAbout()
{
    seed(4000);
    JobContext fill;
    VERIFY_OK(job(options(BackfillMode::Missing, 500))->run(fill));
    MaintenancePlan plan;
    plan.title = QStringLiteral("small memory");
    plan.settings = {QStringLiteral("SET maintenance_work_mem = '1MB'"), QStringLiteral("SET max_parallel_maintenance_workers = 0")};
    plan.statements = {QStringLiteral("CREATE INDEX tv_small ON %1.topic_vectors USING hnsw (vector vector_l2_ops)").arg(m_schema)};
    QStringList log;
    JobContext ctx({}, [&log](const QString &line) { log << line; });
    VERIFY_OK(MaintenanceJob(profile(), plan).run(ctx));
    QVERIFY2(log.join(QLatin1Char('\n')).contains(QLatin1String("warning: hnsw graph no longer fits into maintenance_work_mem")),
             qPrintable(log.join(QLatin1Char('\n'))));
}

void TestBackfillIndexes::theBuildRunsInParallelOnASmallHeap()
{
    // The fixture's table is far under min_parallel_table_scan_size (8 MB), as a table of 1536
    // dimensions stored out of line is: pgvector asks the planner, which says one process.
    seed(3000);
    JobContext fill;
    VERIFY_OK(job(options(BackfillMode::Missing, 500))->run(fill));
    VERIFY_OK(m_conn->exec(QStringLiteral("DROP INDEX %1").arg(index())));
    auto settings = indexBuildSettings(*m_conn, QStringLiteral("hnsw"), 3000, test::BackfillDims, 4, 16);
    VERIFY_OK(settings);
    // the sandbox is on this machine: a worker per core beside the leader
    const int workers = qMin(QThread::idealThreadCount() - 1, 4);
    if (workers == 0) { // one core: no workers, and nothing to make the build parallel
        QVERIFY(!settings.value().statements.join(QLatin1Char('|')).contains(QLatin1String("min_parallel_table_scan_size")));
        return;
    }
    QVERIFY2(settings.value().statements.contains(QStringLiteral("SET max_parallel_maintenance_workers = %1").arg(workers)),
             qPrintable(settings.value().statements.join(QLatin1Char('|'))));
    auto build = [&](const QStringList &statements) {
        MaintenancePlan plan;
        plan.title = QStringLiteral("parallel");
        plan.settings = statements;
        plan.settings << QStringLiteral("SET client_min_messages = debug1"); // pgvector says how many workers it launched
        plan.statements = {
            QStringLiteral("CREATE INDEX CONCURRENTLY tv_par ON %1.topic_vectors USING hnsw (vector vector_cosine_ops)").arg(m_schema),
            QStringLiteral("DROP INDEX %1.tv_par").arg(m_schema)};
        QStringList log;
        JobContext ctx({}, [&log](const QString &line) { log << line; });
        auto ran = MaintenanceJob(profile(), plan).run(ctx);
        return ran.ok() ? log.join(QLatin1Char('\n')) : ran.error().message;
    };
    const QString parallel = build(settings.value().statements);
    QVERIFY2(parallel.contains(QStringLiteral("using %1 parallel workers").arg(workers)), qPrintable(parallel));
    // without the scan-size setting the same build is serial: the setting is what makes it parallel
    QStringList serial = settings.value().statements;
    serial.removeAll(QStringLiteral("SET min_parallel_table_scan_size = 0"));
    const QString alone = build(serial);
    QVERIFY2(!alone.contains(QLatin1String("parallel workers")), qPrintable(alone));
}

QTEST_GUILESS_MAIN(TestBackfillIndexes)
#include "tst_backfillindexes.moc"
