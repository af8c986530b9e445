// app/plan/PlanMetrics.h
#pragma once

#include "plan/PlanNode.h"

namespace vwb {

/// Fills the computed fields of every node (id, depth, times, share, estimate factor). The
/// parsers call it; call it again after changing a plan by hand. Recursion is bounded by the
/// parsers' depth limit.
///
/// Times. inclusive = actual total time x loops, which is what the node (and everything it ran)
/// took over all its loops. Below a Gather or Gather Merge, PostgreSQL sums each node's time over
/// the processes that ran it and divides by the summed loops, so time x loops is the time of all
/// processes together and would exceed the wall-clock Gather above it. There inclusive is divided
/// by min(loops, processes), processes being the Gather child's loops per Gather loop (workers
/// launched + 1 with leader participation): a node that ran in one process keeps its time, one
/// that ran in all of them counts one process's share. timeDivisor records the divisor.
///
/// exclusive = inclusive - the inclusive times of the node's children, InitPlans and SubPlans
/// included, clamped at 0. An InitPlan runs inside whichever node first reads its result, so its
/// time is already in that reader's inclusive time:
///  - a CTE ("CTE w") is charged to the CTE Scans on w below the node that owns it (split in
///    proportion to their inclusive times), and not subtracted again from the owner;
///  - an InitPlan whose parameter ($1, or "(InitPlan 1)" on newer servers) first appears in a
///    descendant's conditions is charged to that descendant likewise.
/// With no reader found it is subtracted from its owner, like any child; except a CTE that no
/// executed CTE Scan read: that is a data-modifying CTE the executor ran to completion after the
/// last row, outside its owner's time, so it is not subtracted from anything.
///
/// Every node's time is counted once, and the plan's total (Plan::totalMs()) is the sum of the
/// exclusive times: the root's inclusive time, plus what ran outside the root (such a CTE) and
/// whatever clamping at 0 added (children that took longer than their parent, from rounding or the
/// parallel approximation). Shares are of that total, so they add up to 1. Execution Time is a
/// little larger: it adds executor start-up and shut-down and triggers.
///
/// Estimates: factor = max(actual, plan) / min(actual, plan) of rows per loop, each at least 1;
/// Under when more rows came than planned. Bands: < 10x, 10x, 100x, 1000x and more. Nodes below a
/// Limit that stopped early show as over-estimated: the planner estimated the whole scan.
void computePlanMetrics(Plan &plan);

/// True when `text` mentions `token` ($1, not $12; "InitPlan 1", not "InitPlan 12").
bool mentionsToken(const QString &text, const QString &token);
} // namespace vwb
