// app/plan/PlanNode.cpp
#include "plan/PlanNode.h"

namespace vwb {
namespace {

bool isJoin(const QString &type)
{
    return type == QLatin1String("Hash Join") || type == QLatin1String("Merge Join") || type == QLatin1String("Nested Loop");
}

QString quoted(const QString &identifier)
{
    // Enough for display: the text format quotes what is not a plain lower-case name.
    bool plain = !identifier.isEmpty() && (identifier.front().isLower() || identifier.front() == QLatin1Char('_'));
    for (const QChar c : identifier)
        plain = plain && (c.isLower() || c.isDigit() || c == QLatin1Char('_') || c == QLatin1Char('$'));
    if (plain)
        return identifier;
    QString out = identifier;
    return QLatin1Char('"') + out.replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
}

void collect(const PlanNode &node, QList<const PlanNode *> &out)
{
    out << &node;
    for (const PlanNode &child : node.children)
        collect(child, out);
}
} // namespace

QString planRelationName(PlanRelation relation)
{
    switch (relation) {
    case PlanRelation::None: return {};
    case PlanRelation::Outer: return QStringLiteral("Outer");
    case PlanRelation::Inner: return QStringLiteral("Inner");
    case PlanRelation::Member: return QStringLiteral("Member");
    case PlanRelation::Subquery: return QStringLiteral("Subquery");
    case PlanRelation::InitPlan: return QStringLiteral("InitPlan");
    case PlanRelation::SubPlan: return QStringLiteral("SubPlan");
    case PlanRelation::Children: return QStringLiteral("Children");
    }
    return {};
}

PlanRelation planRelationFromName(const QString &name)
{
    for (PlanRelation r : {PlanRelation::Outer, PlanRelation::Inner, PlanRelation::Member, PlanRelation::Subquery, PlanRelation::InitPlan,
                           PlanRelation::SubPlan, PlanRelation::Children}) {
        if (name == planRelationName(r))
            return r;
    }
    return PlanRelation::None;
}

QString PlanNode::label() const
{
    QString name = nodeType;
    if (nodeType == QLatin1String("Aggregate")) {
        if (strategy == QLatin1String("Sorted"))
            name = QStringLiteral("GroupAggregate");
        else if (strategy == QLatin1String("Hashed"))
            name = QStringLiteral("HashAggregate");
        else if (strategy == QLatin1String("Mixed"))
            name = QStringLiteral("MixedAggregate");
        if (partialMode == QLatin1String("Partial") || partialMode == QLatin1String("Finalize"))
            name = partialMode + QLatin1Char(' ') + name;
    } else if (isJoin(nodeType) && !joinType.isEmpty() && joinType != QLatin1String("Inner")) {
        name = nodeType == QLatin1String("Nested Loop")
                   ? QStringLiteral("Nested Loop %1 Join").arg(joinType)
                   : QStringLiteral("%1 %2 Join").arg(nodeType.section(QLatin1Char(' '), 0, 0), joinType);
    } else if (nodeType == QLatin1String("ModifyTable") && !operation.isEmpty()) {
        name = operation;
    } else if (nodeType == QLatin1String("SetOp")) {
        name = strategy == QLatin1String("Hashed") ? QStringLiteral("HashSetOp") : QStringLiteral("SetOp");
    } else if (nodeType == QLatin1String("Custom Scan") && !customProvider.isEmpty()) {
        name = QStringLiteral("Custom Scan (%1)").arg(customProvider);
    } else if (scanDirection == QLatin1String("Backward")) {
        name += QStringLiteral(" Backward");
    }
    if (parallelAware)
        name = QStringLiteral("Parallel ") + name;

    const QString qualified = schema.isEmpty() ? quoted(relation) : quoted(schema) + QLatin1Char('.') + quoted(relation);
    const QString aliasPart = !alias.isEmpty() && alias != relation && alias != cteName && alias != functionName
                                  ? QLatin1Char(' ') + quoted(alias)
                                  : QString();
    if (!indexName.isEmpty() && !relation.isEmpty())
        return name + QStringLiteral(" using ") + quoted(indexName) + QStringLiteral(" on ") + qualified + aliasPart;
    if (!indexName.isEmpty())
        return name + QStringLiteral(" on ") + quoted(indexName);
    if (!relation.isEmpty())
        return name + QStringLiteral(" on ") + qualified + aliasPart;
    if (!cteName.isEmpty())
        return name + QStringLiteral(" on ") + quoted(cteName) + aliasPart;
    if (!functionName.isEmpty())
        return name + QStringLiteral(" on ") + functionName + aliasPart;
    if (!alias.isEmpty())
        return name + QStringLiteral(" on ") + quoted(alias);
    return name;
}

QString PlanNode::target() const
{
    if (!relation.isEmpty())
        return relation;
    if (!cteName.isEmpty())
        return cteName;
    if (!functionName.isEmpty())
        return functionName;
    if (!indexName.isEmpty())
        return indexName;
    return alias;
}

QStringList PlanNode::expressions() const
{
    QStringList out = sortKey;
    for (const QString *s : {&orderBy, &indexCond, &filter, &joinFilter}) {
        if (!s->isEmpty())
            out << *s;
    }
    for (const auto &[key, value] : details)
        out << value;
    return out;
}

QList<const PlanNode *> Plan::nodes() const
{
    QList<const PlanNode *> out;
    collect(root, out);
    return out;
}

const PlanNode *Plan::node(int id) const
{
    for (const PlanNode *n : nodes()) {
        if (n->id == id)
            return n;
    }
    return nullptr;
}
} // namespace vwb
