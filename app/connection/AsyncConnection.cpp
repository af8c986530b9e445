// app/connection/AsyncConnection.cpp
#include "connection/AsyncConnection.h"

#include <QCoreApplication>

namespace vwb {

AsyncConnection::AsyncConnection(QObject *parent) : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("vwb-connection"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

AsyncConnection::~AsyncConnection()
{
    cancelCurrent();
    m_thread.quit();
    m_thread.wait();
    // The worker has stopped, maybe before it reached what was queued for it (a thread asked to
    // quit before its loop started never runs anything): those tasks are dropped here — they hold
    // the state, which would otherwise keep itself alive — and the connection is closed here.
    std::deque<std::function<void()>> left;
    {
        QMutexLocker lock(&m_state->queueMutex);
        left.swap(m_state->queue);
    }
    left.clear();
    QMutexLocker lock(&m_state->mutex);
    m_state->conn.reset();
}

void AsyncConnection::post(std::function<void()> task)
{
    {
        QMutexLocker lock(&m_state->queueMutex);
        m_state->queue.push_back(std::move(task));
    }
    QMetaObject::invokeMethod(
        m_worker,
        [state = m_state] {
            if (state->draining)
                return; // called from a nested event loop inside a task: the outer drain runs it next
            state->draining = true;
            for (;;) {
                std::function<void()> next;
                {
                    QMutexLocker lock(&state->queueMutex);
                    if (state->queue.empty())
                        break;
                    next = std::move(state->queue.front());
                    state->queue.pop_front();
                }
                next();
            }
            state->draining = false;
        },
        Qt::QueuedConnection);
}

void AsyncConnection::deliver(const QPointer<QObject> &context, std::function<void()> done)
{
    QMetaObject::invokeMethod(
        QCoreApplication::instance(),
        [context, done = std::move(done)] {
            if (context)
                done();
        },
        Qt::QueuedConnection);
}

void AsyncConnection::open(const ConnectionProfile &profile, const ConnectOptions &options, QObject *context,
                           std::function<void(Result<void>)> done)
{
    open(profile, {}, options, context, [done = std::move(done)](Result<ConnectionProfile> opened) {
        done(opened.ok() ? Result<void>() : Result<void>(opened.error()));
    });
}

void AsyncConnection::open(const ConnectionProfile &profile, std::function<void(ConnectionProfile &)> complete,
                           const ConnectOptions &options, QObject *context, std::function<void(Result<ConnectionProfile>)> done)
{
    post([state = m_state, profile = ConnectionProfile(profile), complete = std::move(complete), options, done = std::move(done),
          ctx = QPointer<QObject>(context)]() mutable {
        {
            QMutexLocker lock(&state->mutex);
            state->conn.reset();
        }
        if (complete)
            complete(profile);
        auto opened = PgConnection::open(profile, options);
        Result<ConnectionProfile> result = profile;
        if (opened.ok()) {
            QMutexLocker lock(&state->mutex);
            state->conn = std::move(opened).value();
        } else {
            result = opened.error();
        }
        deliver(ctx, [done, result] { done(result); });
    });
}

void AsyncConnection::close()
{
    cancelCurrent();
    post([state = m_state] {
        QMutexLocker lock(&state->mutex);
        state->conn.reset();
    });
}

void AsyncConnection::post(std::function<void(PgConnection *)> task)
{
    post([state = m_state, task = std::move(task)] { task(state->connection()); });
}

void AsyncConnection::stopRunningTask()
{
    QMutexLocker lock(&m_state->mutex);
    if (m_state->conn)
        m_state->conn->requestStop();
}

void AsyncConnection::cancelCurrent()
{
    QMutexLocker lock(&m_state->mutex);
    if (m_state->conn)
        m_state->conn->cancelCurrent();
}
} // namespace vwb
