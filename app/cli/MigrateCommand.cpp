// app/cli/MigrateCommand.cpp — vwb migrate: migrations with Knex's rules — the workbench's own in
// its ledger (vwb_migrations), a Knex project's read from knex_migrations.
#include "cli/CliSupport.h"

#include "connection/PgConnection.h"
#include "migrations/KnexProject.h"
#include "migrations/MigrationRunner.h"
#include <QJsonArray>
#include <cstdio>
#include <unistd.h>

namespace vwb::cli {
namespace {

const QStringList Actions{
    QStringLiteral("status"), QStringLiteral("list"), QStringLiteral("latest"), QStringLiteral("rollback"),
    QStringLiteral("up"),     QStringLiteral("down"), QStringLiteral("unlock")}; // and export (MigrateExportCommand.cpp)

void printStatus(const MigrationStatus &s, const QString &ledger)
{
    auto row = [](const MigrationEntry &e) {
        QString line = QStringLiteral("  ") + e.name;
        if (e.batch > 0)
            line = line.leftJustified(58)
                   + QStringLiteral(" batch %1  %2")
                         .arg(e.batch, -3)
                         .arg(e.appliedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        if (e.state == MigrationState::Missing)
            line += QStringLiteral("  FILE MISSING");
        if (e.state == MigrationState::PendingOutOfOrder)
            line += QStringLiteral("  (out of order)");
        return line;
    };
    const int done = s.count(MigrationState::Applied) + s.count(MigrationState::Missing);
    if (done == 0) {
        printLine(QStringLiteral("No Completed Migration files Found."));
    } else {
        printLine(QStringLiteral("Found %1 Completed Migration file/files.").arg(done));
        for (const MigrationEntry &e : s.entries)
            if (e.state == MigrationState::Applied || e.state == MigrationState::Missing)
                printLine(row(e));
    }
    const int pending = s.count(MigrationState::Pending) + s.count(MigrationState::PendingOutOfOrder);
    if (pending == 0) {
        printLine(QStringLiteral("No Pending Migration files Found."));
    } else {
        printLine(QStringLiteral("Found %1 Pending Migration file/files.").arg(pending));
        for (const MigrationEntry &e : s.entries)
            if (e.state == MigrationState::Pending || e.state == MigrationState::PendingOutOfOrder)
                printLine(row(e));
    }
    printLine(QStringLiteral("Lock: %1%2")
                  .arg(MigrationStatus::lockName(s.lock), s.lockDetail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.lockDetail)));
    if (!s.ledgerExists)
        printLine(QStringLiteral("Ledger: no %1 table yet (the first apply creates it)").arg(ledger));
    else
        printLine(QStringLiteral("Ledger: %1").arg(ledger));
    if (s.knexMigrations > 0)
        printLine(QStringLiteral("Knex: %1 migration(s) in knex_migrations, the last %2 — the schema is a Knex "
                                 "project's (vwb migrate export writes the workbench's changes as Knex migrations)")
                      .arg(s.knexMigrations)
                      .arg(s.lastKnexMigration));
    if (!s.nextRollback.isEmpty())
        printLine(QStringLiteral("Next rollback undoes batch %1: %2").arg(s.lastBatch).arg(s.nextRollback.join(QStringLiteral(", "))));
    for (const QString &p : s.problems)
        printLine(QStringLiteral("warning: ") + p);
}

bool confirmUnlock(const QString &what)
{
    if (!::isatty(STDIN_FILENO))
        return false;
    std::fprintf(stderr,
                 "Release the migration lock on %s? Knex may be running migrations right now. "
                 "Type 'unlock' to confirm: ",
                 qPrintable(what));
    char buffer[64] = {};
    return std::fgets(buffer, sizeof buffer, stdin) && QByteArray(buffer).trimmed() == "unlock";
}
} // namespace

int runMigrate(const QStringList &args)
{
    if (args.value(0) == QLatin1String("export"))
        return runMigrateExport(args.mid(1));
    CommandParser cmd(QStringLiteral("migrate"),
                      QStringLiteral("Migrations with Knex's rules (knex migrate:*) and ledger layout.\n"
                                     "  vwb migrate status                 every migration with batch and time, the "
                                     "lock, the next rollback\n"
                                     "  vwb migrate list                   the same, but fails on a corrupt folder "
                                     "as knex migrate:list does\n"
                                     "  vwb migrate latest [--to NAME]     pending .sql migrations as one new batch\n"
                                     "  vwb migrate rollback [--all]       the last batch (newest first), or all\n"
                                     "  vwb migrate up [NAME] | down [NAME]\n"
                                     "  vwb migrate unlock [--yes]         free a lock left by a dead run\n"
                                     "  vwb migrate export --project DIR   the workbench's schema improvements as Knex "
                                     "migration files in the project (see vwb migrate export --help)\n"
                                     "The workbench's own .sql migrations are recorded in vwb_migrations, never in "
                                     "Knex's knex_migrations. A folder of Knex .js/.ts migrations (--dir, or --project "
                                     "with its knexfile) is read against Knex's ledger; only Knex runs those.\n"
                                     "Status never creates or changes anything. --dry-run prints exactly what would "
                                     "run."));
    const QCommandLineOption dirOpt(QStringLiteral("dir"), QStringLiteral("Migrations folder (default: the workbench's own)."),
                                    QStringLiteral("dir"));
    const QCommandLineOption tableOpt(QStringLiteral("table"),
                                      QStringLiteral("Ledger table (default: vwb_migrations for .sql migrations, "
                                                     "knex_migrations or the knexfile's for a Knex folder)."),
                                      QStringLiteral("name"));
    const QCommandLineOption envOpt(QStringLiteral("env"),
                                    QStringLiteral("The knexfile's environment (default "
                                                   "NODE_ENV, else development)."),
                                    QStringLiteral("name"));
    const QCommandLineOption schemaOpt(QStringLiteral("schema"), QStringLiteral("Schema of the ledger tables."), QStringLiteral("name"));
    const QCommandLineOption allOpt(QStringLiteral("all"), QStringLiteral("rollback: every applied migration."));
    const QCommandLineOption toOpt(QStringLiteral("to"), QStringLiteral("latest: stop after this migration."), QStringLiteral("name"));
    const QCommandLineOption dryOpt(QStringLiteral("dry-run"), QStringLiteral("Print the plan; run nothing."));
    const QCommandLineOption yesOpt(QStringLiteral("yes"), QStringLiteral("unlock: do not ask."));
    for (const auto &o : {dirOpt, tableOpt, schemaOpt, allOpt, toOpt, dryOpt, yesOpt, envOpt})
        cmd.addOption(o);
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    QCommandLineParser &p = cmd.parser();
    const QStringList pos = p.positionalArguments();
    const QString action = pos.value(0, QStringLiteral("status"));
    if (!Actions.contains(action))
        return cmd.usageError(QStringLiteral("unknown action \"%1\" (%2)").arg(action, Actions.join(QStringLiteral(", "))));
    const bool takesName = action == QLatin1String("up") || action == QLatin1String("down");
    if (pos.size() > (takesName ? 2 : 1))
        return cmd.usageError(QStringLiteral("too many arguments for \"%1\"").arg(action));
    if (p.isSet(allOpt) && action != QLatin1String("rollback"))
        return cmd.usageError(QStringLiteral("--all goes with rollback"));
    if (p.isSet(toOpt) && action != QLatin1String("latest"))
        return cmd.usageError(QStringLiteral("--to goes with latest"));
    if (p.isSet(tableOpt) && p.value(tableOpt).isEmpty())
        return cmd.usageError(QStringLiteral("--table cannot be empty"));

    // The folder and the ledger: the workbench's own by default; a Knex project's (its knexfile
    // read by Node) with --project and no --dir; a folder of Knex files is read against Knex's.
    QString dir = p.isSet(dirOpt) ? p.value(dirOpt) : defaultMigrationsDir();
    QStringList extensions = defaultMigrationExtensions();
    LedgerConfig ledger;
    const QString projectDir = p.value(QStringLiteral("project"));
    if (!p.isSet(dirOpt) && !projectDir.isEmpty()) {
        auto project = KnexProject::load(projectDir, p.value(envOpt));
        if (!project.ok())
            return reportError(project.error(), cmd.json());
        dir = project.value().migrationDirs.first();
        extensions = project.value().loadExtensions;
        ledger = project.value().ledger;
    }
    auto files = scanMigrations(dir, extensions);
    if (!files.ok())
        return reportError(files.error(), cmd.json());
    if (p.isSet(dirOpt))
        ledger = MigrationRunner::ledgerFor(files.value());
    if (p.isSet(tableOpt))
        ledger.tableName = p.value(tableOpt);
    if (p.isSet(schemaOpt))
        ledger.schemaName = p.value(schemaOpt);
    const bool writes = action != QLatin1String("status") && action != QLatin1String("list") && action != QLatin1String("unlock");
    if (writes && ledger.isKnexLedger()
        && std::any_of(files.value().begin(), files.value().end(), [](const MigrationFile &f) { return f.isSql(); }))
        return reportError(Error::invalid(MigrationRunner::knexLedgerRefusal(ledger)), cmd.json());
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    MigrationRunner runner(*conn.value(), ledger);
    auto status = runner.status(files.value());
    if (!status.ok())
        return reportError(status.error(), cmd.json());

    if (action == QLatin1String("list") && status.value().isCorrupt()) // knex migrate:list refuses, as it does
        return reportError(Error::invalid(corruptFolderMessage(status.value().names(MigrationState::Missing))), cmd.json());
    if (action == QLatin1String("status") || action == QLatin1String("list")) {
        if (cmd.json()) {
            QJsonObject out = status.value().toJson();
            out.insert(QStringLiteral("dir"), dir);
            out.insert(QStringLiteral("ledger"), ledger.tableName);
            printJson(out);
        } else {
            printStatus(status.value(), ledger.tableName);
        }
        return Ok;
    }
    if (action == QLatin1String("unlock")) {
        const QString what = QStringLiteral("%1 (%2)").arg(conn.value()->profile().params.displayTarget(), ledger.lockTableName());
        if (!p.isSet(yesOpt) && !confirmUnlock(what))
            return cmd.usageError(QStringLiteral("unlock needs confirmation: run it at a terminal, or add --yes"));
        if (auto freed = runner.forceUnlock(); !freed.ok())
            return reportError(freed.error(), cmd.json());
        cmd.json() ? printJson(QJsonObject{{QStringLiteral("unlocked"), true}})
                   : printLine(QStringLiteral("Successfully unlocked the migrations lock table"));
        return Ok;
    }

    MigrationRequest request;
    if (action == QLatin1String("latest"))
        request = {p.isSet(toOpt) ? MigrationAction::To : MigrationAction::Latest, p.value(toOpt)};
    else if (action == QLatin1String("rollback"))
        request = {p.isSet(allOpt) ? MigrationAction::RollbackAll : MigrationAction::Rollback, {}};
    else
        request = {action == QLatin1String("up") ? MigrationAction::Up : MigrationAction::Down, pos.value(1)};
    auto plan = planMigrations(status.value(), files.value(), request);
    if (!plan.ok())
        return reportError(plan.error(), cmd.json());
    if (p.isSet(dryOpt)) {
        cmd.json() ? printJson(QJsonObject{{QStringLiteral("plan"), plan.value().describe(ledger)}})
                   : printLine(plan.value().describe(ledger).trimmed());
        return Ok;
    }
    auto outcome = runner.run(plan.value(), [&cmd](const QString &line) {
        if (!cmd.json())
            printError(line);
    });
    if (!outcome.ok()) {
        const Error &e = outcome.error();
        if (e.message == MigrationRunner::lockHeldMessage() && !cmd.json()) {
            printError(QStringLiteral("error: ") + e.message);
            printError(QStringLiteral("If you are sure migrations are not running you can release the lock manually "
                                      "by running 'vwb migrate unlock' (or 'knex migrate:unlock')"));
            return Failed;
        }
        return reportError(e, cmd.json());
    }
    const MigrationOutcome &o = outcome.value();
    if (cmd.json()) {
        printJson(QJsonObject{{QStringLiteral("action"), actionName(request.action)},
                              {QStringLiteral("batch"), o.batch},
                              {QStringLiteral("direction"), o.up ? QStringLiteral("up") : QStringLiteral("down")},
                              {QStringLiteral("migrations"), QJsonArray::fromStringList(o.names)}});
        return Ok;
    }
    if (o.names.isEmpty()) {
        printLine(plan.value().nothingToDoMessage());
        return Ok;
    }
    printLine(o.up ? QStringLiteral("Batch %1 run: %2 migrations").arg(o.batch).arg(o.names.size())
                   : QStringLiteral("Batch %1 rolled back: %2 migrations").arg(o.batch).arg(o.names.size()));
    for (const QString &n : o.names)
        printLine(QStringLiteral("  ") + n);
    return Ok;
}
} // namespace vwb::cli
