// app/plan/PlanReport.cpp
#include "plan/PlanReport.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace vwb {
namespace {

QJsonValue msOrNull(double ms)
{
    return ms < 0 ? QJsonValue() : QJsonValue(ms);
}

QString bandName(EstimateBand band)
{
    switch (band) {
    case EstimateBand::None: return {};
    case EstimateBand::Within10x: return QStringLiteral("<10x");
    case EstimateBand::Off10x: return QStringLiteral("10x");
    case EstimateBand::Off100x: return QStringLiteral("100x");
    case EstimateBand::Off1000x: return QStringLiteral("1000x");
    }
    return {};
}

QString directionName(EstimateDirection direction)
{
    switch (direction) {
    case EstimateDirection::Exact: return QStringLiteral("exact");
    case EstimateDirection::Under: return QStringLiteral("under");
    case EstimateDirection::Over: return QStringLiteral("over");
    }
    return {};
}

void putText(QJsonObject &o, const char *key, const QString &value)
{
    if (!value.isEmpty())
        o.insert(QLatin1String(key), value);
}

QJsonObject sideJson(const PlanSide &s)
{
    return {{QStringLiteral("id"), s.nodeId},
            {QStringLiteral("label"), s.label},
            {QStringLiteral("inclusive_ms"), s.inclusiveMs},
            {QStringLiteral("exclusive_ms"), s.exclusiveMs},
            {QStringLiteral("rows"), s.rows},
            {QStringLiteral("loops"), s.loops},
            {QStringLiteral("total_cost"), s.totalCost},
            {QStringLiteral("shared_hit"), s.sharedHit},
            {QStringLiteral("shared_read"), s.sharedRead}};
}

QJsonObject deltaJson(const PlanSide &before, const PlanSide &after)
{
    return {{QStringLiteral("inclusive_ms"), after.inclusiveMs - before.inclusiveMs},
            {QStringLiteral("exclusive_ms"), after.exclusiveMs - before.exclusiveMs},
            {QStringLiteral("rows"), after.rows - before.rows},
            {QStringLiteral("shared_hit"), after.sharedHit - before.sharedHit},
            {QStringLiteral("shared_read"), after.sharedRead - before.sharedRead}};
}

QString ms(double value)
{
    return QString::number(value, 'f', 3);
}

QString count(double value)
{
    return QString::number(value, 'f', 0);
}

void nodeLines(const PlanNode &n, bool analyzed, QStringList &out)
{
    const QString indent(n.depth * 4, QLatin1Char(' '));
    const QString pad = QStringLiteral("%1").arg(QString(), analyzed ? 70 : 18);
    if (!n.subplanName.isEmpty())
        out << pad + indent.chopped(qMin<qsizetype>(2, indent.size())) + n.subplanName;
    const QString name = indent + (n.depth > 0 ? QStringLiteral("-> ") : QString()) + n.label();
    if (analyzed) {
        const QString buffers = n.buffers.reported ? QStringLiteral("%1 %2").arg(n.buffers.sharedHit, 7).arg(n.buffers.sharedRead, 6)
                                                   : QStringLiteral("%1 %2").arg(QStringLiteral("-"), 7).arg(QStringLiteral("-"), 6);
        out << QStringLiteral("%1 %2 %3% %4 %5 %6 %7 %8  %9")
                   .arg(ms(n.exclusiveMs), 9)
                   .arg(ms(n.inclusiveMs), 9)
                   .arg(n.share * 100, 5, 'f', 1)
                   .arg(n.neverExecuted() ? QStringLiteral("-") : count(n.actualRows), 8)
                   .arg(count(n.planRows), 7)
                   .arg(estimateText(n), 7)
                   .arg(count(n.actualLoops), 5)
                   .arg(buffers, name);
    } else {
        out << QStringLiteral("%1 %2  %3").arg(n.totalCost, 10, 'f', 2).arg(count(n.planRows), 7).arg(name);
    }
    const QString detailPad = pad + indent + (n.depth > 0 ? QStringLiteral("     ") : QStringLiteral("  "));
    auto detail = [&](const char *key, const QString &value) {
        if (!value.isEmpty())
            out << detailPad + QLatin1String(key) + QStringLiteral(": ") + abbreviateVectorLiterals(value);
    };
    detail("Sort Key", n.sortKey.join(QStringLiteral(", ")));
    detail("Order By", n.orderBy);
    detail("Index Cond", n.indexCond);
    detail("Join Filter", n.joinFilter);
    detail("Filter", n.filter);
    if (n.rowsRemovedByFilter >= 0)
        detail("Rows Removed by Filter", count(n.rowsRemovedByFilter));
    if (n.workersLaunched >= 0 || n.workersPlanned >= 0)
        detail("Workers", QStringLiteral("%1 planned, %2 launched").arg(n.workersPlanned).arg(n.workersLaunched));
    if (n.timeDivisor > 1)
        detail("Time", QStringLiteral("summed over %1 processes, divided by %1").arg(n.timeDivisor));
    for (const PlanNode &child : n.children)
        nodeLines(child, analyzed, out);
}
} // namespace

