// app/migrations/MigrationPlan.cpp
#include "migrations/MigrationPlan.h"

namespace vwb {
namespace {

QString quoted(const QString &identifier)
{
    return QLatin1Char('"') + QString(identifier).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}
} // namespace

QString actionName(MigrationAction action)
{
    switch (action) {
    case MigrationAction::Latest: return QStringLiteral("latest");
    case MigrationAction::To: return QStringLiteral("latest --to");
    case MigrationAction::Up: return QStringLiteral("up");
    case MigrationAction::Down: return QStringLiteral("down");
    case MigrationAction::Rollback: return QStringLiteral("rollback");
    case MigrationAction::RollbackAll: return QStringLiteral("rollback --all");
    }
    return {};
}

QString knexManagedMessage(const MigrationStatus &status)
{
    return QStringLiteral("This database's schema is managed by Knex (%1 migration(s) in knex_migrations, the last %2): "
                          "the workbench does not migrate it itself. Write its changes into the project as Knex "
                          "migrations (vwb migrate export --project DIR, or the Migrations panel's \"Write as Knex "
                          "migrations\"), review and commit them, and let the project's Knex apply them "
                          "(npx knex migrate:latest)")
        .arg(status.knexMigrations)
        .arg(status.lastKnexMigration);
}

Result<MigrationPlan> planMigrations(const MigrationStatus &status, const QList<MigrationFile> &files, const MigrationRequest &request)
{
    if (status.isCorrupt())
        return Error::invalid(corruptFolderMessage(status.names(MigrationState::Missing)));
    QStringList applied;
    for (const MigrationFile &f : files) {
        if (status.names(MigrationState::Applied).contains(f.name))
            applied << f.name;
    }
    QStringList pending;
    for (const MigrationEntry &e : status.entries) {
        if (e.state == MigrationState::Pending || e.state == MigrationState::PendingOutOfOrder)
            pending << e.name;
    }

    QStringList chosen;
    switch (request.action) {
    case MigrationAction::Latest: chosen = pending; break;
    case MigrationAction::To: {
        qsizetype target = -1;
        for (qsizetype i = 0; i < files.size(); ++i) {
            if (files.at(i).name == request.name)
                target = i;
        }
        if (target < 0)
            return Error::invalid(QStringLiteral("Migration \"%1\" not found.").arg(request.name));
        for (qsizetype i = 0; i <= target; ++i) {
            if (pending.contains(files.at(i).name))
                chosen << files.at(i).name;
        }
        break;
    }
    case MigrationAction::Up:
        if (request.name.isEmpty()) {
            if (!pending.isEmpty())
                chosen << pending.first();
        } else if (!applied.contains(request.name)) {
            if (!pending.contains(request.name))
                return Error::invalid(QStringLiteral("Migration \"%1\" not found.").arg(request.name));
            chosen << request.name;
        }
        break;
    case MigrationAction::Down:
        if (request.name.isEmpty()) {
            if (!applied.isEmpty())
                chosen << applied.last();
        } else {
            if (!applied.contains(request.name))
                return Error::invalid(QStringLiteral("Migration \"%1\" was not run.").arg(request.name));
            chosen << request.name;
        }
        break;
    case MigrationAction::Rollback: chosen = status.nextRollback; break;
    case MigrationAction::RollbackAll:
        for (auto it = applied.crbegin(); it != applied.crend(); ++it)
            chosen << *it;
        break;
    }

    if (!chosen.isEmpty() && status.knexMigrations > 0
        && (request.action == MigrationAction::Latest || request.action == MigrationAction::To || request.action == MigrationAction::Up))
        return Error::invalid(knexManagedMessage(status));

    MigrationPlan plan;
    plan.request = request;
    plan.batch = plan.isUp() ? status.lastBatch + 1 : status.lastBatch;
    QStringList scripts;
    for (const QString &name : chosen) {
        const auto file = std::find_if(files.begin(), files.end(), [&](const MigrationFile &f) { return f.name == name; });
        VWB_ASSERT(file != files.end(), return Error::internal(QStringLiteral("planned %1 without its file").arg(name)));
        if (!file->isSql()) {
            scripts << name;
            continue;
        }
        auto sql = SqlMigration::load(*file);
        if (!sql.ok())
            return sql.error();
        MigrationStep step;
        step.name = name;
        step.up = plan.isUp();
        step.inTransaction = step.up ? sql.value().upInTransaction : sql.value().downInTransaction;
        step.sql = step.up ? sql.value().up : sql.value().down;
        if (step.sql.isEmpty())
            return Error::invalid(QStringLiteral("%1 has an empty down section: it cannot be rolled back").arg(name));
        plan.singleTransaction = plan.singleTransaction && step.inTransaction;
        plan.steps << step;
    }
    if (!scripts.isEmpty())
        return Error::invalid(QStringLiteral("%1 %2 Knex JavaScript/TypeScript: run %3 with Knex (for example "
                                             "npx knex migrate:%4); the workbench applies .sql migrations only")
                                  .arg(scripts.join(QStringLiteral(", ")),
                                       scripts.size() == 1 ? QStringLiteral("is") : QStringLiteral("are"),
                                       scripts.size() == 1 ? QStringLiteral("it") : QStringLiteral("them"),
                                       plan.isUp() ? QStringLiteral("latest") : QStringLiteral("rollback")));
    return plan;
}

QString MigrationPlan::nothingToDoMessage() const
{
    return isUp() ? QStringLiteral("Already up to date") : QStringLiteral("Already at the base migration");
}

QString MigrationPlan::describe(const LedgerConfig &config) const
{
    if (steps.isEmpty())
        return QStringLiteral("-- nothing to run: %1\n").arg(nothingToDoMessage());
    const QString prefix = config.schemaName.isEmpty() ? QString() : quoted(config.schemaName) + QLatin1Char('.');
    const QString ledger = prefix + quoted(config.tableName);
    const QString lock = prefix + quoted(config.lockTableName());
    QString out = QStringLiteral("-- vwb migrate %1: %2 migration(s)%3, %4\n")
                      .arg(actionName(request.action))
                      .arg(steps.size())
                      .arg(isUp() ? QStringLiteral(" as batch %1").arg(batch) : QString())
                      .arg(singleTransaction ? QStringLiteral("all in one transaction that also holds the lock")
                                             : QStringLiteral("lock committed first, each migration on its own"));
    const QString takeLock = QStringLiteral("SELECT is_locked FROM %1 FOR UPDATE NOWAIT;\n"
                                            "UPDATE %1 SET is_locked = 1 WHERE is_locked = 0; -- must touch 1 row\n")
                                 .arg(lock);
    out += singleTransaction ? QStringLiteral("BEGIN;\n") + takeLock
                             : QStringLiteral("BEGIN;\n") + takeLock + QStringLiteral("COMMIT;\n");
    for (const MigrationStep &s : steps) {
        out += QStringLiteral("\n-- %1 (%2%3)\n")
                   .arg(s.name, s.up ? QStringLiteral("up") : QStringLiteral("down"),
                        s.inTransaction ? QString() : QStringLiteral(", outside a transaction, statement by statement"));
        const bool ownTransaction = !singleTransaction && s.inTransaction;
        if (ownTransaction)
            out += QStringLiteral("BEGIN;\n");
        out += s.sql.trimmed() + QLatin1Char('\n');
        out += s.up ? QStringLiteral("INSERT INTO %1 (name, batch, migration_time) VALUES ('%2', %3, now());\n")
                          .arg(ledger, QString(s.name).replace(QLatin1Char('\''), QStringLiteral("''")))
                          .arg(batch)
                    : QStringLiteral("DELETE FROM %1 WHERE name = '%2';\n")
                          .arg(ledger, QString(s.name).replace(QLatin1Char('\''), QStringLiteral("''")));
        if (ownTransaction)
            out += QStringLiteral("COMMIT;\n");
    }
    out += QStringLiteral("\nUPDATE %1 SET is_locked = 0;\n").arg(lock);
    if (singleTransaction)
        out += QStringLiteral("COMMIT;\n");
    return out;
}
} // namespace vwb
