// app/metrics/SizeHistory.cpp
#include "metrics/SizeHistory.h"

#include "connection/ConnectionProfile.h"
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <limits>

namespace vwb {
namespace {

constexpr int SchemaVersion = 1; // PRAGMA user_version once the tables below exist
constexpr qint64 HourMs = 3600LL * 1000;
constexpr qint64 DayMs = 24 * HourMs;

const char *const Schema[] = {
    R"(CREATE TABLE IF NOT EXISTS snapshots (
    profile TEXT NOT NULL,       -- SizeHistory::profileKey()
    sampled_at INTEGER NOT NULL, -- ms since the Unix epoch
    PRIMARY KEY (profile, sampled_at)
) WITHOUT ROWID)",
    R"(CREATE TABLE IF NOT EXISTS table_sizes (
    profile TEXT NOT NULL,
    sampled_at INTEGER NOT NULL, -- the snapshot's
    schema_name TEXT NOT NULL,
    table_name TEXT NOT NULL,
    heap_bytes INTEGER NOT NULL,
    index_bytes INTEGER NOT NULL,
    toast_bytes INTEGER NOT NULL,
    total_bytes INTEGER NOT NULL, -- heap + index + toast
    row_estimate INTEGER NOT NULL, -- -1: never analyzed
    PRIMARY KEY (profile, sampled_at, schema_name, table_name)
) WITHOUT ROWID)",
    "CREATE INDEX IF NOT EXISTS table_sizes_by_table ON table_sizes (profile, schema_name, table_name, sampled_at)",
};

Error sqlError(const QString &doing, const QSqlError &e)
{
    return Error::io(QStringLiteral("Size history: %1 failed: %2").arg(doing, e.text()));
}

Result<std::optional<qint64>> lastIn(const QSqlDatabase &db, const QString &profile)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT max(sampled_at) FROM snapshots WHERE profile = ?"));
    q.addBindValue(profile);
    if (!q.exec() || !q.next())
        return sqlError(QStringLiteral("reading the last sample"), q.lastError());
    const QVariant v = q.value(0);
    q.finish();
    if (v.isNull())
        return std::optional<qint64>();
    return std::optional<qint64>(v.toLongLong());
}

bool due(const std::optional<qint64> &lastMs, qint64 nowMs, std::chrono::seconds interval)
{
    return !lastMs || *lastMs > nowMs || nowMs - *lastMs >= std::chrono::milliseconds(interval).count();
}

/// Thins one profile's samples older than the retention's limits, in the caller's transaction.
Result<int> pruneIn(const QSqlDatabase &db, const QString &profile, qint64 nowMs, const SizeRetention &retention)
{
    int removed = 0;
    const std::pair<qint64, qint64> tiers[] = {{nowMs - retention.keepAll.count(), HourMs}, {nowMs - retention.hourlyFor.count(), DayMs}};
    QSqlQuery q(db);
    for (const auto &[cut, bucket] : tiers) {
        // Keeps the first sample of each bucket: a later one goes when an earlier one shares it.
        q.prepare(QStringLiteral("DELETE FROM snapshots WHERE profile = ? AND sampled_at < ? AND EXISTS ("
                                 "SELECT 1 FROM snapshots o WHERE o.profile = snapshots.profile "
                                 "AND o.sampled_at < snapshots.sampled_at AND o.sampled_at / ? = snapshots.sampled_at / ?)"));
        q.addBindValue(profile);
        q.addBindValue(cut);
        q.addBindValue(bucket);
        q.addBindValue(bucket);
        if (!q.exec())
            return sqlError(QStringLiteral("thinning old samples"), q.lastError());
        removed += qMax(0, q.numRowsAffected());
    }
    if (removed > 0) {
        q.prepare(QStringLiteral("DELETE FROM table_sizes WHERE profile = ? AND sampled_at < ? AND NOT EXISTS ("
                                 "SELECT 1 FROM snapshots s WHERE s.profile = table_sizes.profile "
                                 "AND s.sampled_at = table_sizes.sampled_at)"));
        q.addBindValue(profile);
        q.addBindValue(std::max(tiers[0].first, tiers[1].first)); // every sample removed is older
        if (!q.exec())
            return sqlError(QStringLiteral("thinning old samples"), q.lastError());
    }
    return removed;
}

QDateTime fromMs(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}
} // namespace

