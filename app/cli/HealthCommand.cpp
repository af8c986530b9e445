// app/cli/HealthCommand.cpp — vwb health
#include "cli/CliSupport.h"

#include "connection/ProfileArguments.h"
#include "embeddings/EmbeddingSources.h"
#include "embeddings/ProviderChoice.h"
#include "maintenance/HealthCheck.h"

#include <algorithm>

namespace vwb::cli {

int runHealth(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("health"),
                      QStringLiteral("Checks every content/vector pair and its indexes (read-only): missing, stale and "
                                     "duplicate vectors, orphans, forum_name drift, dimensions, ANN indexes, TOAST, "
                                     "invalid/unused/duplicate indexes, dead tuples; each with the action that fixes it."));
    cmd.addOption({QStringLiteral("provider"),
                   QStringLiteral("Also compare each column's vectors with what this provider (lexical or openai) makes of "
                                  "a few of its rows: one embedding request per column."),
                   QStringLiteral("name")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QString providerName = cmd.parser().value(QStringLiteral("provider"));
    if (!providerName.isEmpty() && !validProviderName(providerName))
        return cmd.usageError(QStringLiteral("--provider must be lexical, lexical-stem, openai or openai:MODEL"));
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto schema = discoverSchema(*conn.value());
    if (!schema.ok())
        return reportError(schema.error(), cmd.json());
    ProviderForColumn provider;
    if (!providerName.isEmpty()) {
        const QString profile = conn.value()->profile().name;
        provider = [providerName, profile](int dims) { return makeProvider(providerFor(providerName, dims, profile)); };
    }
    auto findings = runHealthChecks(*conn.value(), schema.value(), provider, EmbeddingSources::defaultPath());
    if (!findings.ok())
        return reportError(findings.error(), cmd.json());
    if (cmd.json()) {
        QJsonArray list;
        QJsonObject counts;
        for (const HealthFinding &f : findings.value()) {
            list.append(f.toJson());
            counts.insert(f.check, counts.value(f.check).toInteger() + f.count);
        }
        printJson(QJsonObject{{QStringLiteral("findings"), list}, {QStringLiteral("counts"), counts}});
        return Ok;
    }
    // Worst first (problems, then warnings, then notes), each kind in the checks' order, in columns.
    QList<HealthFinding> shown;
    for (const HealthFinding &f : findings.value())
        if (f.severity != HealthFinding::Severity::Ok)
            shown << f;
    std::stable_sort(shown.begin(), shown.end(), [](const HealthFinding &a, const HealthFinding &b) { return a.severity > b.severity; });
    qsizetype tableWidth = 0;
    for (const HealthFinding &f : shown)
        tableWidth = std::max(tableWidth, f.table.size());
    const QString indent(7 + 2 + tableWidth + 2, QLatin1Char(' '));
    for (const HealthFinding &f : shown) {
        printLine(
            QStringLiteral("%1  %2  %3")
                .arg(HealthFinding::severityName(f.severity).toUpper().leftJustified(7), f.table.leftJustified(tableWidth), f.message));
        if (!f.fix.isEmpty())
            printLine(indent + QStringLiteral("fix: ") + withProfileArguments(f.fix, conn.value()->profile()));
    }
    const auto bad = std::count_if(findings.value().begin(), findings.value().end(),
                                   [](const HealthFinding &f) { return f.severity >= HealthFinding::Severity::Warning; });
    printLine(bad == 0 ? QStringLiteral("healthy: nothing to fix") : QStringLiteral("-- %1 finding(s) to look at").arg(bad));
    return Ok;
}
} // namespace vwb::cli
