// app/connection/ProfileStore.h
#pragma once

#include "connection/ConnectionProfile.h"
#include "core/Result.h"
#include <QList>

namespace vwb {
class SecretStore;

/// Saved profiles in an INI file under $XDG_CONFIG_HOME/vector-workbench. Passwords are never
/// written there: save() hands them to a SecretStore (the keychain) or drops them, and says which.
class ProfileStore
{
public:
    explicit ProfileStore(QString settingsPath = defaultPath());
    static QString defaultPath();
    const QString &path() const { return m_path; }

    QList<ConnectionProfile> load() const;
    /// Saves (or replaces) a profile. With a password, `secrets` keeps it; returns a note for the
    /// person saying where the password went ("kept in the OS keychain", "not stored: ...").
    Result<QString> save(const ConnectionProfile &profile, SecretStore *secrets);
    Result<void> remove(const QString &name, SecretStore *secrets);

    QString lastUsed() const;
    void setLastUsed(const QString &name);

    static QString secretKey(const QString &profileName) { return QStringLiteral("profile/") + profileName; }
    static Result<void> validateName(const QString &name);

private:
    void writeAll(const QList<ConnectionProfile> &profiles) const;
    QString m_path;
};
} // namespace vwb
