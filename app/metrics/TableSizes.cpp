// app/metrics/TableSizes.cpp
#include "metrics/TableSizes.h"

#include "browse/Coverage.h"
#include "connection/PgConnection.h"
#include "connection/SqlLiterals.h"
#include <QHash>
#include <QJsonArray>
#include <algorithm>

namespace vwb {
namespace {

QString qualified(const TableRef &t)
{
    return t.schema + QLatin1Char('.') + t.name;
}

Result<void> setLockTimeout(PgConnection &conn, const QString &value)
{
    auto set = conn.exec(QStringLiteral("SELECT set_config('lock_timeout', $1, false)"), {value});
    if (!set.ok())
        return set.error();
    return {};
}
} // namespace

QString tableRoleName(TableRole role)
{
    switch (role) {
    case TableRole::Content: return QStringLiteral("content");
    case TableRole::Vectors: return QStringLiteral("vectors");
    case TableRole::Ledger: return QStringLiteral("ledger");
    case TableRole::Other: return QStringLiteral("other");
    }
    return QStringLiteral("other");
}

QJsonObject TableSize::toJson() const
{
    QJsonObject o{{QStringLiteral("schema"), table.schema},
                  {QStringLiteral("name"), table.name},
                  {QStringLiteral("table"), table.display()},
                  {QStringLiteral("role"), tableRoleName(role)},
                  {QStringLiteral("heap_bytes"), heapBytes},
                  {QStringLiteral("index_bytes"), indexBytes},
                  {QStringLiteral("toast_bytes"), toastBytes},
                  {QStringLiteral("total_bytes"), totalBytes},
                  {QStringLiteral("row_estimate"), rowEstimate},
                  {QStringLiteral("coverage"), coverage ? QJsonValue(*coverage) : QJsonValue(QJsonValue::Null)}};
    if (coverage)
        o.insert(QStringLiteral("coverage_source"), coverageExact ? QStringLiteral("exact") : QStringLiteral("estimate"));
    return o;
}

Result<std::optional<double>> estimateCoverage(PgConnection &conn, const ContentPair &pair)
{
    if (pair.columns.isEmpty())
        return std::optional<double>(0.0); // nothing can hold a vector
    const QString column = pair.isInline() ? pair.columns.first().name : pair.foreignKey;
    // Inherited statistics first: for a partitioned or inheritance parent they cover every child,
    // which is what a query on the parent reads.
    auto r = conn.exec(QStringLiteral(R"(
        SELECT c.reltuples, v.reltuples, s.null_frac, s.n_distinct
        FROM pg_class c JOIN pg_namespace cn ON cn.oid = c.relnamespace,
             pg_class v JOIN pg_namespace vn ON vn.oid = v.relnamespace
             LEFT JOIN LATERAL (SELECT st.null_frac, st.n_distinct FROM pg_stats st
                                WHERE st.schemaname = vn.nspname AND st.tablename = v.relname AND st.attname = $5
                                ORDER BY st.inherited DESC LIMIT 1) s ON true
        WHERE cn.nspname = $1 AND c.relname = $2 AND vn.nspname = $3 AND v.relname = $4)"),
                       {pair.content.schema, pair.content.name, pair.vectors.schema, pair.vectors.name, column});
    if (!r.ok())
        return r.error().withContext(QStringLiteral("estimating vector coverage of %1").arg(pair.content.display()));
    if (r.value().rowCount() == 0)
        return std::optional<double>();
    // A vector table known to be empty (reltuples 0; -1 is "never counted") covers nothing, though
    // ANALYZE leaves no statistics for an empty table to read below.
    if (!pair.isInline() && r.value().value(0, 1).toDouble() == 0)
        return std::optional<double>(0.0);
    if (r.value().isNull(0, 2))
        return std::optional<double>(); // not analyzed yet
    const double contentRows = r.value().value(0, 0).toDouble();
    const double vectorRows = r.value().value(0, 1).toDouble();
    const double nullFraction = r.value().value(0, 2).toDouble();
    const double distinct = r.value().value(0, 3).toDouble(); // < 0: minus a fraction of the rows
    double fraction = 0;
    if (pair.isInline()) {
        if (contentRows < 0)
            return std::optional<double>();
        fraction = 1.0 - nullFraction;
    } else {
        if (contentRows <= 0 || vectorRows < 0)
            return std::optional<double>();
        const double keys = distinct >= 0 ? distinct : -distinct * vectorRows;
        fraction = keys / contentRows;
    }
    return std::optional<double>(std::clamp(fraction, 0.0, 1.0));
}

Result<QList<TableSize>> readTableSizes(PgConnection &conn, const DatabaseSchema &schema, const TableSizeOptions &options)
{
    // The size functions lock each table (ACCESS SHARE): behind a VACUUM FULL they would wait for
    // as long as it runs. Bound the wait for this statement, then put the setting back.
    QString previousLockTimeout;
    if (options.lockTimeoutMs > 0) {
        auto current = conn.exec(QStringLiteral("SELECT current_setting('lock_timeout')"));
        if (!current.ok())
            return current.error().withContext(QStringLiteral("reading lock_timeout"));
        if (current.value().scalar() == QLatin1String("0")) {
            previousLockTimeout = current.value().scalar();
            if (auto set = setLockTimeout(conn, QString::number(options.lockTimeoutMs)); !set.ok())
                return set.error().withContext(QStringLiteral("setting lock_timeout"));
        }
    }
    // One statement, so the four numbers of a table are as close in time as the server allows.
    auto rows = conn.exec(QStringLiteral(R"(
        SELECT n.nspname, c.relname,
               coalesce(pg_total_relation_size(c.oid), 0),
               coalesce(pg_indexes_size(c.oid), 0),
               CASE WHEN c.reltoastrelid <> 0 THEN coalesce(pg_total_relation_size(c.reltoastrelid), 0) ELSE 0 END,
               CASE WHEN c.reltuples < 0 THEN -1 ELSE c.reltuples::bigint END
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'm')
          AND CASE WHEN cardinality($1::text[]) = 0
                   THEN n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
                        AND n.nspname NOT LIKE 'pg_toast_temp%'
                   ELSE n.nspname = ANY($1::text[]) END
        ORDER BY 3 DESC, 1, 2)"),
                          {textArrayLiteral(options.schemas)});
    if (!previousLockTimeout.isEmpty())
        (void)setLockTimeout(conn, previousLockTimeout); // best effort; a failure here changes nothing read
    if (!rows.ok()) {
        if (rows.error().sqlState == QLatin1String("55P03"))
            return rows.error().withContext(QStringLiteral("a table is locked by another session (VACUUM FULL, ALTER TABLE, "
                                                           "REINDEX?); try again when it is done"));
        return rows.error().withContext(QStringLiteral("reading table sizes"));
    }

