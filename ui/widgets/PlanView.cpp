// ui/widgets/PlanView.cpp
#include "widgets/PlanView.h"

#include "charts/PlanTimeChart.h"
#include "models/PlanTreeModel.h"
#include "plan/PlanReport.h"
#include "theme/Theme.h"
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

namespace vwb::ui {

PlanView::PlanView(QWidget *parent) : QWidget(parent), m_model(new PlanTreeModel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel;
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_summary);
    auto *split = new QSplitter(Qt::Vertical);
    m_tree = new QTreeView;
    m_tree->setModel(m_model);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(false);
    m_tree->header()->setStretchLastSection(false);
    split->addWidget(m_tree);
    auto *bottom = new QSplitter(Qt::Horizontal);
    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Hints")));
    m_hints = new QListWidget;
    m_hints->setWordWrap(true);
    leftLayout->addWidget(m_hints, 1);
    leftLayout->addWidget(new QLabel(tr("Selected node")));
    m_details = new QPlainTextEdit;
    m_details->setReadOnly(true);
    m_details->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    leftLayout->addWidget(m_details, 1);
    bottom->addWidget(left);
    m_chart = new PlanTimeChart;
    bottom->addWidget(m_chart);
    bottom->setSizes({420, 560});
    split->addWidget(bottom);
    split->setSizes({330, 300});
    layout->addWidget(split, 1);

    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &PlanView::showNode);
    connect(m_hints, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            selectNode(m_hints->item(row)->data(Qt::UserRole).toInt());
    });
}

void PlanView::clear()
{
    setPlan(Plan{}, {});
    m_summary->clear();
}

void PlanView::setPlan(const Plan &plan, const QList<PlanHint> &hints)
{
    m_model->setPlan(plan);
    m_tree->expandAll();
    for (int c = 0; c < PlanTreeModel::ColumnCount; ++c)
        m_tree->resizeColumnToContents(c);
    m_chart->setPlan(plan);
    QStringList parts;
    if (plan.analyzed)
        parts << tr("total %1 ms").arg(plan.totalMs(), 0, 'f', 3);
    else
        parts << tr("estimate only (no ANALYZE): cost %1").arg(plan.root.totalCost, 0, 'f', 2);
    if (plan.planningMs >= 0)
        parts << tr("planning %1 ms").arg(plan.planningMs, 0, 'f', 3);
    if (plan.executionMs >= 0)
        parts << tr("execution %1 ms").arg(plan.executionMs, 0, 'f', 3);
    parts << tr("%n node(s)", nullptr, int(plan.nodes().size()));
    m_summary->setText(parts.join(QStringLiteral("  ·  ")));
    m_hints->clear();
    for (const PlanHint &h : hints) {
        auto *item = new QListWidgetItem(
            QStringLiteral("[%1] #%2 %3: %4\n→ %5").arg(PlanHint::severityName(h.severity)).arg(h.nodeId).arg(h.node, h.message, h.fix));
        item->setData(Qt::UserRole, h.nodeId);
        Theme::fillItem(item, h.severity == PlanHint::Severity::Critical  ? Tone::Error
                              : h.severity == PlanHint::Severity::Warning ? Tone::Warning
                                                                          : Tone::Info);
        m_hints->addItem(item);
    }
    if (hints.isEmpty())
        m_hints->addItem(plan.nodes().isEmpty() ? QString() : tr("No pgvector hints for this plan."));
    m_details->clear();
}

void PlanView::selectNode(int nodeId)
{
    const QModelIndex index = m_model->indexOfNode(nodeId);
    if (!index.isValid())
        return;
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
}

void PlanView::showNode()
{
    const PlanNode *n = m_model->nodeAt(m_tree->currentIndex());
    if (!n) {
        m_details->clear();
        return;
    }
    QStringList lines{QStringLiteral("#%1 %2").arg(n->id).arg(n->label())};
    auto add = [&lines](const QString &key, const QString &value) {
        if (!value.isEmpty())
            lines << key + QStringLiteral(": ") + abbreviateVectorLiterals(value);
    };
    add(tr("Sort Key"), n->sortKey.join(QStringLiteral(", ")));
    add(tr("Order By"), n->orderBy);
    add(tr("Index Cond"), n->indexCond);
    add(tr("Join Filter"), n->joinFilter);
    add(tr("Filter"), n->filter);
    if (n->rowsRemovedByFilter >= 0)
        add(tr("Rows Removed by Filter"), QString::number(n->rowsRemovedByFilter));
    if (n->buffers.reported)
        add(tr("Shared buffers"), tr("hit %1, read %2, dirtied %3, written %4")
                                      .arg(n->buffers.sharedHit)
                                      .arg(n->buffers.sharedRead)
                                      .arg(n->buffers.sharedDirtied)
                                      .arg(n->buffers.sharedWritten));
    if (n->hasCosts)
        add(tr("Cost"), QStringLiteral("%1..%2, width %3").arg(n->startupCost, 0, 'f', 2).arg(n->totalCost, 0, 'f', 2).arg(n->planWidth));
    for (const auto &[key, value] : n->details)
        add(key, value);
    m_details->setPlainText(lines.join(QLatin1Char('\n')));
}
} // namespace vwb::ui
