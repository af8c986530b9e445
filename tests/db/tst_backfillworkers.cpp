// tests/db/tst_backfillworkers.cpp — BackfillJob's claims: workers side by side, two backfills at
// once, rows other transactions hold, and how many workers a local provider gets.
#include "BackfillFixture.h"

#include "core/JobRunner.h"
#include <QMutex>
#include <QSemaphore>
#include <QSignalSpy>
#include <QThread>
#include <future>

using namespace vwb;
using test::TestProvider;

class TestBackfillWorkers : public QObject, public test::BackfillFixture
{
    Q_OBJECT
public:
    TestBackfillWorkers() : BackfillFixture(QStringLiteral("tst_backfillworkers")) {}

private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }
    void workersFillEveryRowExactlyOnce();
    void twoBackfillsAtOnceNeverDuplicateARow();
    void rowsOtherTransactionsHoldAreComeBackFor_data();
    void rowsOtherTransactionsHoldAreComeBackFor();
    void aLocalProviderGetsNoMoreWorkersThanCores();
    void theApplicationsInsertOfAClaimedRowNeitherWaitsNorDeadlocks();
};

void TestBackfillWorkers::workersFillEveryRowExactlyOnce()
{
    seed(2000);
    BackfillOptions o = options(BackfillMode::Missing, 40);
    o.workers = 4;
    QMutex mutex;
    QList<qint64> done;
    JobContext ctx([&](const JobProgress &p) {
        QMutexLocker lock(&mutex);
        done << p.done;
    });
    auto one = job(o, std::make_unique<TestProvider>(test::BackfillDims, false));
    auto report = one->report();
    auto ran = one->run(ctx);
    QVERIFY2(ran.ok(), qPrintable(ran.ok() ? QString() : ran.error().message));
    QCOMPARE(report->workers, 4);
    QCOMPARE(report->embedded, 2000);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 2000);
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT topic_id) FROM topic_vectors")), 2000);
    QVERIFY(std::is_sorted(done.begin(), done.end()));
    QCOMPARE(done.last(), 2000);
    verifyVectorsMatchTheirText();
}

void TestBackfillWorkers::twoBackfillsAtOnceNeverDuplicateARow()
{
    seed(3000);
    // Each job's first embed() waits for the other's: both hold a claimed batch at the same time.
    QSemaphore arrived[2];
    std::atomic_bool met[2] = {false, false};
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    std::shared_ptr<const BackfillReport> reports[2];
    for (int i = 0; i < 2; ++i) {
        auto provider = std::make_unique<TestProvider>();
        provider->onCall = [&arrived, &met, i](int call, const std::function<bool()> &) -> Result<void> {
            if (call == 1) {
                arrived[i].release();
                met[i] = arrived[1 - i].tryAcquire(1, 10000);
            }
            return {};
        };
        BackfillOptions o = options(BackfillMode::Missing, 50);
        o.workers = BackfillOptions::DefaultWorkers; // 2 x 4 claims in flight
        auto one = job(o, std::move(provider));
        reports[i] = one->report();
        runner.start(std::move(one));
    }
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 60000);
    for (const QList<QVariant> &f : finished)
        QVERIFY2(JobRunner::succeeded(f.at(1).value<Error>()), qPrintable(f.at(1).value<Error>().message));
    QVERIFY(met[0] && met[1]);
    QVERIFY(reports[0]->embedded > 0 && reports[1]->embedded > 0);
    QCOMPARE(reports[0]->embedded + reports[1]->embedded, 3000);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 3000);
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT topic_id) FROM topic_vectors")), 3000);
}

void TestBackfillWorkers::rowsOtherTransactionsHoldAreComeBackFor_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::addColumn<int>("releaseAtCall"); // 0: held until the job is over
    QTest::addColumn<int>("embedded");
    // Batches of 64: the second claim skips 100-109, the holder lets go during the third.
    QTest::newRow("inside a claimed range, let go meanwhile") << 100 << 109 << 3 << 300;
    QTest::newRow("past the last claim, held throughout") << 291 << 300 << 0 << 290;
}