std::optional<double> fitGrowthPerDay(const QList<std::pair<QDateTime, qint64>> &points)
{
    if (points.size() < 2)
        return std::nullopt;
    // Days since the first point and bytes as doubles; centred on their means before multiplying,
    // so large byte counts lose nothing to cancellation.
    const qint64 origin = points.first().first.toMSecsSinceEpoch();
    double meanX = 0, meanY = 0;
    for (const auto &[at, bytes] : points) {
        meanX += double(at.toMSecsSinceEpoch() - origin) / double(DayMs);
        meanY += double(bytes);
    }
    meanX /= double(points.size());
    meanY /= double(points.size());
    double sxx = 0, sxy = 0;
    for (const auto &[at, bytes] : points) {
        const double dx = double(at.toMSecsSinceEpoch() - origin) / double(DayMs) - meanX;
        sxx += dx * dx;
        sxy += dx * (double(bytes) - meanY);
    }
    if (sxx <= 0)
        return std::nullopt; // every point at one instant
    return sxy / sxx;
}

SizeHistory::SizeHistory(QString path)
    : m_db(std::move(path), QStringLiteral("Size history"), QStringLiteral("size-history"), [](QSqlDatabase &db) {
          return LocalSqlite::createTables(db, SchemaVersion, {std::begin(Schema), std::end(Schema)}, QStringLiteral("Size history"));
      })
{
}

SizeHistory::~SizeHistory() = default;

QString SizeHistory::defaultPath()
{
    if (const QString file = qEnvironmentVariable("VWB_SIZE_HISTORY"); !file.isEmpty())
        return file;
    return LocalSqlite::dataFile(QStringLiteral("size-history.sqlite"));
}

QString SizeHistory::profileKey(const ConnectionProfile &profile)
{
    return profile.settingsKey();
}

