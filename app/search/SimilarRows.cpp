// app/search/SimilarRows.cpp
#include "search/SimilarRows.h"

#include "search/SearchService.h"

namespace vwb {

QString preferredDistanceOperator(const ContentPair &pair, const QString &column)
{
    if (!pair.column(column))
        return {};
    return QLatin1String(metricInfo(defaultMetric(pair, column)).op);
}

Result<QList<SimilarRow>> findSimilar(PgConnection &conn, const ContentPair &pair, const RowKey &key, int k, const QString &column)
{
    if (!pair.column(column))
        return Error::invalid(QStringLiteral("%1 has no vector column %2").arg(pair.content.display(), column));
    // A search like the row, with the metric the column's index serves: the same SQL, and the
    // same answers, as Search's "like this row".
    SearchRequest request;
    request.pair = pair;
    request.likeKey = key;
    request.column = column;
    request.limit = k;
    request.metric = defaultMetric(pair, column);
    auto outcome = SemanticSearch::run(conn, request);
    if (!outcome.ok())
        return outcome.error();
    QList<SimilarRow> out;
    for (const SearchHit &h : outcome.value().hits)
        out.append({h.key, h.forum, h.title, h.distance});
    return out;
}
} // namespace vwb
