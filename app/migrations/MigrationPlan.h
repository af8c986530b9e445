// app/migrations/MigrationPlan.h
#pragma once

#include "migrations/MigrationStatus.h"

namespace vwb {

enum class MigrationAction {
    Latest,      // every pending migration, one new batch
    To,          // pending migrations up to and including `name` (knex migrate:up --to / migrate.to)
    Up,          // the next pending one, or `name`
    Down,        // the last applied one, or `name`
    Rollback,    // the last batch, newest first
    RollbackAll, // every applied migration, in reverse file order
};

struct MigrationRequest
{
    MigrationAction action = MigrationAction::Latest;
    QString name;
};

struct MigrationStep
{
    QString name;
    bool up = true;
    bool inTransaction = true;
    QString sql;
};

/// What a request will run, decided before anything runs, so it can be shown first.
struct MigrationPlan
{
    MigrationRequest request;
    QList<MigrationStep> steps;
    int batch = 0;                 // the batch an up plan records (max + 1 when planned)
    bool singleTransaction = true; // all steps, the ledger rows and the lock in one transaction
    bool isUp() const
    {
        return request.action == MigrationAction::Latest || request.action == MigrationAction::To
               || request.action == MigrationAction::Up;
    }
    /// "Already up to date" / "Already at the base migration", as Knex prints them.
    QString nothingToDoMessage() const;
    /// The exact statements, in order, that execution will send (the ledger's own included).
    QString describe(const LedgerConfig &config) const;
};

/// Pure: Knex's choice of migrations for a request (knex 3 Migrator latest/to/up/down/rollback),
/// with its error texts; JavaScript migrations are refused with where to run them.
Result<MigrationPlan> planMigrations(const MigrationStatus &status, const QList<MigrationFile> &files, const MigrationRequest &request);
QString actionName(MigrationAction action);
/// Why the workbench's own migrations are not applied to a database a Knex project manages.
QString knexManagedMessage(const MigrationStatus &status);
} // namespace vwb
