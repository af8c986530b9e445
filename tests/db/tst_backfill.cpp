// tests/db/tst_backfill.cpp — BackfillJob against a real server: topics and topic_vectors as the
// project's migrations create them, with vector(32) and the lexical provider at 32 dimensions.
#include "TestCluster.h"

#include "backfill/BackfillJob.h"
#include "backfill/RateLimiter.h"
#include "connection/SessionUnlocks.h"
#include "core/JobRunner.h"
#include "embeddings/LexicalHashingProvider.h"
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QSemaphore>
#include <QSignalSpy>
#include <QThread>
#include <future>

using namespace vwb;

namespace {
constexpr int Dims = 32;

/// The lexical provider, plus hooks: rejects any batch holding "POISON"; calls `onCall` with the
/// 1-based number of each embed() before embedding; with `local` false it passes for a provider
/// that waits on a server (the job then runs as many workers as asked).
class TestProvider : public LexicalHashingProvider
{
public:
    explicit TestProvider(int dims = Dims, bool local = true) : LexicalHashingProvider(dims), m_local(local) {}
    std::function<Result<void>(int call, const std::function<bool()> &cancel)> onCall;
    bool computesLocally() const override { return m_local; }
    Result<EmbeddingBatch> embed(const QStringList &texts, const std::function<bool()> &cancel = {}) override
    {
        if (onCall)
            if (auto go = onCall(++m_calls, cancel); !go.ok())
                return go.error();
        for (const QString &t : texts)
            if (t.contains(QLatin1String("POISON")))
                return Error::invalid(QStringLiteral("POISON is not embeddable"));
        return LexicalHashingProvider::embed(texts, cancel);
    }

private:
    const bool m_local;
    std::atomic_int m_calls = 0; // workers call side by side
};

QString migrationUp(const QString &fileSuffix)
{
    const QDir dir(QStringLiteral(VWB_TEST_DATA "/../../migrations"));
    QFile file(dir.filePath(dir.entryList({QStringLiteral("*") + fileSuffix}, QDir::Files).value(0)));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("no migration *%s", qPrintable(fileSuffix));
    const QString text = QString::fromUtf8(file.readAll());
    const qsizetype up = text.indexOf(QLatin1String("-- migrate:up"));
    return text.mid(up, text.indexOf(QLatin1String("-- migrate:down")) - up);
}
} // namespace

class TestBackfill : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void fillsEveryMissingVectorExactlyOnceWithMonotoneProgress();
    void staleRowsAreReembeddedAndOnlyThose();
    void allReembedsEveryRow();
    void inlineVectorColumnIsFilledInPlace();
    void dryRunCountsAndEstimatesWithoutWriting();
    void rejectedRowsAreReportedAndTheRestEmbedded();
    void twoBackfillsAtOnceNeverDuplicateARow();
    void workersFillEveryRowExactlyOnce();
    void rowsOtherTransactionsHoldAreComeBackFor_data();
    void rowsOtherTransactionsHoldAreComeBackFor();
    void aLocalProviderGetsNoMoreWorkersThanCores();
    void cancelReturnsWithinOneSecondAndKeepsCommittedBatches_data();
    void cancelReturnsWithinOneSecondAndKeepsCommittedBatches();
    void pauseHoldsNoClaimAndResumeFinishes();
    void writeLockedProductionIsRefused();
    void dimensionMismatchIsRefusedBeforeTheStart();
    void rateLimiterSpacesRequestsAndTokens();

private:
    ConnectionProfile profile() const;
    void seed(int topics);
    qint64 count(const QString &sql);
    BackfillOptions options(BackfillMode mode, int batch = 64) const;
    std::unique_ptr<BackfillJob> job(const BackfillOptions &o, std::unique_ptr<EmbeddingProvider> p = std::make_unique<TestProvider>());
    /// Every vector equals the lexical embedding of its topic's title + "\n\n" + content.
    void verifyVectorsMatchTheirText();

    const QString m_schema = QStringLiteral("tst_backfill");
    std::unique_ptr<PgConnection> m_conn;
    ContentPair m_pair;
};

