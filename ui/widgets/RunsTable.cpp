// ui/widgets/RunsTable.cpp
#include "widgets/RunsTable.h"
#include "widgets/TableExportMenu.h"

#include <QHeaderView>

namespace vwb::ui {
namespace {
enum RunColumn { RunId, RunName, RunWhen, RunConfig, RunMap, RunNdcg, RunP, RunR, RunMrr, RunMs, RunColumns };

QTableWidgetItem *cell(const QString &text, const QVariant &sort = {})
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    if (sort.isValid())
        item->setData(Qt::UserRole, sort);
    return item;
}
} // namespace

RunsTable::RunsTable(QWidget *parent) : QTableWidget(0, RunColumns, parent)
{
    addTableExport(this, QStringLiteral("eval-runs")); // right-click: copy as CSV/TSV/JSON, save
    setHorizontalHeaderLabels(
        {tr("Run"), tr("Name"), tr("When"), tr("Configuration"), tr("MAP"), tr("nDCG@k"), tr("P@k"), tr("R@k"), tr("MRR"), tr("ms")});
    verticalHeader()->hide();
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setWordWrap(false);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(RunConfig, QHeaderView::Stretch);
}

void RunsTable::setCutoff(int k)
{
    horizontalHeaderItem(RunNdcg)->setText(tr("nDCG@%1").arg(k));
    horizontalHeaderItem(RunP)->setText(tr("P@%1").arg(k));
    horizontalHeaderItem(RunR)->setText(tr("R@%1").arg(k));
}

void RunsTable::addRun(const RunSummary &s, const QueryScores &m)
{
    const int row = rowCount();
    insertRow(row);
    setItem(row, RunId, cell(QString::number(s.id) + (s.baseline ? QStringLiteral(" ★") : QString()), s.id));
    setItem(row, RunName, cell(s.name));
    setItem(row, RunWhen, cell(s.startedAt.toLocalTime().toString(QStringLiteral("MM-dd HH:mm"))));
    setItem(row, RunConfig, cell(s.config));
    const QList<std::pair<int, double>> scores{
        {RunMap, m.averagePrecision}, {RunNdcg, m.ndcgAtK}, {RunP, m.precisionAtK}, {RunR, m.recallAtK}, {RunMrr, m.reciprocalRank}};
    for (const auto &[column, value] : scores)
        setItem(row, column, cell(QString::number(value, 'f', 4)));
    setItem(row, RunMs, cell(QString::number(s.totalMs, 'f', 0)));
    item(row, RunConfig)->setToolTip(s.config);
}

qint64 RunsTable::runAt(int row) const
{
    const QTableWidgetItem *id = item(row, RunId);
    return id ? id->data(Qt::UserRole).toLongLong() : 0;
}

QList<qint64> RunsTable::selectedRuns() const
{
    QList<qint64> out;
    for (const QModelIndex &row : selectionModel()->selectedRows(RunId))
        out << runAt(row.row());
    return out;
}

void RunsTable::selectRun(qint64 id)
{
    for (int row = 0; row < rowCount(); ++row)
        if (runAt(row) == id) {
            selectRow(row);
            scrollToItem(item(row, RunId));
        }
}
} // namespace vwb::ui
