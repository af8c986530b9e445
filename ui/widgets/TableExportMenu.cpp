// ui/widgets/TableExportMenu.cpp
#include "widgets/TableExportMenu.h"

#include "models/ModelRoles.h"
#include "widgets/ErrorDisplay.h"
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHeaderView>
#include <QMimeData>
#include <QSaveFile>
#include <QTableView>
#include <QTreeView>
#include <algorithm>

namespace vwb::ui {
namespace {

const QHeaderView *columnsHeader(const QAbstractItemView *view)
{
    if (const auto *table = qobject_cast<const QTableView *>(view))
        return table->horizontalHeader();
    if (const auto *tree = qobject_cast<const QTreeView *>(view))
        return tree->header();
    return nullptr;
}

void copyRows(QAbstractItemView *view, ExportFormat format)
{
    const TableRows t = tableRows(view, true);
    const QByteArray bytes = exportRows(t.headers, t.rows, format);
    auto *mime = new QMimeData;
    mime->setText(QString::fromUtf8(bytes)); // text/plain, what every program pastes
    if (format == ExportFormat::Csv)
        mime->setData(QStringLiteral("text/csv"), bytes);
    else if (format == ExportFormat::Json)
        mime->setData(QStringLiteral("application/json"), bytes);
    QApplication::clipboard()->setMimeData(mime);
}

void saveRows(QAbstractItemView *view, const QString &fileStem, ExportFormat format)
{
    const QString path = askExportPath(view, fileStem, format);
    if (path.isEmpty())
        return;
    const TableRows t = tableRows(view, false);
    QSaveFile file(path); // all or nothing: a failed write leaves an earlier file as it was
    if (!file.open(QIODevice::WriteOnly) || file.write(exportRows(t.headers, t.rows, format)) < 0 || !file.commit())
        showError(view, Error::io(QObject::tr("Could not save %1: %2").arg(path, file.errorString())), QObject::tr("Save rows"));
}
} // namespace

QString askExportPath(QWidget *parent, const QString &fileStem, ExportFormat format)
{
    const QString suffix = exportFormatName(format);
    return QFileDialog::getSaveFileName(parent, QObject::tr("Save rows as %1").arg(suffix.toUpper()),
                                        fileStem + QLatin1Char('.') + suffix, QStringLiteral("%1 (*.%2)").arg(suffix.toUpper(), suffix));
}

TableRows tableRows(const QAbstractItemView *view, bool selectedOnly)
{
    TableRows out;
    const QAbstractItemModel *model = view->model();
    if (!model)
        return out;
    const QHeaderView *header = columnsHeader(view);
    QList<int> columns;
    for (int visual = 0; visual < model->columnCount(); ++visual) {
        const int c = header ? header->logicalIndex(visual) : visual; // in the order shown
        if (c < 0 || (header && header->isSectionHidden(c)))
            continue;
        columns << c;
        out.headers << model->headerData(c, Qt::Horizontal).toString();
    }
    QList<int> rows;
    if (selectedOnly && view->selectionModel()) {
        for (const QModelIndex &i : view->selectionModel()->selectedIndexes())
            rows << i.row();
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    }
    if (rows.isEmpty())
        for (int r = 0; r < model->rowCount(); ++r)
            rows << r;
    for (int r : std::as_const(rows)) {
        if (model->data(model->index(r, 0), RowNotHeldRole).toBool())
            continue;
        QVariantList values;
        for (int c : std::as_const(columns)) {
            const QModelIndex index = model->index(r, c);
            const QVariant edit = model->data(index, Qt::EditRole);
            values << (edit.isValid() ? edit : model->data(index, Qt::DisplayRole));
        }
        out.rows << values;
    }
    return out;
}

void addTableExport(QAbstractItemView *view, const QString &fileStem, const SaveAllRows &saveAll)
{
    view->setContextMenuPolicy(Qt::ActionsContextMenu);
    const auto add = [view](const QString &text, auto &&slot, const QKeySequence &shortcut = {}) {
        auto *action = new QAction(text, view);
        action->setShortcut(shortcut);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        QObject::connect(action, &QAction::triggered, view, slot);
        view->addAction(action);
    };
    add(
        QObject::tr("Copy as CSV"), [view] { copyRows(view, ExportFormat::Csv); }, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    add(QObject::tr("Copy as TSV (for a spreadsheet)"), [view] { copyRows(view, ExportFormat::Tsv); });
    add(QObject::tr("Copy as JSON"), [view] { copyRows(view, ExportFormat::Json); });
    for (ExportFormat format : {ExportFormat::Csv, ExportFormat::Json}) {
        const QString name = exportFormatName(format).toUpper();
        if (saveAll)
            add(QObject::tr("Save every matching row as %1…").arg(name), [saveAll, format] { saveAll(format); });
        else
            add(QObject::tr("Save all rows as %1…").arg(name), [view, fileStem, format] { saveRows(view, fileStem, format); });
    }
}

} // namespace vwb::ui
