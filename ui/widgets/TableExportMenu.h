// ui/widgets/TableExportMenu.h — copy and save what a table view shows.
#pragma once

#include "data/TableExport.h"
#include <functional>

class QAbstractItemView;
class QWidget;

namespace vwb::ui {

/// The rows of `view`'s model under its visible columns' headers: the selected rows (in the
/// model's order) or, when `selectedOnly` is false or nothing is selected, every row the model
/// holds. Each cell is its EditRole value when the model gives one (numbers stay numbers), else
/// its DisplayRole text.
struct TableRows
{
    QStringList headers;
    QList<QVariantList> rows;
};
TableRows tableRows(const QAbstractItemView *view, bool selectedOnly);

/// Adds to `view`'s context menu: Copy as CSV (Ctrl+Shift+C), Copy as TSV, Copy as JSON — the
/// selected rows, or all when none is — and Save as CSV… / Save as JSON… (every row the model
/// holds; `fileStem` names the file offered, "search-results" say). A model that holds only part
/// of its rows (Browse's pages) passes `saveAll`, which the Save actions call instead.
using SaveAllRows = std::function<void(ExportFormat)>;
void addTableExport(QAbstractItemView *view, const QString &fileStem, const SaveAllRows &saveAll = {});

/// Asks where to save rows in `format`, offering `fileStem` and the format's suffix; empty when
/// the user cancels.
QString askExportPath(QWidget *parent, const QString &fileStem, ExportFormat format);

} // namespace vwb::ui
