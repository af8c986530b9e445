// app/browse/BrowseExport.h
#pragma once

#include "browse/BrowseQuery.h"
#include "data/TableExport.h"
#include <functional>

class QIODevice;

namespace vwb {

/// The columns an export of Browse's rows has: the table's own names for its key, filter and
/// title or text, then created_at and updated_at where the table has them, and the vector's state.
QStringList browseExportHeaders(const ContentPair &pair);
/// One row under those headers; timestamps in ISO 8601 UTC.
QVariantList browseExportRow(const ContentPair &pair, const BrowseRow &row);

/// Every row `query` matches, in its order, written to `out` page by page (keyset pages of
/// `pageSize`): memory holds one page whatever the table's size. After each page `progress` gets
/// the rows written so far; returning false stops with a canceled error. Returns the rows written.
Result<qint64> exportBrowseRows(PgConnection &conn, const BrowseQuery &query, ExportFormat format, QIODevice &out,
                                const std::function<bool(qint64)> &progress = {}, int pageSize = 1000);
} // namespace vwb
