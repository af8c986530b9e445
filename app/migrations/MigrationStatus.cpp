// app/migrations/MigrationStatus.cpp
#include "migrations/MigrationStatus.h"

#include <QHash>
#include <QJsonArray>
#include <QSet>
#include <limits>

namespace vwb {

QString corruptFolderMessage(const QStringList &missing)
{
    return QStringLiteral("The migration directory is corrupt, the following files are missing: %1")
        .arg(missing.join(QStringLiteral(", ")));
}

MigrationStatus classifyMigrations(const QList<MigrationFile> &files, const LedgerSnapshot &ledger)
{
    MigrationStatus status;
    status.ledgerExists = ledger.tableExists;

    QHash<QString, const LedgerRow *> firstRow;
    QHash<QString, int> times;
    for (const LedgerRow &row : ledger.rows) {
        if (!firstRow.contains(row.name))
            firstRow.insert(row.name, &row);
        ++times[row.name];
        status.lastBatch = qMax(status.lastBatch, row.batch);
    }
    QSet<QString> inFolder;
    for (const MigrationFile &f : files)
        inFolder.insert(f.name);

    QString lastAppliedName; // the applied file that sorts last
    for (const MigrationFile &f : files) {
        if (firstRow.contains(f.name) && (lastAppliedName.isEmpty() || lastAppliedName < f.name))
            lastAppliedName = f.name;
    }

    for (const MigrationFile &f : files) {
        MigrationEntry e;
        e.name = f.name;
        e.path = f.path;
        if (const LedgerRow *row = firstRow.value(f.name)) {
            e.state = MigrationState::Applied;
            e.batch = row->batch;
            e.appliedAt = row->migrationTime;
            e.timesApplied = times.value(f.name);
        } else {
            e.state = !lastAppliedName.isEmpty() && f.name < lastAppliedName ? MigrationState::PendingOutOfOrder
                                                                             : MigrationState::Pending;
        }
        status.entries << e;
    }
    QStringList missing;
    for (const LedgerRow &row : ledger.rows) {
        if (inFolder.contains(row.name) || missing.contains(row.name))
            continue;
        missing << row.name;
        MigrationEntry e;
        e.name = row.name;
        e.state = MigrationState::Missing;
        e.batch = row.batch;
        e.appliedAt = row.migrationTime;
        e.timesApplied = times.value(row.name);
        status.entries << e;
    }
    std::stable_sort(status.entries.begin(), status.entries.end(),
                     [](const MigrationEntry &a, const MigrationEntry &b) { return a.name < b.name; });

    if (!missing.isEmpty())
        status.problems << corruptFolderMessage(missing);
    for (auto it = times.cbegin(); it != times.cend(); ++it) {
        if (it.value() > 1)
            status.problems << QStringLiteral("%1 is recorded %2 times in the ledger").arg(it.key()).arg(it.value());
    }
    const QStringList outOfOrder = status.names(MigrationState::PendingOutOfOrder);
    if (!outOfOrder.isEmpty())
        status.problems << QStringLiteral("pending but older than an applied migration (latest will still run "
                                          "them, in file order): %1")
                               .arg(outOfOrder.join(QStringLiteral(", ")));

    if (!ledger.lockTableExists) {
        status.lock = LockState::Absent;
    } else if (ledger.lockRows.size() != 1) {
        status.lock = LockState::Malformed;
        status.lockDetail = QStringLiteral("%1 rows instead of 1").arg(ledger.lockRows.size());
    } else if (ledger.lockRows.first().isLocked == QLatin1String("0")) {
        status.lock = LockState::Free;
    } else if (ledger.lockRows.first().isLocked == QLatin1String("1")) {
        status.lock = LockState::Locked;
    } else {
        status.lock = LockState::Malformed;
        status.lockDetail = ledger.lockRows.first().isLocked.isNull()
                                ? QStringLiteral("is_locked is NULL")
                                : QStringLiteral("is_locked = %1").arg(ledger.lockRows.first().isLocked);
    }
    if (status.lock == LockState::Locked)
        status.problems << QStringLiteral("the migration lock is held: a run is in progress, or one died holding it "
                                          "(vwb migrate unlock frees it)");
    if (status.lock == LockState::Malformed)
        status.problems << QStringLiteral("the lock table is malformed (%1): Knex will refuse to migrate; vwb "
                                          "migrate unlock resets it to one free row")
                               .arg(status.lockDetail);

    // Knex's _getLastBatch: rows of the highest batch, newest id first.
    QList<const LedgerRow *> last;
    for (const LedgerRow &row : ledger.rows) {
        if (row.batch == status.lastBatch && status.lastBatch > 0)
            last << &row;
    }
    std::sort(last.begin(), last.end(), [](const LedgerRow *a, const LedgerRow *b) { return a->id > b->id; });
    for (const LedgerRow *row : last)
        status.nextRollback << row->name;
    return status;
}

MigrationStatus classifyBesideKnex(const QList<MigrationFile> &files, const LedgerSnapshot &ownLedger, const LedgerSnapshot &knexLedger)
{
    LedgerSnapshot combined = ownLedger;
    QStringList legacy;
    int knexRows = 0;
    QString lastKnex;
    for (const LedgerRow &row : knexLedger.rows) {
        if (!isWorkbenchMigrationName(row.name)) {
            ++knexRows;
            lastKnex = row.name;
            continue;
        }
        legacy << row.name;
        LedgerRow moved = row;
        moved.id += std::numeric_limits<int>::max(); // after the workbench's own rows, in Knex's order
        combined.rows << moved;
        combined.tableExists = true;
    }
    MigrationStatus status = classifyMigrations(files, combined);
    status.ledgerExists = ownLedger.tableExists;
    status.knexMigrations = knexRows;
    status.lastKnexMigration = lastKnex;
    status.legacyRows = legacy;
    if (!legacy.isEmpty())
        status.problems << QStringLiteral("knex_migrations holds %1 of the workbench's .sql migration(s), recorded "
                                          "there by an earlier version: the application's knex migrate commands call "
                                          "its folder corrupt until they move. The next vwb migrate run moves them to "
                                          "vwb_migrations (%2)")
                               .arg(legacy.size())
                               .arg(legacy.join(QStringLiteral(", ")));
    return status;
}

QStringList MigrationStatus::names(MigrationState state) const
{
    QStringList out;
    for (const MigrationEntry &e : entries) {
        if (e.state == state)
            out << e.name;
    }
    return out;
}

QString MigrationStatus::stateName(MigrationState state)
{
    switch (state) {
    case MigrationState::Applied: return QStringLiteral("applied");
    case MigrationState::Pending: return QStringLiteral("pending");
    case MigrationState::PendingOutOfOrder: return QStringLiteral("pending-out-of-order");
    case MigrationState::Missing: return QStringLiteral("missing");
    }
    return {};
}

QString MigrationStatus::lockName(LockState state)
{
    switch (state) {
    case LockState::Absent: return QStringLiteral("absent");
    case LockState::Free: return QStringLiteral("free");
    case LockState::Locked: return QStringLiteral("locked");
    case LockState::Malformed: return QStringLiteral("malformed");
    }
    return {};
}

QJsonObject MigrationStatus::toJson() const
{
    QJsonArray list;
    for (const MigrationEntry &e : entries) {
        QJsonObject o{{QStringLiteral("name"), e.name}, {QStringLiteral("status"), stateName(e.state)}};
        o.insert(QStringLiteral("batch"), e.batch > 0 ? QJsonValue(e.batch) : QJsonValue());
        o.insert(QStringLiteral("migration_time"),
                 e.appliedAt.isValid() ? QJsonValue(e.appliedAt.toString(Qt::ISODateWithMs)) : QJsonValue());
        if (e.timesApplied > 1)
            o.insert(QStringLiteral("times_applied"), e.timesApplied);
        list.append(o);
    }
    QJsonObject lockJson{{QStringLiteral("state"), lockName(lock)}};
    if (!lockDetail.isEmpty())
        lockJson.insert(QStringLiteral("detail"), lockDetail);
    return QJsonObject{{QStringLiteral("migrations"), list},
                       {QStringLiteral("ledger_exists"), ledgerExists},
                       {QStringLiteral("lock"), lockJson},
                       {QStringLiteral("applied"), count(MigrationState::Applied)},
                       {QStringLiteral("pending"), count(MigrationState::Pending) + count(MigrationState::PendingOutOfOrder)},
                       {QStringLiteral("missing"), count(MigrationState::Missing)},
                       {QStringLiteral("last_batch"), lastBatch},
                       {QStringLiteral("next_rollback"), QJsonArray::fromStringList(nextRollback)},
                       {QStringLiteral("problems"), QJsonArray::fromStringList(problems)},
                       {QStringLiteral("knex_migrations"), knexMigrations},
                       {QStringLiteral("legacy_rows"), QJsonArray::fromStringList(legacyRows)}};
}
} // namespace vwb
