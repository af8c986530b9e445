// app/core/Job.h
#pragma once

#include "core/DataChange.h"
#include "core/Result.h"
#include <QMutex>
#include <QString>
#include <QWaitCondition>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <optional>

namespace vwb {
class JobContext;

/// What a job writes, for the audit log (AuditLog): whose database, what kind of write, and the
/// statements or target in one line.
struct AuditSubject
{
    QString profile;
    QString action;
    QString summary;
};

/// Long-running work (backfill, reindex, vacuum, ...): a plain class that works synchronously on
/// whatever thread runs it. Threads are JobRunner's business; run() polls ctx.isCanceled() and
/// registers ctx.onCancel() hooks that end whatever it is blocked in.
class Job
{
public:
    virtual ~Job();
    virtual QString title() const = 0;
    /// Error::canceled() when it stopped because of a cancel.
    virtual Result<void> run(JobContext &ctx) = 0;
    /// True when run() calls JobContext::pausePoint() between units of work (batches), so a
    /// pause means something. A single statement (VACUUM, CREATE INDEX) can only be canceled.
    virtual bool canPause() const { return false; }
    /// What the job writes, announced when it ends (however it ends: batches commit as they go).
    virtual QList<DataChange> changes() const { return {}; }
    /// A job that writes says so: the runner records it in AuditLog::shared() when it starts and
    /// how it ended when it ends (refusals included). Jobs that only read return nothing.
    virtual std::optional<AuditSubject> audit() const { return std::nullopt; }
    /// Rows it wrote, asked when run() has returned; -1 when not counted.
    virtual qint64 rowsWritten() const { return -1; }
};

/// Where a job stands, as JobContext last reported it.
struct JobProgress
{
    qint64 done = 0;          // never goes backwards
    qint64 total = 0;         // 0 when not known; never below done
    QString step;             // "Embedding rows 1-256", for people
    double rowsPerSecond = 0; // over the last JobContext::WindowMs of reports; 0 until known
    qint64 etaMs = -1;        // ms; -1 when not known
};

/// What a job sees of its runner. Thread-safe: the job reports from its thread, a cancel comes
/// from any other. Sinks are called with an internal lock held and must not call back into the
/// context (the runner's post an event and return).
class JobContext
{
public:
    using ProgressSink = std::function<void(const JobProgress &)>;
    using LogSink = std::function<void(const QString &line)>;
    using Clock = std::function<qint64()>; // ms, monotonic; injected by tests

    static constexpr qint64 MinIntervalMs = 100;  // progress goes out at most ~10 times a second
    static constexpr qint64 WindowMs = 10'000;    // throughput is measured over this much history
    static constexpr qint64 SampleSpacingMs = 50; // reports closer than this share one sample

    explicit JobContext(ProgressSink progress = {}, LogSink log = {}, Clock clock = {});
    JobContext(const JobContext &) = delete;
    JobContext &operator=(const JobContext &) = delete;

    bool isCanceled() const { return m_canceled.load(std::memory_order_relaxed); }
    /// Sets the flag, then runs every registered hook once (on the calling thread). Also ends
    /// a pause: a paused job returns from pausePoint() and sees the flag.
    void requestCancel();

    /// Pause and resume, from any thread. The job stops at its next pausePoint() (its unit of
    /// work in flight finishes first) and stays there, holding no locks, until resumed.
    void setPaused(bool paused);
    bool isPaused() const;
    /// Called by the job between units of work: returns at once unless paused; while paused,
    /// reports the step as "Paused" and blocks until resumed or canceled.
    void pausePoint();

    /// `done` is clamped so it never goes backwards, and `total` is raised to `done` when an
    /// estimate was low. Sent on at once for the first report and on completion, otherwise at
    /// most once per MinIntervalMs; a report held back goes out with the next one or flush().
    void reportProgress(qint64 done, qint64 total, const QString &step);
    /// Sends a held-back report now (the runner calls it when run() returns).
    void flush();
    /// Sends a held-back report if MinIntervalMs have passed since the last one went out (the
    /// runner calls it on a timer, so a report is never held back longer than that).
    void flushIfDue();
    JobProgress progress() const;
    void log(const QString &line);

    /// Unhooks in its destructor, waiting for the hook if it is running right now: a hook that
    /// captures a connection is safe as long as the handle dies before the connection does.
    class CancelHook
    {
    public:
        CancelHook() = default;
        CancelHook(CancelHook &&other) noexcept;
        CancelHook &operator=(CancelHook &&other) noexcept;
        ~CancelHook() { reset(); }
        void reset();

    private:
        friend class JobContext;
        CancelHook(JobContext *ctx, quint64 id) : m_ctx(ctx), m_id(id) {}
        JobContext *m_ctx = nullptr;
        quint64 m_id = 0;
    };
    /// Runs `hook` when a cancel is requested (at once when one already was). Hooks must be quick
    /// and thread-safe (PgConnection::cancelCurrent() is) and must not register hooks themselves.
    [[nodiscard]] CancelHook onCancel(std::function<void()> hook);

private:
    struct Sample
    {
        qint64 atMs;
        qint64 done;
    };
    void updateRateLocked(qint64 now);
    void sendLocked(qint64 now);

    std::atomic_bool m_canceled = false;
    mutable QMutex m_pauseMutex; // with m_pauseWake: guards m_paused
    QWaitCondition m_pauseWake;
    bool m_paused = false;
    QMutex m_hookMutex; // guards m_hooks; held while hooks run
    std::map<quint64, std::function<void()>> m_hooks;
    quint64 m_nextHook = 1;

    ProgressSink m_progressSink;
    LogSink m_logSink;
    Clock m_clock;
    mutable QMutex m_mutex; // guards everything below
    JobProgress m_progress;
    std::deque<Sample> m_samples;
    bool m_pending = false; // a report not sent yet
    bool m_sentAny = false;
    qint64 m_lastSentMs = 0;
};
} // namespace vwb
