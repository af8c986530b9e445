// ui/models/PlanTreeModel.h
#pragma once

#include "plan/PlanNode.h"
#include <QAbstractItemModel>
#include <QColor>

namespace vwb::ui {

/// A parsed plan as a tree: per node its exclusive and inclusive time (loops multiplied), share of
/// the total, actual against estimated rows with the factor colour-banded (10× / 100× / 1000×),
/// loops and shared buffers hit / read. The node id is Qt::UserRole of every cell.
class PlanTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Node, Exclusive, Inclusive, Share, Rows, Estimate, Factor, Loops, Hit, Read, ColumnCount };
    explicit PlanTreeModel(QObject *parent = nullptr);

    void setPlan(const vwb::Plan &plan);
    const vwb::Plan &plan() const { return m_plan; }
    const vwb::PlanNode *nodeAt(const QModelIndex &index) const;
    QModelIndex indexOfNode(int nodeId, int column = Node) const;

    /// The colour of an estimate band: none within 10×, then yellow, orange, red.
    static QColor bandColor(vwb::EstimateBand band);
    /// A heat colour for a share of the total time (0..1): white to red.
    static QColor shareColor(double share);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    vwb::Plan m_plan;
    QList<const vwb::PlanNode *> m_nodes; // by id
    QList<int> m_parentOf;                // by id; -1 for the root
    QList<int> m_rowOf;                   // by id: position among its parent's children
};
} // namespace vwb::ui
