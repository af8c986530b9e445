// app/search/IndexChoice.cpp
#include "search/IndexChoice.h"

namespace vwb {

bool parsePrecision(const QString &name, SearchPrecision *out)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("auto"))
        *out = SearchPrecision::Auto;
    else if (n == QLatin1String("full"))
        *out = SearchPrecision::Full;
    else if (n == QLatin1String("half") || n == QLatin1String("halfvec"))
        *out = SearchPrecision::Half;
    else
        return false;
    return true;
}

QString precisionName(SearchPrecision precision)
{
    switch (precision) {
    case SearchPrecision::Auto: return QStringLiteral("auto");
    case SearchPrecision::Full: return QStringLiteral("full");
    case SearchPrecision::Half: return QStringLiteral("half");
    }
    return {};
}

IndexChoice chooseIndex(const VectorColumn &column, SearchMetric metric, SearchPrecision precision)
{
    const QString op = QLatin1String(metricInfo(metric).op);
    IndexChoice full;
    IndexChoice half;
    for (const VectorIndex &i : column.indexes) {
        if (!i.valid || !i.isAnn() || i.distanceOperator() != op)
            continue;
        if (!i.expression && !full.index)
            full.index = &i;
        // A halfvec column's own index is already half precision: "half" is a cast of a vector column.
        if (column.type == QLatin1String("vector") && i.halfvecDimensions() > 0 && !half.index)
            half = {&i, i.halfvecDimensions()};
    }
    switch (precision) {
    case SearchPrecision::Full: return full;
    case SearchPrecision::Half: return half;
    case SearchPrecision::Auto: return half.index ? half : full;
    }
    return full;
}
} // namespace vwb