ConnectionProfile TestBackfill::profile() const
{
    ConnectionProfile p = test::clusterProfile();
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    return p;
}

void TestBackfill::init()
{
    auto admin = test::connect();
    VERIFY_OK(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1").arg(m_schema)));
    m_conn = test::connect(profile());
    VERIFY_OK(m_conn->execScript(migrationUp(QStringLiteral("_create_base_tables.sql")).replace(QLatin1String("vector(1536)"),
                                                                                                 QStringLiteral("vector(%1)").arg(Dims))));
    auto schema = discoverSchema(*m_conn);
    VERIFY_OK(schema);
    m_pair = *schema.value().find(m_schema + QStringLiteral(".topics"));
    QCOMPARE(m_pair.columns.first().dimensions, Dims);
}

void TestBackfill::cleanup()
{
    m_conn.reset();
    VERIFY_OK(test::connect()->exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(m_schema)));
}

void TestBackfill::seed(int topics)
{
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topics (forum_name, title, content) SELECT 'forum ' || (g % 3), "
                                          "'Topic ' || g || ' on ' || (ARRAY['bread','cheese','wine','olives'])[1 + g % 4], "
                                          "'Notes number ' || g || E' about baking\\tand\\nsharing' FROM generate_series(1, $1) g"),
                           {topics}));
}

qint64 TestBackfill::count(const QString &sql)
{
    auto r = m_conn->exec(sql);
    return r.ok() ? r.value().scalar().toLongLong() : (qWarning("%s: %s", qPrintable(sql), qPrintable(r.error().message)), -1);
}

BackfillOptions TestBackfill::options(BackfillMode mode, int batch) const
{
    BackfillOptions o;
    o.pair = m_pair;
    o.mode = mode;
    o.batchSize = batch;
    o.workers = 1; // batch by batch, so counts and the points where a test steps in are exact
    return o;
}

std::unique_ptr<BackfillJob> TestBackfill::job(const BackfillOptions &o, std::unique_ptr<EmbeddingProvider> p)
{
    return std::make_unique<BackfillJob>(test::connect(profile()), o, std::move(p));
}

void TestBackfill::verifyVectorsMatchTheirText()
{
    auto rows = m_conn->exec(QStringLiteral("SELECT t.title || E'\\n\\n' || t.content, v.vector::text FROM topic_vectors v "
                                            "JOIN topics t ON t.id = v.topic_id ORDER BY t.id LIMIT 50"));
    VERIFY_OK(rows);
    QVERIFY(rows.value().rowCount() > 0);
    LexicalHashingProvider lexical(Dims);
    for (const QStringList &row : rows.value().rows) {
        const Embedding expected = lexical.embedOne(row.at(0)).value();
        const QStringList stored = row.at(1).mid(1, row.at(1).size() - 2).split(QLatin1Char(','));
        QCOMPARE(stored.size(), Dims);
        for (int i = 0; i < Dims; ++i)
            QCOMPARE(stored.at(i).toFloat(), expected.at(i)); // the text form round-trips exactly
    }
}

