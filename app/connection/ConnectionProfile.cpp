// app/connection/ConnectionProfile.cpp
#include "connection/ConnectionProfile.h"

#include "core/ShownText.h"

#include <QCoreApplication>

namespace vwb {

bool ConnectionParams::isEmpty() const
{
    return host.isEmpty() && port.isEmpty() && dbname.isEmpty() && user.isEmpty() && password.isEmpty() && sslmode.isEmpty()
           && extra.isEmpty();
}

QString ConnectionParams::displayTarget() const
{
    QString target;
    if (!user.isEmpty())
        target += user + QLatin1Char('@');
    if (extra.contains(QStringLiteral("service")) && host.isEmpty())
        target += QStringLiteral("service=") + extra.value(QStringLiteral("service"));
    else
        target += host.isEmpty() ? QStringLiteral("(default host)") : host;
    if (!port.isEmpty())
        target += QLatin1Char(':') + port;
    if (!dbname.isEmpty())
        target += QLatin1Char('/') + dbname;
    // A URL may carry %1b (escape) or %0a: shown, they would recolour a terminal or forge a line.
    return shownText(target);
}

QString ConnectionProfile::effectiveSslMode() const
{
    if (!params.sslmode.isEmpty())
        return params.sslmode;
    return production ? QStringLiteral("require") : QStringLiteral("prefer");
}

Result<void> ConnectionProfile::validate() const
{
    static const QStringList tlsModes{QStringLiteral("require"), QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
    if (production && !tlsModes.contains(effectiveSslMode()))
        return Error::invalid(QStringLiteral("Profile \"%1\" is production and requires TLS, but its sslmode is "
                                             "\"%2\": use sslmode=verify-full (or require)")
                                  .arg(name, effectiveSslMode()));
    return {};
}

QStringList ConnectionProfile::warnings() const
{
    QStringList out;
    const QString mode = effectiveSslMode();
    if (production && mode == QLatin1String("require"))
        out << QStringLiteral("TLS does not verify the server (sslmode=require, like Node's "
                              "rejectUnauthorized: false): use sslmode=verify-full with sslrootcert");
    else if (production && mode == QLatin1String("verify-ca"))
        out << QStringLiteral("TLS checks the certificate authority but not the host name (sslmode=verify-ca)");
    return out;
}

QString ConnectionProfile::settingsKey() const
{
    return source == ProfileSource::CommandLine ? QStringLiteral("url:") + params.displayTarget() : name;
}

QString ConnectionProfile::sourceName(ProfileSource source)
{
    switch (source) {
    case ProfileSource::Sandbox: return QStringLiteral("sandbox");
    case ProfileSource::Development: return QStringLiteral("development");
    case ProfileSource::Production: return QStringLiteral("production");
    case ProfileSource::PgEnvironment: return QStringLiteral("pg-environment");
    case ProfileSource::Service: return QStringLiteral("service");
    case ProfileSource::Saved: return QStringLiteral("saved");
    case ProfileSource::CommandLine: return QStringLiteral("command-line");
    }
    return QStringLiteral("saved");
}
} // namespace vwb
