// app/browse/CreatedSpan.cpp
#include "browse/CreatedSpan.h"

#include "connection/PgConnection.h"
#include <QDateTime>
#include <cmath>

namespace vwb {

Result<std::optional<CreatedSpan>> fetchCreatedSpan(PgConnection &conn, const ContentPair &pair)
{
    const QString column = QStringLiteral("created_at");
    if (!pair.contentHas(column))
        return std::optional<CreatedSpan>{};
    const QString table = conn.escapeIdentifier(pair.content.schema) + QLatin1Char('.') + conn.escapeIdentifier(pair.content.name);
    auto indexed = conn.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                                            "AND a.attnum = i.indkey[0] WHERE i.indrelid = to_regclass($1) AND a.attname = $2 "
                                            "AND i.indpred IS NULL AND i.indisvalid)"),
                             {table, column});
    if (!indexed.ok())
        return indexed.error();
    const bool exact = indexed.value().scalar() == QLatin1String("t");
    // Instants, made days here: the filter's days are this machine's, whatever the server's zone.
    auto span = exact ? conn.exec(QStringLiteral("SELECT extract(epoch FROM min(%1)), extract(epoch FROM max(%1)) FROM %2")
                                      .arg(conn.escapeIdentifier(column), table))
                      : conn.exec(QStringLiteral("SELECT extract(epoch FROM b[1]), extract(epoch FROM b[array_upper(b, 1)]) FROM (SELECT "
                                                 "histogram_bounds::text::timestamptz[] AS b FROM pg_stats WHERE schemaname = $1 "
                                                 "AND tablename = $2 AND attname = $3 ORDER BY inherited LIMIT 1) s"),
                                  {pair.content.schema, pair.content.name, column});
    if (!span.ok())
        return span.error();
    if (span.value().rows.isEmpty())
        return std::optional<CreatedSpan>{};
    const QStringList &row = span.value().rows.first();
    bool firstOk = false, lastOk = false;
    const double first = row.value(0).toDouble(&firstOk), last = row.value(1).toDouble(&lastOk);
    if (!firstOk || !lastOk || !std::isfinite(first) || !std::isfinite(last)) // NULL (no dates), or ±infinity
        return std::optional<CreatedSpan>{};
    const auto day = [](double epoch) { return QDateTime::fromSecsSinceEpoch(qint64(std::floor(epoch))).toLocalTime().date(); };
    return std::optional<CreatedSpan>{CreatedSpan{day(first), day(last), exact}};
}
} // namespace vwb
