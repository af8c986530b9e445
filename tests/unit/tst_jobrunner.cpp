// tests/unit/tst_jobrunner.cpp — JobContext (progress, throughput, cancel hooks) and JobRunner
// (threads, queued signals, cancel, shutdown), with no server.
#include "core/JobRunner.h"

#include <QElapsedTimer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>
#include <stdexcept>

using namespace vwb;

namespace {
/// A job whose run() is a lambda.
class LambdaJob : public Job
{
public:
    explicit LambdaJob(std::function<Result<void>(JobContext &)> body, bool pausable = false)
        : m_body(std::move(body)), m_pausable(pausable)
    {
    }
    QString title() const override { return QStringLiteral("test job"); }
    Result<void> run(JobContext &ctx) override { return m_body(ctx); }
    bool canPause() const override { return m_pausable; }

private:
    std::function<Result<void>(JobContext &)> m_body;
    bool m_pausable;
};

/// Blocks like a statement would until its cancel hook fires; `started` is released once it waits.
Result<void> waitForCancel(JobContext &ctx, QSemaphore &started, std::atomic_bool &hookRan)
{
    QSemaphore unblock;
    const auto hook = ctx.onCancel([&] {
        hookRan = true;
        unblock.release();
    });
    started.release();
    unblock.acquire();
    return Error::canceled();
}
} // namespace

class TestJobRunner : public QObject
{
    Q_OBJECT
private slots:
    void progressIsMonotoneAndCoalesced();
    void throughputAndEtaComeFromTheSlidingWindow();
    void cancelHooksRunOnceAndUnhookWithTheirHandle();
    void runnerDeliversMonotoneCoalescedProgressOnItsThread();
    void heldBackProgressArrivesWhileTheJobIsBusy();
    void cancelReachesTheJobsHookAndFinishedCarriesCanceled();
    void failingJobsErrorArrives();
    void succeedingJobFinishesWithAnEmptyError();
    void destructorCancelsAndWaits();
    void pauseHoldsTheJobAtItsNextPausePointUntilResumed();
    void cancelEndsAPause();
};

void TestJobRunner::progressIsMonotoneAndCoalesced()
{
    qint64 now = 1000;
    QList<JobProgress> sent;
    JobContext ctx([&sent](const JobProgress &p) { sent << p; }, {}, [&now] { return now; });
    ctx.reportProgress(10, 100, QStringLiteral("a"));
    QCOMPARE(sent.size(), 1); // the first report goes out at once
    for (int i = 11; i <= 60; ++i)
        ctx.reportProgress(i, 100, QStringLiteral("b"));
    QCOMPARE(sent.size(), 1); // the same instant: held back
    ctx.reportProgress(30, 100, QStringLiteral("backwards"));
    QCOMPARE(ctx.progress().done, 60); // clamped: never goes backwards
    now += JobContext::MinIntervalMs;
    ctx.reportProgress(61, 100, QStringLiteral("c"));
    QCOMPARE(sent.size(), 2);
    QCOMPARE(sent.last().done, 61);
    QCOMPARE(sent.last().step, QStringLiteral("c"));
    ctx.reportProgress(70, 100, QStringLiteral("d"));
    QCOMPARE(sent.size(), 2);
    ctx.flush(); // the held-back report is not lost
    QCOMPARE(sent.size(), 3);
    QCOMPARE(sent.last().done, 70);
    ctx.flush();
    QCOMPARE(sent.size(), 3); // nothing pending, nothing sent
    ctx.reportProgress(100, 100, QStringLiteral("complete"));
    QCOMPARE(sent.size(), 4); // completion goes out at once
    ctx.reportProgress(120, 100, QStringLiteral("beyond the estimate"));
    QCOMPARE(ctx.progress().total, 120); // a low estimate is raised, done never exceeds total
    ctx.reportProgress(-5, 0, QStringLiteral("unknown total"));
    QCOMPARE(ctx.progress().done, 120);
    for (qsizetype i = 1; i < sent.size(); ++i)
        QVERIFY(sent.at(i).done >= sent.at(i - 1).done);
}

