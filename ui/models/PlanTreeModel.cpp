// ui/models/PlanTreeModel.cpp
#include "models/PlanTreeModel.h"

#include "plan/PlanReport.h"
#include "theme/Theme.h"
#include <QFont>

namespace vwb::ui {
namespace {
QString ms(double v)
{
    return QString::number(v, 'f', v < 10 ? 3 : 1);
}
QString rows(double v)
{
    return v == double(qint64(v)) ? QString::number(qint64(v)) : QString::number(v, 'f', 1);
}
} // namespace

PlanTreeModel::PlanTreeModel(QObject *parent) : QAbstractItemModel(parent) {}

void PlanTreeModel::setPlan(const Plan &plan)
{
    beginResetModel();
    m_plan = plan;
    m_nodes = m_plan.nodes();
    m_parentOf = QList<int>(m_nodes.size(), -1);
    m_rowOf = QList<int>(m_nodes.size(), 0);
    for (const PlanNode *n : m_nodes)
        for (int i = 0; i < n->children.size(); ++i) {
            const int child = n->children.at(i).id;
            if (child >= 0 && child < m_nodes.size()) {
                m_parentOf[child] = n->id;
                m_rowOf[child] = i;
            }
        }
    endResetModel();
}

const PlanNode *PlanTreeModel::nodeAt(const QModelIndex &index) const
{
    const int id = index.isValid() ? int(index.internalId()) : -1;
    return id >= 0 && id < m_nodes.size() ? m_nodes.at(id) : nullptr;
}

QModelIndex PlanTreeModel::indexOfNode(int nodeId, int column) const
{
    if (nodeId < 0 || nodeId >= m_nodes.size())
        return {};
    return createIndex(m_rowOf.at(nodeId), column, quintptr(nodeId));
}

QColor PlanTreeModel::bandColor(EstimateBand band)
{
    switch (band) {
    case EstimateBand::None:
    case EstimateBand::Within10x: return {};
    case EstimateBand::Off10x: return Theme::fill(Tone::Highlight);
    case EstimateBand::Off100x: return Theme::fill(Tone::Warning);
    case EstimateBand::Off1000x: return Theme::fill(Tone::Error);
    }
    return {};
}

QColor PlanTreeModel::shareColor(double share)
{
    const double s = qBound(0.0, share, 1.0);
    return Theme::heat(s);
}

QModelIndex PlanTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (m_nodes.isEmpty() || column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row == 0 ? createIndex(0, column, quintptr(0)) : QModelIndex();
    const PlanNode *p = parent.column() == 0 ? nodeAt(parent) : nullptr; // children hang off the first column only
    if (!p || row >= p->children.size())
        return {};
    return createIndex(row, column, quintptr(p->children.at(row).id));
}

QModelIndex PlanTreeModel::parent(const QModelIndex &child) const
{
    const PlanNode *n = nodeAt(child);
    if (!n || m_parentOf.at(n->id) < 0)
        return {};
    return indexOfNode(m_parentOf.at(n->id));
}

int PlanTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return m_nodes.isEmpty() ? 0 : 1;
    if (parent.column() != 0)
        return 0;
    const PlanNode *n = nodeAt(parent);
    return n ? int(n->children.size()) : 0;
}

int PlanTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant PlanTreeModel::data(const QModelIndex &index, int role) const
{
    const PlanNode *n = nodeAt(index);
    if (!n)
        return {};
    const bool timed = n->analyzed && !n->neverExecuted();
    if (role == Qt::UserRole)
        return n->id;
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Node: {
            QString label = n->label();
            if (!n->subplanName.isEmpty())
                label = n->subplanName + QStringLiteral(": ") + label;
            return label;
        }
        case Exclusive: return timed ? ms(n->exclusiveMs) : QString();
        case Inclusive: return timed ? ms(n->inclusiveMs) : QString();
        case Share: return timed ? QStringLiteral("%1%").arg(n->share * 100, 0, 'f', 1) : QString();
        case Rows: return n->neverExecuted() ? tr("never executed") : n->analyzed ? rows(n->actualRows) : QString();
        case Estimate: return n->hasCosts ? rows(n->planRows) : QString();
        case Factor: return estimateText(*n);
        case Loops: return n->analyzed ? rows(n->actualLoops) : QString();
        case Hit: return n->buffers.reported ? QString::number(n->buffers.sharedHit) : QString();
        case Read: return n->buffers.reported ? QString::number(n->buffers.sharedRead) : QString();
        }
    }
    if (role == Qt::BackgroundRole) {
        if (index.column() == Factor && n->analyzed)
            if (const QColor c = bandColor(n->estimateBand); c.isValid())
                return c;
        if ((index.column() == Exclusive || index.column() == Share) && timed && n->share >= 0.05)
            return shareColor(n->share);
    }
    if (role == Qt::TextAlignmentRole && index.column() != Node)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::FontRole && index.column() == Node && timed && n->share >= 0.3) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole) {
        QStringList lines{n->label()};
        for (const QString &e : n->expressions())
            lines << abbreviateVectorLiterals(e);
        return lines.join(QLatin1Char('\n'));
    }
    return {};
}

QVariant PlanTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    static const char *const names[] = {"Node", "Excl. ms", "Incl. ms", "Share", "Rows", "Estimate", "Factor", "Loops", "Hit", "Read"};
    static const char *const tips[] = {"What the node does and reads",
                                       "Time in this node alone, all loops",
                                       "Time in this node and everything below it, all loops",
                                       "Exclusive time as a share of the total",
                                       "Actual rows per loop",
                                       "Rows the planner expected per loop",
                                       "Actual against estimated rows: ↑ more, ↓ fewer; yellow ≥10×, orange ≥100×, red ≥1000×",
                                       "How many times the node ran",
                                       "Shared buffers found in cache (inclusive)",
                                       "Shared buffers read from disk or the OS (inclusive)"};
    if (section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole)
        return tr(names[section]);
    if (role == Qt::ToolTipRole)
        return tr(tips[section]);
    return {};
}
} // namespace vwb::ui
