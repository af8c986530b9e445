// app/connection/ProfileStore.cpp
#include "connection/ProfileStore.h"

#include "connection/SecretStore.h"
#include <algorithm>
#include <QDir>
#include <QSettings>

namespace vwb {

ProfileStore::ProfileStore(QString settingsPath) : m_path(std::move(settingsPath)) {}

QString ProfileStore::defaultPath()
{
    QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (config.isEmpty() || !QDir::isAbsolutePath(config))
        config = QDir::homePath() + QStringLiteral("/.config");
    return config + QStringLiteral("/vector-workbench/profiles.ini");
}

Result<void> ProfileStore::validateName(const QString &name)
{
    static const QStringList reserved{QStringLiteral("sandbox"), QStringLiteral("development"), QStringLiteral("production"),
                                      QStringLiteral("pg-env")};
    if (name.trimmed().isEmpty())
        return Error::invalid(QStringLiteral("A profile needs a name"));
    if (name != name.trimmed() || name.size() > 64)
        return Error::invalid(QStringLiteral("Profile names are 1-64 characters without surrounding spaces"));
    // a newline, tab or escape code in a name would forge lines in listings, logs and terminals
    if (std::any_of(name.cbegin(), name.cend(),
                    [](QChar c) { return c.category() == QChar::Other_Control || c.category() == QChar::Other_Format; }))
        return Error::invalid(QStringLiteral("Profile names hold no control characters (newlines, tabs, escape codes)"));
    if (reserved.contains(name) || name.startsWith(QLatin1String("service:")))
        return Error::invalid(QStringLiteral("\"%1\" is reserved for profiles read from the environment; choose "
                                             "another name")
                                  .arg(name));
    return {};
}

QList<ConnectionProfile> ProfileStore::load() const
{
    QSettings s(m_path, QSettings::IniFormat);
    QList<ConnectionProfile> out;
    const int n = s.beginReadArray(QStringLiteral("profiles"));
    for (int i = 0; i < n; ++i) {
        s.setArrayIndex(i);
        ConnectionProfile p;
        p.name = s.value(QStringLiteral("name")).toString();
        if (p.name.isEmpty())
            continue;
        p.source = ProfileSource::Saved;
        p.origin = m_path;
        p.production = s.value(QStringLiteral("production")).toBool();
        p.params.host = s.value(QStringLiteral("host")).toString();
        p.params.port = s.value(QStringLiteral("port")).toString();
        p.params.dbname = s.value(QStringLiteral("dbname")).toString();
        p.params.user = s.value(QStringLiteral("user")).toString();
        p.params.sslmode = s.value(QStringLiteral("sslmode")).toString();
        s.beginGroup(QStringLiteral("extra"));
        for (const QString &key : s.childKeys())
            p.params.extra.insert(key, s.value(key).toString());
        s.endGroup();
        out << p;
    }
    s.endArray();
    return out;
}

void ProfileStore::writeAll(const QList<ConnectionProfile> &profiles) const
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSettings s(m_path, QSettings::IniFormat);
    s.remove(QStringLiteral("profiles"));
    s.beginWriteArray(QStringLiteral("profiles"), int(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ConnectionProfile &p = profiles.at(i);
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), p.name);
        s.setValue(QStringLiteral("production"), p.production);
        s.setValue(QStringLiteral("host"), p.params.host);
        s.setValue(QStringLiteral("port"), p.params.port);
        s.setValue(QStringLiteral("dbname"), p.params.dbname);
        s.setValue(QStringLiteral("user"), p.params.user);
        s.setValue(QStringLiteral("sslmode"), p.params.sslmode);
        for (auto it = p.params.extra.cbegin(); it != p.params.extra.cend(); ++it) {
            if (it.key() == QLatin1String("password") || it.key() == QLatin1String("sslpassword"))
                continue; // secrets never reach the settings file, whatever key they hide under
            s.setValue(QStringLiteral("extra/") + it.key(), it.value());
        }
        // password: deliberately absent
    }
    s.endArray();
    s.sync();
}

Result<QString> ProfileStore::save(const ConnectionProfile &profile, SecretStore *secrets)
{
    if (auto valid = validateName(profile.name); !valid.ok())
        return valid.error();
    QList<ConnectionProfile> all = load();
    all.erase(std::remove_if(all.begin(), all.end(), [&](const ConnectionProfile &p) { return p.name == profile.name; }), all.end());
    all << profile;
    writeAll(all);
    QSettings check(m_path, QSettings::IniFormat);
    if (check.status() != QSettings::NoError)
        return Error::io(QStringLiteral("Cannot write %1").arg(m_path));

    if (profile.params.password.isEmpty())
        return QStringLiteral("saved without a password");
    if (!secrets)
        return QStringLiteral("saved; the password was not stored and will be asked once per session");
    if (auto kept = secrets->write(secretKey(profile.name), profile.params.password); !kept.ok())
        return QStringLiteral("saved; the password was not stored (%1) and will be asked once per session").arg(kept.error().message);
    return QStringLiteral("saved; the password is kept in %1").arg(secrets->description());
}

Result<void> ProfileStore::remove(const QString &name, SecretStore *secrets)
{
    QList<ConnectionProfile> all = load();
    const auto before = all.size();
    all.erase(std::remove_if(all.begin(), all.end(), [&](const ConnectionProfile &p) { return p.name == name; }), all.end());
    if (all.size() == before)
        return Error::invalid(QStringLiteral("No saved profile named \"%1\"").arg(name));
    writeAll(all);
    if (secrets)
        (void)secrets->remove(secretKey(name));
    return {};
}

QString ProfileStore::lastUsed() const
{
    return QSettings(m_path, QSettings::IniFormat).value(QStringLiteral("state/lastProfile")).toString();
}

void ProfileStore::setLastUsed(const QString &name)
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSettings(m_path, QSettings::IniFormat).setValue(QStringLiteral("state/lastProfile"), name);
}
} // namespace vwb
