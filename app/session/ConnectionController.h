// app/session/ConnectionController.h
#pragma once

#include "connection/AsyncConnection.h"
#include "connection/ServerCheck.h"
#include <QObject>
#include <optional>

namespace vwb {

/// The window's one live connection: starts the sandbox when it is the target, opens the
/// connection off the UI thread, runs the server check, and carries the production unlock.
/// A newer connectTo() supersedes an older one still in flight.
class ConnectionController : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, StartingSandbox, Connecting, Connected, Failed };
    Q_ENUM(State)

    explicit ConnectionController(QObject *parent = nullptr);

    void connectTo(const ConnectionProfile &profile);
    /// Where the sandbox cluster lives (empty: LocalCluster::defaultBaseDir()).
    void setSandboxBaseDir(const QString &dir) { m_sandboxBaseDir = dir; }
    void disconnectNow();
    /// Re-reads versions, read-only state and latency.
    void refresh();
    /// Unlocks writes for this session when `typedDatabaseName` matches; the result comes back
    /// through unlockFinished().
    void unlockWrites(const QString &typedDatabaseName);
    void lockWrites();

    State state() const { return m_state; }
    const ConnectionProfile &profile() const { return m_profile; }
    /// The profile as it connected, password filled in (from the session or the keychain): what
    /// the session's other connections open with. Kept in memory only.
    const ConnectionProfile &connectedProfile() const { return m_resolved; }
    const std::optional<ServerReport> &report() const { return m_report; }
    bool writesUnlocked() const;
    AsyncConnection &connection() { return m_connection; }

signals:
    void stateChanged(ConnectionController::State state);
    void connected(const ServerReport &report);
    /// refresh() read the server again on the same connection (versions, read-only state, latency).
    void reportRefreshed(const ServerReport &report);
    void failed(const Error &error);
    void passwordNeeded(const ConnectionProfile &profile);
    void unlockFinished(bool unlocked, const QString &message);

private:
    void setState(State state);
    void open();
    void runCheck(int generation);

    AsyncConnection m_connection;
    ConnectionProfile m_profile;
    ConnectionProfile m_resolved;
    std::optional<ServerReport> m_report;
    State m_state = State::Idle;
    int m_generation = 0;
    QString m_sandboxBaseDir;
};
} // namespace vwb