void TestJobRunner::throughputAndEtaComeFromTheSlidingWindow()
{
    qint64 now = 0;
    JobContext ctx({}, {}, [&now] { return now; });
    ctx.reportProgress(0, 1000, {});
    QCOMPARE(ctx.progress().rowsPerSecond, 0.0);
    QCOMPARE(ctx.progress().etaMs, -1); // no rate yet
    now = 1000;
    ctx.reportProgress(100, 1000, {});
    QCOMPARE(ctx.progress().rowsPerSecond, 100.0);
    QCOMPARE(ctx.progress().etaMs, 9000);
    // Fast at first, then slow: after a window of slow reports only the slow rate counts.
    for (int s = 2; s <= 2 + JobContext::WindowMs / 1000 + 1; ++s) {
        now = s * 1000;
        ctx.reportProgress(100 + (s - 1) * 10, 1000, {});
    }
    QVERIFY2(qAbs(ctx.progress().rowsPerSecond - 10.0) < 0.01, qPrintable(QString::number(ctx.progress().rowsPerSecond)));
    const JobProgress p = ctx.progress();
    QCOMPARE(p.etaMs, qint64(double(p.total - p.done) / 10.0 * 1000.0));
    ctx.reportProgress(1000, 1000, {});
    QCOMPARE(ctx.progress().etaMs, 0);
}

void TestJobRunner::cancelHooksRunOnceAndUnhookWithTheirHandle()
{
    JobContext ctx;
    int a = 0, b = 0, late = 0;
    auto hookA = ctx.onCancel([&a] { ++a; });
    {
        auto hookB = ctx.onCancel([&b] { ++b; });
    } // unhooked here
    auto moved = std::move(hookA);
    QVERIFY(!ctx.isCanceled());
    ctx.requestCancel();
    ctx.requestCancel();
    QVERIFY(ctx.isCanceled());
    QCOMPARE(a, 1);
    QCOMPARE(b, 0);
    auto hookLate = ctx.onCancel([&late] { ++late; }); // after the cancel: runs at once
    QCOMPARE(late, 1);
}

void TestJobRunner::runnerDeliversMonotoneCoalescedProgressOnItsThread()
{
    JobRunner runner;
    QList<qint64> done;
    bool offThread = false;
    connect(&runner, &JobRunner::progressChanged, this, [&](JobId, qint64 d, qint64 total, const QString &, double, qint64) {
        done << d;
        offThread = offThread || QThread::currentThread() != thread() || total != 200000;
    });
    QSignalSpy finished(&runner, &JobRunner::finished);
    QElapsedTimer clock;
    clock.start();
    const JobId id = runner.start(std::make_unique<LambdaJob>([](JobContext &ctx) -> Result<void> {
        for (qint64 i = 1; i <= 200000; ++i)
            ctx.reportProgress(i % 1000 == 0 && i < 200000 ? i - 500 : i, 200000, QStringLiteral("counting")); // some go backwards
        return {};
    }));
    QVERIFY(id != 0);
    QVERIFY(finished.wait(20000));
    const qint64 ms = clock.elapsed();
    QVERIFY(!offThread);
    QVERIFY(!done.isEmpty());
    QCOMPARE(done.last(), 200000); // the last report always arrives, before finished()
    QVERIFY2(done.size() <= ms / JobContext::MinIntervalMs + 3,
             qPrintable(QStringLiteral("%1 signals in %2 ms").arg(done.size()).arg(ms)));
    for (qsizetype i = 1; i < done.size(); ++i)
        QVERIFY(done.at(i) >= done.at(i - 1));
}