void TestBackfill::fillsEveryMissingVectorExactlyOnceWithMonotoneProgress()
{
    seed(1000);
    const QString placeholder = QStringLiteral("[1%1]").arg(QStringLiteral(",0").repeated(Dims - 1));
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, $1 "
                                          "FROM topics WHERE id % 10 = 0"), {placeholder}));
    QList<JobProgress> sent;
    JobContext ctx([&sent](const JobProgress &p) { sent << p; });
    auto backfill = job(options(BackfillMode::Missing, 64));
    VERIFY_OK(backfill->run(ctx));
    ctx.flush();
    const BackfillReport &r = *backfill->report();
    QCOMPARE(r.total, 900);
    QCOMPARE(r.embedded, 900);
    QCOMPARE(r.inserted, 900);
    QCOMPARE(r.batches, 15); // 900 / 64, rounded up
    QCOMPARE(r.passes, 1);   // nothing held elsewhere: no second pass
    QCOMPARE(r.heldAtEnd, 0);
    QVERIFY(r.errors.isEmpty());
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 1000);
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT topic_id) FROM topic_vectors")), 1000);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors WHERE vector = '%1'").arg(placeholder)), 100); // untouched
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors v JOIN topics t ON t.id = v.topic_id "
                                  "WHERE v.forum_name IS DISTINCT FROM t.forum_name")), 0);
    VERIFY_OK(m_conn->exec(QStringLiteral("DELETE FROM topic_vectors WHERE topic_id % 10 = 0")));
    verifyVectorsMatchTheirText();

    QVERIFY(sent.size() >= 2);
    for (qsizetype i = 1; i < sent.size(); ++i)
        QVERIFY(sent.at(i).done >= sent.at(i - 1).done);
    QCOMPARE(sent.last().done, 900);
    QCOMPARE(sent.last().total, 900);

    auto again = job(options(BackfillMode::Missing));
    JobContext quiet;
    VERIFY_OK(again->run(quiet));
    QCOMPARE(again->report()->embedded, 100); // exactly the ones deleted above
    QCOMPARE(count(QStringLiteral("SELECT count(*) - count(DISTINCT topic_id) FROM topic_vectors")), 0);
}

void TestBackfill::staleRowsAreReembeddedAndOnlyThose()
{
    seed(200);
    JobContext ctx;
    VERIFY_OK(job(options(BackfillMode::Missing))->run(ctx));
    VERIFY_OK(m_conn->exec(QStringLiteral("UPDATE topics SET content = 'Rewritten: cheese ' || id, updated_at = now() "
                                          "WHERE id BETWEEN 5 AND 14")));
    auto before = m_conn->exec(QStringLiteral("SELECT string_agg(id || updated_at::text || vector::text, '|' ORDER BY id) "
                                              "FROM topic_vectors WHERE topic_id NOT BETWEEN 5 AND 14"));
    VERIFY_OK(before);
    auto estimate = estimateBackfill(*m_conn, options(BackfillMode::Stale), 1);
    VERIFY_OK(estimate);
    QCOMPARE(estimate.value().rows, 10);
    auto stale = job(options(BackfillMode::Stale, 4));
    JobContext ctx2;
    VERIFY_OK(stale->run(ctx2));
    QCOMPARE(stale->report()->embedded, 10);
    QCOMPARE(stale->report()->updated, 10);
    QCOMPARE(stale->report()->inserted, 0);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 200);
    auto after = m_conn->exec(QStringLiteral("SELECT string_agg(id || updated_at::text || vector::text, '|' ORDER BY id) "
                                             "FROM topic_vectors WHERE topic_id NOT BETWEEN 5 AND 14"));
    QCOMPARE(after.value().scalar(), before.value().scalar()); // the others: not touched at all
    verifyVectorsMatchTheirText();
    QCOMPARE(estimateBackfill(*m_conn, options(BackfillMode::Stale), 1).value().rows, 0);
}

void TestBackfill::allReembedsEveryRow()
{
    seed(150);
    const QString placeholder = QStringLiteral("[1%1]").arg(QStringLiteral(",0").repeated(Dims - 1));
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, 'stale forum', $1 "
                                          "FROM topics WHERE id <= 100"), {placeholder}));
    auto all = job(options(BackfillMode::All, 32));
    JobContext ctx;
    VERIFY_OK(all->run(ctx));
    QCOMPARE(all->report()->total, 150);
    QCOMPARE(all->report()->embedded, 150);
    QCOMPARE(all->report()->updated, 100);
    QCOMPARE(all->report()->inserted, 50);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 150);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors WHERE vector = '%1' OR forum_name = 'stale forum'").arg(placeholder)), 0);
    verifyVectorsMatchTheirText();
}

