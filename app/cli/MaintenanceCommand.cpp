// app/cli/MaintenanceCommand.cpp — vwb vacuum / analyze / reindex / index: one statement each,
// with live progress from pg_stat_progress_* on stderr; Ctrl-C cancels, as for backfill.
#include "cli/CliSupport.h"

#include "cli/ForegroundJob.h"
#include "core/JobRunner.h"
#include "maintenance/IndexList.h"
#include "maintenance/MaintenanceJob.h"
#include <cstdio>
#include <unistd.h>

namespace vwb::cli {
namespace {

QCommandLineOption tableOption()
{
    return {QStringLiteral("table"), QStringLiteral("Table (schema.name or name; default: every table for vacuum/analyze)."),
            QStringLiteral("table")};
}

TableRef parseTable(const QString &text)
{
    const qsizetype dot = text.indexOf(QLatin1Char('.'));
    return dot > 0 ? TableRef{text.left(dot), text.mid(dot + 1)} : TableRef{QStringLiteral("public"), text};
}

/// vwb index list: every index with its method, operator classes, size, validity and scans.
int listIndexesCommand(CommandParser &cmd)
{
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    const QString table = cmd.parser().value(QStringLiteral("table"));
    auto indexes = listIndexes(*conn.value());
    if (!indexes.ok())
        return reportError(indexes.error(), cmd.json());
    QList<IndexInfo> shown;
    for (const IndexInfo &i : indexes.value())
        if (table.isEmpty() || i.table == table || i.table == parseTable(table).name)
            shown << i;
    if (cmd.json()) {
        QJsonArray out;
        for (const IndexInfo &i : shown)
            out << i.toJson();
        printJson(out);
        return Ok;
    }
    for (const QString &line : indexTableLines(shown))
        printLine(line);
    return Ok;
}

/// Plans, prints the statement (and warnings), runs it with progress; --dry-run stops after the plan.
int runPlanned(CommandParser &cmd, const MaintenanceRequest &request)
{
    auto profile = resolveProfile(cmd);
    if (!profile.ok())
        return reportConnectionError(cmd, profile.error());
    auto conn = openConnection(cmd, profile.value());
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto plan = planMaintenance(*conn.value(), request);
    if (!plan.ok())
        return reportError(plan.error(), cmd.json());
    const bool json = cmd.json();
    if (!json) {
        printLine(plan.value().sql() + QLatin1Char(';'));
        for (const QString &w : plan.value().warnings)
            printLine(QStringLiteral("warning: ") + w);
    }
    if (cmd.parser().isSet(QStringLiteral("dry-run"))) {
        if (json)
            printJson(QJsonObject{{QStringLiteral("sql"), plan.value().sql()},
                                  {QStringLiteral("statements"), QJsonArray::fromStringList(plan.value().statements)},
                                  {QStringLiteral("warnings"), QJsonArray::fromStringList(plan.value().warnings)}});
        return Ok;
    }
    if (conn.value()->isWriteLocked())
        return reportError(Error::invalid(QStringLiteral("Profile \"%1\" is production and read-only: add --unlock-writes DBNAME "
                                                         "to run %2")
                                              .arg(profile.value().name, plan.value().title)),
                           json);
    const bool tty = ::isatty(STDERR_FILENO);
    QString lastStep;
    const Error ran = runInForeground(std::make_unique<MaintenanceJob>(profile.value(), plan.value()),
                                      {[&](const JobProgress &p) {
                                           if (json)
                                               return;
                                           const QString pct = p.total > 0
                                                                   ? QStringLiteral(" %1%").arg(100.0 * p.done / p.total, 0, 'f', 1)
                                                                   : QString();
                                           const QString line = QStringLiteral("%1%2").arg(p.step, pct);
                                           if (tty)
                                               std::fprintf(stderr, "\r\033[K%s", qPrintable(line));
                                           else if (p.step != lastStep)
                                               std::fprintf(stderr, "%s\n", qPrintable(line));
                                           lastStep = p.step;
                                       },
                                       [json](const QString &line) {
                                           if (!json && !line.startsWith(QLatin1String("INFO")))
                                               std::fprintf(stderr, "%s\n", qPrintable(line));
                                       },
                                       [&] {
                                           std::fprintf(stderr, "%s%s: canceling (the statement in flight is stopped)...\n",
                                                        tty ? "\n" : "", qPrintable(plan.value().title));
                                       }});
    if (tty && !json)
        std::fprintf(stderr, "\n");
    if (ran.isCanceled()) {
        json ? printJson(QJsonObject{{QStringLiteral("canceled"), plan.value().title}})
             : printLine(QStringLiteral("canceled: ") + plan.value().title);
        return CanceledExit;
    }
    if (!JobRunner::succeeded(ran))
        return reportError(ran, json);
    json ? printJson(QJsonObject{{QStringLiteral("done"), plan.value().title}, {QStringLiteral("sql"), plan.value().sql()}})
         : printLine(QStringLiteral("done: ") + plan.value().title);
    return Ok;
}
} // namespace

int runMaintenance(const QString &command, const QStringList &args)
{
    const bool isIndex = command == QLatin1String("index");
    CommandParser cmd(
        command, isIndex ? QStringLiteral("Indexes: vwb index list [--table T]; vwb index create --table T --column C "
                                          "[--method hnsw|ivfflat] [--metric cosine|l2|ip] [--m N] [--ef-construction N] "
                                          "[--lists N] [--halfvec] [--concurrently]; vwb index drop NAME [--concurrently]; vwb index "
                                          "repair NAME (an invalid index left by a failed concurrent build)")
                         : QStringLiteral("Runs %1 with live progress.").arg(command.toUpper()));
    cmd.addOption(tableOption());
    cmd.addOption({QStringLiteral("dry-run"), QStringLiteral("Print the statement only.")});
    cmd.addOption({QStringLiteral("concurrently"), QStringLiteral("CONCURRENTLY (reindex, index create/drop).")});
    cmd.addOption({QStringLiteral("index"), QStringLiteral("reindex: one index instead of the table."), QStringLiteral("name")});
    if (command == QLatin1String("reindex"))
        cmd.addOption(
            {QStringLiteral("then-vacuum"), QStringLiteral("REINDEX CONCURRENTLY, then VACUUM (ANALYZE) the table: "
                                                           "pgvector's advice for HNSW indexes, whose vacuum is slow otherwise.")});
    for (const char *o : {"column", "method", "metric", "m", "ef-construction", "lists", "name"})
        if (isIndex)
            cmd.addOption({QLatin1String(o), QStringLiteral("see --help"), QStringLiteral("value")});
    if (isIndex)
        cmd.addOption({QStringLiteral("halfvec"),
                       QStringLiteral("create: index a vector column as (column::halfvec(N)): half the size, up to 4,000 "
                                      "dimensions; searches go through it and rank at full precision.")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    MaintenanceRequest r;
    r.table = p.isSet(QStringLiteral("table")) ? parseTable(p.value(QStringLiteral("table"))) : TableRef{};
    r.concurrently = p.isSet(QStringLiteral("concurrently"));
    if (command == QLatin1String("vacuum")) {
        r.kind = MaintenanceRequest::Kind::Vacuum;
    } else if (command == QLatin1String("analyze")) {
        r.kind = MaintenanceRequest::Kind::Analyze;
    } else if (command == QLatin1String("reindex")) {
        r.kind = p.isSet(QStringLiteral("then-vacuum")) ? MaintenanceRequest::Kind::ReindexThenVacuum : MaintenanceRequest::Kind::Reindex;
        r.index = p.value(QStringLiteral("index"));
        if (r.table.name.isEmpty() && (r.index.isEmpty() || r.kind == MaintenanceRequest::Kind::ReindexThenVacuum))
            return cmd.usageError(r.kind == MaintenanceRequest::Kind::Reindex
                                      ? QStringLiteral("give --table T or --index NAME")
                                      : QStringLiteral("--then-vacuum needs --table T (the table to vacuum)"));
    } else {
        const QStringList pos = p.positionalArguments();
        const QString action = pos.value(0);
        if (action == QLatin1String("list")) {
            return listIndexesCommand(cmd);
        } else if (action == QLatin1String("drop") || action == QLatin1String("repair")) {
            if (pos.size() != 2)
                return cmd.usageError(QStringLiteral("%1 needs the index name").arg(action));
            r.kind = action == QLatin1String("drop") ? MaintenanceRequest::Kind::DropIndex : MaintenanceRequest::Kind::RepairIndex;
            r.index = pos.at(1);
        } else if (action == QLatin1String("create")) {
            r.kind = MaintenanceRequest::Kind::CreateIndex;
            if (r.table.name.isEmpty() || !p.isSet(QStringLiteral("column")))
                return cmd.usageError(QStringLiteral("create needs --table and --column"));
            r.column = p.value(QStringLiteral("column"));
            r.index = p.value(QStringLiteral("name"));
            if (p.isSet(QStringLiteral("method")))
                r.method = p.value(QStringLiteral("method"));
            if (p.isSet(QStringLiteral("metric")) && !parseMetric(p.value(QStringLiteral("metric")), &r.metric))
                return cmd.usageError(QStringLiteral("--metric must be cosine, l2 or ip"));
            bool ok = true;
            if (p.isSet(QStringLiteral("m")) && ((r.m = p.value(QStringLiteral("m")).toInt(&ok)) < 2 || r.m > 100 || !ok))
                return cmd.usageError(QStringLiteral("--m must be 2-100"));
            if (p.isSet(QStringLiteral("ef-construction"))
                && ((r.efConstruction = p.value(QStringLiteral("ef-construction")).toInt(&ok)) < 4 || r.efConstruction > 1000 || !ok))
                return cmd.usageError(QStringLiteral("--ef-construction must be 4-1000"));
            if (p.isSet(QStringLiteral("lists"))
                && ((r.lists = p.value(QStringLiteral("lists")).toInt(&ok)) < 1 || r.lists > 32768 || !ok))
                return cmd.usageError(QStringLiteral("--lists must be 1-32768"));
            r.halfvec = p.isSet(QStringLiteral("halfvec"));
        } else {
            return cmd.usageError(QStringLiteral("index needs an action: list, create, drop or repair"));
        }
    }
    return runPlanned(cmd, r);
}

int runVacuum(const QStringList &args)
{
    return runMaintenance(QStringLiteral("vacuum"), args);
}
int runAnalyze(const QStringList &args)
{
    return runMaintenance(QStringLiteral("analyze"), args);
}
int runReindex(const QStringList &args)
{
    return runMaintenance(QStringLiteral("reindex"), args);
}
int runIndex(const QStringList &args)
{
    return runMaintenance(QStringLiteral("index"), args);
}
} // namespace vwb::cli