void TestJobRunner::heldBackProgressArrivesWhileTheJobIsBusy()
{
    JobRunner runner;
    QSignalSpy progress(&runner, &JobRunner::progressChanged);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSemaphore busy;
    runner.start(std::make_unique<LambdaJob>([&busy](JobContext &ctx) -> Result<void> {
        ctx.reportProgress(1, 10, QStringLiteral("first"));
        ctx.reportProgress(5, 10, QStringLiteral("second")); // held back: too soon after the first
        busy.tryAcquire(1, 20000);                           // a long statement, say
        return {};
    }));
    QTRY_COMPARE_WITH_TIMEOUT(progress.size(), 2, 5000); // the runner's timer sent it meanwhile
    QCOMPARE(progress.last().at(1).toLongLong(), 5);
    QCOMPARE(progress.last().at(3).toString(), QStringLiteral("second"));
    QVERIFY(finished.isEmpty());
    busy.release();
    QVERIFY(finished.wait(10000));
}

void TestJobRunner::cancelReachesTheJobsHookAndFinishedCarriesCanceled()
{
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSemaphore started;
    std::atomic_bool hookRan = false;
    const JobId id = runner.start(std::make_unique<LambdaJob>([&](JobContext &ctx) { return waitForCancel(ctx, started, hookRan); }));
    QVERIFY(started.tryAcquire(1, 10000));
    QVERIFY(runner.isRunning(id));
    runner.cancel(id);
    QVERIFY(finished.wait(10000));
    QVERIFY(hookRan);
    QCOMPARE(finished.first().at(0).value<JobId>(), id);
    const Error error = finished.first().at(1).value<Error>();
    QCOMPARE(error.kind, Error::Kind::Canceled);
    QVERIFY(!JobRunner::succeeded(error));
    QVERIFY(!runner.isRunning(id));
    runner.cancel(id); // finished: ignored
    runner.cancel(12345);
}

void TestJobRunner::failingJobsErrorArrives()
{
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy logged(&runner, &JobRunner::logged);
    const JobId failing = runner.start(std::make_unique<LambdaJob>([](JobContext &ctx) -> Result<void> {
        ctx.log(QStringLiteral("about to fail"));
        return Error{Error::Kind::Sql, QStringLiteral("relation \"nope\" does not exist"), QStringLiteral("42P01"), {}};
    }));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
    QCOMPARE(finished.first().at(0).value<JobId>(), failing);
    const Error error = finished.first().at(1).value<Error>();
    QCOMPARE(error.kind, Error::Kind::Sql);
    QCOMPARE(error.sqlState, QStringLiteral("42P01"));
    QCOMPARE(logged.size(), 1);
    QCOMPARE(logged.first().at(1).toString(), QStringLiteral("about to fail"));

    const JobId throwing = runner.start(
        std::make_unique<LambdaJob>([](JobContext &) -> Result<void> { throw std::runtime_error("third-party trouble"); }));
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
    QCOMPARE(finished.at(1).at(0).value<JobId>(), throwing);
    const Error caught = finished.at(1).at(1).value<Error>();
    QCOMPARE(caught.kind, Error::Kind::Internal);
    QVERIFY2(caught.message.contains(QLatin1String("third-party trouble")), qPrintable(caught.message));
}

void TestJobRunner::succeedingJobFinishesWithAnEmptyError()
{
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.start(std::make_unique<LambdaJob>([](JobContext &) -> Result<void> { return {}; }));
    QVERIFY(finished.wait(10000));
    QVERIFY(JobRunner::succeeded(finished.first().at(1).value<Error>()));
    QCOMPARE(runner.start(nullptr), JobId(0));
    QCOMPARE(runner.runningCount(), 0);
}

void TestJobRunner::destructorCancelsAndWaits()
{
    auto runner = std::make_unique<JobRunner>();
    QSemaphore started;
    std::atomic_bool hookRan = false, returned = false;
    std::atomic_int ran = 0;
    for (int i = 0; i < 2; ++i)
        runner->start(std::make_unique<LambdaJob>([&](JobContext &ctx) {
            ++ran;
            auto r = waitForCancel(ctx, started, hookRan);
            returned = true;
            return r;
        }));
    QVERIFY(started.tryAcquire(2, 10000));
    QCOMPARE(runner->runningCount(), 2);
    QElapsedTimer clock;
    clock.start();
    runner.reset();
    QVERIFY(clock.elapsed() < JobRunner::ShutdownWaitMs);
    QVERIFY(hookRan);
    QVERIFY(returned); // the jobs had ended when the destructor returned
    QCOMPARE(ran.load(), 2);
}

