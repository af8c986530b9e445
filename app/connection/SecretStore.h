// app/connection/SecretStore.h
#pragma once

#include "core/Result.h"
#include <QHash>
#include <QMutex>
#include <QString>

namespace vwb {

/// Where passwords go. Never QSettings: a password lives in the OS keychain, or only in memory.
class SecretStore
{
public:
    virtual ~SecretStore() = default;
    virtual Result<QString> read(const QString &key) = 0; // null QString when absent
    virtual Result<void> write(const QString &key, const QString &secret) = 0;
    virtual Result<void> remove(const QString &key) = 0;
    virtual QString description() const = 0; // "the OS keychain", "memory (this session only)"
};

/// Secrets kept for this process only: the "asked once per session" store, and the tests' store.
class MemorySecretStore : public SecretStore
{
public:
    Result<QString> read(const QString &key) override;
    Result<void> write(const QString &key, const QString &secret) override;
    Result<void> remove(const QString &key) override;
    QString description() const override { return QStringLiteral("memory (this session only)"); }
    /// The process-wide store of passwords typed in this session.
    static MemorySecretStore &session();

private:
    QMutex m_mutex;
    QHash<QString, QString> m_secrets;
};

/// The OS keychain through qtkeychain (Secret Service on Linux). Needs a D-Bus session and an
/// unlocked keyring; on a headless machine every call fails at once with a clear error, and the
/// caller falls back to asking once per session. Blocks the calling thread until the keychain
/// answers (a local event loop, at most 10 s): call it from the thread that owns the event loop.
class KeychainSecretStore : public SecretStore
{
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("vector-workbench"));
    Result<QString> read(const QString &key) override;
    Result<void> write(const QString &key, const QString &secret) override;
    Result<void> remove(const QString &key) override;
    QString description() const override { return QStringLiteral("the OS keychain"); }
    static bool isCompiledIn();

private:
    QString m_service;
};
} // namespace vwb
