// app/connection/ConnectionProfile.h
#pragma once

#include "core/Result.h"
#include <QMap>
#include <QString>
#include <QStringList>

namespace vwb {

/// libpq connection parameters: the common ones as fields, any other libpq keyword in `extra`
/// (sslrootcert, sslcert, sslkey, application_name, connect_timeout, options, target_session_attrs,
/// service, ...). Empty means "not given": libpq then applies its own defaults and PG* variables.
struct ConnectionParams
{
    QString host; // a name, an IPv4/IPv6 address (no brackets), a socket directory ("/..."),
                  // or a comma-separated list of those
    QString port; // digits, or a comma-separated list matching host
    QString dbname;
    QString user;
    QString password; // never written to settings; see SecretStore
    QString sslmode;  // disable | allow | prefer | require | verify-ca | verify-full
    QMap<QString, QString> extra;

    bool operator==(const ConnectionParams &) const = default;
    bool isEmpty() const;
    /// "user@host:port/db" for people; no password.
    QString displayTarget() const;
};

/// Where a profile came from, which also decides how it is treated.
enum class ProfileSource {
    Sandbox,       // the private local cluster (always present)
    Development,   // POSTGRES_HOST/PORT/DB/USER/PASSWORD, as the knexfile's development entry
    Production,    // DATABASE_URL with TLS, as the knexfile's production entry
    PgEnvironment, // libpq's own PG* variables
    Service,       // a section of a pg_service.conf file
    Saved,         // saved by the user (QSettings; password in the keychain or asked)
    CommandLine,   // --url given to the CLI
};

class ConnectionProfile
{
public:
    QString name; // unique among loaded profiles: "sandbox", "development", ...
    ProfileSource source = ProfileSource::Saved;
    bool production = false; // production: TLS required, read-only until unlocked
    ConnectionParams params;
    QString origin; // where it came from, for people: "DATABASE_URL in /p/.env"

    /// Refuses what must not be used: a production profile without TLS.
    Result<void> validate() const;
    /// Things a person should know before connecting (TLS that verifies nothing, ...).
    QStringList warnings() const;
    /// The sslmode libpq will use: production defaults to "require" like the knexfile's
    /// `ssl: { rejectUnauthorized: false }`; otherwise libpq's default "prefer".
    QString effectiveSslMode() const;
    /// What the workbench's own settings of this database are filed under: the profile's name, or
    /// for a URL given on the command line its target ("url:user@host:port/db").
    QString settingsKey() const;
    static QString sourceName(ProfileSource source);
};
} // namespace vwb
