// app/connection/EnvironmentProfiles.cpp
#include "connection/EnvironmentProfiles.h"

#include "connection/DatabaseUrl.h"
#include "connection/DotEnv.h"
#include "core/BoundedFile.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>

namespace vwb {
namespace {
constexpr qint64 MaxServiceFileBytes = 1024 * 1024; // a pg_service.conf is a few kB

/// libpq's connection keywords, which a warning may name (any other word may be a secret).
const QStringList &libpqKeywords()
{
    static const QStringList words{
        "host",    "hostaddr", "port",        "dbname", "user",    "password",         "passfile",        "sslmode",
        "sslcert", "sslkey",   "sslrootcert", "sslcrl", "options", "application_name", "connect_timeout", "target_session_attrs",
        "service"};
    return words;
}
} // namespace

Environment processEnvironment()
{
    Environment env;
    const QProcessEnvironment sys = QProcessEnvironment::systemEnvironment();
    for (const QString &key : sys.keys())
        env.insert(key, sys.value(key));
    return env;
}

ProjectEnvironment loadProjectEnvironment(const Environment &process, const QString &projectDir)
{
    ProjectEnvironment out;
    out.vars = process;
    if (projectDir.isEmpty())
        return out;
    if (!QFileInfo(projectDir).isDir()) {
        out.error = QStringLiteral("the project folder %1 %2")
                        .arg(projectDir,
                             QFileInfo::exists(projectDir) ? QStringLiteral("is not a folder") : QStringLiteral("does not exist"));
        return out;
    }
    const QString path = QDir(projectDir).filePath(QStringLiteral(".env"));
    if (!QFileInfo::exists(path)) {
        out.notes << QStringLiteral("no .env in %1").arg(projectDir);
        return out;
    }
    auto parsed = readDotEnvFile(path);
    if (!parsed.ok()) {
        out.error = QStringLiteral("%1 cannot be used: %2").arg(path, parsed.error().message);
        return out;
    }
    out.dotEnvPath = path;
    for (const QString &w : parsed.value().warnings)
        out.notes << QStringLiteral("%1: %2").arg(path, w);
    for (auto it = parsed.value().values.cbegin(); it != parsed.value().values.cend(); ++it) {
        if (!out.vars.contains(it.key()))
            out.vars.insert(it.key(), it.value());
    }
    return out;
}

QList<ConnectionProfile> profilesFromEnvironment(const Environment &env, const QString &origin, QStringList *notes,
                                                 QMap<QString, QString> *rejected)
{
    QList<ConnectionProfile> out;
    const QString from = origin.isEmpty() ? QStringLiteral("environment") : origin;

    static const QStringList devKeys{QStringLiteral("POSTGRES_HOST"), QStringLiteral("POSTGRES_PORT"), QStringLiteral("POSTGRES_DB"),
                                     QStringLiteral("POSTGRES_USER"), QStringLiteral("POSTGRES_PASSWORD")};
    if (std::any_of(devKeys.begin(), devKeys.end(), [&env](const QString &k) { return env.contains(k); })) {
        ConnectionProfile dev;
        dev.name = QStringLiteral("development");
        dev.source = ProfileSource::Development;
        dev.origin = QStringLiteral("POSTGRES_* in %1").arg(from);
        dev.params.host = env.value(QStringLiteral("POSTGRES_HOST"));
        dev.params.port = env.value(QStringLiteral("POSTGRES_PORT"));
        dev.params.dbname = env.value(QStringLiteral("POSTGRES_DB"));
        dev.params.user = env.value(QStringLiteral("POSTGRES_USER"));
        dev.params.password = env.value(QStringLiteral("POSTGRES_PASSWORD"));
        dev.params.sslmode = QStringLiteral("disable"); // the knexfile's development entry: ssl: false
        bool portOk = true;
        if (!dev.params.port.isEmpty() && (dev.params.port.toInt(&portOk) <= 0 || !portOk || dev.params.port.toInt() > 65535)) {
            notes->append(QStringLiteral("POSTGRES_PORT \"%1\" is not a port number; development profile skipped").arg(dev.params.port));
            if (rejected)
                rejected->insert(dev.name, QStringLiteral("POSTGRES_PORT in %1 is not a port number").arg(from));
        } else
            out << dev;
    }

    if (const QString url = env.value(QStringLiteral("DATABASE_URL")); !url.isEmpty()) {
        auto parsed = parseDatabaseUrl(url);
        if (!parsed.ok()) {
            notes->append(QStringLiteral("DATABASE_URL ignored: %1").arg(parsed.error().message));
            if (rejected)
                rejected->insert(QStringLiteral("production"),
                                 QStringLiteral("DATABASE_URL in %1 is malformed: %2").arg(from, parsed.error().message));
        } else {
            ConnectionProfile prod;
            prod.name = QStringLiteral("production");
            prod.source = ProfileSource::Production;
            prod.production = true;
            prod.origin = QStringLiteral("DATABASE_URL in %1").arg(from);
            prod.params = parsed.value();
            out << prod;
        }
    }

    static const QStringList pgKeys{QStringLiteral("PGHOST"),     QStringLiteral("PGHOSTADDR"), QStringLiteral("PGPORT"),
                                    QStringLiteral("PGDATABASE"), QStringLiteral("PGUSER"),     QStringLiteral("PGSERVICE")};
    if (std::any_of(pgKeys.begin(), pgKeys.end(), [&env](const QString &k) { return env.contains(k); })) {
        ConnectionProfile pg;
        pg.name = QStringLiteral("pg-env");
        pg.source = ProfileSource::PgEnvironment;
        pg.origin = QStringLiteral("PG* variables in %1").arg(from);
        // libpq reads PG* itself; copying them makes the target visible and the profile explicit.
        pg.params.host = env.value(QStringLiteral("PGHOST"));
        pg.params.port = env.value(QStringLiteral("PGPORT"));
        pg.params.dbname = env.value(QStringLiteral("PGDATABASE"));
        pg.params.user = env.value(QStringLiteral("PGUSER"));
        pg.params.sslmode = env.value(QStringLiteral("PGSSLMODE"));
        if (env.contains(QStringLiteral("PGSERVICE")))
            pg.params.extra.insert(QStringLiteral("service"), env.value(QStringLiteral("PGSERVICE")));
        if (env.contains(QStringLiteral("PGHOSTADDR")))
            pg.params.extra.insert(QStringLiteral("hostaddr"), env.value(QStringLiteral("PGHOSTADDR")));
        out << pg;
    }
    return out;
}

QMap<QString, QMap<QString, QString>> parseServiceFile(const QString &text, QStringList *warnings)
{
    QMap<QString, QMap<QString, QString>> services;
    QString current;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (line.startsWith(QLatin1Char('[')) && line.endsWith(QLatin1Char(']'))) {
            current = line.mid(1, line.size() - 2).trimmed();
            services[current];
            continue;
        }
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (current.isEmpty() || eq <= 0) {
            // Never the line itself: "password s3cret" without its '=' is a password.
            const QString word = line.section(QRegularExpression(QStringLiteral("[\\s=]")), 0, 0).toLower();
            const QString named = libpqKeywords().contains(word) ? QStringLiteral(" after %1").arg(word) : QString();
            warnings->append(QStringLiteral("line %1: %2")
                                 .arg(i + 1)
                                 .arg(current.isEmpty() ? QStringLiteral("setting outside a [service] section")
                                                        : QStringLiteral("no '='%1 (a setting is keyword=value); the line is "
                                                                         "ignored and not shown, as it may hold a password")
                                                              .arg(named)));
            continue;
        }
        services[current].insert(line.left(eq).trimmed(), line.mid(eq + 1).trimmed());
    }
    return services;
}

