// app/connection/AsyncConnection.h
#pragma once

#include "connection/PgConnection.h"
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <deque>
#include <functional>
#include <memory>

namespace vwb {

/// One PgConnection that lives on its own worker thread, so the thread that owns the event loop
/// (the UI) never waits on the network. Work runs in order, one task at a time: a task that waits
/// in a local event loop (a keychain read, an HTTP embedding) does not let the next one start
/// inside it. Results come back on the UI thread, and are dropped if their context is gone.
class AsyncConnection : public QObject
{
    Q_OBJECT
public:
    explicit AsyncConnection(QObject *parent = nullptr);
    ~AsyncConnection() override; // cancels the running statement and joins the thread

    /// Opens (replacing any open connection); `done` runs on `context`'s thread.
    void open(const ConnectionProfile &profile, const ConnectOptions &options, QObject *context, std::function<void(Result<void>)> done);
    /// The same, but `complete` first fills in the profile on the worker thread (a keychain read
    /// can block for seconds); `done` gets the profile the connection opened with.
    void open(const ConnectionProfile &profile, std::function<void(ConnectionProfile &)> complete, const ConnectOptions &options,
              QObject *context, std::function<void(Result<ConnectionProfile>)> done);
    void close();

    /// Runs `work` with the open connection on the worker thread; `done` gets its result later.
    template<typename T>
    void run(QObject *context, std::function<Result<T>(PgConnection &)> work, std::function<void(Result<T>)> done)
    {
        post([state = m_state, work = std::move(work), done = std::move(done), ctx = QPointer<QObject>(context)] {
            PgConnection *conn = state->connection();
            Result<T> result = conn ? work(*conn) : Result<T>(Error{Error::Kind::Connection, QStringLiteral("Not connected"), {}, {}});
            deliver(ctx, [done, result = std::move(result)] { done(result); });
        });
    }

    /// Runs `done` on the application object's thread (the UI) unless `context` is gone by
    /// then; checked there, never on the worker, so a context deleted meanwhile is never touched.
    static void deliver(const QPointer<QObject> &context, std::function<void()> done);

    /// Runs `task` on the worker thread after the work queued before it, with the open
    /// connection or null; the task reports back on its own.
    void post(std::function<void(PgConnection *)> task);

    /// Cancels the statement running now (not the queued ones); safe from any thread.
    void cancelCurrent();
    /// PgConnection::requestStop() on the open connection: the running task's statements stop
    /// until its runner calls clearStop(). Safe from any thread.
    void stopRunningTask();

private:
    struct State
    {
        QMutex mutex; // guards `conn` against cancelCurrent() from other threads
        std::unique_ptr<PgConnection> conn;
        QMutex queueMutex; // guards `queue`
        std::deque<std::function<void()>> queue;
        bool draining = false; // worker thread only: a task is running (maybe in a nested event loop)
        PgConnection *connection()
        {
            QMutexLocker lock(&mutex);
            return conn.get();
        }
    };
    void post(std::function<void()> task);

    QThread m_thread;
    QObject *m_worker = nullptr; // lives on m_thread
    std::shared_ptr<State> m_state = std::make_shared<State>();
};
} // namespace vwb
