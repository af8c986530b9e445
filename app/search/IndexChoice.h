// app/search/IndexChoice.h
#pragma once

#include "schema/DatabaseSchema.h"
#include "search/SearchMetric.h"

namespace vwb {

/// Which ANN index a vector search goes through. Half: an index on the column cast to
/// halfvec(N) (half the size; the search orders by that cast and ranks what it returns by the
/// full-precision distance). Auto takes such an index when there is one, else the column's own.
enum class SearchPrecision { Auto, Full, Half };

/// "auto" | "full" | "half" (also "halfvec"); false when unknown.
bool parsePrecision(const QString &name, SearchPrecision *out);
QString precisionName(SearchPrecision precision);

struct IndexChoice
{
    const VectorIndex *index = nullptr; // null: no valid ANN index serves the metric at that precision
    int halfvecDimensions = 0;          // > 0: `index` is on column::halfvec(N)
};

/// The valid HNSW or IVFFlat index on `column` that serves `metric` at `precision`.
IndexChoice chooseIndex(const VectorColumn &column, SearchMetric metric, SearchPrecision precision);
} // namespace vwb
