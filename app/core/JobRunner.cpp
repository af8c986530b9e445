// app/core/JobRunner.cpp
#include "core/JobRunner.h"

#include "core/AuditLog.h"
#include <QLoggingCategory>
#include <QMetaObject>
#include <QMutex>
#include <QThread>
#include <QThreadPool>
#include <QTimer>
#include <atomic>
#include <exception>
#include <map>
#include <set>

namespace vwb {
namespace {
Q_LOGGING_CATEGORY(lcJobs, "vwb.jobs")
} // namespace

struct JobRunner::Shared
{
    mutable QMutex mutex;        // guards runner and running
    JobRunner *runner = nullptr; // null once the runner is being destroyed
    std::map<JobId, std::shared_ptr<JobContext>> running;
    std::set<JobId> pausable; // running jobs whose Job::canPause() is true
    std::atomic<JobId> nextId = 1;

    std::shared_ptr<JobContext> contextOf(JobId id) const
    {
        QMutexLocker lock(&mutex);
        const auto it = running.find(id);
        return it == running.end() ? nullptr : it->second;
    }

    /// Runs `emitter` on the runner's thread (queued), if there still is a runner.
    template<typename F>
    void post(F emitter)
    {
        QMutexLocker lock(&mutex); // the runner cannot go away while the event is posted
        if (runner)
            QMetaObject::invokeMethod(
                runner, [r = runner, emitter] { emitter(*r); }, Qt::QueuedConnection);
    }
};

JobRunner::JobRunner(QObject *parent) : QObject(parent), m_shared(std::make_shared<Shared>()), m_pool(new QThreadPool)
{
    qRegisterMetaType<vwb::JobId>("vwb::JobId");
    qRegisterMetaType<vwb::Error>("vwb::Error");
    m_shared->runner = this;
    m_pool->setMaxThreadCount(qMax(MinThreads, QThread::idealThreadCount()));
    m_flushTimer = new QTimer(this);
    m_flushTimer->setInterval(int(JobContext::MinIntervalMs));
    connect(m_flushTimer, &QTimer::timeout, this, [this] {
        std::map<JobId, std::shared_ptr<JobContext>> running;
        {
            QMutexLocker lock(&m_shared->mutex);
            running = m_shared->running;
        }
        for (auto &[id, ctx] : running)
            ctx->flushIfDue(); // outside the lock: its sink posts through Shared::post
        if (running.empty())
            m_flushTimer->stop();
    });
}

JobRunner::~JobRunner()
{
    cancelAll();
    const bool done = m_pool->waitForDone(ShutdownWaitMs);
    {
        QMutexLocker lock(&m_shared->mutex);
        m_shared->runner = nullptr;
    }
    if (done) {
        delete m_pool;
    } else {
        // QThreadPool's destructor would wait without a bound: leave the stuck job its pool.
        qCWarning(lcJobs) << "a job ignored cancel for" << ShutdownWaitMs << "ms; leaving it to end on its own";
    }
}

JobId JobRunner::start(std::unique_ptr<Job> job)
{
    VWB_ASSERT(job != nullptr, return 0);
    const std::shared_ptr<Shared> shared = m_shared;
    const JobId id = shared->nextId++;
    auto ctx = std::make_shared<JobContext>(
        [shared, id](const JobProgress &p) {
            shared->post([id, p](JobRunner &r) { emit r.progressChanged(id, p.done, p.total, p.step, p.rowsPerSecond, p.etaMs); });
        },
        [shared, id](const QString &line) { shared->post([id, line](JobRunner &r) { emit r.logged(id, line); }); });
    {
        QMutexLocker lock(&shared->mutex);
        shared->running.emplace(id, ctx);
        if (job->canPause())
            shared->pausable.insert(id);
    }
    QMetaObject::invokeMethod(this, [this] { m_flushTimer->start(); }); // on the runner's thread
    emit started(id, job->title());
    std::shared_ptr<Job> owned(std::move(job));
    m_pool->start([shared, id, ctx, owned]() mutable {
        Result<void> result = Error::canceled();
        std::optional<AuditedWrite> audit;
        if (const auto subject = owned->audit())
            audit.emplace(subject->profile, subject->action, subject->summary);
        if (!ctx->isCanceled()) {
            try {
                result = owned->run(*ctx);
            } catch (const std::exception &e) {
                result = Error::internal(QStringLiteral("%1 failed: %2").arg(owned->title(), QString::fromLocal8Bit(e.what())));
            } catch (...) {
                result = Error::internal(QStringLiteral("%1 failed with an unknown exception").arg(owned->title()));
            }
        }
        Error error; // an empty message: success
        if (!result.ok())
            error = result.error();
        if (!result.ok() && ctx->isCanceled() && !error.isCanceled())
            error = Error::canceled().withContext(result.error().message); // the canceled statement's own error
        ctx->flush();
        if (audit)
            audit->finish(error.message.isEmpty() ? nullptr : &error, owned->rowsWritten());
        owned.reset(); // connections and providers go before finished() arrives
        {
            QMutexLocker lock(&shared->mutex);
            shared->running.erase(id);
            shared->pausable.erase(id);
        }
        shared->post([id, error](JobRunner &r) { emit r.finished(id, error); });
    });
    return id;
}

void JobRunner::cancel(JobId id)
{
    if (const auto ctx = m_shared->contextOf(id))
        ctx->requestCancel(); // outside the lock: hooks may take a moment
}

bool JobRunner::pause(JobId id)
{
    const auto ctx = canPause(id) ? m_shared->contextOf(id) : nullptr;
    if (!ctx || ctx->isPaused())
        return ctx != nullptr;
    ctx->setPaused(true);
    emit pausedChanged(id, true);
    return true;
}

void JobRunner::resume(JobId id)
{
    const auto ctx = m_shared->contextOf(id);
    if (!ctx || !ctx->isPaused())
        return;
    ctx->setPaused(false);
    emit pausedChanged(id, false);
}

bool JobRunner::isPaused(JobId id) const
{
    const auto ctx = m_shared->contextOf(id);
    return ctx && ctx->isPaused();
}

bool JobRunner::canPause(JobId id) const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->pausable.count(id) > 0;
}

void JobRunner::cancelAll()
{
    std::map<JobId, std::shared_ptr<JobContext>> all;
    {
        QMutexLocker lock(&m_shared->mutex);
        all = m_shared->running;
    }
    for (auto &[id, ctx] : all)
        ctx->requestCancel();
}

bool JobRunner::isRunning(JobId id) const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->running.count(id) > 0;
}

int JobRunner::runningCount() const
{
    QMutexLocker lock(&m_shared->mutex);
    return int(m_shared->running.size());
}
} // namespace vwb