void TestBackfillWorkers::rowsOtherTransactionsHoldAreComeBackFor()
{
    QFETCH(int, first);
    QFETCH(int, last);
    QFETCH(int, releaseAtCall);
    QFETCH(int, embedded);
    seed(300);
    auto holder = test::connect(profile());
    VERIFY_OK(holder->exec(QStringLiteral("BEGIN")));
    VERIFY_OK(holder->exec(QStringLiteral("SELECT id FROM topics WHERE id BETWEEN $1 AND $2 FOR UPDATE"), {first, last}));
    QSemaphore reached, go;
    auto provider = std::make_unique<TestProvider>();
    provider->onCall = [&](int call, const std::function<bool()> &) -> Result<void> {
        if (call == releaseAtCall) {
            reached.release();
            if (!go.tryAcquire(1, 10000))
                return Error::internal(QStringLiteral("the test never let the job go on"));
        }
        return {};
    };
    QStringList log;
    QString lastStep;
    JobContext ctx([&lastStep](const JobProgress &p) { lastStep = p.step; }, [&log](const QString &line) { log << line; });
    auto backfill = job(options(BackfillMode::Missing, 64), std::move(provider));
    auto ran = std::async(std::launch::async, [&] { return backfill->run(ctx); });
    if (releaseAtCall > 0) {
        QVERIFY(reached.tryAcquire(1, 10000));
        VERIFY_OK(holder->exec(QStringLiteral("COMMIT")));
        go.release();
    }
    VERIFY_OK(ran.get());
    const BackfillReport &r = *backfill->report();
    QCOMPARE(r.passes, 2);
    QCOMPARE(r.embedded, embedded);
    QCOMPARE(r.heldAtEnd, 300 - embedded);
    ctx.flush();
    QCOMPARE(lastStep.contains(QStringLiteral("%1 held by other transactions").arg(r.heldAtEnd)), r.heldAtEnd > 0);
    QVERIFY2(log.join(QLatin1Char('\n')).contains(QStringLiteral("once more from the start")), qPrintable(log.join(QLatin1Char('\n'))));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), embedded);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors WHERE topic_id BETWEEN %1 AND %2").arg(first).arg(last)),
             releaseAtCall > 0 ? last - first + 1 : 0);
    if (releaseAtCall == 0) { // the holder's rows are its business until it lets go; then a rerun fills them
        VERIFY_OK(holder->exec(QStringLiteral("COMMIT")));
        auto again = job(options(BackfillMode::Missing, 64));
        JobContext quiet;
        VERIFY_OK(again->run(quiet));
        QCOMPARE(again->report()->embedded, last - first + 1);
        QCOMPARE(again->report()->passes, 1);
    }
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 300);
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT topic_id) FROM topic_vectors")), 300);
}

void TestBackfillWorkers::aLocalProviderGetsNoMoreWorkersThanCores()
{
    seed(300);
    BackfillOptions o = options(BackfillMode::Missing, 40);
    o.workers = BackfillOptions::MaxWorkers;
    QStringList log;
    JobContext ctx({}, [&log](const QString &line) { log << line; });
    auto local = job(o);
    VERIFY_OK(local->run(ctx));
    const int cores = std::max(1, QThread::idealThreadCount());
    QCOMPARE(local->report()->workers, std::min(BackfillOptions::MaxWorkers, cores));
    QCOMPARE(local->report()->embedded, 300);
    if (cores < BackfillOptions::MaxWorkers) // "2 workers instead of 4: … this machine's 2 cores", as the dialog counts them
        QVERIFY2(log.join(QLatin1Char('\n'))
                     .contains(QStringLiteral("%1 %2 instead of %3: the lexical provider computes on this machine's %1 %4")
                                   .arg(cores)
                                   .arg(cores == 1 ? QStringLiteral("worker") : QStringLiteral("workers"))
                                   .arg(BackfillOptions::MaxWorkers)
                                   .arg(cores == 1 ? QStringLiteral("core") : QStringLiteral("cores"))),
                 qPrintable(log.join(QLatin1Char('\n'))));
    // What the Maintenance panel's preview says is what the job ran; a remote provider keeps them all.
    QCOMPARE(backfillWorkers(BackfillOptions::MaxWorkers, true), local->report()->workers);
    QCOMPARE(backfillWorkers(BackfillOptions::MaxWorkers, false), BackfillOptions::MaxWorkers);
}

void TestBackfillWorkers::theApplicationsInsertOfAClaimedRowNeitherWaitsNorDeadlocks()
{
    // The workbench's schema: one vector row per topic. While the backfill holds its first claim
    // (inside its first embed()), the application inserts a vector for a claimed topic the way the
    // reference design's VectorInsertionService does: one INSERT, its foreign key checked against
    // the claimed row. A claim taken FOR UPDATE blocks that check (KEY SHARE) until the claim
    // commits, which waits on the insert: the deadlock PostgreSQL broke by killing the insert.
    VERIFY_OK(m_conn->exec(QStringLiteral("CREATE UNIQUE INDEX topic_vectors_topic_id_unique ON topic_vectors (topic_id)")));
    seed(300);
    auto app = test::connect(profile());
    VERIFY_OK(app->exec(QStringLiteral("SET lock_timeout = '5s'"))); // with the old claim: fails here in 5 s, not forever
    const QString appVector = QStringLiteral("[1%1]").arg(QStringLiteral(",0").repeated(test::BackfillDims - 1));
    Result<QueryResult> inserted = Error::internal(QStringLiteral("the insert did not run"));
    auto provider = std::make_unique<TestProvider>();
    provider->onCall = [&](int call, const std::function<bool()> &) -> Result<void> {
        if (call == 1)
            inserted = app->exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) "
                                                "SELECT id, forum_name, $1 FROM topics WHERE id = 1"),
                                 {appVector});
        return {};
    };
    BackfillOptions o = options(BackfillMode::Missing, 64);
    JobContext ctx;
    auto backfill = job(o, std::move(provider));
    auto ran = backfill->run(ctx);
    QVERIFY2(inserted.ok(),
             qPrintable(inserted.ok() ? QString() : inserted.error().sqlState + QLatin1Char(' ') + inserted.error().message));
    QCOMPARE(inserted.value().affectedRows, 1);
    QVERIFY2(ran.ok(), qPrintable(ran.ok() ? QString() : ran.error().message));
    QCOMPARE(backfill->report()->embedded, 299); // the application's row is the application's
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 300);
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT topic_id) FROM topic_vectors")), 300);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors WHERE topic_id = 1 AND vector = '%1'").arg(appVector)), 1);
}

QTEST_GUILESS_MAIN(TestBackfillWorkers)
#include "tst_backfillworkers.moc"
