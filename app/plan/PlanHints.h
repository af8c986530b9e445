// app/plan/PlanHints.h
#pragma once

#include "plan/PlanNode.h"
#include "schema/DatabaseSchema.h"

namespace vwb {

/// Something in a plan worth a look, with the change that addresses it.
struct PlanHint
{
    enum class Severity { Info, Warning, Critical };
    Severity severity = Severity::Info;
    /// Stable: seq-scan-sort, no-ann-index, order-by-expression, operator-mismatch, ann-short,
    /// filter-discards.
    QString code;
    int nodeId = -1; // PlanNode::id
    QString node;    // the node's label
    QString message; // one line
    QString fix;     // one line

    static QString severityName(Severity severity); // "info" | "warning" | "critical"
};

/// pgvector-aware hints. `schema` says which tables have vector columns and which ANN indexes
/// (method, operator class) serve them; plans name tables without their schema unless VERBOSE, so
/// an unqualified name is looked up in `searchPath` order (any schema when it is empty).
///  - seq-scan-sort: a Seq Scan then a Sort by a bare distance that an ANN index on the column
///    could have served;
///  - no-ann-index (info): the same on a column with no ANN index at all;
///  - order-by-expression: the Sort key is an expression of the distance (1 - (v <=> q),
///    (v <=> q) * -1), or descending, which no index can serve;
///  - operator-mismatch: the distance operator is not the one the column's ANN indexes serve;
///  - ann-short: an ANN index scan under a Limit returned fewer rows than the limit (ef_search /
///    probes, or a filter, cut it short);
///  - filter-discards: a filter after an index scan threw away at least 90% of the rows it met.
/// Hints needing the schema stay silent for tables it does not know.
QList<PlanHint> planHints(const Plan &plan, const DatabaseSchema &schema, const QStringList &searchPath = {});
} // namespace vwb
