// app/connection/ProfileCatalog.cpp
#include "connection/ProfileCatalog.h"

#include "connection/ProfileStore.h"
#include "connection/SecretStore.h"

namespace vwb {

ProfileCatalog ProfileCatalog::load(const Environment &process, const CatalogOptions &options)
{
    ProfileCatalog catalog;
    if (!options.sandbox.name.isEmpty())
        catalog.profiles << options.sandbox;

    const ProjectEnvironment env = loadProjectEnvironment(process, options.projectDir);
    catalog.dotEnvPath = env.dotEnvPath;
    catalog.notes << env.notes;
    const QString origin = env.dotEnvPath.isEmpty() ? QStringLiteral("environment")
                                                    : QStringLiteral("environment + %1").arg(env.dotEnvPath);
    QMap<QString, QString> rejected;
    const QList<ConnectionProfile> fromEnv = profilesFromEnvironment(env.vars, origin, &catalog.notes, &rejected);
    catalog.profiles << fromEnv;
    catalog.profiles << profilesFromServiceFiles(env.vars, &catalog.notes);

    const ProfileStore store(options.settingsPath.isEmpty() ? ProfileStore::defaultPath() : options.settingsPath);
    for (const ConnectionProfile &saved : store.load()) {
        if (catalog.find(saved.name)) {
            catalog.notes << QStringLiteral("saved profile \"%1\" hidden by a profile of the same name from the "
                                            "environment")
                                 .arg(saved.name);
            continue;
        }
        catalog.profiles << saved;
    }

    const QStringList names = catalog.names();
    QString fallback = store.lastUsed();
    if (!names.contains(fallback))
        fallback = QStringLiteral("sandbox");
    catalog.defaultName = fromEnv.isEmpty() ? fallback : defaultProfileName(env.vars, names, fallback);
    const QString wanted = env.vars.value(QStringLiteral("NODE_ENV"));
    const QString picked = wanted.isEmpty() ? QStringLiteral("development") : wanted;
    if (rejected.contains(picked)) {
        catalog.defaultError = QStringLiteral("NODE_ENV%1 picks the %2 profile, but %3; fix it, or name a profile (--profile)")
                                   .arg(wanted.isEmpty() ? QStringLiteral(" (unset: development)") : QStringLiteral("=") + wanted, picked,
                                        rejected.value(picked));
        catalog.defaultName.clear();
    }
    if (!env.error.isEmpty()) { // the .env may name the default (NODE_ENV) or hold its profile
        catalog.defaultError = QStringLiteral("%1; fix it, or name a profile (--profile)").arg(env.error);
        catalog.defaultName.clear();
    }
    return catalog;
}

std::optional<ConnectionProfile> ProfileCatalog::find(const QString &name) const
{
    for (const ConnectionProfile &p : profiles) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

QStringList ProfileCatalog::names() const
{
    QStringList out;
    for (const ConnectionProfile &p : profiles)
        out << p.name;
    return out;
}

void resolvePassword(ConnectionProfile &profile, SecretStore *keychain)
{
    if (!profile.params.password.isEmpty() || profile.source != ProfileSource::Saved)
        return;
    const QString key = ProfileStore::secretKey(profile.name);
    if (auto typed = MemorySecretStore::session().read(key); typed.ok() && !typed.value().isEmpty()) {
        profile.params.password = typed.value();
        return;
    }
    if (!keychain)
        return;
    if (auto kept = keychain->read(key); kept.ok())
        profile.params.password = kept.value();
}
} // namespace vwb
