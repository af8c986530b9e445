// tests/db/tst_backfill.cpp — BackfillJob against a real server, one worker: the modes, dry runs,
// rejected rows, cancel, pause, refusals (BackfillFixture.h: the schema and the provider;
// tst_backfillworkers: claims side by side).
#include "BackfillFixture.h"

#include "backfill/RateLimiter.h"
#include "connection/SessionUnlocks.h"
#include "core/JobRunner.h"
#include <QElapsedTimer>
#include <QSemaphore>
#include <QSignalSpy>

using namespace vwb;
Q_DECLARE_METATYPE(vwb::BackfillMode)
using test::TestProvider;
namespace {
constexpr int Dims = test::BackfillDims;
}

class TestBackfill : public QObject, public test::BackfillFixture
{
    Q_OBJECT
public:
    TestBackfill() : BackfillFixture(QStringLiteral("tst_backfill")) {}

private slots:
    void init() { setUp(); }
    void cleanup() { tearDown(); }
    void fillsEveryMissingVectorExactlyOnceWithMonotoneProgress();
    void staleRowsAreReembeddedAndOnlyThose();
    void allReembedsEveryRow();
    void inlineVectorColumnIsFilledInPlace();
    void dryRunCountsAndEstimatesWithoutWriting();
    void rejectedRowsAreReportedAndTheRestEmbedded();
    void cancelReturnsWithinOneSecondAndKeepsCommittedBatches_data();
    void cancelReturnsWithinOneSecondAndKeepsCommittedBatches();
    void pauseHoldsNoClaimAndResumeFinishes();
    void writeLockedProductionIsRefused();
    void dimensionMismatchIsRefusedBeforeTheStart();
    void aBadAnswerStopsAtTheFirstBatch();
    void aLostConnectionIsOpenedAgainAndTheRunGoesOn_data();
    void aLostConnectionIsOpenedAgainAndTheRunGoesOn();
    void rateLimiterSpacesRequestsAndTokens();
};

void TestBackfill::fillsEveryMissingVectorExactlyOnceWithMonotoneProgress()
{
    seed(1000);
    const QString placeholder = QStringLiteral("[1%1]").arg(QStringLiteral(",0").repeated(Dims - 1));
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, $1 "
                                          "FROM topics WHERE id % 10 = 0"),
                           {placeholder}));
    QList<JobProgress> sent;
    JobContext ctx([&sent](const JobProgress &p) { sent << p; });
    BackfillOptions o = options(BackfillMode::Missing, 64);
    o.checkSource = false; // the placeholders stand for rows another writer filled: not what this test is about
    auto backfill = job(o);
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
                                  "WHERE v.forum_name IS DISTINCT FROM t.forum_name")),
             0);
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
                                          "FROM topics WHERE id <= 100"),
                           {placeholder}));
    auto all = job(options(BackfillMode::All, 32));
    JobContext ctx;
    VERIFY_OK(all->run(ctx));
    QCOMPARE(all->report()->total, 150);
    QCOMPARE(all->report()->embedded, 150);
    QCOMPARE(all->report()->updated, 100);
    QCOMPARE(all->report()->inserted, 50);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 150);
    QCOMPARE(
        count(QStringLiteral("SELECT count(*) FROM topic_vectors WHERE vector = '%1' OR forum_name = 'stale forum'").arg(placeholder)), 0);
    verifyVectorsMatchTheirText();
}

