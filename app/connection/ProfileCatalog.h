// app/connection/ProfileCatalog.h
#pragma once

#include "connection/ConnectionProfile.h"
#include "connection/EnvironmentProfiles.h"
#include <optional>

namespace vwb {
class SecretStore;

struct CatalogOptions
{
    QString projectDir;   // a Node project folder whose .env is read; empty: none
    QString settingsPath; // empty: ProfileStore::defaultPath()
    /// The sandbox's profile (LocalCluster::profile()), listed first. The caller gives it, so
    /// connection/ needs nothing of sandbox/; none is listed when its name is empty.
    ConnectionProfile sandbox;
};

/// Every profile the workbench knows, in a fixed order: sandbox (always), development,
/// production and pg-env from the environment and .env, pg_service.conf services, saved ones.
struct ProfileCatalog
{
    QList<ConnectionProfile> profiles;
    QString defaultName; // NODE_ENV's pick as a knexfile makes it, else the last used, else sandbox
    /// Set when NODE_ENV picks a profile whose variables are there but unusable (a malformed
    /// DATABASE_URL): then there is no default — never another database in its place.
    QString defaultError;
    QString dotEnvPath;
    QStringList notes; // what was skipped and why

    static ProfileCatalog load(const Environment &process, const CatalogOptions &options = {});
    std::optional<ConnectionProfile> find(const QString &name) const;
    QStringList names() const;
};

/// Fills a saved profile's missing password from this session's memory, then from `keychain`
/// (which may be null). Leaves it empty when neither has it: the caller asks the person.
void resolvePassword(ConnectionProfile &profile, SecretStore *keychain);
} // namespace vwb
