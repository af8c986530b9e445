// app/plan/PlanNodeHead.h
#pragma once

#include "plan/PlanNode.h"

namespace vwb {

/// The text format names a node, its variant and what it reads in one head ("Parallel Index Scan
/// Backward using items_pkey on items i", "Hash Left Join", "Partial HashAggregate"): fills
/// nodeType, parallelAware, joinType, strategy, partialMode, operation, scanDirection and the
/// relation/index/CTE/function/alias the way FORMAT JSON reports them, so both formats agree.
/// PlanNode::label() is its inverse. False when the head cannot be read.
bool applyNodeHead(PlanNode &node, QString head);
/// One of PostgreSQL's plan node types as FORMAT JSON names them (PostgreSQL 13-17).
bool isKnownNodeType(const QString &nodeType);
} // namespace vwb
