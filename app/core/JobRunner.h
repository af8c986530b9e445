// app/core/JobRunner.h
#pragma once

#include "core/Job.h"
#include <QObject>
#include <memory>

class QThreadPool;
class QTimer;
namespace vwb {

using JobId = quint64;

/// Runs jobs on its own QThreadPool; all the UI (or the CLI) talks to. Its signals are emitted
/// on the runner's thread: workers only post events to it (queued), never wait for a receiver.
/// Receivers should connect with a context object, since a panel may close before its job ends.
class JobRunner : public QObject
{
    Q_OBJECT
public:
    static constexpr int ShutdownWaitMs = 5000; // the destructor waits this long for jobs to end
    static constexpr int MinThreads = 4;        // jobs mostly wait on servers, not on CPU

    explicit JobRunner(QObject *parent = nullptr);
    /// Cancels every job and waits for them, at most ShutdownWaitMs; a job still running then is
    /// left to end on its own thread (logged) and its signals go nowhere.
    ~JobRunner() override;

    /// Queues the job; 0 (and nothing runs) for a null job. Thread-safe.
    JobId start(std::unique_ptr<Job> job);
    /// Sets the job's cancel flag, then runs its cancel hooks. Unknown or finished ids are ignored.
    /// Thread-safe. A job canceled before it started finishes with Canceled without running.
    void cancel(JobId id);
    void cancelAll();
    /// Pauses a job whose Job::canPause() is true (false otherwise, or when unknown): it stops
    /// at its next pause point. resume() lets it go on. Thread-safe.
    bool pause(JobId id);
    void resume(JobId id);
    bool isPaused(JobId id) const;
    bool canPause(JobId id) const;
    bool isRunning(JobId id) const;
    int runningCount() const;
    /// True when `error`, as finished() carries it, means the job succeeded (empty message).
    static bool succeeded(const Error &error) { return error.message.isEmpty(); }

signals:
    /// Emitted by start(), on its caller's thread, before the job runs.
    void started(vwb::JobId id, const QString &title);
    void progressChanged(vwb::JobId id, qint64 done, qint64 total, const QString &step, double rowsPerSecond, qint64 etaMs);
    void logged(vwb::JobId id, const QString &line);
    void pausedChanged(vwb::JobId id, bool paused);
    /// After the job and its resources are gone. `error` has an empty message on success and
    /// kind Canceled when it stopped because of cancel().
    void finished(vwb::JobId id, const vwb::Error &error);

private:
    struct Shared;
    std::shared_ptr<Shared> m_shared; // outlives the runner while a worker still holds it
    QThreadPool *m_pool;              // owned; leaked on purpose when a job outlives the wait
    QTimer *m_flushTimer;             // sends held-back progress while jobs run
};
} // namespace vwb