void TestBackfill::inlineVectorColumnIsFilledInPlace()
{
    VERIFY_OK(m_conn->execScript(QStringLiteral(
        "CREATE TABLE notes (id bigserial PRIMARY KEY, title text, content text, embedding vector(32));"
        "INSERT INTO notes (title, content) SELECT 'Note ' || g, 'about wine ' || g FROM generate_series(1, 120) g;"
        "UPDATE notes SET embedding = array_fill(0.5, ARRAY[32])::vector WHERE id <= 20")));
    const auto pair = discoverSchema(*m_conn).value().find(m_schema + QStringLiteral(".notes"));
    QVERIFY(pair && pair->isInline());
    BackfillOptions o = options(BackfillMode::Missing, 50);
    o.pair = *pair;
    auto backfill = job(o);
    JobContext ctx;
    VERIFY_OK(backfill->run(ctx));
    QCOMPARE(backfill->report()->embedded, 100);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notes WHERE embedding IS NULL")), 0);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM notes WHERE embedding = array_fill(0.5, ARRAY[32])::vector")), 20);
}

void TestBackfill::dryRunCountsAndEstimatesWithoutWriting()
{
    seed(100);
    const qint64 chars = count(QStringLiteral("SELECT sum(length(title || E'\\n\\n' || content)) FROM topics WHERE id > 40"));
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, "
                                          "array_fill(0.5, ARRAY[%1])::vector FROM topics WHERE id <= 40").arg(Dims)));
    auto e = estimateBackfill(*m_conn, options(BackfillMode::Missing), 0.02);
    VERIFY_OK(e);
    QCOMPARE(e.value().rows, 60);
    QCOMPARE(e.value().characters, chars);
    QCOMPARE(e.value().tokens, (chars + 3) / 4);
    QCOMPARE(e.value().cost, double(e.value().tokens) / 1e6 * 0.02);
    QCOMPARE(estimateBackfill(*m_conn, options(BackfillMode::All), 0).value().rows, 100);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 40);
}

void TestBackfill::rejectedRowsAreReportedAndTheRestEmbedded()
{
    seed(300);
    VERIFY_OK(m_conn->exec(QStringLiteral("UPDATE topics SET content = 'a POISON pill' WHERE id = 137")));
    VERIFY_OK(m_conn->exec(QStringLiteral("UPDATE topics SET title = '...', content = '!!!' WHERE id = 201"))); // no words
    auto backfill = job(options(BackfillMode::Missing, 50));
    QStringList logged;
    JobContext ctx({}, [&logged](const QString &line) { logged << line; });
    VERIFY_OK(backfill->run(ctx));
    const BackfillReport &r = *backfill->report();
    QCOMPARE(r.errors.size(), 2);
    QCOMPARE(r.errors.at(0).id, QStringLiteral("137"));
    QVERIFY2(r.errors.at(0).reason.contains(QLatin1String("POISON")), qPrintable(r.errors.at(0).reason));
    QCOMPARE(r.errors.at(1).id, QStringLiteral("201"));
    QVERIFY2(r.errors.at(1).reason.contains(QLatin1String("no words")), qPrintable(r.errors.at(1).reason));
    QCOMPARE(r.embedded, 298);
    QCOMPARE(r.requests, 6 + 50 + 50); // two batches were retried row by row
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 298);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors WHERE topic_id IN (137, 201)")), 0);
    QVERIFY(logged.join(QLatin1Char('\n')).contains(QLatin1String("Row 137 skipped")));

    auto rerun = job(options(BackfillMode::Missing, 50)); // only the two bad rows are left
    JobContext ctx2;
    VERIFY_OK(rerun->run(ctx2));
    QCOMPARE(rerun->report()->errors.size(), 2);
    QCOMPARE(rerun->report()->embedded, 0);
    QCOMPARE(rerun->report()->requests, 1 + 2 + 1); // the batch, each row, one known-good text

    auto broken = std::make_unique<TestProvider>();
    broken->onCall = [](int, const std::function<bool()> &) -> Result<void> { return Error::invalid(QStringLiteral("HTTP 404")); };
    seed(10);
    auto failing = job(options(BackfillMode::Missing, 50), std::move(broken));
    JobContext ctx3;
    auto outcome = failing->run(ctx3);
    QVERIFY(!outcome.ok()); // a provider that rejects everything stops the run instead of listing every row
    QVERIFY2(outcome.error().detail.contains(QLatin1String("known-good")), qPrintable(outcome.error().detail));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 298);
}

