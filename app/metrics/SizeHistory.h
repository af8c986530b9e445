// app/metrics/SizeHistory.h
#pragma once

#include "core/LocalSqlite.h"
#include "metrics/TableSizes.h"
#include <QDateTime>
#include <chrono>
#include <optional>
#include <utility>

namespace vwb {
class ConnectionProfile;

/// How much of the past SizeHistory keeps. Samples newer than `keepAll` are all kept; older ones
/// are thinned to the first of each UTC hour, and those older than `hourlyFor` to the first of
/// each UTC day. Nothing is dropped by age alone: a daily point costs a few rows a table.
struct SizeRetention
{
    std::chrono::milliseconds keepAll = std::chrono::hours(24 * 7);
    std::chrono::milliseconds hourlyFor = std::chrono::hours(24 * 90);
};

/// Growth in bytes per day: the least-squares slope of bytes over time, so one dip (a VACUUM
/// FULL, a dropped index) or one spike does not decide it as it would with first/last; with two
/// points it is exactly (last - first) / days. Empty with fewer than two points or when they all
/// share one instant.
std::optional<double> fitGrowthPerDay(const QList<std::pair<QDateTime, qint64>> &points);

/// Table sizes over time, per profile, in the app's local SQLite file: one row per sample
/// (profile, sampled_at) and one per table in it. Times are stored as ms since the Unix epoch and
/// come back as UTC. WAL with a busy timeout, so the GUI and a `vwb sizes` in a cron job can write
/// the same file. Usable from any thread, like EmbeddingCache: each thread gets its own
/// connection, all closed by the destructor, which must run after those threads are done with it.
class SizeHistory
{
public:
    explicit SizeHistory(QString path = defaultPath());
    ~SizeHistory();
    SizeHistory(const SizeHistory &) = delete;
    SizeHistory &operator=(const SizeHistory &) = delete;

    /// $VWB_SIZE_HISTORY when set, else $XDG_DATA_HOME/vector-workbench/size-history.sqlite
    /// (~/.local/share/... without it): the same file for the GUI and the CLI.
    static QString defaultPath();
    const QString &path() const { return m_db.path(); }
    /// The name history is kept under: the profile's name, or "url:user@host:port/db" for a --url
    /// profile (every one of those is called "url").
    static QString profileKey(const ConnectionProfile &profile);

    void setRetention(const SizeRetention &retention) { m_retention = retention; }

    /// Stores a sample (replacing one at the same instant), then thins this profile's old ones.
    Result<void> record(const QString &profile, const SizeSnapshot &snapshot);
    Result<void> record(const QString &profile, const QDateTime &at, const QList<TableSize> &sizes)
    {
        return record(profile, SizeSnapshot::of(at, sizes));
    }
    /// record() only if shouldSample() holds, checked and written under one write lock, so two
    /// processes connecting at once store one sample. Returns whether it wrote.
    Result<bool> recordIfDue(const QString &profile, const SizeSnapshot &snapshot, std::chrono::seconds interval);

    /// True when the profile has no sample, its newest is at least `interval` older than `now`, or
    /// its newest lies after `now` (the clock went back). "Sample on connect and every N minutes"
    /// asks this on connect and on each timer tick, so reconnecting does not add a sample each time.
    Result<bool> shouldSample(const QString &profile, const QDateTime &now, std::chrono::seconds interval);
    Result<std::optional<QDateTime>> lastSampledAt(const QString &profile);

    /// Samples oldest first, from `since` on (all when null). With `table` (a non-empty name), only
    /// the samples that hold that table, each with just that table; without, every table.
    Result<QList<SizeSnapshot>> samples(const QString &profile, const TableRef &table = {}, const QDateTime &since = {});
    /// fitGrowthPerDay() over samples(profile, table, since) of total_bytes; without `table`, of the
    /// sum over all tables. Empty with fewer than two samples spanning more than 0 s.
    Result<std::optional<double>> growthPerDay(const QString &profile, const TableRef &table = {}, const QDateTime &since = {});

    /// Profiles with at least one sample, by name.
    Result<QStringList> profiles();
    /// Applies the retention to one profile as of `now`; returns how many samples were removed.
    Result<int> prune(const QString &profile, const QDateTime &now);
    /// Removes every sample of a profile (a profile deleted by the user).
    Result<void> forget(const QString &profile);

private:
    Result<QString> connection() { return m_db.connection(); } // this thread's, opened and migrated on first use
    Result<bool> write(const QString &profile, const SizeSnapshot &snapshot, std::optional<std::chrono::seconds> interval);

    LocalSqlite m_db;
    SizeRetention m_retention;
};
} // namespace vwb