namespace {
/// Units of work under the test's control: each unit waits for `go`, then counts itself.
Result<void> steppedUnits(JobContext &ctx, QSemaphore &go, std::atomic_int &units, int count)
{
    for (int i = 0; i < count; ++i) {
        ctx.pausePoint();
        if (ctx.isCanceled())
            return Error::canceled();
        ctx.reportProgress(i, count, QStringLiteral("unit %1").arg(i + 1));
        while (!go.tryAcquire(1, 50))
            if (ctx.isCanceled())
                return Error::canceled();
        ++units;
    }
    return {};
}

bool lastStepStartsWith(const QSignalSpy &spy, const QString &prefix)
{
    return !spy.isEmpty() && spy.last().at(3).toString().startsWith(prefix);
}
} // namespace

void TestJobRunner::pauseHoldsTheJobAtItsNextPausePointUntilResumed()
{
    JobRunner runner;
    QSignalSpy progress(&runner, &JobRunner::progressChanged);
    QSignalSpy paused(&runner, &JobRunner::pausedChanged);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSemaphore go;
    std::atomic_int units = 0;
    const JobId id = runner.start(std::make_unique<LambdaJob>([&](JobContext &ctx) { return steppedUnits(ctx, go, units, 3); }, true));
    QTRY_VERIFY_WITH_TIMEOUT(lastStepStartsWith(progress, QStringLiteral("unit 1")), 10000);
    QVERIFY(runner.canPause(id));
    QVERIFY(runner.pause(id));
    QVERIFY(runner.isPaused(id));
    QCOMPARE(paused.size(), 1);
    QCOMPARE(paused.first().at(1).toBool(), true);
    go.release(); // unit 1 finishes; the job stops at the next pause point
    QTRY_VERIFY_WITH_TIMEOUT(lastStepStartsWith(progress, QStringLiteral("Paused: unit 1")), 10000);
    QCOMPARE(units.load(), 1);
    go.release(2); // permits are there, yet a paused job takes none
    QCOMPARE(units.load(), 1);
    QVERIFY(runner.isRunning(id));
    runner.resume(id);
    QCOMPARE(paused.size(), 2);
    QCOMPARE(paused.last().at(1).toBool(), false);
    QVERIFY(finished.wait(10000));
    QCOMPARE(units.load(), 3);
    QVERIFY(JobRunner::succeeded(finished.first().at(1).value<Error>()));
    QVERIFY(!runner.pause(id)); // finished

    // A job that cannot pause says so and keeps running.
    QSemaphore started;
    std::atomic_bool hookRan = false;
    const JobId single = runner.start(std::make_unique<LambdaJob>([&](JobContext &ctx) { return waitForCancel(ctx, started, hookRan); }));
    QVERIFY(started.tryAcquire(1, 10000));
    QVERIFY(!runner.canPause(single));
    QVERIFY(!runner.pause(single));
    QVERIFY(!runner.isPaused(single));
    runner.cancel(single);
    QVERIFY(finished.wait(10000));
}

void TestJobRunner::cancelEndsAPause()
{
    JobRunner runner;
    QSignalSpy progress(&runner, &JobRunner::progressChanged);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSemaphore go;
    std::atomic_int units = 0;
    const JobId id = runner.start(std::make_unique<LambdaJob>([&](JobContext &ctx) { return steppedUnits(ctx, go, units, 5); }, true));
    QTRY_VERIFY_WITH_TIMEOUT(lastStepStartsWith(progress, QStringLiteral("unit 1")), 10000);
    QVERIFY(runner.pause(id));
    go.release();
    QTRY_VERIFY_WITH_TIMEOUT(lastStepStartsWith(progress, QStringLiteral("Paused")), 10000);
    QElapsedTimer clock;
    clock.start();
    runner.cancel(id);
    QVERIFY(finished.wait(10000));
    QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(finished.first().at(1).value<Error>().kind, Error::Kind::Canceled);
    QCOMPARE(units.load(), 1);
}

QTEST_GUILESS_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