QString abbreviateVectorLiterals(const QString &text)
{
    // '[0.1,0.2,...]' with more than a handful of values: a 1536-dimension query vector is ~10 kB.
    static const QRegularExpression literal(QStringLiteral("'\\[([^\\]']{80,})\\]'"));
    QString out;
    qsizetype from = 0;
    for (auto it = literal.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const QStringList values = m.captured(1).split(QLatin1Char(','));
        out += text.mid(from, m.capturedStart() - from)
               + QStringLiteral("'[%1,…%2 dims]'").arg(values.mid(0, 3).join(QLatin1Char(','))).arg(values.size());
        from = m.capturedEnd();
    }
    return out + text.mid(from);
}

QString estimateText(const PlanNode &node)
{
    if (node.neverExecuted())
        return QStringLiteral("never");
    if (node.estimateBand == EstimateBand::None)
        return {};
    const QString factor = node.estimateFactor < 10 ? QString::number(node.estimateFactor, 'f', 1)
                                                    : QString::number(node.estimateFactor, 'f', 0);
    const QString arrow = node.estimateDirection == EstimateDirection::Under  ? QStringLiteral("↑")
                          : node.estimateDirection == EstimateDirection::Over ? QStringLiteral("↓")
                                                                              : QString();
    return arrow + factor + QStringLiteral("×");
}

QJsonObject planNodeToJson(const PlanNode &n)
{
    QJsonObject o{{QStringLiteral("id"), n.id},
                  {QStringLiteral("node_type"), n.nodeType},
                  {QStringLiteral("label"), n.label()},
                  {QStringLiteral("exclusive_ms"), n.exclusiveMs},
                  {QStringLiteral("inclusive_ms"), n.inclusiveMs},
                  {QStringLiteral("share"), n.share},
                  {QStringLiteral("rows"), n.analyzed ? QJsonValue(n.actualRows) : QJsonValue()},
                  {QStringLiteral("plan_rows"), n.planRows},
                  {QStringLiteral("factor"), n.estimateBand == EstimateBand::None ? QJsonValue() : QJsonValue(n.estimateFactor)},
                  {QStringLiteral("loops"), n.analyzed ? QJsonValue(n.actualLoops) : QJsonValue()},
                  {QStringLiteral("startup_cost"), n.startupCost},
                  {QStringLiteral("total_cost"), n.totalCost}};
    if (n.estimateBand != EstimateBand::None) {
        o.insert(QStringLiteral("estimate"), directionName(n.estimateDirection));
        o.insert(QStringLiteral("band"), bandName(n.estimateBand));
    }
    if (n.neverExecuted())
        o.insert(QStringLiteral("never_executed"), true);
    if (n.timeDivisor > 1)
        o.insert(QStringLiteral("time_divisor"), n.timeDivisor);
    o.insert(QStringLiteral("buffers"), n.buffers.reported
                                            ? QJsonValue(QJsonObject{{QStringLiteral("shared_hit"), n.buffers.sharedHit},
                                                                     {QStringLiteral("shared_read"), n.buffers.sharedRead},
                                                                     {QStringLiteral("shared_dirtied"), n.buffers.sharedDirtied},
                                                                     {QStringLiteral("shared_written"), n.buffers.sharedWritten}})
                                            : QJsonValue());
    putText(o, "relation", n.relation);
    putText(o, "schema", n.schema);
    putText(o, "alias", n.alias);
    putText(o, "index", n.indexName);
    putText(o, "cte", n.cteName);
    putText(o, "function", n.functionName);
    putText(o, "parent_relationship", planRelationName(n.relationship));
    putText(o, "subplan_name", n.subplanName);
    putText(o, "order_by", n.orderBy);
    putText(o, "index_cond", n.indexCond);
    putText(o, "filter", n.filter);
    putText(o, "join_filter", n.joinFilter);
    if (!n.sortKey.isEmpty())
        o.insert(QStringLiteral("sort_key"), QJsonArray::fromStringList(n.sortKey));
    if (n.rowsRemovedByFilter >= 0)
        o.insert(QStringLiteral("rows_removed_by_filter"), n.rowsRemovedByFilter);
    if (n.workersPlanned >= 0)
        o.insert(QStringLiteral("workers_planned"), n.workersPlanned);
    if (n.workersLaunched >= 0)
        o.insert(QStringLiteral("workers_launched"), n.workersLaunched);
    QJsonObject details;
    for (const auto &[key, value] : n.details)
        details.insert(key, details.contains(key) ? details.value(key).toString() + QStringLiteral("; ") + value : value);
    if (!details.isEmpty())
        o.insert(QStringLiteral("details"), details);
    QJsonArray children;
    for (const PlanNode &child : n.children)
        children.append(planNodeToJson(child));
    o.insert(QStringLiteral("children"), children);
    return o;
}