void TestBackfill::inlineVectorColumnIsFilledInPlace()
{
    VERIFY_OK(m_conn->execScript(
        QStringLiteral("CREATE TABLE notes (id bigserial PRIMARY KEY, title text, content text, embedding vector(32));"
                       "INSERT INTO notes (title, content) SELECT 'Note ' || g, 'about wine ' || g FROM generate_series(1, 120) g;"
                       "UPDATE notes SET embedding = array_fill(0.5, ARRAY[32])::vector WHERE id <= 20")));
    const auto pair = discoverSchema(*m_conn).value().find(m_schema + QStringLiteral(".notes"));
    QVERIFY(pair && pair->isInline());
    BackfillOptions o = options(BackfillMode::Missing, 50);
    o.pair = *pair;
    o.checkSource = false; // the 0.5 vectors stand for rows another writer filled
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
    const qint64 chars = count(QStringLiteral("SELECT sum(length(content)) FROM topics WHERE id > 40")); // the default text
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, "
                                          "array_fill(0.5, ARRAY[%1])::vector FROM topics WHERE id <= 40")
                               .arg(Dims)));
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
                                                      "'%1.topic_vectors'::regclass")
                                           .arg(m_schema))
                                     == 1,
                                 10000);
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
    const QString claims = QStringLiteral("SELECT count(*) FROM pg_locks WHERE relation = '%1.topics'::regclass AND mode = 'RowShareLock'")
                               .arg(m_schema);
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

void TestBackfill::aBadAnswerStopsAtTheFirstBatch()
{
    // An answer that cannot be used (wrong size, NaN, malformed: the HTTP provider's Kind::Io) is
    // the embedder failing, not the rows: no row-by-row retry (once 250-340 requests), no write.
    seed(300);
    auto provider = std::make_unique<TestProvider>(test::BackfillDims, false);
    std::atomic_int calls = 0;
    provider->onCall = [&calls](int, const std::function<bool()> &) -> Result<void> {
        ++calls;
        return Error::io(QStringLiteral("The embeddings server returned 33-dimensional vectors, expected 32"));
    };
    BackfillOptions o = options(BackfillMode::Missing, 50);
    o.workers = 2;
    JobContext ctx;
    auto outcome = job(o, std::move(provider))->run(ctx);
    QVERIFY(!outcome.ok());
    QVERIFY2(outcome.error().message.contains(QLatin1String("33-dimensional")), qPrintable(outcome.error().message));
    QVERIFY2(calls <= o.workers, qPrintable(QString::number(calls))); // one batch per worker at most
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 0);
}

void TestBackfill::aLostConnectionIsOpenedAgainAndTheRunGoesOn_data()
{
    QTest::addColumn<BackfillMode>("mode");
    QTest::newRow("missing") << BackfillMode::Missing;
    QTest::newRow("all: the rows done before are not done again") << BackfillMode::All;
}

void TestBackfill::aLostConnectionIsOpenedAgainAndTheRunGoesOn()
{
    QFETCH(BackfillMode, mode);
    // The server ends the backfill's session in the middle of the run, as a restart or a failover
    // does ("terminating connection due to administrator command"): the batch in flight is lost,
    // the job connects again and finishes, and every row ends with exactly one vector.
    seed(300);
    auto conn = test::connect(profile());
    const QString pid = conn->exec(QStringLiteral("SELECT pg_backend_pid()")).value().scalar();
    auto admin = test::connect();
    auto provider = std::make_unique<TestProvider>();
    provider->onCall = [&](int call, const std::function<bool()> &) -> Result<void> {
        if (call == 3) {
            auto ended = admin->exec(QStringLiteral("SELECT pg_terminate_backend($1::int)"), {pid});
            if (!ended.ok() || ended.value().scalar() != QLatin1String("t"))
                return Error::internal(QStringLiteral("could not end the backfill's session"));
        }
        return {};
    };
    QStringList log;
    JobContext ctx({}, [&log](const QString &line) { log << line; });
    BackfillJob backfill(std::move(conn), options(mode, 50), std::move(provider));
    VERIFY_OK(backfill.run(ctx));
    QVERIFY2(log.filter(QStringLiteral("Lost the connection after 100 rows")).size() == 1, qPrintable(log.join(QLatin1Char('\n'))));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 300);
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT topic_id) FROM topic_vectors")), 300);
    QCOMPARE(backfill.report()->embedded, 300);
    QCOMPARE(backfill.report()->total, 300);
    QCOMPARE(ctx.progress().done, 300);
    verifyVectorsMatchTheirText();
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
