// app/plan/PlanCompare.h
#pragma once

#include "plan/PlanNode.h"

namespace vwb {

/// One node's figures on one side of a comparison. rows is actual rows over all loops (the
/// estimate when the plan was not analyzed); buffers are the node's inclusive shared blocks.
struct PlanSide
{
    int nodeId = -1; // -1: no node on this side
    QString label;
    double inclusiveMs = 0;
    double exclusiveMs = 0;
    double rows = 0;
    double loops = 0;
    double totalCost = 0;
    qint64 sharedHit = 0;
    qint64 sharedRead = 0;

    static PlanSide of(const PlanNode &node);
};

/// A row of the aligned tree. Same: same node type and target; Changed: paired by position only
/// (e.g. a Sort where an Index Scan now is); Removed / Added: on one side only.
struct PlanNodeDelta
{
    enum class Change { Same, Changed, Removed, Added };
    Change change = Change::Same;
    int depth = 0;
    PlanSide before;
    PlanSide after;

    double inclusiveMsDelta() const { return after.inclusiveMs - before.inclusiveMs; }
    double exclusiveMsDelta() const { return after.exclusiveMs - before.exclusiveMs; }
    double rowsDelta() const { return after.rows - before.rows; }
    qint64 sharedHitDelta() const { return after.sharedHit - before.sharedHit; }
    qint64 sharedReadDelta() const { return after.sharedRead - before.sharedRead; }
    static QString changeName(Change change); // same | changed | removed | added
};

struct PlanComparison
{
    QList<PlanNodeDelta> nodes; // the aligned tree in pre-order
    PlanSide totalBefore;       // the roots' rows and buffers, with Plan::totalMs() as inclusiveMs
    PlanSide totalAfter;
    double planningMsBefore = -1, planningMsAfter = -1;
    double executionMsBefore = -1, executionMsAfter = -1;
    int same = 0, changed = 0, removed = 0, added = 0;
};

/// Aligns two plans node by node: the roots are paired, then each pair's children greedily, first
/// by (node type, target, relationship), then by (node type, target), then the rest in order of
/// position (Changed). Whatever is left over is Removed (before) or Added (after), subtree and all.
PlanComparison comparePlans(const Plan &before, const Plan &after);
} // namespace vwb
