// app/search/SimilarRows.h
#pragma once

#include "schema/DatabaseSchema.h"

namespace vwb {
class PgConnection;

struct SimilarRow
{
    qint64 id = 0;
    QString forum;
    QString title;
    double distance = 0;
};

/// The nearest neighbours of one stored row's vector, itself excluded. The distance operator is
/// the one the column's ANN index serves (so the index can be used), cosine when there is none;
/// ORDER BY distance LIMIT k in an inner query, joins outside it.
Result<QList<SimilarRow>> findSimilar(PgConnection &conn, const ContentPair &pair, qint64 id, int k = 10);
/// The operator findSimilar uses for this pair's first vector column.
QString preferredDistanceOperator(const ContentPair &pair);
} // namespace vwb
