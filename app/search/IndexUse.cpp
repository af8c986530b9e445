// app/search/IndexUse.cpp
#include "search/IndexUse.h"

namespace vwb {

IndexUse::IndexUse(const TableRef &vectors, const VectorColumn &column, const std::function<QString(const QString &)> &quoteIdentifier)
{
    for (const VectorIndex &index : column.indexes) {
        if (!index.isAnn())
            continue;
        m_names << index.name;
        QString qualified = quoteIdentifier(vectors.schema) + QLatin1Char('.') + quoteIdentifier(index.name);
        // to_regclass: NULL, not an error, for an index dropped since the schema was read (a
        // rebuilding backfill drops it), and no scans counted for it.
        m_regclasses << QLatin1String("to_regclass('") + qualified.replace(QLatin1Char('\''), QLatin1String("''")) + QLatin1String("')");
    }
}

QString IndexUse::countsSql() const
{
    QString sql = QStringLiteral("SELECT current_setting('track_counts')");
    for (const QString &index : m_regclasses)
        sql += QStringLiteral(", pg_stat_get_xact_numscans(%1)").arg(index);
    return sql;
}

std::optional<QString> IndexUse::used(const QueryResult &before, const QueryResult &after) const
{
    const auto counts = [this](const QueryResult &r) -> std::optional<QStringList> {
        if (r.rows.size() != 1 || r.rows.first().size() != m_names.size() + 1 || r.rows.first().first() != QLatin1String("on"))
            return std::nullopt;
        return r.rows.first().mid(1);
    };
    const auto was = counts(before);
    const auto is = counts(after);
    if (!was || !is)
        return std::nullopt;
    QString scanned;
    for (qsizetype i = 0; i < m_names.size(); ++i) {
        if (is->at(i).toLongLong() > was->at(i).toLongLong())
            scanned = m_names.at(i);
    }
    return scanned;
}
} // namespace vwb