Result<bool> SizeHistory::write(const QString &profile, const SizeSnapshot &snapshot, std::optional<std::chrono::seconds> interval)
{
    if (profile.isEmpty())
        return Error::invalid(QStringLiteral("Size history: a sample needs a profile name"));
    if (!snapshot.at.isValid())
        return Error::invalid(QStringLiteral("Size history: a sample needs a time"));
    auto name = connection();
    if (!name.ok())
        return name.error();
    const QSqlDatabase db = QSqlDatabase::database(name.value(), false);
    const qint64 at = snapshot.at.toMSecsSinceEpoch();
    SqliteWriteTransaction tx(db, m_db);
    if (auto begun = tx.begin(); !begun.ok())
        return begun.error();
    if (interval) {
        auto last = lastIn(db, profile);
        if (!last.ok())
            return last.error();
        if (!due(last.value(), at, *interval))
            return false; // rolled back: nothing was written
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO snapshots (profile, sampled_at) VALUES (?, ?)"));
    q.addBindValue(profile);
    q.addBindValue(at);
    if (!q.exec())
        return sqlError(QStringLiteral("writing a sample"), q.lastError());
    q.prepare(QStringLiteral("DELETE FROM table_sizes WHERE profile = ? AND sampled_at = ?")); // a sample it replaces
    q.addBindValue(profile);
    q.addBindValue(at);
    if (!q.exec())
        return sqlError(QStringLiteral("writing a sample"), q.lastError());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO table_sizes (profile, sampled_at, schema_name, table_name, heap_bytes, "
                             "index_bytes, toast_bytes, total_bytes, row_estimate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const SizeSample &t : snapshot.tables) {
        q.addBindValue(profile);
        q.addBindValue(at);
        q.addBindValue(t.table.schema);
        q.addBindValue(t.table.name);
        q.addBindValue(t.heapBytes);
        q.addBindValue(t.indexBytes);
        q.addBindValue(t.toastBytes);
        q.addBindValue(t.totalBytes);
        q.addBindValue(t.rowEstimate);
        if (!q.exec())
            return sqlError(QStringLiteral("writing a sample"), q.lastError());
    }
    q.finish();
    if (auto pruned = pruneIn(db, profile, at, m_retention); !pruned.ok())
        return pruned.error();
    if (auto committed = tx.commit(); !committed.ok())
        return committed.error();
    return true;
}

Result<void> SizeHistory::record(const QString &profile, const SizeSnapshot &snapshot)
{
    auto written = write(profile, snapshot, std::nullopt);
    if (!written.ok())
        return written.error();
    return {};
}

Result<bool> SizeHistory::recordIfDue(const QString &profile, const SizeSnapshot &snapshot, std::chrono::seconds interval)
{
    return write(profile, snapshot, interval);
}

Result<std::optional<QDateTime>> SizeHistory::lastSampledAt(const QString &profile)
{
    auto name = connection();
    if (!name.ok())
        return name.error();
    auto last = lastIn(QSqlDatabase::database(name.value(), false), profile);
    if (!last.ok())
        return last.error();
    if (!last.value())
        return std::optional<QDateTime>();
    return std::optional<QDateTime>(fromMs(*last.value()));
}

Result<bool> SizeHistory::shouldSample(const QString &profile, const QDateTime &now, std::chrono::seconds interval)
{
    auto name = connection();
    if (!name.ok())
        return name.error();
    auto last = lastIn(QSqlDatabase::database(name.value(), false), profile);
    if (!last.ok())
        return last.error();
    return due(last.value(), now.toMSecsSinceEpoch(), interval);
}

Result<QList<SizeSnapshot>> SizeHistory::samples(const QString &profile, const TableRef &table, const QDateTime &since)
{
    auto name = connection();
    if (!name.ok())
        return name.error();
    const bool one = !table.name.isEmpty();
    // With one table, the samples without it are left out (inner join); with all, a sample of a
    // database that had no tables still shows (left join).
    QString sql = QStringLiteral("SELECT s.sampled_at, t.schema_name, t.table_name, t.heap_bytes, t.index_bytes, "
                                 "t.toast_bytes, t.total_bytes, t.row_estimate FROM snapshots s ");
    sql += one ? QStringLiteral("JOIN table_sizes t ON t.profile = s.profile AND t.sampled_at = s.sampled_at "
                                "AND t.schema_name = ? AND t.table_name = ? ")
               : QStringLiteral("LEFT JOIN table_sizes t ON t.profile = s.profile AND t.sampled_at = s.sampled_at ");
    sql += QStringLiteral("WHERE s.profile = ? AND s.sampled_at >= ? ORDER BY s.sampled_at, t.schema_name, t.table_name");
    QSqlQuery q(QSqlDatabase::database(name.value(), false));
    q.setForwardOnly(true);
    q.prepare(sql);
    if (one) {
        q.addBindValue(table.schema.isEmpty() ? QStringLiteral("public") : table.schema);
        q.addBindValue(table.name);
    }
    q.addBindValue(profile);
    q.addBindValue(since.isValid() ? since.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min());
    if (!q.exec())
        return sqlError(QStringLiteral("reading samples"), q.lastError());
    QList<SizeSnapshot> out;
    qint64 current = 0;
    while (q.next()) {
        const qint64 at = q.value(0).toLongLong();
        if (out.isEmpty() || at != current) {
            out.append(SizeSnapshot{fromMs(at), {}});
            current = at;
        }
        if (q.isNull(1))
            continue; // a sample with no tables
        SizeSample t;
        t.table = {q.value(1).toString(), q.value(2).toString()};
        t.heapBytes = q.value(3).toLongLong();
        t.indexBytes = q.value(4).toLongLong();
        t.toastBytes = q.value(5).toLongLong();
        t.totalBytes = q.value(6).toLongLong();
        t.rowEstimate = q.value(7).toLongLong();
        out.last().tables << t;
    }
    return out;
}

Result<std::optional<double>> SizeHistory::growthPerDay(const QString &profile, const TableRef &table, const QDateTime &since)
{
    auto series = samples(profile, table, since);
    if (!series.ok())
        return series.error();
    QList<std::pair<QDateTime, qint64>> points;
    for (const SizeSnapshot &s : series.value())
        points.append({s.at, s.totalBytes()}); // with a table, that table is all the sample holds
    return fitGrowthPerDay(points);
}

Result<QStringList> SizeHistory::profiles()
{
    auto name = connection();
    if (!name.ok())
        return name.error();
    QSqlQuery q(QSqlDatabase::database(name.value(), false));
    if (!q.exec(QStringLiteral("SELECT DISTINCT profile FROM snapshots ORDER BY profile")))
        return sqlError(QStringLiteral("listing profiles"), q.lastError());
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

Result<int> SizeHistory::prune(const QString &profile, const QDateTime &now)
{
    auto name = connection();
    if (!name.ok())
        return name.error();
    const QSqlDatabase db = QSqlDatabase::database(name.value(), false);
    SqliteWriteTransaction tx(db, m_db);
    if (auto begun = tx.begin(); !begun.ok())
        return begun.error();
    auto removed = pruneIn(db, profile, now.toMSecsSinceEpoch(), m_retention);
    if (!removed.ok())
        return removed.error();
    if (auto committed = tx.commit(); !committed.ok())
        return committed.error();
    return removed.value();
}

Result<void> SizeHistory::forget(const QString &profile)
{
    auto name = connection();
    if (!name.ok())
        return name.error();
    const QSqlDatabase db = QSqlDatabase::database(name.value(), false);
    SqliteWriteTransaction tx(db, m_db);
    if (auto begun = tx.begin(); !begun.ok())
        return begun.error();
    QSqlQuery q(db);
    for (const QString &sql :
         {QStringLiteral("DELETE FROM table_sizes WHERE profile = ?"), QStringLiteral("DELETE FROM snapshots WHERE profile = ?")}) {
        q.prepare(sql);
        q.addBindValue(profile);
        if (!q.exec())
            return sqlError(QStringLiteral("removing samples"), q.lastError());
    }
    q.finish();
    return tx.commit();
}
} // namespace vwb
