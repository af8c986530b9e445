// app/cli/CheckCommand.cpp — vwb check
#include "cli/CliSupport.h"

#include "connection/ServerCheck.h"
#include <QJsonObject>

namespace vwb::cli {

int runCheck(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("check"),
                      QStringLiteral("Connects to a profile or URL and reports the server version, pgvector, TLS, "
                                     "read-only state and round-trip latency. Exit 0 when connected, 1 when not."));
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    if (!cmd.parser().positionalArguments().isEmpty())
        return cmd.usageError(QStringLiteral("unexpected argument \"%1\"").arg(cmd.parser().positionalArguments().first()));
    auto resolved = resolveProfile(cmd);
    if (!resolved.ok())
        return reportConnectionError(cmd, resolved.error());
    const ConnectionProfile &profile = resolved.value();
    const QJsonObject base{{QStringLiteral("connected"), false},
                           {QStringLiteral("profile"), profile.name},
                           {QStringLiteral("target"), profile.params.displayTarget()}};
    auto conn = openConnection(cmd, profile);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error(), base);
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
                  .arg(profile.name, profile.production ? QStringLiteral(" [PRODUCTION]") : QString(), profile.params.displayTarget()));
    auto row = [](const QString &label, const QString &value) {
        printLine(QStringLiteral("  %1 %2").arg(label.leftJustified(10), value));
    };
    row(QStringLiteral("server"), QStringLiteral("PostgreSQL ") + r.server.version);
    row(QStringLiteral("pgvector"), !r.pgvectorVersion.isEmpty() ? r.pgvectorVersion
                                    : r.pgvectorAvailable.isEmpty()
                                        ? QStringLiteral("not available")
                                        : QStringLiteral("not installed (%1 available)").arg(r.pgvectorAvailable));
    row(QStringLiteral("TLS"),
        r.server.tls ? QStringLiteral("%1 (%2), sslmode=%3").arg(r.server.tlsProtocol, r.server.tlsCipher, profile.effectiveSslMode())
                     : QStringLiteral("off"));
    row(QStringLiteral("read-only"), r.readOnly ? QStringLiteral("yes") : QStringLiteral("no"));
    row(QStringLiteral("latency"), QStringLiteral("%1 ms (median of 5 round trips)").arg(r.latencyMs, 0, 'f', 2));
    for (const QString &w : r.warnings)
        printLine(QStringLiteral("warning: ") + w);
    return Ok;
}
} // namespace vwb::cli
