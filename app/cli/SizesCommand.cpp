// app/cli/SizesCommand.cpp — vwb sizes: heap / index / TOAST bytes of every table, the indexes with
// their scans, and the local size history with growth per day.
#include "cli/CliSupport.h"

#include "core/ByteSize.h"
#include "maintenance/IndexList.h"
#include "metrics/SizeHistory.h"
#include "metrics/TableSizes.h"
#include <QMap>
#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace vwb::cli {
namespace {

constexpr int DefaultHistoryDays = 30;
constexpr int HistoryLinesShown = 24; // text output only; --json has every sample

QString growth(const std::optional<double> &perDay)
{
    if (!perDay)
        return QStringLiteral("-");
    const qint64 rounded = qint64(std::llround(*perDay));
    return (rounded < 0 ? QStringLiteral("-") : QStringLiteral("+")) + byteSize(std::abs(rounded)) + QStringLiteral("/day");
}

QJsonValue jsonNumber(const std::optional<double> &v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QString stamp(const QDateTime &at)
{
    return at.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString qualifiedName(const TableRef &t)
{
    return t.schema + QLatin1Char('.') + t.name;
}

struct TableGrowth
{
    TableRef table;
    qint64 firstBytes = 0;
    qint64 lastBytes = 0;
    int samples = 0;
    std::optional<double> perDay;
};

/// Growth per table over the samples, ordered by name; tables absent from some samples use the ones they are in.
QList<TableGrowth> growthByTable(const QList<SizeSnapshot> &samples)
{
    QMap<QString, QList<std::pair<QDateTime, qint64>>> points;
    QMap<QString, TableRef> refs;
    for (const SizeSnapshot &s : samples)
        for (const SizeSample &t : s.tables) {
            points[qualifiedName(t.table)].append({s.at, t.totalBytes});
            refs.insert(qualifiedName(t.table), t.table);
        }
    QList<TableGrowth> out;
    for (auto it = points.cbegin(); it != points.cend(); ++it)
        out.append({refs.value(it.key()), it.value().first().second, it.value().last().second, int(it.value().size()),
                    fitGrowthPerDay(it.value())});
    return out;
}

void printSizes(const QList<TableSize> &tables, const QList<IndexInfo> &indexes)
{
    printLine(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
                  .arg(QStringLiteral("TABLE"), -32)
                  .arg(QStringLiteral("ROLE"), -8)
                  .arg(QStringLiteral("HEAP"), 10)
                  .arg(QStringLiteral("INDEXES"), 10)
                  .arg(QStringLiteral("TOAST"), 10)
                  .arg(QStringLiteral("TOTAL"), 10)
                  .arg(QStringLiteral("ROWS"), 12)
                  .arg(QStringLiteral("COVERAGE"), 9));
    qint64 heap = 0, index = 0, toast = 0, total = 0;
    bool unanalyzed = false;
    for (const TableSize &t : tables) {
        QString coverage;
        if (t.role == TableRole::Content)
            coverage = t.coverage ? QStringLiteral("%1%").arg(100.0 * *t.coverage, 0, 'f', 1) : QStringLiteral("?");
        unanalyzed = unanalyzed || t.rowEstimate < 0 || (t.role == TableRole::Content && !t.coverage);
        printLine(QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
                      .arg(t.table.display(), -32)
                      .arg(tableRoleName(t.role), -8)
                      .arg(byteSize(t.heapBytes), 10)
                      .arg(byteSize(t.indexBytes), 10)
                      .arg(byteSize(t.toastBytes), 10)
                      .arg(byteSize(t.totalBytes), 10)
                      .arg(t.rowEstimate < 0 ? QStringLiteral("?") : QStringLiteral("~%1").arg(t.rowEstimate), 12)
                      .arg(coverage, 9));
        heap += t.heapBytes;
        index += t.indexBytes;
        toast += t.toastBytes;
        total += t.totalBytes;
    }
    printLine(QStringLiteral("%1 %2 %3 %4 %5 %6")
                  .arg(QStringLiteral("TOTAL (%1 tables)").arg(tables.size()), -32)
                  .arg(QString(), -8)
                  .arg(byteSize(heap), 10)
                  .arg(byteSize(index), 10)
                  .arg(byteSize(toast), 10)
                  .arg(byteSize(total), 10));
    if (unanalyzed)
        printLine(QStringLiteral("? = not analyzed yet: rows and coverage are estimates from ANALYZE (vwb analyze, or "
                                 "--exact-coverage to count)"));
    if (indexes.isEmpty())
        return;
    printLine(QString());
    for (const QString &line : indexTableLines(indexes))
        printLine(line);
}

void printHistory(const QString &profile, const QDateTime &since, const QList<SizeSnapshot> &samples)
{
    printLine(QString());
    printLine(QStringLiteral("history of \"%1\" since %2 UTC: %3 sample(s)").arg(profile, stamp(since)).arg(samples.size()));
    if (samples.isEmpty())
        return;
    printLine(QStringLiteral("%1 %2 %3")
                  .arg(QStringLiteral("SAMPLED AT (UTC)"), -20)
                  .arg(QStringLiteral("TABLES"), 7)
                  .arg(QStringLiteral("TOTAL"), 10));
    const qsizetype first = std::max<qsizetype>(0, samples.size() - HistoryLinesShown);
    if (first > 0)
        printLine(QStringLiteral("(%1 earlier sample(s) not shown; --json lists them all)").arg(first));
    for (qsizetype i = first; i < samples.size(); ++i)
        printLine(QStringLiteral("%1 %2 %3")
                      .arg(stamp(samples.at(i).at), -20)
                      .arg(samples.at(i).tables.size(), 7)
                      .arg(byteSize(samples.at(i).totalBytes()), 10));
    printLine(QString());
    printLine(QStringLiteral("%1 %2 %3 %4 %5")
                  .arg(QStringLiteral("TABLE"), -32)
                  .arg(QStringLiteral("SAMPLES"), 7)
                  .arg(QStringLiteral("FIRST"), 10)
                  .arg(QStringLiteral("LAST"), 10)
                  .arg(QStringLiteral("GROWTH"), 16));
    for (const TableGrowth &g : growthByTable(samples))
        printLine(QStringLiteral("%1 %2 %3 %4 %5")
                      .arg(g.table.display(), -32)
                      .arg(g.samples, 7)
                      .arg(byteSize(g.firstBytes), 10)
                      .arg(byteSize(g.lastBytes), 10)
                      .arg(growth(g.perDay), 16));
    QList<std::pair<QDateTime, qint64>> totals;
    for (const SizeSnapshot &s : samples)
        totals.append({s.at, s.totalBytes()});
    printLine(QStringLiteral("%1 %2 %3 %4 %5")
                  .arg(QStringLiteral("all tables"), -32)
                  .arg(samples.size(), 7)
                  .arg(byteSize(samples.first().totalBytes()), 10)
                  .arg(byteSize(samples.last().totalBytes()), 10)
                  .arg(growth(fitGrowthPerDay(totals)), 16));
}

QJsonObject historyJson(const QString &profile, const QDateTime &since, const QList<SizeSnapshot> &samples)
{
    QJsonArray list;
    QList<std::pair<QDateTime, qint64>> totals;
    for (const SizeSnapshot &s : samples) {
        list << s.toJson();
        totals.append({s.at, s.totalBytes()});
    }
    QJsonArray growthList;
    for (const TableGrowth &g : growthByTable(samples))
        growthList << QJsonObject{{QStringLiteral("schema"), g.table.schema},
                                  {QStringLiteral("name"), g.table.name},
                                  {QStringLiteral("table"), g.table.display()},
                                  {QStringLiteral("samples"), g.samples},
                                  {QStringLiteral("first_bytes"), g.firstBytes},
                                  {QStringLiteral("last_bytes"), g.lastBytes},
                                  {QStringLiteral("growth_bytes_per_day"), jsonNumber(g.perDay)}};
    return {{QStringLiteral("profile"), profile},
            {QStringLiteral("since"), since.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("samples"), list},
            {QStringLiteral("growth"), growthList},
            {QStringLiteral("total_growth_bytes_per_day"), jsonNumber(fitGrowthPerDay(totals))}};
}
} // namespace

int runSizes(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("sizes"),
                      QStringLiteral("Heap, index and TOAST bytes of every table (heap + indexes + toast = "
                                     "pg_total_relation_size), row estimates, vector coverage of content tables, and "
                                     "each index's size and scans. Each run is recorded in the local size history "
                                     "(per profile) unless --no-record or --schema is given; --history shows it with "
                                     "growth per day."));
    cmd.addOption({QStringLiteral("history"), QStringLiteral("Also print the recorded samples and growth per day per table.")});
    cmd.addOption(
        {QStringLiteral("days"), QStringLiteral("History window in days (default %1).").arg(DefaultHistoryDays), QStringLiteral("n")});
    cmd.addOption({QStringLiteral("no-record"), QStringLiteral("Do not record this run in the size history.")});
    cmd.addOption({QStringLiteral("exact-coverage"),
                   QStringLiteral("Count vector coverage (reads every content and vector table) instead of estimating "
                                  "it from the planner's statistics.")});
    cmd.addOption({QStringLiteral("schema"), QStringLiteral("Only this schema (repeatable; default: all but the system ones)."),
                   QStringLiteral("name")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    const bool json = cmd.json();
    int days = DefaultHistoryDays;
    if (p.isSet(QStringLiteral("days"))) {
        bool ok = false;
        days = p.value(QStringLiteral("days")).toInt(&ok);
        if (!ok || days < 1)
            return cmd.usageError(QStringLiteral("--days must be a whole number of days, 1 or more"));
    }
    TableSizeOptions options;
    options.schemas = p.values(QStringLiteral("schema"));
    options.coverage = p.isSet(QStringLiteral("exact-coverage")) ? TableSizeOptions::Coverage::Exact
                                                                 : TableSizeOptions::Coverage::Estimate;

    auto profile = resolveProfile(cmd);
    if (!profile.ok())
        return reportConnectionError(cmd, profile.error());
    auto conn = openConnection(cmd, profile.value());
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto schema = discoverSchema(*conn.value());
    if (!schema.ok())
        return reportError(schema.error(), json);
    auto tables = readTableSizes(*conn.value(), schema.value(), options);
    if (!tables.ok())
        return reportError(tables.error(), json);
    auto indexes = listIndexes(*conn.value(), options.schemas);
    if (!indexes.ok())
        return reportError(indexes.error(), json);
    const QDateTime sampledAt = QDateTime::currentDateTimeUtc();

    // The history is a convenience: a file that cannot be written is a warning, not a failure.
    const QString key = SizeHistory::profileKey(profile.value());
    SizeHistory history;
    bool recorded = false;
    if (!p.isSet(QStringLiteral("no-record")) && options.schemas.isEmpty()) {
        if (auto written = history.record(key, sampledAt, tables.value()); written.ok())
            recorded = true;
        else
            printError(QStringLiteral("warning: %1 (not recorded)").arg(written.error().message));
    }
    const QDateTime since = sampledAt.addDays(-days);
    std::optional<QList<SizeSnapshot>> samples;
    if (p.isSet(QStringLiteral("history"))) {
        auto read = history.samples(key, {}, since);
        if (!read.ok())
            return reportError(read.error(), json);
        samples = std::move(read).value();
    }

    if (json) {
        QJsonArray tableList, indexList;
        qint64 heap = 0, index = 0, toast = 0, total = 0;
        for (const TableSize &t : tables.value()) {
            tableList << t.toJson();
            heap += t.heapBytes;
            index += t.indexBytes;
            toast += t.toastBytes;
            total += t.totalBytes;
        }
        for (const IndexInfo &i : indexes.value())
            indexList << i.toJson();
        QJsonObject out{{QStringLiteral("tables"), tableList},
                        {QStringLiteral("indexes"), indexList},
                        {QStringLiteral("heap_bytes"), heap},
                        {QStringLiteral("index_bytes"), index},
                        {QStringLiteral("toast_bytes"), toast},
                        {QStringLiteral("total_bytes"), total},
                        {QStringLiteral("sampled_at"), sampledAt.toString(Qt::ISODateWithMs)},
                        {QStringLiteral("profile"), key},
                        {QStringLiteral("recorded"), recorded},
                        {QStringLiteral("history_file"), history.path()}};
        if (samples)
            out.insert(QStringLiteral("history"), historyJson(key, since, *samples));
        printJson(out);
        return Ok;
    }
    printSizes(tables.value(), indexes.value());
    printLine(QString());
    printLine(QStringLiteral("sampled at %1 UTC%2")
                  .arg(stamp(sampledAt), recorded ? QStringLiteral(", recorded in %1 as \"%2\"").arg(history.path(), key) : QString()));
    if (samples)
        printHistory(key, since, *samples);
    return Ok;
}
} // namespace vwb::cli
