// app/migrations/MigrationStatus.h
#pragma once

#include "migrations/KnexLedger.h"
#include "migrations/MigrationFiles.h"
#include <QJsonObject>

namespace vwb {

enum class MigrationState {
    Applied,           // in the ledger and in the folder
    Pending,           // in the folder, not in the ledger
    PendingOutOfOrder, // pending, but sorts before a migration that is applied
    Missing,           // in the ledger, no file: Knex calls the folder "corrupt"
};

enum class LockState {
    Absent,    // no lock table yet (Knex creates it on first use)
    Free,      // one row, is_locked = 0
    Locked,    // one row, is_locked = 1: a run is in progress, or one died holding it
    Malformed, // not exactly one row, or a value other than 0 and 1
};

struct MigrationEntry
{
    QString name;
    MigrationState state = MigrationState::Pending;
    int batch = 0;        // applied / missing only
    QDateTime appliedAt;  // applied / missing only
    QString path;         // empty when missing
    int timesApplied = 0; // > 1 means duplicate ledger rows
};

/// Everything `vwb migrate status` shows: one entry per name in the folder or the ledger, in
/// Knex's order (folder files sorted; missing ones by name among them).
struct MigrationStatus
{
    QList<MigrationEntry> entries;
    bool ledgerExists = false;
    LockState lock = LockState::Absent;
    QString lockDetail;       // "2 rows", "is_locked = 7"
    QStringList nextRollback; // the last batch, newest first (Knex: batch = max, id desc)
    int lastBatch = 0;
    QStringList problems; // one line each, for people
    // Read beside the workbench's own ledger only:
    int knexMigrations = 0; // rows of knex_migrations that Knex itself recorded: a Knex project owns the schema
    QString lastKnexMigration;
    QStringList legacyRows; // .sql names an earlier workbench left in knex_migrations (counted as applied here)

    QStringList names(MigrationState state) const;
    int count(MigrationState state) const { return int(names(state).size()); }
    bool isCorrupt() const { return count(MigrationState::Missing) > 0; }
    QJsonObject toJson() const;
    static QString stateName(MigrationState state);
    static QString lockName(LockState state);
};

/// Pure: classifies a folder listing against a ledger snapshot.
MigrationStatus classifyMigrations(const QList<MigrationFile> &files, const LedgerSnapshot &ledger);
/// Adds what knex_migrations says to a status of the workbench's own ledger: Knex's rows (the
/// schema is Knex's) and the workbench's .sql rows an earlier version recorded there, which count
/// as applied and are moved to the workbench's ledger by its next write.
MigrationStatus classifyBesideKnex(const QList<MigrationFile> &files, const LedgerSnapshot &ownLedger, const LedgerSnapshot &knexLedger);
/// A name Knex can never load: the workbench's own SQL migrations.
inline bool isWorkbenchMigrationName(const QString &name)
{
    return name.endsWith(QLatin1String(".sql"));
}
/// Knex's error text for a corrupt folder.
QString corruptFolderMessage(const QStringList &missing);
} // namespace vwb
