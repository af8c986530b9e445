// app/search/SimilarRows.h
#pragma once

#include "schema/DatabaseSchema.h"

namespace vwb {
class PgConnection;

struct SimilarRow
{
    RowKey key;
    QString forum;
    QString title;
    double distance = 0;
};

/// The nearest neighbours of one stored row's vector in `column` (empty: the pair's first), itself
/// excluded. The distance operator is the one the column's ANN index serves (so the index can be
/// used), cosine when there is none; ORDER BY distance LIMIT k in an inner query, joins outside it.
Result<QList<SimilarRow>> findSimilar(PgConnection &conn, const ContentPair &pair, const RowKey &key, int k = 10,
                                      const QString &column = {});
/// The operator findSimilar uses for this pair's vector column `column`.
QString preferredDistanceOperator(const ContentPair &pair, const QString &column = {});
} // namespace vwb
