// app/search/SearchMetric.h
#pragma once

#include <QString>

namespace vwb {

/// The three ways to compare vectors, each with pgvector's distance operator and the similarity
/// people read: the reference design's L2 similarity 1/(1+d), cosine 1-d, inner product -d
/// (pgvector's <#> returns the negative inner product).
enum class SearchMetric { L2, Cosine, InnerProduct };

struct MetricInfo
{
    SearchMetric metric;
    const char *name;    // "l2", "cosine", "ip"
    const char *op;      // "<->", "<=>", "<#>"
    const char *opclass; // the vector_*_ops an index needs for this operator
};

MetricInfo metricInfo(SearchMetric metric);
/// "l2" | "cosine" | "ip" (also "inner_product"); false when unknown.
bool parseMetric(const QString &name, SearchMetric *out);
/// The metric an operator class serves; false for others (btree, l1, ...).
bool metricForOpclass(const QString &opclass, SearchMetric *out);
/// The metric of a distance operator ("<=>" → cosine); false for others (<+>, <~>, ...).
bool metricForOperator(const QString &op, SearchMetric *out);
/// Distance (as the operator returns it) → similarity, and back. Pure; used for thresholds.
double similarityFromDistance(SearchMetric metric, double distance);
double distanceFromSimilarity(SearchMetric metric, double similarity);
} // namespace vwb
