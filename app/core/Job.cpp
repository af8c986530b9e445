// app/core/Job.cpp
#include "core/Job.h"

#include <QElapsedTimer>
#include <utility>

namespace vwb {

Job::~Job() = default;

JobContext::JobContext(ProgressSink progress, LogSink log, Clock clock)
    : m_progressSink(std::move(progress)), m_logSink(std::move(log)), m_clock(std::move(clock))
{
    if (!m_clock) {
        QElapsedTimer timer;
        timer.start();
        m_clock = [timer] { return timer.elapsed(); };
    }
}

void JobContext::requestCancel()
{
    QMutexLocker lock(&m_hookMutex); // with onCancel() under the same lock, each hook runs once
    if (m_canceled.exchange(true))
        return;
    for (auto &[id, hook] : m_hooks)
        hook();
    QMutexLocker pause(&m_pauseMutex);
    m_pauseWake.wakeAll();
}

void JobContext::setPaused(bool paused)
{
    QMutexLocker lock(&m_pauseMutex);
    m_paused = paused;
    m_pauseWake.wakeAll();
}

bool JobContext::isPaused() const
{
    QMutexLocker lock(&m_pauseMutex);
    return m_paused;
}

void JobContext::pausePoint()
{
    QMutexLocker lock(&m_pauseMutex);
    if (!m_paused || isCanceled())
        return;
    const JobProgress before = progress();
    lock.unlock();
    const QString paused = QStringLiteral("Paused: ");
    // Several threads of one job may pause together: say it once.
    reportProgress(before.done, before.total, before.step.startsWith(paused) ? before.step : paused + before.step);
    flush();
    lock.relock();
    while (m_paused && !isCanceled())
        m_pauseWake.wait(&m_pauseMutex);
    lock.unlock();
    reportProgress(before.done, before.total, before.step.startsWith(paused) ? before.step.mid(paused.size()) : before.step);
}

JobContext::CancelHook JobContext::onCancel(std::function<void()> hook)
{
    QMutexLocker lock(&m_hookMutex);
    const quint64 id = m_nextHook++;
    if (m_canceled)
        hook();
    m_hooks.emplace(id, std::move(hook));
    return CancelHook(this, id);
}

JobContext::CancelHook::CancelHook(CancelHook &&other) noexcept
    : m_ctx(std::exchange(other.m_ctx, nullptr)), m_id(std::exchange(other.m_id, 0))
{
}

JobContext::CancelHook &JobContext::CancelHook::operator=(CancelHook &&other) noexcept
{
    if (this != &other) {
        reset();
        m_ctx = std::exchange(other.m_ctx, nullptr);
        m_id = std::exchange(other.m_id, 0);
    }
    return *this;
}

void JobContext::CancelHook::reset()
{
    if (!m_ctx)
        return;
    QMutexLocker lock(&m_ctx->m_hookMutex); // waits for a hook running right now
    m_ctx->m_hooks.erase(m_id);
    m_ctx = nullptr;
}

void JobContext::reportProgress(qint64 done, qint64 total, const QString &step)
{
    QMutexLocker lock(&m_mutex);
    const qint64 now = m_clock();
    const bool wasComplete = m_progress.total > 0 && m_progress.done >= m_progress.total;
    m_progress.done = qMax(m_progress.done, qMax(done, qint64(0)));
    m_progress.total = qMax(total, qint64(0));
    if (m_progress.total > 0 && m_progress.total < m_progress.done)
        m_progress.total = m_progress.done; // the estimate was low
    m_progress.step = step;
    updateRateLocked(now);
    m_pending = true;
    const bool complete = m_progress.total > 0 && m_progress.done >= m_progress.total;
    if (!m_sentAny || (complete && !wasComplete) || now - m_lastSentMs >= MinIntervalMs)
        sendLocked(now);
}

void JobContext::updateRateLocked(qint64 now)
{
    const Sample sample{now, m_progress.done};
    if (m_samples.size() >= 2 && now - m_samples[m_samples.size() - 2].atMs < SampleSpacingMs)
        m_samples.back() = sample;
    else
        m_samples.push_back(sample);
    // Keep one sample at or before the window's start, so the rate spans the whole window.
    while (m_samples.size() > 2 && m_samples[1].atMs <= now - WindowMs)
        m_samples.pop_front();
    const Sample &first = m_samples.front();
    const qint64 spanMs = now - first.atMs;
    m_progress.rowsPerSecond = spanMs > 0 ? double(m_progress.done - first.done) * 1000.0 / double(spanMs) : 0.0;
    if (m_progress.total > 0 && m_progress.done >= m_progress.total)
        m_progress.etaMs = 0;
    else if (m_progress.total > 0 && m_progress.rowsPerSecond > 0)
        m_progress.etaMs = qint64(double(m_progress.total - m_progress.done) * 1000.0 / m_progress.rowsPerSecond);
    else
        m_progress.etaMs = -1;
}

void JobContext::sendLocked(qint64 now)
{
    m_pending = false;
    m_sentAny = true;
    m_lastSentMs = now;
    if (m_progressSink)
        m_progressSink(m_progress);
}

void JobContext::flush()
{
    QMutexLocker lock(&m_mutex);
    if (m_pending)
        sendLocked(m_clock());
}

void JobContext::flushIfDue()
{
    QMutexLocker lock(&m_mutex);
    if (const qint64 now = m_clock(); m_pending && now - m_lastSentMs >= MinIntervalMs)
        sendLocked(now);
}

JobProgress JobContext::progress() const
{
    QMutexLocker lock(&m_mutex);
    return m_progress;
}

void JobContext::log(const QString &line)
{
    QMutexLocker lock(&m_mutex);
    if (m_logSink)
        m_logSink(line);
}
} // namespace vwb