QList<ConnectionProfile> profilesFromServiceFiles(const Environment &env, QStringList *notes)
{
    QStringList files;
    files << (env.contains(QStringLiteral("PGSERVICEFILE"))
                  ? env.value(QStringLiteral("PGSERVICEFILE"))
                  : env.value(QStringLiteral("HOME"), QDir::homePath()) + QStringLiteral("/.pg_service.conf"));
    files << env.value(QStringLiteral("PGSYSCONFDIR"), QStringLiteral("/etc/postgresql-common")) + QStringLiteral("/pg_service.conf");
    QList<ConnectionProfile> out;
    QStringList seen;
    for (const QString &path : files) {
        if (!QFileInfo::exists(path))
            continue;
        auto bytes = readRegularFile(path, MaxServiceFileBytes, QStringLiteral("the service file"));
        if (!bytes.ok()) {
            notes->append(QStringLiteral("%1 ignored: %2").arg(path, bytes.error().message));
            continue;
        }
        QStringList warnings;
        const auto services = parseServiceFile(QString::fromUtf8(bytes.value()), &warnings);
        for (const QString &w : warnings)
            notes->append(QStringLiteral("%1: %2").arg(path, w));
        for (auto it = services.cbegin(); it != services.cend(); ++it) {
            if (seen.contains(it.key()))
                continue; // the user's file wins over the system file, as in libpq
            seen << it.key();
            ConnectionProfile p;
            p.name = QStringLiteral("service:") + it.key();
            p.source = ProfileSource::Service;
            p.origin = path;
            p.params.extra.insert(QStringLiteral("service"), it.key());
            p.params.sslmode = it.value().value(QStringLiteral("sslmode"));
            out << p;
        }
    }
    return out;
}

QString defaultProfileName(const Environment &env, const QStringList &available, const QString &fallback)
{
    const QString wanted = env.value(QStringLiteral("NODE_ENV"), QStringLiteral("development"));
    const QString name = wanted.isEmpty() ? QStringLiteral("development") : wanted;
    return available.contains(name) ? name : fallback;
}
} // namespace vwb
