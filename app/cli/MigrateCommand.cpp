// app/cli/MigrateCommand.cpp — vwb migrate: Knex's ledger, read and written as Knex does.
#include "cli/CliSupport.h"

#include "connection/PgConnection.h"
#include "migrations/MigrationRunner.h"
#include <QJsonArray>
#include <cstdio>
#include <unistd.h>

namespace vwb::cli {
namespace {

const QStringList Actions{QStringLiteral("status"), QStringLiteral("list"), QStringLiteral("latest"),
                          QStringLiteral("rollback"), QStringLiteral("up"), QStringLiteral("down"),
                          QStringLiteral("unlock")};

void printStatus(const MigrationStatus &s)
{
    auto row = [](const MigrationEntry &e) {
        QString line = QStringLiteral("  ") + e.name;
        if (e.batch > 0)
            line = line.leftJustified(58) + QStringLiteral(" batch %1  %2")
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
                  .arg(MigrationStatus::lockName(s.lock),
                       s.lockDetail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.lockDetail)));
    if (!s.ledgerExists)
        printLine(QStringLiteral("Ledger: no knex_migrations table yet (the first apply creates it)"));
    if (!s.nextRollback.isEmpty())
        printLine(QStringLiteral("Next rollback undoes batch %1: %2")
                      .arg(s.lastBatch)
                      .arg(s.nextRollback.join(QStringLiteral(", "))));
    for (const QString &p : s.problems)
        printLine(QStringLiteral("warning: ") + p);
}

bool confirmUnlock(const QString &what)
{
    if (!::isatty(STDIN_FILENO))
        return false;
    std::fprintf(stderr, "Release the migration lock on %s? Knex may be running migrations right now. "
                         "Type 'unlock' to confirm: ", qPrintable(what));
    char buffer[64] = {};
    return std::fgets(buffer, sizeof buffer, stdin) && QByteArray(buffer).trimmed() == "unlock";
}
} // namespace

int runMigrate(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("migrate"),
                      QStringLiteral("Knex migrations: the same ledger (knex_migrations, knex_migrations_lock) and "
                                     "the same rules as knex migrate:*.\n"
                                     "  vwb migrate status                 every migration with batch and time, the "
                                     "lock, the next rollback\n"
                                     "  vwb migrate list                   the same, but fails on a corrupt folder "
                                     "as knex migrate:list does\n"
                                     "  vwb migrate latest [--to NAME]     pending .sql migrations as one new batch\n"
                                     "  vwb migrate rollback [--all]       the last batch (newest first), or all\n"
                                     "  vwb migrate up [NAME] | down [NAME]\n"
                                     "  vwb migrate unlock [--yes]         free a lock left by a dead run\n"
                                     "Status never creates or changes anything. --dry-run prints exactly what would "
                                     "run."));
    const QCommandLineOption dirOpt(QStringLiteral("dir"),
                                    QStringLiteral("Migrations folder (default: the workbench's own)."),
                                    QStringLiteral("dir"));
    const QCommandLineOption tableOpt(QStringLiteral("table"), QStringLiteral("Ledger table (default knex_migrations)."),
                                      QStringLiteral("name"), QStringLiteral("knex_migrations"));
    const QCommandLineOption schemaOpt(QStringLiteral("schema"), QStringLiteral("Schema of the ledger tables."),
                                       QStringLiteral("name"));
    const QCommandLineOption allOpt(QStringLiteral("all"), QStringLiteral("rollback: every applied migration."));
    const QCommandLineOption toOpt(QStringLiteral("to"), QStringLiteral("latest: stop after this migration."),
                                   QStringLiteral("name"));
    const QCommandLineOption dryOpt(QStringLiteral("dry-run"), QStringLiteral("Print the plan; run nothing."));
    const QCommandLineOption yesOpt(QStringLiteral("yes"), QStringLiteral("unlock: do not ask."));
    for (const auto &o : {dirOpt, tableOpt, schemaOpt, allOpt, toOpt, dryOpt, yesOpt})
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
    if (p.value(tableOpt).isEmpty())
        return cmd.usageError(QStringLiteral("--table cannot be empty"));

    const QString dir = p.isSet(dirOpt) ? p.value(dirOpt) : defaultMigrationsDir();
    auto files = scanMigrations(dir);
    if (!files.ok())
        return reportError(files.error(), cmd.json());
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    LedgerConfig ledger;
    ledger.tableName = p.value(tableOpt);
    ledger.schemaName = p.value(schemaOpt);
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
            printJson(out);
        } else {
            printStatus(status.value());
        }
        return Ok;
    }
    if (action == QLatin1String("unlock")) {
        const QString what = QStringLiteral("%1 (%2)").arg(conn.value()->profile().params.displayTarget(),
                                                           ledger.lockTableName());
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
