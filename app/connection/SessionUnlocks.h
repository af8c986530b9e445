// app/connection/SessionUnlocks.h
#pragma once

#include "core/Result.h"
#include <QString>

namespace vwb {
class ConnectionProfile;

/// Which production profiles the person unlocked for writing in this process. Nothing is ever
/// persisted: every new session of the application starts locked. Thread-safe.
class SessionUnlocks
{
public:
    /// Unlocks writes for the profile when `typedDatabaseName` is exactly its database name.
    static Result<void> unlock(const ConnectionProfile &profile, const QString &typedDatabaseName);
    static void lock(const QString &profileName);
    static bool isUnlocked(const QString &profileName);
    /// True when a connection of this profile must start read-only.
    static bool mustStartReadOnly(const ConnectionProfile &profile);
};
} // namespace vwb