QJsonObject planHintToJson(const PlanHint &h)
{
    return {{QStringLiteral("severity"), PlanHint::severityName(h.severity)},
            {QStringLiteral("code"), h.code},
            {QStringLiteral("node_id"), h.nodeId},
            {QStringLiteral("node"), h.node},
            {QStringLiteral("message"), h.message},
            {QStringLiteral("fix"), h.fix}};
}

QJsonObject planToJson(const Plan &plan, const QList<PlanHint> &hints)
{
    QJsonArray hintList;
    for (const PlanHint &h : hints)
        hintList.append(planHintToJson(h));
    QJsonObject details;
    for (const auto &[key, value] : plan.details)
        details.insert(key, value);
    return {{QStringLiteral("analyzed"), plan.analyzed},
            {QStringLiteral("total_ms"), plan.totalMs()},
            {QStringLiteral("planning_ms"), msOrNull(plan.planningMs)},
            {QStringLiteral("execution_ms"), msOrNull(plan.executionMs)},
            {QStringLiteral("plan"), planNodeToJson(plan.root)},
            {QStringLiteral("hints"), hintList},
            {QStringLiteral("details"), details}};
}

QJsonObject planComparisonToJson(const PlanComparison &c)
{
    QJsonArray nodes;
    for (const PlanNodeDelta &d : c.nodes) {
        QJsonObject o{{QStringLiteral("change"), PlanNodeDelta::changeName(d.change)},
                      {QStringLiteral("depth"), d.depth},
                      {QStringLiteral("before"), d.before.nodeId < 0 ? QJsonValue() : QJsonValue(sideJson(d.before))},
                      {QStringLiteral("after"), d.after.nodeId < 0 ? QJsonValue() : QJsonValue(sideJson(d.after))}};
        if (d.before.nodeId >= 0 && d.after.nodeId >= 0)
            o.insert(QStringLiteral("delta"), deltaJson(d.before, d.after));
        nodes.append(o);
    }
    return {{QStringLiteral("nodes"), nodes},
            {QStringLiteral("totals"), QJsonObject{{QStringLiteral("before"), sideJson(c.totalBefore)},
                                                   {QStringLiteral("after"), sideJson(c.totalAfter)},
                                                   {QStringLiteral("delta"), deltaJson(c.totalBefore, c.totalAfter)},
                                                   {QStringLiteral("planning_ms_before"), msOrNull(c.planningMsBefore)},
                                                   {QStringLiteral("planning_ms_after"), msOrNull(c.planningMsAfter)},
                                                   {QStringLiteral("execution_ms_before"), msOrNull(c.executionMsBefore)},
                                                   {QStringLiteral("execution_ms_after"), msOrNull(c.executionMsAfter)}}},
            {QStringLiteral("counts"), QJsonObject{{QStringLiteral("same"), c.same},
                                                   {QStringLiteral("changed"), c.changed},
                                                   {QStringLiteral("removed"), c.removed},
                                                   {QStringLiteral("added"), c.added}}}};
}

