// app/search/ForumSpellings.cpp
#include "search/ForumSpellings.h"

#include "connection/PgConnection.h"

namespace vwb {

Result<QStringList> forumSpellings(PgConnection &conn, const ContentPair &pair, const QString &forum)
{
    if (!filterFoldsCase(pair))
        return QStringList{};
    const auto table = [&conn](const TableRef &t) {
        return conn.escapeIdentifier(t.schema) + QLatin1Char('.') + conn.escapeIdentifier(t.name);
    };
    const QString f = conn.escapeIdentifier(pair.roles.filter);
    const TableRef source = pair.vectorsHave(pair.roles.filter) ? pair.vectors : pair.content;
    // Without an index on the column: the table's distinct values, read whole.
    QString sql = QStringLiteral("SELECT DISTINCT %2::text FROM %1 WHERE lower(%2::text) = lower($1)").arg(table(source), f);
    // With one, a skip scan visits each distinct value once: a few index probes per value.
    for (const TableRef &t : {pair.vectors, pair.content}) {
        if (!(t == pair.content ? pair.contentHas(pair.roles.filter) : pair.vectorsHave(pair.roles.filter)))
            continue;
        auto indexed = conn.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                                                "AND a.attnum = i.indkey[0] JOIN pg_class ic ON ic.oid = i.indexrelid "
                                                "JOIN pg_am am ON am.oid = ic.relam WHERE i.indrelid = to_regclass($1) "
                                                "AND a.attname = $2 AND am.amname = 'btree' AND i.indisvalid AND i.indpred IS NULL)"),
                                 {table(t), pair.roles.filter});
        if (!indexed.ok())
            return indexed.error();
        if (indexed.value().scalar() == QLatin1String("t")) {
            sql = QStringLiteral("WITH RECURSIVE f(name) AS (SELECT min(%2)::text FROM %1 "
                                 "UNION ALL SELECT (SELECT min(%2)::text FROM %1 WHERE %2 > f.name) "
                                 "FROM f WHERE f.name IS NOT NULL) "
                                 "SELECT name FROM f WHERE lower(name) = lower($1)")
                      .arg(table(t), f);
            break;
        }
    }
    auto found = conn.exec(sql, {forum});
    if (!found.ok())
        return found.error();
    QStringList out;
    for (const QStringList &row : found.value().rows)
        out << row.first();
    return out;
}
} // namespace vwb
