// app/session/LiveSession.h
#pragma once

#include "session/Session.h"
#include <QMutex>
#include <QSet>
#include <map>

namespace vwb {
class AsyncConnection;
class ConnectionController;

/// The session of the window: the controller's connection ("main" lane) plus one connection per
/// other lane, opened with the profile the controller connected with (password included, read
/// off the UI thread), read-only on a locked production profile and unlocked with it.
class LiveSession : public Session
{
    Q_OBJECT
public:
    static constexpr auto MainLane = "main";

    explicit LiveSession(ConnectionController *controller, QObject *parent = nullptr);
    ~LiveSession() override;

    bool isConnected() const override;
    ConnectionProfile profile() const override;
    ConnectionProfile jobProfile() const override;
    QString databaseName() const override;
    bool writesUnlocked() const override;
    const DatabaseSchema &schema() const override { return m_schema; }
    void refreshSchema() override;
    QString providerName() const override;
    void cancel(TaskId task) override;

    ConnectionController *controller() const { return m_controller; }

protected:
    TaskId post(const QString &lane, Task task) override;

private:
    /// Shared with the tasks on the worker threads.
    struct Tasks
    {
        QMutex mutex;
        QSet<TaskId> pending;           // posted, not started
        QSet<TaskId> canceled;          // canceled before they started
        QHash<QString, TaskId> running; // lane -> the task running on it
    };
    AsyncConnection &connectionOf(const QString &lane);
    ConnectOptions laneOptions(const QString &lane) const;
    void onConnected();
    void onUnlocked();

    ConnectionController *m_controller;
    std::map<QString, std::unique_ptr<AsyncConnection>> m_lanes; // not the main lane
    std::shared_ptr<Tasks> m_tasks = std::make_shared<Tasks>();
    DatabaseSchema m_schema;
    TaskId m_nextTask = 0;
    int m_schemaGeneration = 0;
    bool m_ready = false; // connected and the schema read
};
} // namespace vwb
