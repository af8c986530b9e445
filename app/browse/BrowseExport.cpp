// app/browse/BrowseExport.cpp
#include "browse/BrowseExport.h"

#include <QIODevice>

namespace vwb {
namespace {
const QString CreatedAt = QStringLiteral("created_at");
const QString UpdatedAt = QStringLiteral("updated_at");

QVariant instant(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toUTC().toString(Qt::ISODateWithMs)) : QVariant();
}
} // namespace

QStringList browseExportHeaders(const ContentPair &pair)
{
    QStringList headers{pair.key.columns.join(QLatin1Char(','))};
    if (!pair.roles.filter.isEmpty())
        headers << pair.roles.filter;
    headers << (pair.roles.title.isEmpty() ? pair.roles.text : pair.roles.title);
    for (const QString &c : {CreatedAt, UpdatedAt})
        if (pair.contentHas(c))
            headers << c;
    headers << QStringLiteral("vector");
    return headers;
}

QVariantList browseExportRow(const ContentPair &pair, const BrowseRow &row)
{
    QVariantList values{row.key};
    if (!pair.roles.filter.isEmpty())
        values << row.forum;
    values << row.title;
    if (pair.contentHas(CreatedAt))
        values << instant(row.createdAt);
    if (pair.contentHas(UpdatedAt))
        values << instant(row.updatedAt);
    values << (!row.hasVector ? QStringLiteral("missing") : row.stale ? QStringLiteral("stale") : QStringLiteral("ok"));
    return values;
}

Result<qint64> exportBrowseRows(PgConnection &conn, const BrowseQuery &query, ExportFormat format, QIODevice &out,
                                const std::function<bool(qint64)> &progress, int pageSize)
{
    const auto write = [&out](const QByteArray &bytes) -> Result<void> {
        if (out.write(bytes) != bytes.size())
            return Error::io(QStringLiteral("Cannot write the export: %1").arg(out.errorString()));
        return {};
    };
    RowExportWriter writer(browseExportHeaders(query.pair()), format);
    if (auto w = write(writer.begin()); !w.ok())
        return w.error();
    qint64 written = 0;
    std::optional<BrowseCursor> after;
    for (;;) {
        auto page = query.fetchPage(conn, after, pageSize);
        if (!page.ok())
            return page.error();
        QList<QVariantList> rows;
        rows.reserve(page.value().rows.size());
        for (const BrowseRow &r : page.value().rows)
            rows << browseExportRow(query.pair(), r);
        if (auto w = write(writer.rows(rows)); !w.ok())
            return w.error();
        written += rows.size();
        if (progress && !progress(written)) {
            Error stopped = Error::canceled();
            stopped.message = QStringLiteral("Export canceled after %L1 rows").arg(written);
            return stopped;
        }
        if (!page.value().hasMore || page.value().rows.isEmpty())
            break;
        after = page.value().next;
    }
    if (auto w = write(writer.finish()); !w.ok())
        return w.error();
    return written;
}
} // namespace vwb
