// app/search/SimilarRows.cpp
#include "search/SimilarRows.h"

#include "connection/PgConnection.h"

namespace vwb {

QString preferredDistanceOperator(const ContentPair &pair)
{
    if (pair.columns.isEmpty())
        return {};
    for (const VectorIndex &index : pair.columns.first().indexes) {
        if (index.valid && !index.distanceOperator().isEmpty())
            return index.distanceOperator();
    }
    return QStringLiteral("<=>");
}

Result<QList<SimilarRow>> findSimilar(PgConnection &conn, const ContentPair &pair, qint64 id, int k)
{
    if (pair.columns.isEmpty())
        return Error::invalid(QStringLiteral("%1 has no vector column").arg(pair.content.display()));
    auto q = [&conn](const QString &s) { return conn.escapeIdentifier(s); };
    const QString op = preferredDistanceOperator(pair);
    const QString vectors = q(pair.vectors.schema) + QLatin1Char('.') + q(pair.vectors.name);
    const QString content = q(pair.content.schema) + QLatin1Char('.') + q(pair.content.name);
    const QString column = q(pair.columns.first().name);
    const QString ref = pair.isInline() ? q(pair.contentKey) : q(pair.foreignKey);
    const QString title = pair.contentHas(QStringLiteral("title")) ? QStringLiteral("c.title") : QStringLiteral("left(c.content, 120)");
    const QString forum = pair.contentHas(QStringLiteral("forum_name")) ? QStringLiteral("c.forum_name") : QStringLiteral("NULL");
    // The probe vector first, then an index-friendly inner query; one extra row for itself.
    const QString sql = QStringLiteral("WITH probe AS (SELECT %1 AS v FROM %2 WHERE %3 = $1 AND %1 IS NOT NULL LIMIT 1) "
                                       "SELECT n.ref, %4, %5, n.distance FROM ("
                                       "  SELECT x.%3 AS ref, x.%1 %6 (SELECT v FROM probe) AS distance FROM %2 x"
                                       "  ORDER BY x.%1 %6 (SELECT v FROM probe) LIMIT $2) n "
                                       "JOIN %7 c ON c.%8 = n.ref WHERE n.ref <> $1 ORDER BY n.distance LIMIT $3")
                            .arg(column, vectors, ref, forum, title, op, content, q(pair.contentKey));
    auto probe = conn.exec(QStringLiteral("SELECT 1 FROM %1 WHERE %2 = $1 AND %3 IS NOT NULL LIMIT 1").arg(vectors, ref, column), {id});
    if (!probe.ok())
        return probe.error();
    if (probe.value().rowCount() == 0)
        return Error::invalid(QStringLiteral("%1 %2 has no vector to compare with").arg(pair.kind()).arg(id));
    auto r = conn.exec(sql, {id, k + 1, k});
    if (!r.ok())
        return r.error();
    QList<SimilarRow> out;
    for (const QStringList &row : r.value().rows)
        out.append({row.at(0).toLongLong(), row.at(1), row.at(2), row.at(3).toDouble()});
    return out;
}
} // namespace vwb
