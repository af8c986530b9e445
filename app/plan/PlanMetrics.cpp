// app/plan/PlanMetrics.cpp
#include "plan/PlanMetrics.h"

#include <QRegularExpression>
#include <algorithm>
#include <cmath>

namespace vwb {
namespace {

/// A node in pre-order with what attribution needs: its parent and the end of its subtree.
struct Flat
{
    PlanNode *node = nullptr;
    int parent = -1;
    int end = 0;              // one past the last index of its subtree
    double charged = 0;       // InitPlan time that ran inside this node without being its child
    QList<int> notSubtracted; // children whose time is charged to a reader below instead
};

void flatten(PlanNode &node, int parent, int depth, QList<Flat> &out)
{
    const int index = int(out.size());
    node.id = index;
    node.depth = depth;
    out.append(Flat{&node, parent, 0, 0, {}});
    for (PlanNode &child : node.children)
        flatten(child, index, depth + 1, out);
    out[index].end = int(out.size());
}

bool isGather(const PlanNode &node)
{
    return node.nodeType == QLatin1String("Gather") || node.nodeType == QLatin1String("Gather Merge");
}

bool isSubplan(const PlanNode &node)
{
    return node.relationship == PlanRelation::InitPlan || node.relationship == PlanRelation::SubPlan;
}

/// processes: how many processes the section this node is in ran in (1 outside a Gather).
void assignTimes(PlanNode &node, double processes)
{
    const bool parallelSection = processes > 1 && node.actualLoops > 1;
    node.timeDivisor = parallelSection ? std::min(node.actualLoops, processes) : 1;
    node.inclusiveMs = node.analyzed && node.timed ? node.actualTotalMs * node.actualLoops / node.timeDivisor : 0;
    double below = processes;
    if (isGather(node)) {
        below = 0;
        for (const PlanNode &child : node.children) {
            if (!isSubplan(child)) {
                below = child.actualLoops / std::max(1.0, node.actualLoops);
                break;
            }
        }
        if (below < 1 && node.workersLaunched >= 0)
            below = node.workersLaunched + 1;
        below = std::max(1.0, std::round(below));
    }
    for (PlanNode &child : node.children) // InitPlans and SubPlans of the Gather run in the leader
        assignTimes(child, isGather(node) && isSubplan(child) ? processes : below);
}

QString unquoted(QString name)
{
    name = name.trimmed();
    if (name.size() >= 2 && name.startsWith(QLatin1Char('"')) && name.endsWith(QLatin1Char('"')))
        name = name.mid(1, name.size() - 2).replace(QLatin1String("\"\""), QLatin1String("\""));
    return name;
}

/// The strings by which other nodes refer to an InitPlan's result.
QStringList referenceTokens(const QString &subplanName)
{
    static const QRegularExpression param(QStringLiteral("\\$\\d+"));
    static const QRegularExpression initPlan(QStringLiteral("^InitPlan \\d+"));
    QStringList tokens;
    for (auto it = param.globalMatch(subplanName); it.hasNext();)
        tokens << it.next().captured(0);
    if (const auto m = initPlan.match(subplanName); m.hasMatch())
        tokens << m.captured(0);
    return tokens;
}

bool isCte(const PlanNode &node)
{
    return node.relationship == PlanRelation::InitPlan && node.subplanName.startsWith(QLatin1String("CTE "));
}

/// The nodes below `owner` (and outside the InitPlan `init` itself) whose time includes `init`.
QList<int> readersOf(const QList<Flat> &flat, int owner, int init)
{
    const PlanNode &plan = *flat[init].node;
    auto outsideInit = [&](int i) { return i < init || i >= flat[init].end; };
    QList<int> readers;
    if (plan.subplanName.startsWith(QLatin1String("CTE "))) {
        const QString cte = unquoted(plan.subplanName.mid(4));
        for (int i = owner; i < flat[owner].end; ++i) {
            const PlanNode &n = *flat[i].node;
            if (outsideInit(i) && n.nodeType == QLatin1String("CTE Scan") && n.cteName == cte)
                readers << i;
        }
        return readers;
    }
    const QStringList tokens = referenceTokens(plan.subplanName);
    if (tokens.isEmpty())
        return readers;
    for (int i = owner; i < flat[owner].end; ++i) {
        if (!outsideInit(i))
            continue;
        for (const QString &text : flat[i].node->expressions()) {
            for (const QString &token : tokens) {
                if (mentionsToken(text, token))
                    return {i};
            }
        }
    }
    return readers;
}

void chargeInitPlans(QList<Flat> &flat)
{
    for (int owner = 0; owner < flat.size(); ++owner) {
        for (int c = owner + 1; c < flat[owner].end; c = flat[c].end) { // the owner's children
            if (flat[c].node->relationship != PlanRelation::InitPlan)
                continue;
            const QList<int> readers = readersOf(flat, owner, c);
            if (readers.contains(owner))
                continue;
            double weight = 0;
            for (int r : readers)
                weight += flat[r].node->inclusiveMs;
            const double time = flat[c].node->inclusiveMs;
            if (isCte(*flat[c].node) && weight <= 0 && time > 0) {
                // No reader ran it: a data-modifying CTE, which the executor finishes after the
                // last row, outside the owner's time. Its time adds to the total instead.
                flat[owner].notSubtracted << c;
                continue;
            }
            if (readers.isEmpty())
                continue;
            for (int r : readers)
                flat[r].charged += weight > 0 ? time * flat[r].node->inclusiveMs / weight : time / double(readers.size());
            flat[owner].notSubtracted << c;
        }
    }
}

void estimate(PlanNode &node)
{
    node.estimateFactor = 0;
    node.estimateDirection = EstimateDirection::Exact;
    node.estimateBand = EstimateBand::None;
    if (!node.analyzed || node.actualLoops <= 0 || !node.hasCosts)
        return;
    const double actual = std::max(node.actualRows, 1.0);
    const double planned = std::max(node.planRows, 1.0);
    node.estimateFactor = std::max(actual, planned) / std::min(actual, planned);
    node.estimateDirection = actual > planned   ? EstimateDirection::Under
                             : actual < planned ? EstimateDirection::Over
                                                : EstimateDirection::Exact;
    node.estimateBand = node.estimateFactor < 10     ? EstimateBand::Within10x
                        : node.estimateFactor < 100  ? EstimateBand::Off10x
                        : node.estimateFactor < 1000 ? EstimateBand::Off100x
                                                     : EstimateBand::Off1000x;
}
} // namespace

bool mentionsToken(const QString &text, const QString &token)
{
    for (qsizetype at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
        const qsizetype after = at + token.size();
        if (after >= text.size() || !text.at(after).isDigit())
            return true;
    }
    return false;
}

void computePlanMetrics(Plan &plan)
{
    QList<Flat> flat;
    flatten(plan.root, -1, 0, flat);
    assignTimes(plan.root, 1);
    chargeInitPlans(flat);
    for (int i = 0; i < flat.size(); ++i) {
        PlanNode &node = *flat[i].node;
        double children = 0;
        for (int c = i + 1; c < flat[i].end; c = flat[c].end) {
            if (!flat[i].notSubtracted.contains(c))
                children += flat[c].node->inclusiveMs;
        }
        node.exclusiveMs = std::max(0.0, node.inclusiveMs - children - flat[i].charged);
        estimate(node);
    }
    double total = 0;
    for (const Flat &f : flat)
        total += f.node->exclusiveMs;
    plan.computedTotalMs = total;
    for (Flat &f : flat)
        f.node->share = total > 0 ? f.node->exclusiveMs / total : 0;
}
} // namespace vwb
