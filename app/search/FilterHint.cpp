// app/search/FilterHint.cpp
#include "search/FilterHint.h"

#include "connection/PgConnection.h"
#include "schema/DatabaseSchema.h"
#include "schema/KnownLayouts.h"
#include "search/ForumSpellings.h"

namespace vwb {

Result<QString> filterMissHint(PgConnection &conn, const ContentPair &pair, const QString &value)
{
    const QString label = filterLabel(pair).toLower();
    if (filterFoldsCase(pair)) {
        auto spellings = forumSpellings(conn, pair, value);
        if (!spellings.ok())
            return spellings.error();
        return spellings.value().isEmpty()
                   ? QStringLiteral("no %1 \"%2\" in %3: the filter matches no row").arg(label, value, pair.content.display())
                   : QString();
    }
    const ContentRoles::Lookup &lookup = pair.roles.lookup;
    if (!lookup.isSet())
        return QString();
    // Names compared exactly, as the library compares them: say which names differ only in case.
    auto found = conn.exec(
        QStringLiteral("SELECT %1::text FROM %2.%3 WHERE lower(%1::text) = lower($1) ORDER BY %1::text = $1 DESC, 1 LIMIT 3")
            .arg(conn.escapeIdentifier(lookup.label), conn.escapeIdentifier(lookup.schema), conn.escapeIdentifier(lookup.table)),
        {value});
    if (!found.ok())
        return found.error();
    const QueryResult &names = found.value();
    if (names.rowCount() > 0 && names.scalar() == value)
        return QString();
    if (names.rowCount() == 0)
        return QStringLiteral("no %1 named \"%2\" in %3: the filter matches no row").arg(label, value, lookup.table);
    QStringList quoted;
    for (const QStringList &row : names.rows)
        quoted << QLatin1Char('"') + row.first() + QLatin1Char('"');
    return QStringLiteral("no %1 named \"%2\" (names are compared exactly): did you mean %3?")
        .arg(label, value, quoted.join(QStringLiteral(" or ")));
}
} // namespace vwb
