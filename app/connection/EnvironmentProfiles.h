// app/connection/EnvironmentProfiles.h
#pragma once

#include "connection/ConnectionProfile.h"
#include "core/Result.h"
#include <QList>
#include <QMap>

namespace vwb {

using Environment = QMap<QString, QString>;

/// The process environment merged with a project folder's `.env`, as the dotenv package does it:
/// a variable already in the process environment wins over the file.
struct ProjectEnvironment
{
    Environment vars;
    QString dotEnvPath; // empty when there was none
    QStringList notes;  // dotenv warnings, "DATABASE_URL ignored: ...", ...
    /// The project folder is missing, or its .env is there and cannot be used (a device, a FIFO,
    /// too large, malformed): its profiles are unknown, so no default may be picked in their place.
    QString error;
};
ProjectEnvironment loadProjectEnvironment(const Environment &process, const QString &projectDir);
Environment processEnvironment();

/// The profiles a Node service on this design would use, read from its environment:
/// `development` from POSTGRES_HOST/PORT/DB/USER/PASSWORD (TLS off, like the knexfile),
/// `production` from DATABASE_URL (TLS required; sslmode=require unless the URL says more),
/// `pg-env` from libpq's own PG* variables. Problems go to `notes`.
/// `rejected`, when given, gets each profile whose variables were there but unusable, with why.
QList<ConnectionProfile> profilesFromEnvironment(const Environment &env, const QString &origin, QStringList *notes,
                                                 QMap<QString, QString> *rejected = nullptr);

/// The profiles of pg_service.conf files (PGSERVICEFILE or ~/.pg_service.conf, then the system file
/// in PGSYSCONFDIR or /etc/postgresql-common), named "service:<name>"; libpq reads the file itself.
QList<ConnectionProfile> profilesFromServiceFiles(const Environment &env, QStringList *notes);
/// Parses one service file's text: section name → its key/value pairs.
QMap<QString, QMap<QString, QString>> parseServiceFile(const QString &text, QStringList *warnings);

/// Which profile is the default, the way a knexfile picks its entry: NODE_ENV, else development.
/// Falls back to `fallback` when the chosen entry does not exist.
QString defaultProfileName(const Environment &env, const QStringList &available, const QString &fallback);
} // namespace vwb
