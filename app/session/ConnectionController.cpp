// app/session/ConnectionController.cpp
#include "session/ConnectionController.h"

#include "connection/ProfileCatalog.h"
#include "connection/SecretStore.h"
#include "connection/SessionUnlocks.h"
#include "sandbox/LocalCluster.h"
#include <QCoreApplication>
#include <QPointer>

namespace vwb {

ConnectionController::ConnectionController(QObject *parent) : QObject(parent) {}

void ConnectionController::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

bool ConnectionController::writesUnlocked() const
{
    return m_profile.production && SessionUnlocks::isUnlocked(m_profile.name);
}

void ConnectionController::connectTo(const ConnectionProfile &profile)
{
    ++m_generation;
    m_profile = profile;
    m_report.reset();
    const QString baseDir = m_sandboxBaseDir.isEmpty() ? LocalCluster::defaultBaseDir() : m_sandboxBaseDir;
    if (profile.source != ProfileSource::Sandbox || LocalCluster(baseDir).status().running) {
        open();
        return;
    }
    setState(State::StartingSandbox);
    const int generation = m_generation;
    QPointer<ConnectionController> self(this);
    // On the connection's own thread, like everything else this controller does off the UI thread.
    m_connection.post([self, generation, baseDir](PgConnection *) {
        LocalCluster cluster(baseDir);
        auto started = cluster.start();
        const ConnectionProfile fresh = cluster.profile();
        QMetaObject::invokeMethod(
            QCoreApplication::instance(), // the controller may be gone; check it on the UI thread
            [self, generation, started, fresh] {
                if (!self || generation != self->m_generation)
                    return;
                if (!started.ok()) {
                    self->setState(State::Failed);
                    emit self->failed(started.error());
                    return;
                }
                self->m_profile = fresh;
                self->open();
            },
            Qt::QueuedConnection);
    });
}

void ConnectionController::open()
{
    setState(State::Connecting);
    const int generation = m_generation;
    m_resolved = {};
    // The keychain answers through D-Bus and may take seconds on a locked keyring: it is read
    // on the connection's thread, never on the UI thread.
    const auto completePassword = [](ConnectionProfile &profile) {
        KeychainSecretStore keychain;
        resolvePassword(profile, &keychain);
    };
    m_connection.open(m_profile, completePassword, ConnectOptions{}, this, [this, generation](Result<ConnectionProfile> opened) {
        if (generation != m_generation)
            return;
        if (!opened.ok()) {
            setState(State::Failed);
            if (opened.error().sqlState == QLatin1String("28P01") && m_profile.params.password.isEmpty())
                emit passwordNeeded(m_profile);
            emit failed(opened.error());
            return;
        }
        m_resolved = opened.value();
        runCheck(generation);
    });
}

void ConnectionController::runCheck(int generation)
{
    m_connection.run<ServerReport>(
        this, [](PgConnection &conn) { return checkServer(conn); },
        [this, generation](Result<ServerReport> report) {
            if (generation != m_generation)
                return;
            if (!report.ok()) {
                setState(State::Failed);
                emit failed(report.error());
                return;
            }
            m_report = report.value();
            if (m_state == State::Connected) {
                emit reportRefreshed(*m_report); // the same connection, checked again (refresh, unlock)
                return;
            }
            setState(State::Connected);
            emit connected(*m_report);
        });
}

void ConnectionController::refresh()
{
    if (m_state == State::Connected)
        runCheck(m_generation);
}

void ConnectionController::disconnectNow()
{
    ++m_generation;
    m_connection.close();
    m_report.reset();
    setState(State::Idle);
}

void ConnectionController::unlockWrites(const QString &typedDatabaseName)
{
    if (auto unlocked = SessionUnlocks::unlock(m_profile, typedDatabaseName); !unlocked.ok()) {
        emit unlockFinished(false, unlocked.error().message);
        return;
    }
    m_connection.run<bool>(
        this,
        [](PgConnection &conn) -> Result<bool> {
            if (auto applied = conn.applyUnlock(); !applied.ok())
                return applied.error();
            return true;
        },
        [this](Result<bool> applied) {
            emit unlockFinished(applied.ok(), applied.ok() ? tr("Writes unlocked for this session") : applied.error().message);
            refresh();
        });
}

void ConnectionController::lockWrites()
{
    SessionUnlocks::lock(m_profile.name);
    connectTo(m_profile); // a fresh session starts read-only again
}
} // namespace vwb
