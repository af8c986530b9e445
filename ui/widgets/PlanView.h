// ui/widgets/PlanView.h
#pragma once

#include "plan/PlanHints.h"
#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTreeView;

namespace vwb::ui {
class PlanTimeChart;
class PlanTreeModel;

/// One plan: the totals, the node tree with its figures and colour bands, the pgvector hints
/// (selecting one selects its node), the selected node's conditions and details, and the chart
/// of exclusive time per node.
class PlanView : public QWidget
{
    Q_OBJECT
public:
    explicit PlanView(QWidget *parent = nullptr);
    void setPlan(const vwb::Plan &plan, const QList<vwb::PlanHint> &hints);
    void clear();

    PlanTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QListWidget *hints() const { return m_hints; }
    PlanTimeChart *chart() const { return m_chart; }
    QLabel *summary() const { return m_summary; }
    void selectNode(int nodeId);

private:
    void showNode();

    PlanTreeModel *m_model;
    QLabel *m_summary = nullptr;
    QTreeView *m_tree = nullptr;
    QListWidget *m_hints = nullptr;
    QPlainTextEdit *m_details = nullptr;
    PlanTimeChart *m_chart = nullptr;
};
} // namespace vwb::ui