QStringList planToText(const Plan &plan, const QList<PlanHint> &hints)
{
    QStringList out;
    out << (plan.analyzed ? QStringLiteral("  excl ms   incl ms  share     rows     est  factor loops     hit   read  node")
                          : QStringLiteral("      cost    rows  node"));
    nodeLines(plan.root, plan.analyzed, out);
    if (!hints.isEmpty()) {
        out << QString() << QStringLiteral("hints:");
        for (const PlanHint &h : hints) {
            out << QStringLiteral("  %1 #%2 %3: %4").arg(PlanHint::severityName(h.severity).toUpper()).arg(h.nodeId).arg(h.node, h.message);
            out << QStringLiteral("      fix: ") + h.fix;
        }
    }
    QStringList totals;
    if (plan.analyzed && qAbs(plan.totalMs() - plan.root.inclusiveMs) < 0.0005)
        totals << QStringLiteral("total %1 ms (root node; the exclusive times add up to it)").arg(ms(plan.totalMs()));
    else if (plan.analyzed)
        totals << QStringLiteral("total %1 ms (the exclusive times; the root node took %2 ms, the rest ran outside it)")
                      .arg(ms(plan.totalMs()), ms(plan.root.inclusiveMs));
    else
        totals << QStringLiteral("estimated cost %1 (not executed: run with --analyze for times)").arg(plan.root.totalCost, 0, 'f', 2);
    if (plan.planningMs >= 0)
        totals << QStringLiteral("planning %1 ms").arg(ms(plan.planningMs));
    if (plan.executionMs >= 0)
        totals << QStringLiteral("execution %1 ms").arg(ms(plan.executionMs));
    out << QString() << QStringLiteral("-- ") + totals.join(QStringLiteral(", "));
    if (plan.analyzed)
        out << QStringLiteral("-- factor: actual rows against the estimate per loop; ↑ more rows than estimated, ↓ fewer");
    return out;
}

QStringList planComparisonToText(const PlanComparison &c)
{
    QStringList out{QStringLiteral(" before ms  after ms      Δ ms   rows before → after    hit Δ  read Δ  node")};
    for (const PlanNodeDelta &d : c.nodes) {
        const bool both = d.before.nodeId >= 0 && d.after.nodeId >= 0;
        const QString indent(d.depth * 2, QLatin1Char(' '));
        const QString label = d.change == PlanNodeDelta::Change::Same      ? d.after.label
                              : d.change == PlanNodeDelta::Change::Changed ? d.before.label + QStringLiteral(" => ") + d.after.label
                              : d.change == PlanNodeDelta::Change::Removed ? QStringLiteral("- ") + d.before.label
                                                                           : QStringLiteral("+ ") + d.after.label;
        out << QStringLiteral("%1 %2 %3 %4 %5 %6  %7")
                   .arg(d.before.nodeId >= 0 ? ms(d.before.inclusiveMs) : QStringLiteral("-"), 10)
                   .arg(d.after.nodeId >= 0 ? ms(d.after.inclusiveMs) : QStringLiteral("-"), 9)
                   .arg(both ? ms(d.inclusiveMsDelta()) : QString(), 9)
                   .arg(QStringLiteral("%1 → %2").arg(d.before.nodeId >= 0 ? count(d.before.rows) : QStringLiteral("-"),
                                                      d.after.nodeId >= 0 ? count(d.after.rows) : QStringLiteral("-")),
                        22)
                   .arg(both ? QString::number(d.sharedHitDelta()) : QString(), 8)
                   .arg(both ? QString::number(d.sharedReadDelta()) : QString(), 7)
                   .arg(indent + label);
    }
    out << QString()
        << QStringLiteral(
               "-- total %1 ms → %2 ms (%3%4 ms); shared hit %5 → %6, read %7 → %8; %9 same, %10 changed, %11 removed, %12 added")
               .arg(ms(c.totalBefore.inclusiveMs), ms(c.totalAfter.inclusiveMs))
               .arg(c.totalAfter.inclusiveMs >= c.totalBefore.inclusiveMs ? QStringLiteral("+") : QString())
               .arg(ms(c.totalAfter.inclusiveMs - c.totalBefore.inclusiveMs))
               .arg(c.totalBefore.sharedHit)
               .arg(c.totalAfter.sharedHit)
               .arg(c.totalBefore.sharedRead)
               .arg(c.totalAfter.sharedRead)
               .arg(c.same)
               .arg(c.changed)
               .arg(c.removed)
               .arg(c.added);
    return out;
}
} // namespace vwb
