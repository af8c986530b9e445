// app/plan/PlanCompare.cpp
#include "plan/PlanCompare.h"

namespace vwb {
namespace {

class Aligner
{
public:
    explicit Aligner(PlanComparison &out) : m_out(out) {}
    void pair(const PlanNode &a, const PlanNode &b, int depth);

private:
    void oneSide(const PlanNode &node, int depth, PlanNodeDelta::Change change);
    void children(const QList<PlanNode> &a, const QList<PlanNode> &b, int depth);
    PlanComparison &m_out;
};

void Aligner::pair(const PlanNode &a, const PlanNode &b, int depth)
{
    const bool same = a.nodeType == b.nodeType && a.target() == b.target();
    m_out.nodes.append({same ? PlanNodeDelta::Change::Same : PlanNodeDelta::Change::Changed, depth, PlanSide::of(a), PlanSide::of(b)});
    ++(same ? m_out.same : m_out.changed);
    children(a.children, b.children, depth + 1);
}

void Aligner::oneSide(const PlanNode &node, int depth, PlanNodeDelta::Change change)
{
    PlanNodeDelta d{change, depth, {}, {}};
    (change == PlanNodeDelta::Change::Removed ? d.before : d.after) = PlanSide::of(node);
    m_out.nodes.append(d);
    ++(change == PlanNodeDelta::Change::Removed ? m_out.removed : m_out.added);
    for (const PlanNode &child : node.children)
        oneSide(child, depth + 1, change);
}

void Aligner::children(const QList<PlanNode> &a, const QList<PlanNode> &b, int depth)
{
    QList<qsizetype> match(a.size(), -1); // index into b
    QList<bool> taken(b.size(), false);
    auto greedy = [&](const auto &same) {
        for (qsizetype i = 0; i < a.size(); ++i) {
            for (qsizetype j = 0; j < b.size() && match[i] < 0; ++j) {
                if (!taken[j] && same(a[i], b[j])) {
                    match[i] = j;
                    taken[j] = true;
                }
            }
        }
    };
    greedy([](const PlanNode &x, const PlanNode &y) {
        return x.nodeType == y.nodeType && x.target() == y.target() && x.relationship == y.relationship;
    });
    greedy([](const PlanNode &x, const PlanNode &y) { return x.nodeType == y.nodeType && x.target() == y.target(); });
    // What is left pairs up in order of position: the node that took the other's place.
    qsizetype next = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (match[i] >= 0)
            continue;
        while (next < b.size() && taken[next])
            ++next;
        if (next < b.size()) {
            match[i] = next;
            taken[next] = true;
        }
    }
    for (qsizetype i = 0; i < a.size(); ++i)
        match[i] >= 0 ? pair(a[i], b[match[i]], depth) : oneSide(a[i], depth, PlanNodeDelta::Change::Removed);
    for (qsizetype j = 0; j < b.size(); ++j) {
        if (!taken[j])
            oneSide(b[j], depth, PlanNodeDelta::Change::Added);
    }
}
} // namespace

PlanSide PlanSide::of(const PlanNode &node)
{
    PlanSide s;
    s.nodeId = node.id;
    s.label = node.label();
    s.inclusiveMs = node.inclusiveMs;
    s.exclusiveMs = node.exclusiveMs;
    s.rows = node.analyzed ? node.actualRows * node.actualLoops : node.planRows;
    s.loops = node.actualLoops;
    s.totalCost = node.totalCost;
    s.sharedHit = node.buffers.sharedHit;
    s.sharedRead = node.buffers.sharedRead;
    return s;
}

QString PlanNodeDelta::changeName(Change change)
{
    switch (change) {
    case Change::Same: return QStringLiteral("same");
    case Change::Changed: return QStringLiteral("changed");
    case Change::Removed: return QStringLiteral("removed");
    case Change::Added: return QStringLiteral("added");
    }
    return {};
}

PlanComparison comparePlans(const Plan &before, const Plan &after)
{
    PlanComparison out;
    Aligner(out).pair(before.root, after.root, 0);
    out.totalBefore = PlanSide::of(before.root);
    out.totalAfter = PlanSide::of(after.root);
    out.totalBefore.inclusiveMs = before.totalMs(); // what the exclusive times add up to
    out.totalAfter.inclusiveMs = after.totalMs();
    out.planningMsBefore = before.planningMs;
    out.planningMsAfter = after.planningMs;
    out.executionMsBefore = before.executionMs;
    out.executionMsAfter = after.executionMs;
    return out;
}
} // namespace vwb