void TestBackfill::workersFillEveryRowExactlyOnce()
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
    auto one = job(o, std::make_unique<TestProvider>(Dims, false));
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

void TestBackfill::rowsOtherTransactionsHoldAreComeBackFor_data()
{
    QTest::addColumn<int>("first");
    QTest::addColumn<int>("last");
    QTest::addColumn<int>("releaseAtCall"); // 0: held until the job is over
    QTest::addColumn<int>("embedded");
    // Batches of 64: the second claim skips 100-109, the holder lets go during the third.
    QTest::newRow("inside a claimed range, let go meanwhile") << 100 << 109 << 3 << 300;
    QTest::newRow("past the last claim, held throughout") << 291 << 300 << 0 << 290;
}

void TestBackfill::rowsOtherTransactionsHoldAreComeBackFor()
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
    JobContext ctx({}, [&log](const QString &line) { log << line; });
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

void TestBackfill::aLocalProviderGetsNoMoreWorkersThanCores()
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
    if (cores < BackfillOptions::MaxWorkers)
        QVERIFY2(log.join(QLatin1Char('\n')).contains(QStringLiteral("computes on this machine's %1 core").arg(cores)), qPrintable(log.join(QLatin1Char('\n'))));
}

void TestBackfill::twoBackfillsAtOnceNeverDuplicateARow()
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

void TestBackfill::cancelReturnsWithinOneSecondAndKeepsCommittedBatches_data()
{
    QTest::addColumn<bool>("blockedInStatement");
    QTest::newRow("waiting in the provider") << false;
    QTest::newRow("blocked in a statement") << true;
}

void TestBackfill::cancelReturnsWithinOneSecondAndKeepsCommittedBatches()
{
    QFETCH(bool, blockedInStatement);
    seed(1000);
    QSemaphore reached, proceed;
    auto provider = std::make_unique<TestProvider>();
    provider->onCall = [&](int call, const std::function<bool()> &canceled) -> Result<void> {
        if (call != 3)
            return {};
        reached.release(); // two batches are committed by now
        while (!proceed.tryAcquire(1, 10))
            if (canceled())
                return Error::canceled();
        return {};
    };
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    auto one = job(options(BackfillMode::Missing, 50), std::move(provider));
    auto report = one->report();
    const JobId id = runner.start(std::move(one));
    QVERIFY(reached.tryAcquire(1, 20000));
    // The third batch is being embedded while the second is written (on the other connection).
    QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 100, 10000);
    auto blocker = test::connect(profile());
    if (blockedInStatement) {
        VERIFY_OK(blocker->exec(QStringLiteral("BEGIN")));
        VERIFY_OK(blocker->exec(QStringLiteral("LOCK TABLE topic_vectors IN EXCLUSIVE MODE"))); // reads pass, writes wait
        proceed.release();
        QTRY_VERIFY_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = "
                                                      "'%1.topic_vectors'::regclass").arg(m_schema)) == 1, 10000);
    }
    QElapsedTimer clock;
    clock.start();
    runner.cancel(id);
    QVERIFY(finished.wait(5000));
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(finished.first().at(1).value<Error>().kind, Error::Kind::Canceled);
    if (blockedInStatement)
        VERIFY_OK(blocker->exec(QStringLiteral("ROLLBACK")));
    QCOMPARE(report->batches, 2);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 100);
    QCOMPARE(count(QStringLiteral("SELECT max(topic_id) FROM topic_vectors")), 100);
}

