// tests/bench/BenchSupport.h — shared by the benchmarks: a throwaway cluster, timing, psql runs.
#pragma once

#include "connection/PgConnection.h"
#include "sandbox/LocalCluster.h"
#include <QList>
#include <QString>
#include <QTemporaryDir>
#include <functional>

namespace vwb::bench {

/// A private cluster for one benchmark run, removed at the end.
class BenchCluster
{
public:
    BenchCluster();
    ~BenchCluster();
    bool ok() const { return m_ok; }
    ConnectionProfile profile() const { return m_cluster->profile(); }
    QString baseDir() const { return m_home.filePath(QStringLiteral("sandbox")); }
    QString url() const;

private:
    QTemporaryDir m_home;
    std::unique_ptr<LocalCluster> m_cluster;
    bool m_ok = false;
};

double median(QList<double> values);
/// The value below which `p` (0..1) of `values` lie (nearest rank); -1 when there are none.
double percentile(QList<double> values, double p);
/// Runs `body` `runs` times (after one warm-up) and returns the median in ms.
double timeMedianMs(int runs, const std::function<void()> &body);
/// psql running `sql` with `params` bound (PREPARE/EXECUTE) `runs` times; the median of its own
/// \timing figures, in ms. Negative when psql fails.
double psqlMedianMs(const QString &url, const QString &sql, const QVariantList &params, int runs);
/// CPU time the whole machine has spent busy since boot (user, nice, system, irq, softirq from
/// /proc/stat), in s: the difference across a run is what it cost every process, server included.
double machineBusySeconds();
/// Peak resident set of this process, in MB (VmHWM).
double peakRssMb();
/// Resident set of this process now, in MB (VmRSS).
double rssMb();
/// Applies the workbench's own migrations; aborts the benchmark with a message when it cannot.
/// The project's migrations, all of them or up to and including `upTo` (a file name).
void applyMigrations(PgConnection &conn, const QString &upTo = {});
void printRow(const QString &label, double app, double reference, const QString &referenceName);
} // namespace vwb::bench
