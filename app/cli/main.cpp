// app/cli/main.cpp — vwb: the workbench's jobs for scripts and cron.
#include "cli/CliSupport.h"
#include "core/BuildInfo.h"

#include <QCoreApplication>

using namespace vwb::cli;

namespace {
struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &);
};

const Command Commands[] = {
    {"profiles", "list, save or remove connection profiles", &runProfiles},
    {"check", "connect and report server, pgvector, TLS, read-only state and latency", &runCheck},
    {"sandbox", "start, stop or inspect the private PostgreSQL + pgvector cluster", &runSandbox},
    {"migrate", "Knex migration status; apply, roll back, unlock", &runMigrate},
    {"demo", "generate a deterministic demo forum", &runDemo},
    {"tables", "the content tables found, what made them (LangChain, LlamaIndex, pgai…), their key and columns", &runTables},
    {"topics", "page through topics or posts (keyset paging, filters)", &runTopics},
    {"topic", "one topic or post and its vector as one record", &runTopic},
    {"search", "semantic search by text or by a stored row's vector", &runSearch},
    {"recall", "recall@k of the ANN index against exact search", &runRecall},
    {"explain", "a plan's exclusive times, estimates and pgvector hints; read or compare saved plans", &runExplain},
    {"import", "load JSON Lines into a content table and its vectors", &runImport},
    {"backfill", "embed rows missing (or with stale) vectors, batch by batch", &runBackfill},
    {"health", "vector coverage, orphans, drift, indexes, TOAST, dead tuples; with fixes", &runHealth},
    {"sizes", "heap / index / TOAST bytes per table, index scans; local size history and growth per day", &runSizes},
    {"vacuum", "VACUUM (ANALYZE) with live progress", &runVacuum},
    {"analyze", "ANALYZE with live progress", &runAnalyze},
    {"reindex", "REINDEX a table or index, CONCURRENTLY if asked; --then-vacuum for HNSW", &runReindex},
    {"index", "list, create, drop or repair indexes (HNSW / IVFFlat with live build progress)", &runIndex},
    {"queries", "the application's vector queries (pg_stat_statements): index use, why not, a rewrite", &runQueries},
    {"eval", "search quality against judgments: judged sets, runs, compare, drift, threshold", &runEval},
    {"column", "add a vector column for another model's vectors, beside the application's", &runColumn},
    {"audit", "every write the workbench performed on this machine: who, when, profile, what, rows, outcome", &runAudit},
};

int usage(bool toStderr)
{
    QStringList lines{QStringLiteral("Usage: vwb <command> [options]   (vwb <command> --help for details)"), QString(),
                      QStringLiteral("Commands:")};
    for (const Command &c : Commands)
        lines << QStringLiteral("  %1  %2").arg(QString::fromLatin1(c.name).leftJustified(10), QString::fromUtf8(c.summary));
    // Which database a command without --profile or --url talks to: the same choice it makes.
    const vwb::ProfileCatalog catalog = vwb::cli::loadCatalog(qEnvironmentVariable("VWB_PROJECT_DIR"));
    const auto chosen = catalog.find(catalog.defaultName);
    lines << QString()
          << (!catalog.defaultError.isEmpty() ? QStringLiteral("Default profile: none (%1)").arg(catalog.defaultError)
              : chosen
                  ? QStringLiteral("Default profile: %1%2 — from %3. --profile NAME or --url URL picks another; vwb profiles "
                                   "lists them.")
                        .arg(chosen->name, chosen->production ? QStringLiteral(" (production, read-only)") : QString(), chosen->origin)
                  : QStringLiteral("Default profile: none (vwb profiles lists what there is)"));
    for (const QString &l : lines)
        toStderr ? printError(l) : printLine(l);
    return toStderr ? Usage : Ok;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("vwb"));
    QCoreApplication::setApplicationVersion(vwb::BuildInfo::appVersion());
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty())
        return usage(true);
    const QString name = args.takeFirst();
    if (name == QLatin1String("--help") || name == QLatin1String("-h") || name == QLatin1String("help"))
        return usage(false);
    if (name == QLatin1String("--version")) {
        printLine(QStringLiteral("vwb ") + QCoreApplication::applicationVersion());
        return Ok;
    }
    for (const Command &c : Commands) {
        if (name == QLatin1String(c.name))
            return c.run(args);
    }
    printError(QStringLiteral("vwb: unknown command \"%1\"").arg(name));
    return usage(true);
}