void TestBackfill::pauseHoldsNoClaimAndResumeFinishes()
{
    seed(1000);
    QSemaphore reached, proceed;
    auto provider = std::make_unique<TestProvider>();
    provider->onCall = [&](int call, const std::function<bool()> &) -> Result<void> {
        if (call == 3) {
            reached.release();
            proceed.acquire();
        }
        return {};
    };
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    const JobId id = runner.start(job(options(BackfillMode::Missing, 50), std::move(provider)));
    QVERIFY(reached.tryAcquire(1, 20000));
    runner.pause(id); // asked while batch 3 is embedded: it is written, then nothing more is claimed
    proceed.release();
    const QString claims = QStringLiteral("SELECT count(*) FROM pg_locks WHERE relation = '%1.topics'::regclass AND mode = 'RowShareLock'").arg(m_schema);
    QTRY_VERIFY_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM topic_vectors")) == 150 && count(claims) == 0, 10000);
    QVERIFY(finished.isEmpty());
    runner.resume(id);
    QVERIFY(finished.wait(30000));
    QVERIFY2(JobRunner::succeeded(finished.first().at(1).value<Error>()), qPrintable(finished.first().at(1).value<Error>().message));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 1000);
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT topic_id) FROM topic_vectors")), 1000);
}

void TestBackfill::writeLockedProductionIsRefused()
{
    seed(20);
    ConnectionProfile p = profile();
    p.name = QStringLiteral("prod-backfill");
    p.production = true;
    p.params.sslmode = QStringLiteral("require"); // the test cluster has a self-signed certificate
    SessionUnlocks::lock(p.name);
    auto prod = PgConnection::open(p);
    VERIFY_OK(prod);
    QVERIFY(prod.value()->isWriteLocked());
    auto e = estimateBackfill(*prod.value(), options(BackfillMode::Missing), 0.02); // a dry run only reads
    VERIFY_OK(e);
    QCOMPARE(e.value().rows, 20);
    BackfillJob refused(std::move(prod).value(), options(BackfillMode::Missing), std::make_unique<TestProvider>());
    JobContext ctx;
    auto outcome = refused.run(ctx);
    QVERIFY(!outcome.ok());
    QVERIFY2(outcome.error().message.contains(QLatin1String("\"prod-backfill\" is a production profile and writes are locked")),
             qPrintable(outcome.error().message));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 0);
}

void TestBackfill::dimensionMismatchIsRefusedBeforeTheStart()
{
    seed(20);
    auto backfill = job(options(BackfillMode::Missing), std::make_unique<TestProvider>(16));
    JobContext ctx;
    auto outcome = backfill->run(ctx);
    QVERIFY(!outcome.ok());
    QVERIFY2(outcome.error().message.contains(QLatin1String("16-dimension")) && outcome.error().message.contains(QLatin1String("has 32")),
             qPrintable(outcome.error().message));
    QCOMPARE(backfill->report()->requests, 0);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 0);
}

void TestBackfill::rateLimiterSpacesRequestsAndTokens()
{
    RateLimiter none(0, 0);
    none.record(0, 1'000'000);
    QCOMPARE(none.delayMs(0, 1'000'000), 0);
    RateLimiter rpm(120, 0); // one request every 500 ms
    QCOMPARE(rpm.delayMs(0, 10), 0);
    rpm.record(0, 10);
    QCOMPARE(rpm.delayMs(100, 10), 400);
    QCOMPARE(rpm.delayMs(600, 10), 0);
    RateLimiter tpm(0, 1000); // 1000 tokens in any minute
    tpm.record(0, 600);
    tpm.record(10'000, 300);
    QCOMPARE(tpm.delayMs(20'000, 100), 0);
    QCOMPARE(tpm.delayMs(20'000, 200), 40'000); // once the first request leaves the minute
    QCOMPARE(tpm.delayMs(20'000, 800), 50'000); // both must leave
    QCOMPARE(tpm.delayMs(61'000, 500), 0);
    RateLimiter huge(0, 1000);
    QCOMPARE(huge.delayMs(0, 5000), 0); // bigger than the budget: goes when the minute is empty
}

QTEST_GUILESS_MAIN(TestBackfill)
#include "tst_backfill.moc"
