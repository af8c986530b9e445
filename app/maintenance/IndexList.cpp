// app/maintenance/IndexList.cpp
#include "maintenance/IndexList.h"

#include "connection/PgConnection.h"
#include "connection/SqlLiterals.h"
#include "core/ByteSize.h"
#include <QJsonArray>

namespace vwb {

QString IndexInfo::display() const
{
    return schema == QLatin1String("public") ? name : schema + QLatin1Char('.') + name;
}

QJsonObject IndexInfo::toJson() const
{
    return {{QStringLiteral("schema"), schema},
            {QStringLiteral("name"), name},
            {QStringLiteral("table"), table},
            {QStringLiteral("method"), method},
            {QStringLiteral("opclasses"), QJsonArray::fromStringList(opclasses)},
            {QStringLiteral("definition"), definition},
            {QStringLiteral("size_bytes"), sizeBytes},
            {QStringLiteral("valid"), valid},
            {QStringLiteral("unique"), unique},
            {QStringLiteral("scans"), scans}};
}

QStringList indexTableLines(const QList<IndexInfo> &indexes)
{
    // The name and table columns as wide as their longest entry: a long index name (a halfvec
    // index's generated one) pushes the others right instead of out of line.
    int nameWidth = 36;
    int tableWidth = 22;
    for (const IndexInfo &i : indexes) {
        nameWidth = qMax(nameWidth, int(i.display().size()));
        tableWidth = qMax(tableWidth, int(i.table.size()));
    }
    QStringList out{QStringLiteral("%1 %2 %3 %4 %5 %6")
                        .arg(QStringLiteral("INDEX"), -nameWidth)
                        .arg(QStringLiteral("TABLE"), -tableWidth)
                        .arg(QStringLiteral("METHOD"), -8)
                        .arg(QStringLiteral("SIZE"), 10)
                        .arg(QStringLiteral("SCANS"), 10)
                        .arg(QStringLiteral("OPERATOR CLASS"))};
    for (const IndexInfo &i : indexes)
        out << QStringLiteral("%1 %2 %3 %4 %5 %6%7")
                   .arg(i.display(), -nameWidth)
                   .arg(i.table, -tableWidth)
                   .arg(i.method, -8)
                   .arg(byteSize(i.sizeBytes), 10)
                   .arg(i.scans, 10)
                   .arg(i.opclasses.join(QLatin1Char(',')),
                        i.valid ? QString() : QStringLiteral("  INVALID: vwb index repair %1").arg(i.display()));
    return out;
}

Result<QList<IndexInfo>> listIndexes(PgConnection &conn, const QStringList &schemas)
{
    // indclass is an oidvector: unnest it in key order to name each column's operator class.
    auto rows = conn.exec(QStringLiteral(R"(
        SELECT n.nspname, ic.relname,
               CASE WHEN n.nspname = 'public' THEN t.relname ELSE n.nspname || '.' || t.relname END,
               am.amname,
               (SELECT string_agg(oc.opcname, ',' ORDER BY k.ord) FROM unnest(i.indclass) WITH ORDINALITY k(oid, ord)
                JOIN pg_opclass oc ON oc.oid = k.oid),
               pg_get_indexdef(i.indexrelid), pg_relation_size(i.indexrelid), i.indisvalid,
               i.indisunique OR i.indisprimary, coalesce(s.idx_scan, 0)
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace JOIN pg_am am ON am.oid = ic.relam
        LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
        WHERE CASE WHEN cardinality($1::text[]) = 0
                   THEN n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp%'
                   ELSE n.nspname = ANY($1::text[]) END
        ORDER BY 3, 2)"),
                          {textArrayLiteral(schemas)});
    if (!rows.ok())
        return rows.error();
    QList<IndexInfo> out;
    for (const QStringList &r : rows.value().rows) {
        IndexInfo i;
        i.schema = r.at(0);
        i.name = r.at(1);
        i.table = r.at(2);
        i.method = r.at(3);
        i.opclasses = r.at(4).split(QLatin1Char(','), Qt::SkipEmptyParts);
        i.definition = r.at(5);
        i.sizeBytes = r.at(6).toLongLong();
        i.valid = r.at(7) == QLatin1String("t");
        i.unique = r.at(8) == QLatin1String("t");
        i.scans = r.at(9).toLongLong();
        out << i;
    }
    return out;
}
} // namespace vwb
