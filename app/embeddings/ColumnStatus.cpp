// app/embeddings/ColumnStatus.cpp
#include "embeddings/ColumnStatus.h"

#include "connection/PgConnection.h"
#include "metrics/SizeHistory.h"
#include <QLocale>

namespace vwb {

QString ColumnStatus::describe() const
{
    const QLocale c = QLocale::c();
    QString out = QStringLiteral("filled %1 of %2").arg(c.toString(filled), c.toString(rows));
    out += source ? QStringLiteral(" · ") + source->describe() : QStringLiteral(" · source not recorded");
    return out;
}

namespace {
QString tableKey(const ContentPair &pair)
{
    return pair.content.schema + QLatin1Char('.') + pair.content.name;
}
} // namespace

std::optional<ColumnInUse> loadColumnInUse(const QString &settingsPath, const ConnectionProfile &profile, const ContentPair &pair)
{
    auto use = ColumnInUse::load(settingsPath, SizeHistory::profileKey(profile), tableKey(pair));
    if (use && !pair.vectorsHave(use->column))
        return std::nullopt; // dropped since: the first column again
    return use;
}

Result<void> saveColumnInUse(const QString &settingsPath, const ConnectionProfile &profile, const ContentPair &pair,
                             const std::optional<ColumnInUse> &use)
{
    const QString key = SizeHistory::profileKey(profile);
    return use ? use->save(settingsPath, key, tableKey(pair)) : ColumnInUse::clear(settingsPath, key, tableKey(pair));
}

Result<QList<ColumnStatus>> columnStatuses(PgConnection &conn, const ContentPair &pair, const QString &sourcesPath,
                                           const std::optional<ColumnInUse> &inUse)
{
    if (pair.columns.isEmpty())
        return QList<ColumnStatus>{};
    const QString content = conn.escapeIdentifier(pair.content.schema) + QLatin1Char('.') + conn.escapeIdentifier(pair.content.name);
    // A content row counts as filled when any of its vector rows has a vector in the column.
    QStringList filled;
    for (const VectorColumn &c : pair.columns)
        filled << QStringLiteral("bool_or(%1 IS NOT NULL)").arg(conn.escapeIdentifier(c.name));
    QString sql;
    if (pair.isInline()) {
        QStringList counts;
        for (const VectorColumn &c : pair.columns)
            counts << QStringLiteral("count(%1)").arg(conn.escapeIdentifier(c.name));
        sql = QStringLiteral("SELECT count(*), %1 FROM %2").arg(counts.join(QStringLiteral(", ")), content);
    } else {
        QStringList counts, ins;
        for (int i = 0; i < pair.columns.size(); ++i) {
            counts << QStringLiteral("count(*) FILTER (WHERE v.f%1)").arg(i);
            ins << filled.at(i) + QStringLiteral(" AS f%1").arg(i);
        }
        // The foreign key's columns keep their names in the grouped rows: the pair's own join applies.
        const auto quote = [&conn](const QString &s) { return conn.escapeIdentifier(s); };
        const QString fk = KeySql(pair.vectorKey(), QStringLiteral("g"), quote).order();
        sql = QStringLiteral("SELECT count(*), %1 FROM %2 c LEFT JOIN (SELECT %3, %4 FROM %5.%6 g GROUP BY %3) v ON %7")
                  .arg(counts.join(QStringLiteral(", ")), content, fk, ins.join(QStringLiteral(", ")),
                       conn.escapeIdentifier(pair.vectors.schema), conn.escapeIdentifier(pair.vectors.name),
                       pair.joinSql(QStringLiteral("v"), QStringLiteral("c"), quote));
    }
    auto counted = conn.exec(sql);
    if (!counted.ok())
        return counted.error().withContext(QStringLiteral("counting the vector columns of %1").arg(pair.content.display()));
    const QString inUseName = inUse && pair.vectorsHave(inUse->column) ? inUse->column : pair.columns.first().name;
    QList<ColumnStatus> out;
    for (int i = 0; i < pair.columns.size(); ++i) {
        ColumnStatus s;
        s.column = pair.columns.at(i);
        s.rows = counted.value().value(0, 0).toLongLong();
        s.filled = counted.value().value(0, i + 1).toLongLong();
        s.inUse = s.column.name == inUseName;
        if (!sourcesPath.isEmpty()) {
            auto last = EmbeddingSources(sourcesPath).last(SizeHistory::profileKey(conn.profile()), sourceColumnName(pair, s.column.name));
            if (!last.ok())
                return last.error();
            s.source = last.value();
        }
        out << s;
    }
    return out;
}

QString recordedProviderOf(const ConnectionProfile &profile, const ContentPair &pair, const QString &column, const QString &sourcesPath)
{
    auto last = EmbeddingSources(sourcesPath).last(SizeHistory::profileKey(profile), sourceColumnName(pair, column));
    return last.ok() && last.value() ? providerNameOf(*last.value()) : QString();
}

QString queryProviderOf(const ColumnStatus &column, const std::optional<ColumnInUse> &use, const QString &fallback)
{
    if (use && use->column == column.column.name)
        return use->provider;
    return column.source ? providerNameOf(*column.source) : fallback;
}

Result<ColumnInUse> switchColumn(const QList<ColumnStatus> &status, const QString &column, const QString &provider, bool allowMissing)
{
    const auto found = std::find_if(status.begin(), status.end(), [&](const ColumnStatus &s) { return s.column.name == column; });
    if (found == status.end())
        return Error::invalid(QStringLiteral("There is no vector column \"%1\" to switch to").arg(column));
    if (found->filled == 0)
        return Error::invalid(QStringLiteral("%1 is empty: fill it (backfill --column %1) before searching with it").arg(column));
    const QString filledBy = found->source ? providerNameOf(*found->source) : QString();
    // "openai" names the profile's model; the record names the one that filled the column.
    const bool sameEndpoint = provider == QLatin1String("openai") && filledBy.startsWith(QLatin1String("openai:"));
    ColumnInUse use{column, provider.isEmpty() || sameEndpoint ? filledBy : provider};
    if (use.provider.isEmpty())
        return Error::invalid(
            QStringLiteral("Nothing records which provider filled %1: name the provider that embeds its queries").arg(column));
    if (!filledBy.isEmpty() && use.provider != filledBy)
        return Error::invalid(QStringLiteral("%1 was filled by %2: queries embedded by %3 would be compared with vectors of another model")
                                  .arg(column, found->source->describe(), use.provider));
    if (found->missing() > 0 && !allowMissing)
        return Error::invalid(QStringLiteral("%1 of %2 rows have no vector in %3: searches would never find them. Fill it first "
                                             "(backfill --column %3), or switch anyway")
                                  .arg(found->missing())
                                  .arg(found->rows)
                                  .arg(column));
    return use;
}
} // namespace vwb
