// app/search/SearchMetric.cpp
#include "search/SearchMetric.h"

namespace vwb {

MetricInfo metricInfo(SearchMetric metric)
{
    switch (metric) {
    case SearchMetric::L2: return {metric, "l2", "<->", "_l2_ops"};
    case SearchMetric::Cosine: return {metric, "cosine", "<=>", "_cosine_ops"};
    case SearchMetric::InnerProduct: return {metric, "ip", "<#>", "_ip_ops"};
    }
    return {SearchMetric::Cosine, "cosine", "<=>", "_cosine_ops"};
}

bool parseMetric(const QString &name, SearchMetric *out)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("l2") || n == QLatin1String("euclidean"))
        *out = SearchMetric::L2;
    else if (n == QLatin1String("cosine"))
        *out = SearchMetric::Cosine;
    else if (n == QLatin1String("ip") || n == QLatin1String("inner_product"))
        *out = SearchMetric::InnerProduct;
    else
        return false;
    return true;
}

bool metricForOpclass(const QString &opclass, SearchMetric *out)
{
    for (SearchMetric m : {SearchMetric::L2, SearchMetric::Cosine, SearchMetric::InnerProduct}) {
        if (opclass.endsWith(QLatin1String(metricInfo(m).opclass))) {
            *out = m;
            return true;
        }
    }
    return false;
}

bool metricForOperator(const QString &op, SearchMetric *out)
{
    for (SearchMetric m : {SearchMetric::L2, SearchMetric::Cosine, SearchMetric::InnerProduct}) {
        if (op == QLatin1String(metricInfo(m).op)) {
            *out = m;
            return true;
        }
    }
    return false;
}

double similarityFromDistance(SearchMetric metric, double distance)
{
    switch (metric) {
    case SearchMetric::L2: return 1.0 / (1.0 + distance);
    case SearchMetric::Cosine: return 1.0 - distance;
    case SearchMetric::InnerProduct: return -distance;
    }
    return 0;
}

double distanceFromSimilarity(SearchMetric metric, double similarity)
{
    switch (metric) {
    case SearchMetric::L2: return similarity > 0 ? 1.0 / similarity - 1.0 : std::numeric_limits<double>::infinity();
    case SearchMetric::Cosine: return 1.0 - similarity;
    case SearchMetric::InnerProduct: return -similarity;
    }
    return 0;
}
} // namespace vwb
