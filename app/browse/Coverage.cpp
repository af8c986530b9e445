// app/browse/Coverage.cpp
#include "browse/Coverage.h"

#include "connection/PgConnection.h"

namespace vwb {

Result<Coverage> fetchCoverage(PgConnection &conn, const ContentPair &pair)
{
    Coverage out;
    out.table = pair.content.display();
    const QString content = conn.escapeIdentifier(pair.content.schema) + QLatin1Char('.') + conn.escapeIdentifier(pair.content.name);
    const auto quote = [&conn](const QString &s) { return conn.escapeIdentifier(s); };
    QString sql;
    if (pair.columns.isEmpty()) {
        sql = QStringLiteral("SELECT count(*), 0, -1 FROM %1").arg(content);
    } else if (pair.isInline()) {
        sql = QStringLiteral("SELECT count(*), count(%2), -1 FROM %1").arg(content, conn.escapeIdentifier(pair.columns.first().name));
    } else {
        const QString vectors = conn.escapeIdentifier(pair.vectors.schema) + QLatin1Char('.') + conn.escapeIdentifier(pair.vectors.name);
        const bool stamped = pair.vectorsHave(QStringLiteral("updated_at")) && pair.contentHas(QStringLiteral("updated_at"));
        // One pass over each table: the newest vector per content row, then compare.
        // The foreign key's columns keep their names in the grouped rows: the pair's own join applies.
        const QString fk = KeySql(pair.vectorKey(), QStringLiteral("g"), quote).order();
        sql = QStringLiteral("SELECT count(*), count(v.present), %1 FROM %2 c LEFT JOIN "
                             "(SELECT %3, true AS present%4 FROM %5 g GROUP BY %3) v ON %6")
                  .arg(stamped ? QStringLiteral("count(*) FILTER (WHERE v.newest < c.updated_at)") : QStringLiteral("-1"), content, fk,
                       stamped ? QStringLiteral(", max(updated_at) AS newest") : QString(), vectors,
                       pair.joinSql(QStringLiteral("v"), QStringLiteral("c"), quote));
    }
    auto r = conn.exec(sql);
    if (!r.ok())
        return r.error().withContext(QStringLiteral("counting vector coverage of %1").arg(out.table));
    out.total = r.value().value(0, 0).toLongLong();
    out.withVector = r.value().value(0, 1).toLongLong();
    out.missing = out.total - out.withVector;
    out.stale = r.value().value(0, 2).toLongLong();
    return out;
}
} // namespace vwb