    QHash<QString, TableRole> roles;            // schema.name -> role
    QHash<QString, const ContentPair *> pairOf; // content schema.name -> its first pair
    for (const ContentPair &p : schema.pairs) {
        roles.insert(qualified(p.vectors), TableRole::Vectors);
        if (!pairOf.contains(qualified(p.content)))
            pairOf.insert(qualified(p.content), &p);
    }
    for (const TableRef &t : schema.unpairedVectorTables)
        roles.insert(qualified(t), TableRole::Vectors);
    for (const ContentPair &p : schema.pairs)
        roles.insert(qualified(p.content), TableRole::Content); // inline pairs: content wins

    QList<TableSize> out;
    for (const QStringList &r : rows.value().rows) {
        TableSize s;
        s.table = {r.at(0), r.at(1)};
        s.totalBytes = r.at(2).toLongLong();
        s.indexBytes = r.at(3).toLongLong();
        s.toastBytes = r.at(4).toLongLong();
        s.heapBytes = std::max<qint64>(0, s.totalBytes - s.indexBytes - s.toastBytes);
        s.rowEstimate = r.at(5).toLongLong();
        const QString key = qualified(s.table);
        if (roles.contains(key))
            s.role = roles.value(key);
        else if (std::any_of(options.ledgerTables.begin(), options.ledgerTables.end(), [&](const QString &ledger) {
                     return s.table.name == ledger || s.table.name == ledger + QStringLiteral("_lock");
                 }))
            s.role = TableRole::Ledger;
        if (s.role == TableRole::Content && options.coverage != TableSizeOptions::Coverage::None) {
            const ContentPair &pair = *pairOf.value(key);
            if (options.coverage == TableSizeOptions::Coverage::Exact) {
                auto counted = fetchCoverage(conn, pair);
                if (!counted.ok() && counted.error().kind == Error::Kind::Connection)
                    return counted.error();
                if (counted.ok() && counted.value().total > 0) // not ok: dropped since the schema was read
                    s.coverage = double(counted.value().withVector) / double(counted.value().total);
                s.coverageExact = counted.ok();
            } else {
                auto estimated = estimateCoverage(conn, pair);
                if (!estimated.ok() && estimated.error().kind == Error::Kind::Connection)
                    return estimated.error();
                if (estimated.ok())
                    s.coverage = estimated.value();
            }
        }
        out << s;
    }
    return out;
}

SizeSample SizeSample::of(const TableSize &size)
{
    return {size.table, size.heapBytes, size.indexBytes, size.toastBytes, size.totalBytes, size.rowEstimate};
}

QJsonObject SizeSample::toJson() const
{
    return {{QStringLiteral("schema"), table.schema},    {QStringLiteral("name"), table.name},
            {QStringLiteral("table"), table.display()},  {QStringLiteral("heap_bytes"), heapBytes},
            {QStringLiteral("index_bytes"), indexBytes}, {QStringLiteral("toast_bytes"), toastBytes},
            {QStringLiteral("total_bytes"), totalBytes}, {QStringLiteral("row_estimate"), rowEstimate}};
}

SizeSnapshot SizeSnapshot::of(const QDateTime &at, const QList<TableSize> &sizes)
{
    SizeSnapshot s;
    s.at = at.toUTC();
    s.tables.reserve(sizes.size());
    for (const TableSize &t : sizes)
        s.tables << SizeSample::of(t);
    return s;
}

qint64 SizeSnapshot::totalBytes() const
{
    qint64 sum = 0;
    for (const SizeSample &t : tables)
        sum += t.totalBytes;
    return sum;
}

const SizeSample *SizeSnapshot::find(const TableRef &table) const
{
    for (const SizeSample &t : tables)
        if (t.table == table)
            return &t;
    return nullptr;
}

QJsonObject SizeSnapshot::toJson() const
{
    QJsonArray list;
    for (const SizeSample &t : tables)
        list << t.toJson();
    return {{QStringLiteral("sampled_at"), at.toUTC().toString(Qt::ISODateWithMs)},
            {QStringLiteral("total_bytes"), totalBytes()},
            {QStringLiteral("tables"), list}};
}
} // namespace vwb
