// tests/bench/BenchSupport.cpp
#include "BenchSupport.h"

#include <cmath>

#include "connection/DatabaseUrl.h"
#include "migrations/MigrationRunner.h"
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <cstdio>
#include <unistd.h>

namespace vwb::bench {

BenchCluster::BenchCluster()
{
    m_cluster = std::make_unique<LocalCluster>(m_home.filePath(QStringLiteral("sandbox")));
    LocalCluster::StartOptions options;
    options.ephemeral = true;
    auto started = m_cluster->start(options);
    if (!started.ok())
        std::fprintf(stderr, "cannot start a cluster: %s\n", qPrintable(started.error().message));
    m_ok = started.ok();
}

BenchCluster::~BenchCluster()
{
    (void)m_cluster->remove();
}

QString BenchCluster::url() const
{
    ConnectionProfile p = profile();
    p.params.sslmode = QStringLiteral("disable");
    return toDatabaseUrl(p.params, false);
}

double median(QList<double> values)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    const qsizetype n = values.size();
    return n % 2 ? values.at(n / 2) : (values.at(n / 2 - 1) + values.at(n / 2)) / 2;
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    const auto rank = qsizetype(std::ceil(std::clamp(p, 0.0, 1.0) * double(values.size())));
    return values.at(std::clamp<qsizetype>(rank - 1, 0, values.size() - 1));
}

double timeMedianMs(int runs, const std::function<void()> &body)
{
    body(); // warm-up: plans, caches
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer clock;
        clock.start();
        body();
        times << clock.nsecsElapsed() / 1e6;
    }
    return median(times);
}

double psqlMedianMs(const QString &url, const QString &sql, const QVariantList &params, int runs)
{
    QStringList literals;
    for (const QVariant &p : params)
        literals << QLatin1Char('\'') + p.toString().replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
    QString script = QStringLiteral("PREPARE q AS %1;\n").arg(sql);
    const QString execute = literals.isEmpty() ? QStringLiteral("EXECUTE q;\n")
                                               : QStringLiteral("EXECUTE q(%1);\n").arg(literals.join(QStringLiteral(", ")));
    script += execute + QStringLiteral("\\timing on\n"); // one warm-up, untimed
    for (int i = 0; i < runs; ++i)
        script += execute;
    QProcess psql;
    psql.start(QStringLiteral("psql"), {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                        QStringLiteral("-v"), QStringLiteral("ON_ERROR_STOP=1"), url});
    psql.write(script.toUtf8());
    psql.closeWriteChannel();
    if (!psql.waitForFinished(600000) || psql.exitCode() != 0) {
        std::fprintf(stderr, "psql failed: %s\n", psql.readAllStandardError().constData());
        return -1;
    }
    // With -o /dev/null the query output goes away and \timing's lines still reach stdout.
    static const QRegularExpression time(QStringLiteral("Time: ([0-9.]+) ms"));
    QList<double> times;
    auto it = time.globalMatch(QString::fromUtf8(psql.readAllStandardOutput()));
    while (it.hasNext())
        times << it.next().captured(1).toDouble();
    return median(times);
}

namespace {
double statusMb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QRegularExpression line(QStringLiteral("%1:\\s+(\\d+) kB").arg(QLatin1String(field)));
    return line.match(QString::fromLatin1(status.readAll())).captured(1).toDouble() / 1024.0;
}
} // namespace

double peakRssMb()
{
    return statusMb("VmHWM");
}

double rssMb()
{
    return statusMb("VmRSS");
}

double machineBusySeconds()
{
    QFile stat(QStringLiteral("/proc/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    // "cpu  user nice system idle iowait irq softirq steal ...", in clock ticks
    const QList<QByteArray> fields = stat.readLine().simplified().split(' ');
    double ticks = 0;
    for (int i : {1, 2, 3, 6, 7})
        ticks += fields.value(i).toDouble();
    return ticks / double(sysconf(_SC_CLK_TCK));
}

void applyMigrations(PgConnection &conn, const QString &upTo)
{
    auto files = scanMigrations(defaultMigrationsDir());
    MigrationRunner runner(conn);
    auto status = files.ok() ? runner.status(files.value()) : Result<MigrationStatus>(files.error());
    auto plan = status.ok() ? planMigrations(status.value(), files.value(),
                                             {upTo.isEmpty() ? MigrationAction::Latest : MigrationAction::To, upTo})
                            : Result<MigrationPlan>(status.error());
    auto ran = plan.ok() ? runner.run(plan.value()) : Result<MigrationOutcome>(plan.error());
    if (!ran.ok())
        qFatal("migrations failed: %s", qPrintable(ran.error().message));
}

void printRow(const QString &label, double app, double reference, const QString &referenceName)
{
    std::printf("  %-34s %10.2f ms   %-6s %10.2f ms   x%.2f\n", qPrintable(label), app, qPrintable(referenceName), reference,
                reference > 0 ? app / reference : 0.0);
    std::fflush(stdout);
}
} // namespace vwb::bench
