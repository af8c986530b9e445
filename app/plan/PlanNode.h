// app/plan/PlanNode.h
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace vwb {

/// How a node hangs below its parent (FORMAT JSON's "Parent Relationship"). CTEs are InitPlans
/// whose subplan name starts with "CTE ".
enum class PlanRelation { None, Outer, Inner, Member, Subquery, InitPlan, SubPlan, Children };

/// Block counts as EXPLAIN (BUFFERS) reports them: totals over all loops and processes, and, like
/// the times, inclusive of the node's children.
struct PlanBuffers
{
    qint64 sharedHit = 0;
    qint64 sharedRead = 0;
    qint64 sharedDirtied = 0;
    qint64 sharedWritten = 0;
    bool reported = false;
};

/// Actual rows against the planner's estimate. Under: more rows came than the planner expected.
enum class EstimateDirection { Exact, Under, Over };
enum class EstimateBand { None, Within10x, Off10x, Off100x, Off1000x };

/// One plan node, read from EXPLAIN output (JSON or text). Figures PostgreSQL reports per loop
/// (times, rows, rows removed) stay per loop here; the computed ones (see PlanMetrics.h) are totals.
struct PlanNode
{
    // What it is. nodeType is FORMAT JSON's "Node Type" ("Aggregate", "Hash Join", "ModifyTable");
    // the variants the text format folds into the name are kept apart, so both formats agree.
    QString nodeType;
    QString joinType;      // Inner, Left, Semi, ... (joins)
    QString strategy;      // Plain, Sorted, Hashed, Mixed (Aggregate, SetOp)
    QString partialMode;   // Simple, Partial, Finalize (Aggregate)
    QString operation;     // Insert, Update, Delete, Merge (ModifyTable)
    QString scanDirection; // Forward, Backward, NoMovement (index scans)
    QString customProvider;
    bool parallelAware = false;
    QString relation; // table, unquoted
    QString schema;   // only with VERBOSE (or a qualified name in text)
    QString alias;
    QString indexName;
    QString cteName;
    QString functionName;
    PlanRelation relationship = PlanRelation::None;
    QString subplanName; // "InitPlan 1 (returns $0)", "SubPlan 2", "CTE w"

    // The planner's view; costs in planner units, rows per loop.
    bool hasCosts = false;
    double startupCost = 0;
    double totalCost = 0;
    double planRows = 0;
    int planWidth = 0;

    // The executor's view (ANALYZE): per loop averages, times in ms.
    bool analyzed = false; // actual rows and loops are present
    bool timed = false;    // actual times are present (absent with TIMING OFF)
    double actualStartupMs = 0;
    double actualTotalMs = 0;
    double actualRows = 0;
    double actualLoops = 0;
    int workersPlanned = -1; // -1: not reported
    int workersLaunched = -1;
    PlanBuffers buffers;
    double rowsRemovedByFilter = -1; // per loop; -1: not reported

    QStringList sortKey;
    QString orderBy;
    QString indexCond;
    QString filter;
    QString joinFilter;
    /// Every other property as shown (Hash Cond, Sort Method, Heap Fetches, ...), for display.
    QList<QPair<QString, QString>> details;
    QList<PlanNode> children;

    // Computed by computePlanMetrics().
    int id = -1; // pre-order position, root = 0
    int depth = 0;
    double timeDivisor = 1;    // processes a parallel node's summed time is spread over
    double inclusiveMs = 0;    // actual total time x loops / timeDivisor
    double exclusiveMs = 0;    // inclusive minus what its children (and InitPlans it reads) took
    double share = 0;          // exclusiveMs / the plan's total, 0..1
    double estimateFactor = 0; // >= 1 when analyzed and executed, else 0
    EstimateDirection estimateDirection = EstimateDirection::Exact;
    EstimateBand estimateBand = EstimateBand::None;

    bool neverExecuted() const { return analyzed && actualLoops <= 0; }
    /// The name the text format prints: "Parallel Seq Scan on items i", "Hash Left Join".
    QString label() const;
    /// What the node reads: relation, CTE, function, index (Bitmap Index Scan) or alias.
    QString target() const;
    /// Strings that can reference parameters or columns: conditions, keys and detail values.
    QStringList expressions() const;
};

QString planRelationName(PlanRelation relation);
PlanRelation planRelationFromName(const QString &name); // None when unknown

struct Plan
{
    PlanNode root;
    bool analyzed = false;
    double planningMs = -1; // -1: not reported
    double executionMs = -1;
    /// Top-level properties other than the times (Planning buffers, Triggers, JIT, Settings).
    QList<QPair<QString, QString>> details;

    /// Computed by computePlanMetrics(): the sum of the exclusive times, which is the root's
    /// inclusive time unless work ran outside the root (a data-modifying CTE) or a node's children
    /// took longer than the node itself (rounding); see PlanMetrics.h. ms.
    double computedTotalMs = 0;

    /// The sum the exclusive times add up to (see computedTotalMs).
    double totalMs() const { return computedTotalMs; }
    /// Every node in pre-order (index == id after computePlanMetrics()).
    QList<const PlanNode *> nodes() const;
    const PlanNode *node(int id) const;
};
} // namespace vwb
