// app/connection/SecretStore.cpp
#include "connection/SecretStore.h"

#include <QEventLoop>
#include <QTimer>
#ifdef VWB_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace vwb {

Result<QString> MemorySecretStore::read(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    return m_secrets.value(key);
}

Result<void> MemorySecretStore::write(const QString &key, const QString &secret)
{
    QMutexLocker lock(&m_mutex);
    m_secrets.insert(key, secret);
    return {};
}

Result<void> MemorySecretStore::remove(const QString &key)
{
    QMutexLocker lock(&m_mutex);
    m_secrets.remove(key);
    return {};
}

MemorySecretStore &MemorySecretStore::session()
{
    static MemorySecretStore store;
    return store;
}

KeychainSecretStore::KeychainSecretStore(QString service) : m_service(std::move(service)) {}

bool KeychainSecretStore::isCompiledIn()
{
#ifdef VWB_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

#ifdef VWB_HAVE_KEYCHAIN
namespace {
constexpr int KeychainTimeoutMs = 10000;

/// Runs a qtkeychain job to completion; returns its error as an Error, or nothing.
Result<void> runJob(QKeychain::Job &job)
{
    job.setAutoDelete(false);
    QEventLoop loop;
    bool finished = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(KeychainTimeoutMs, &loop, &QEventLoop::quit);
    job.start();
    if (!finished)
        loop.exec();
    if (!finished)
        return Error{Error::Kind::Timeout, QStringLiteral("The OS keychain did not answer within 10 s"), {}, {}};
    if (job.error() == QKeychain::NoError || job.error() == QKeychain::EntryNotFound)
        return {};
    return Error::io(QStringLiteral("The OS keychain is not available: %1").arg(job.errorString()));
}
} // namespace
#endif

Result<QString> KeychainSecretStore::read(const QString &key)
{
#ifdef VWB_HAVE_KEYCHAIN
    QKeychain::ReadPasswordJob job(m_service);
    job.setKey(key);
    if (auto ran = runJob(job); !ran.ok())
        return ran.error();
    return job.error() == QKeychain::EntryNotFound ? QString() : job.textData();
#else
    Q_UNUSED(key);
    return Error::io(QStringLiteral("This build has no OS keychain support (qtkeychain)"));
#endif
}

Result<void> KeychainSecretStore::write(const QString &key, const QString &secret)
{
#ifdef VWB_HAVE_KEYCHAIN
    QKeychain::WritePasswordJob job(m_service);
    job.setKey(key);
    job.setTextData(secret);
    job.setInsecureFallback(false); // a plain-text file is exactly what must never happen
    return runJob(job);
#else
    Q_UNUSED(key);
    Q_UNUSED(secret);
    return Error::io(QStringLiteral("This build has no OS keychain support (qtkeychain)"));
#endif
}

Result<void> KeychainSecretStore::remove(const QString &key)
{
#ifdef VWB_HAVE_KEYCHAIN
    QKeychain::DeletePasswordJob job(m_service);
    job.setKey(key);
    return runJob(job);
#else
    Q_UNUSED(key);
    return {};
#endif
}
} // namespace vwb
