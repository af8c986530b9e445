// app/cli/CheckCommand.cpp — vwb check
#include "cli/CliSupport.h"

#include "connection/DatabaseUrl.h"
#include "connection/ProfileStore.h"
#include "connection/SecretStore.h"
#include "connection/ServerCheck.h"
#include <QJsonObject>

namespace vwb::cli {

int runCheck(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("check"),
                      QStringLiteral("Connects to a profile or URL and reports the server version, pgvector, TLS, "
                                     "read-only state and round-trip latency. Exit 0 when connected, 1 when not."));
    const QCommandLineOption profileOpt(QStringLiteral("profile"), QStringLiteral("Profile to check (default: "
                                                                                   "the default profile)."),
                                        QStringLiteral("name"));
    const QCommandLineOption urlOpt(QStringLiteral("url"), QStringLiteral("A postgres:// URL to check instead."),
                                    QStringLiteral("url"));
    const QCommandLineOption prodOpt(QStringLiteral("production"),
                                     QStringLiteral("Treat --url as production (TLS required, read-only)."));
    const QCommandLineOption timeoutOpt(QStringLiteral("timeout"), QStringLiteral("Connect timeout (default 5)."),
                                        QStringLiteral("seconds"), QStringLiteral("5"));
    for (const auto &o : {profileOpt, urlOpt, prodOpt, timeoutOpt, projectOption()})
        cmd.addOption(o);
    if (auto exit = cmd.parse(args))
        return *exit;
    QCommandLineParser &p = cmd.parser();
    if (!p.positionalArguments().isEmpty())
        return cmd.usageError(QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().first()));
    if (p.isSet(profileOpt) && p.isSet(urlOpt))
        return cmd.usageError(QStringLiteral("give --profile or --url, not both"));
    bool timeoutOk = false;
    const double timeout = p.value(timeoutOpt).toDouble(&timeoutOk);
    if (!timeoutOk || timeout <= 0 || timeout > 600)
        return cmd.usageError(QStringLiteral("--timeout must be a number of seconds between 0 and 600"));

    ConnectionProfile profile;
    if (p.isSet(urlOpt)) {
        auto parsed = parseDatabaseUrl(p.value(urlOpt));
        if (!parsed.ok())
            return cmd.usageError(parsed.error().message);
        profile.name = QStringLiteral("url");
        profile.source = ProfileSource::CommandLine;
        profile.production = p.isSet(prodOpt);
        profile.params = parsed.value();
        profile.origin = QStringLiteral("--url");
    } else {
        const ProfileCatalog catalog = loadCatalog(p);
        const QString name = p.isSet(profileOpt) ? p.value(profileOpt) : catalog.defaultName;
        const auto found = catalog.find(name);
        if (!found)
            return cmd.usageError(QStringLiteral("no profile named \"%1\" (known: %2)")
                                      .arg(name, catalog.names().join(QStringLiteral(", "))));
        profile = *found;
        KeychainSecretStore keychain;
        resolvePassword(profile, &keychain);
    }

    ConnectOptions options;
    options.connectTimeoutMs = int(timeout * 1000);
    options.applicationName = QStringLiteral("vwb check");
    auto conn = PgConnection::open(profile, options);
    if (!conn.ok() && conn.error().sqlState == QLatin1String("28P01") && profile.params.password.isEmpty()
        && !cmd.json()) {
        const QString typed = promptPassword(QStringLiteral("Password for %1: ").arg(profile.params.displayTarget()));
        if (!typed.isEmpty()) {
            profile.params.password = typed;
            conn = PgConnection::open(profile, options);
            if (conn.ok())
                (void)MemorySecretStore::session().write(ProfileStore::secretKey(profile.name), typed);
        }
    }
    const QJsonObject base{{QStringLiteral("connected"), false},
                           {QStringLiteral("profile"), profile.name},
                           {QStringLiteral("target"), profile.params.displayTarget()}};
    if (!conn.ok())
        return reportError(conn.error(), cmd.json(), base);
    auto report = checkServer(*conn.value());
    if (!report.ok())
        return reportError(report.error(), cmd.json(), base);
    const ServerReport &r = report.value();
    if (cmd.json()) {
        QJsonObject out = r.toJson();
        out.insert(QStringLiteral("target"), profile.params.displayTarget());
        printJson(out);
        return Ok;
    }
    printLine(QStringLiteral("Connected to %1%2 (%3)")
                  .arg(profile.name, profile.production ? QStringLiteral(" [PRODUCTION]") : QString(),
                       profile.params.displayTarget()));
    auto row = [](const QString &label, const QString &value) {
        printLine(QStringLiteral("  %1 %2").arg(label.leftJustified(10), value));
    };
    row(QStringLiteral("server"), QStringLiteral("PostgreSQL ") + r.server.version);
    row(QStringLiteral("pgvector"), !r.pgvectorVersion.isEmpty() ? r.pgvectorVersion
                                    : r.pgvectorAvailable.isEmpty()
                                        ? QStringLiteral("not available")
                                        : QStringLiteral("not installed (%1 available)").arg(r.pgvectorAvailable));
    row(QStringLiteral("TLS"), r.server.tls ? QStringLiteral("%1 (%2), sslmode=%3")
                                                  .arg(r.server.tlsProtocol, r.server.tlsCipher,
                                                       profile.effectiveSslMode())
                                            : QStringLiteral("off"));
    row(QStringLiteral("read-only"), r.readOnly ? QStringLiteral("yes") : QStringLiteral("no"));
    row(QStringLiteral("latency"), QStringLiteral("%1 ms (median of 5 round trips)").arg(r.latencyMs, 0, 'f', 2));
    for (const QString &w : r.warnings)
        printLine(QStringLiteral("warning: ") + w);
    return Ok;
}
} // namespace vwb::cli
