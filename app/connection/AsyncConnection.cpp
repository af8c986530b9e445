// app/connection/AsyncConnection.cpp
#include "connection/AsyncConnection.h"

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
    post([state = m_state] {
        QMutexLocker lock(&state->mutex);
        state->conn.reset();
    });
    m_thread.quit();
    m_thread.wait();
}

void AsyncConnection::post(std::function<void()> task)
{
    QMetaObject::invokeMethod(m_worker, std::move(task), Qt::QueuedConnection);
}

void AsyncConnection::open(const ConnectionProfile &profile, const ConnectOptions &options, QObject *context,
                           std::function<void(Result<void>)> done)
{
    post([state = m_state, profile, options, done = std::move(done), ctx = QPointer<QObject>(context)] {
        {
            QMutexLocker lock(&state->mutex);
            state->conn.reset();
        }
        auto opened = PgConnection::open(profile, options);
        Result<void> result;
        if (opened.ok()) {
            QMutexLocker lock(&state->mutex);
            state->conn = std::move(opened).value();
        } else {
            result = opened.error();
        }
        if (ctx)
            QMetaObject::invokeMethod(ctx, [done, result] { done(result); }, Qt::QueuedConnection);
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

void AsyncConnection::cancelCurrent()
{
    QMutexLocker lock(&m_state->mutex);
    if (m_state->conn)
        m_state->conn->cancelCurrent();
}
} // namespace vwb
