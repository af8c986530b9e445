// app/connection/SessionUnlocks.cpp
#include "connection/SessionUnlocks.h"

#include "connection/ConnectionProfile.h"
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
    if (expected.isEmpty() || typedDatabaseName != expected)
        return Error::invalid(QStringLiteral("Writes stay locked: type the database name \"%1\" exactly to unlock").arg(expected));
    QMutexLocker lock(&s_mutex);
    s_unlocked.insert(profile.name);
    return {};
}

void SessionUnlocks::lock(const QString &profileName)
{
    QMutexLocker lock(&s_mutex);
    s_unlocked.remove(profileName);
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
