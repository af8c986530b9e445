// app/session/LiveSession.cpp
#include "session/LiveSession.h"

#include "connection/AsyncConnection.h"
#include "embeddings/ProviderChoice.h"
#include "services/PgServices.h"
#include "session/ConnectionController.h"

namespace vwb {

LiveSession::LiveSession(ConnectionController *controller, QObject *parent) : Session(parent), m_controller(controller)
{
    connect(controller, &ConnectionController::connected, this, &LiveSession::onConnected);
    connect(controller, &ConnectionController::stateChanged, this, [this](ConnectionController::State state) {
        if (state == ConnectionController::State::Connected)
            return;
        ++m_schemaGeneration; // a schema read of the connection left behind is dropped
        m_schema = {};
        for (auto &[lane, conn] : m_lanes)
            conn->close(); // nothing stays open to the database left behind
        if (std::exchange(m_ready, false))
            emit disconnected();
    });
    connect(controller, &ConnectionController::unlockFinished, this, [this](bool unlocked) {
        if (unlocked)
            onUnlocked();
    });
}

LiveSession::~LiveSession() = default;

bool LiveSession::isConnected() const
{
    return m_ready;
}

ConnectionProfile LiveSession::profile() const
{
    ConnectionProfile shown = m_controller->profile();
    shown.params.password.clear(); // a typed password reaches jobs through jobProfile() only
    return shown;
}

ConnectionProfile LiveSession::jobProfile() const
{
    return m_controller->connectedProfile();
}

QString LiveSession::databaseName() const
{
    return m_controller->report() ? m_controller->report()->server.database : profile().params.dbname;
}

bool LiveSession::writesUnlocked() const
{
    return m_controller->writesUnlocked();
}

QString LiveSession::providerName() const
{
    return ProviderSettings::load(ProviderSettings::defaultPath(), profile().name).provider;
}

void LiveSession::onConnected()
{
    const ConnectionProfile profile = m_controller->connectedProfile();
    for (auto &[lane, conn] : m_lanes)
        conn->open(profile, laneOptions(lane), this, [](Result<void>) {});
    m_ready = false;
    refreshSchema();
}

void LiveSession::onUnlocked()
{
    for (auto &[lane, conn] : m_lanes)
        conn->post([](PgConnection *c) {
            if (c)
                (void)c->applyUnlock();
        });
    emit writesUnlockedChanged(true);
}

void LiveSession::refreshSchema()
{
    if (m_controller->state() != ConnectionController::State::Connected)
        return;
    const int generation = ++m_schemaGeneration;
    run<DatabaseSchema>(
        QLatin1String(MainLane), this, [](DatabaseServices &s) { return s.readSchema(); },
        [this, generation](Result<DatabaseSchema> schema) {
            if (generation != m_schemaGeneration)
                return; // another connect or refresh came after this one
            if (schema.ok())
                m_schema = schema.value(); // a failed read again keeps the schema read before
            if (!std::exchange(m_ready, true))
                emit connected();
            else
                schemaRead();
        });
}

ConnectOptions LiveSession::laneOptions(const QString &lane) const
{
    return ConnectOptions{5000, QStringLiteral("vector-workbench %1").arg(lane), statementTimeout(lane)};
}

AsyncConnection &LiveSession::connectionOf(const QString &lane)
{
    if (lane == QLatin1String(MainLane))
        return m_controller->connection();
    auto &conn = m_lanes[lane];
    if (!conn) {
        conn = std::make_unique<AsyncConnection>();
        if (m_controller->state() == ConnectionController::State::Connected)
            conn->open(m_controller->connectedProfile(), laneOptions(lane), this, [](Result<void>) {});
    }
    return *conn;
}

Session::TaskId LiveSession::post(const QString &lane, Task task)
{
    const TaskId id = ++m_nextTask;
    {
        QMutexLocker lock(&m_tasks->mutex);
        m_tasks->pending.insert(id);
    }
    connectionOf(lane).post([tasks = m_tasks, lane, id, task = std::move(task)](PgConnection *conn) {
        bool canceled = false;
        {
            QMutexLocker lock(&tasks->mutex);
            tasks->pending.remove(id);
            canceled = tasks->canceled.remove(id);
            tasks->running.insert(lane, id);
        }
        if (conn) {
            PgServices services(*conn);
            task(&services, canceled);
        } else {
            task(nullptr, canceled);
        }
        {
            QMutexLocker lock(&tasks->mutex);
            tasks->running.remove(lane);
            if (conn)
                conn->clearStop(); // a cancel of this task ends with it, under the lock cancel() takes
        }
        // The server went away under this task (a restart, a failover): the task has said so, and
        // the lane connects again now so the next one runs — or fails the same way and tries again.
        if (conn && conn->isBroken())
            (void)conn->reconnect();
    });
    return id;
}

void LiveSession::cancel(TaskId task)
{
    QMutexLocker lock(&m_tasks->mutex);
    if (m_tasks->pending.contains(task)) {
        m_tasks->canceled.insert(task);
        return;
    }
    for (auto it = m_tasks->running.cbegin(); it != m_tasks->running.cend(); ++it)
        if (it.value() == task) // its statement now, and any it would send after
            connectionOf(it.key()).stopRunningTask();
}
} // namespace vwb
