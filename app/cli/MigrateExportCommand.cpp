// app/cli/MigrateExportCommand.cpp — vwb migrate export: the workbench's schema improvements as
// Knex migration files in a Node project, for its own Knex to apply.
#include "cli/CliSupport.h"

#include "connection/EnvironmentProfiles.h"
#include "core/AuditLog.h"
#include "migrations/KnexCommand.h"
#include "migrations/KnexExport.h"

namespace vwb::cli {

int runMigrateExport(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("migrate export"),
                      QStringLiteral("Writes the workbench's schema improvements (one vector row per content row, "
                                     "HNSW indexes, the redundant foreign-key indexes dropped, vectors stored in the "
                                     "row) as Knex migration files into a Node project's migrations folder — in the "
                                     "project's format (ES module, CommonJS or TypeScript), stamped after its newest "
                                     "migration — for the team to review, commit and apply with its own Knex. Files "
                                     "already exported are not written again. Nothing touches the database unless "
                                     "--apply runs the project's `knex migrate:latest` afterwards."));
    const QCommandLineOption dirOpt(QStringLiteral("migrations-dir"),
                                    QStringLiteral("Write here instead of the knexfile's folder (no Node needed)."),
                                    QStringLiteral("dir"));
    const QCommandLineOption formatOpt(QStringLiteral("format"), QStringLiteral("esm, cjs or ts (default: the project's)."),
                                       QStringLiteral("format"));
    const QCommandLineOption envOpt(QStringLiteral("env"), QStringLiteral("The knexfile's environment."), QStringLiteral("name"));
    const QCommandLineOption onlyOpt(QStringLiteral("only"),
                                     QStringLiteral("Export this workbench migration (repeatable; any of them, by "
                                                    "file name or name without the stamp)."),
                                     QStringLiteral("name"));
    const QCommandLineOption dryOpt(QStringLiteral("dry-run"), QStringLiteral("Print the files; write nothing."));
    const QCommandLineOption applyOpt(QStringLiteral("apply"),
                                      QStringLiteral("Then run the project's knex migrate:latest (a write: production "
                                                     "needs --unlock-writes)."));
    const QCommandLineOption commandOpt(QStringLiteral("knex-command"),
                                        QStringLiteral("The Knex CLI to run (default: the project's node_modules/.bin/"
                                                       "knex, else npx knex)."),
                                        QStringLiteral("command"));
    for (const auto &o : {dirOpt, formatOpt, envOpt, onlyOpt, dryOpt, applyOpt, commandOpt})
        cmd.addOption(o);
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    QCommandLineParser &p = cmd.parser();
    if (!p.positionalArguments().isEmpty())
        return cmd.usageError(QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().first()));
    const QString projectDir = p.value(QStringLiteral("project"));
    if (projectDir.isEmpty() && !p.isSet(dirOpt))
        return cmd.usageError(QStringLiteral("name the Node project (--project DIR) or the folder (--migrations-dir DIR)"));
    static const QMap<QString, KnexProject::Format> formats{{QStringLiteral("esm"), KnexProject::Format::Esm},
                                                            {QStringLiteral("cjs"), KnexProject::Format::CommonJs},
                                                            {QStringLiteral("ts"), KnexProject::Format::TypeScript}};
    if (p.isSet(formatOpt) && !formats.contains(p.value(formatOpt)))
        return cmd.usageError(QStringLiteral("--format is esm, cjs or ts"));
    if (p.isSet(applyOpt) && (projectDir.isEmpty() || p.isSet(dryOpt)))
        return cmd.usageError(QStringLiteral("--apply needs --project (the Knex to run) and no --dry-run"));

    auto project = p.isSet(dirOpt) ? KnexProject::fromFolder(p.value(dirOpt), guessKnexFormat(p.value(dirOpt)))
                                   : KnexProject::load(projectDir, p.value(envOpt));
    if (!project.ok())
        return reportError(project.error(), cmd.json());
    if (p.isSet(formatOpt))
        project.value().format = formats.value(p.value(formatOpt));
    auto own = scanMigrations(defaultMigrationsDir());
    if (!own.ok())
        return reportError(own.error(), cmd.json());
    auto planned = planKnexExport(project.value(), own.value(), p.values(onlyOpt), QDateTime::currentDateTime());
    if (!planned.ok())
        return reportError(planned.error(), cmd.json());
    const QList<KnexExportFile> &files = planned.value();

    std::unique_ptr<PgConnection> conn;
    if (p.isSet(applyOpt)) { // connect first: a locked production profile refuses before any file is written
        auto opened = openConnection(cmd);
        if (!opened.ok())
            return reportConnectionError(cmd, opened.error());
        conn = std::move(opened).value();
        if (conn->isWriteLocked())
            return reportError(Error::invalid(QStringLiteral("Profile \"%1\" is production and read-only in this "
                                                             "session: --unlock-writes %2 to let Knex migrate it")
                                                  .arg(conn->profile().name, conn->profile().params.dbname)),
                               cmd.json());
    }
    if (!p.isSet(dryOpt)) {
        if (auto written = writeKnexExport(files); !written.ok())
            return reportError(written.error(), cmd.json());
    }

    QJsonArray list;
    int added = 0;
    for (const KnexExportFile &f : files) {
        added += f.existing.isEmpty() ? 1 : 0;
        list.append(QJsonObject{{QStringLiteral("source"), f.source},
                                {QStringLiteral("file"), f.path},
                                {QStringLiteral("written"), f.existing.isEmpty() && !p.isSet(dryOpt)},
                                {QStringLiteral("already_there"), !f.existing.isEmpty()}});
    }
    if (!cmd.json()) {
        const QString where = project.value().migrationDirs.first();
        printLine((p.isSet(dryOpt) ? QStringLiteral("Would write %1 Knex migration(s) into %2 (%3, %4):")
                                   : QStringLiteral("Wrote %1 Knex migration(s) into %2 (%3, %4):"))
                      .arg(added)
                      .arg(where, project.value().formatName(), project.value().extension()));
        for (const KnexExportFile &f : files) {
            printLine(QStringLiteral("  %1  from %2%3")
                          .arg(f.name, f.source, f.existing.isEmpty() ? QString() : QStringLiteral("  (already there)")));
            if (p.isSet(dryOpt) && f.existing.isEmpty())
                printLine(QStringLiteral("\n") + f.text);
        }
        if (!p.isSet(applyOpt) && added > 0 && !p.isSet(dryOpt))
            printLine(QStringLiteral("Review and commit them with the application; its Knex applies them: %1")
                          .arg(projectKnexCommand(project.value(), {QStringLiteral("migrate:latest")}, p.value(commandOpt))));
    }
    if (!p.isSet(applyOpt)) {
        if (cmd.json())
            printJson(QJsonObject{{QStringLiteral("folder"), project.value().migrationDirs.first()},
                                  {QStringLiteral("format"), project.value().formatName()},
                                  {QStringLiteral("files"), list}});
        return Ok;
    }
    const ProjectEnvironment env = loadProjectEnvironment(processEnvironment(), projectDir);
    if (!env.error.isEmpty()) // Knex would run with an environment other than the project's
        return reportError(Error::invalid(env.error), cmd.json());
    AuditedWrite audit(conn->profile().name, QStringLiteral("knex migrate:latest"),
                       projectKnexCommand(project.value(), {QStringLiteral("migrate:latest")}, p.value(commandOpt)));
    auto ran = runProjectKnex(
        project.value(), {QStringLiteral("migrate:latest")}, env.vars,
        [&cmd](const QString &line) { cmd.json() ? printError(line) : printLine(line); }, p.value(commandOpt));
    const Error knexFailed = Error::invalid(QStringLiteral("knex exited with %1").arg(ran.ok() ? ran.value() : -1));
    audit.finish(!ran.ok() ? &ran.error() : ran.value() != 0 ? &knexFailed : nullptr);
    if (!ran.ok())
        return reportError(ran.error(), cmd.json());
    if (cmd.json())
        printJson(QJsonObject{{QStringLiteral("folder"), project.value().migrationDirs.first()},
                              {QStringLiteral("files"), list},
                              {QStringLiteral("knex_exit_code"), ran.value()}});
    return ran.value() == 0 ? Ok : Failed;
}
} // namespace vwb::cli
