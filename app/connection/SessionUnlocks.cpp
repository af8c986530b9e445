// app/connection/SessionUnlocks.cpp
#include "connection/SessionUnlocks.h"

#include "connection/ConnectionProfile.h"
#include "core/AuditLog.h"
#include <QMutex>
#include <QSet>

namespace vwb {
namespace {
QMutex s_mutex;
QSet<QString> s_unlocked;
} // namespace

Result<void> SessionUnlocks::unlock(const ConnectionProfile &profile, const QString &typedDatabaseName)
{
    if (!profile.production)
        return {};
    const QString expected = profile.params.dbname.isEmpty() ? profile.params.user : profile.params.dbname;
    AuditedWrite audit(profile.name, QStringLiteral("unlock writes"),
                       QStringLiteral("production writes allowed for this session of %1").arg(profile.params.displayTarget()));
    if (expected.isEmpty() || typedDatabaseName != expected) {
        const Error refused = Error::invalid(
            QStringLiteral("Writes stay locked: type the database name \"%1\" exactly to unlock").arg(expected));
        audit.finish(&refused);
        return refused;
    }
    {
        QMutexLocker lock(&s_mutex);
        s_unlocked.insert(profile.name);
    }
    audit.finish(nullptr);
    return {};
}

void SessionUnlocks::lock(const QString &profileName)
{
    bool wasUnlocked = false;
    {
        QMutexLocker lock(&s_mutex);
        wasUnlocked = s_unlocked.remove(profileName);
    }
    if (wasUnlocked)
        AuditedWrite(profileName, QStringLiteral("lock writes"), QStringLiteral("production read-only again")).finish(nullptr);
}

bool SessionUnlocks::isUnlocked(const QString &profileName)
{
    QMutexLocker lock(&s_mutex);
    return s_unlocked.contains(profileName);
}

bool SessionUnlocks::mustStartReadOnly(const ConnectionProfile &profile)
{
    return profile.production && !isUnlocked(profile.name);
}
} // namespace vwb
