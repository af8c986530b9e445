// app/backfill/BackfillSql.cpp
#include "backfill/BackfillSql.h"

#include "connection/BinaryCopy.h"
#include "connection/PgConnection.h"
#include "embeddings/EmbeddingSources.h"
#include <algorithm>

namespace vwb {
namespace {
constexpr unsigned int TextOid = 25, VarcharOid = 1043;

/// True for a default that is the transaction's start time, what the merge writes into updated_at.
bool isTransactionTime(const QString &defaultExpression)
{
    const QString e = defaultExpression.trimmed().toLower();
    return e == QLatin1String("current_timestamp") || e == QLatin1String("now()") || e == QLatin1String("transaction_timestamp()");
}
} // namespace

Result<BackfillSql> BackfillSql::discover(PgConnection &conn, const BackfillOptions &o)
{
    const ContentPair &p = o.pair;
    const auto column = std::find_if(p.columns.cbegin(), p.columns.cend(),
                                     [&o](const VectorColumn &c) { return o.column.isEmpty() || c.name == o.column; });
    if (column == p.columns.cend())
        return Error::invalid(QStringLiteral("%1 has no vector column \"%2\"").arg(p.vectors.display(), o.column));
    if (column->type == QLatin1String("sparsevec") || column->type == QLatin1String("bit"))
        return Error::invalid(
            QStringLiteral("Backfilling %1 columns is not supported (%2.%3)").arg(column->type, p.vectors.display(), column->name));
    if (p.ownerEmbeds)
        return Error::invalid(QStringLiteral("%1 is kept by %2: its owner embeds those chunks, the workbench only reads them")
                                  .arg(p.vectors.display(), p.layout == QLatin1String("pgai") ? QStringLiteral("a pgai vectorizer")
                                                                                              : QStringLiteral("another program")));
    if (p.key.columns.isEmpty())
        return Error::invalid(QStringLiteral("%1 has no key to claim rows by").arg(p.content.display()));
    if (o.text.isEmpty() && p.roles.text.isEmpty() && p.roles.title.isEmpty())
        return Error::invalid(QStringLiteral("%1 has no text column to embed: name the text "
                                             "(--text COLUMN or a {column} template)")
                                  .arg(p.content.display()));
    auto text = resolveEmbeddingText(conn, p, o.column, o.text, o.sourcesPath);
    if (!text.ok())
        return text.error();
    const bool secondary = !p.isInline() && column != p.columns.cbegin();
    if (o.mode == BackfillMode::Stale && secondary)
        return Error::invalid(QStringLiteral("%1.%2 shares updated_at with %3, which it tells about: a second column's stale "
                                             "vectors cannot be told apart (re-embed it all with --all)")
                                  .arg(p.vectors.display(), column->name, p.columns.first().name));
    if (o.mode == BackfillMode::Stale
        && (p.isInline() || !p.contentHas(QStringLiteral("updated_at")) || !p.vectorsHave(QStringLiteral("updated_at"))))
        return Error::invalid(QStringLiteral("Finding stale vectors needs updated_at in both %1 and a separate %2")
                                  .arg(p.content.display(), p.vectors.display()));
    auto table = [&conn](const TableRef &t) { return conn.escapeIdentifier(t.schema) + QLatin1Char('.') + conn.escapeIdentifier(t.name); };
    BackfillSql s;
    s.content = table(p.content);
    s.vectors = table(p.vectors);
    s.key = conn.escapeIdentifier(p.contentKey);
    s.keyShape = p.key;
    s.refShape = p.vectorKey();
    for (QStringList *columns : {&s.keyShape.columns, &s.refShape.columns})
        for (QString &c : *columns)
            c = conn.escapeIdentifier(c);
    s.fk = p.isInline() ? s.key : conn.escapeIdentifier(p.foreignKey);
    s.column = conn.escapeIdentifier(column->name);
    s.dimensions = column->dimensions;
    s.isInline = p.isInline();
    s.secondary = secondary;
    s.forumName = !s.isInline && !secondary && p.contentHas(QStringLiteral("forum_name")) && p.vectorsHave(QStringLiteral("forum_name"));
    s.vectorsUpdated = !s.isInline && !secondary && p.vectorsHave(QStringLiteral("updated_at"));
    s.text = text.value().sqlExpression(conn);
    s.embedded = text.value();
    auto keyType = conn.exec(QStringLiteral("SELECT atttypid FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2"),
                             {s.content, p.contentKey});
    if (!keyType.ok())
        return keyType.error();
    s.keyType = keyType.value().value(0, 0).toUInt();
    s.binaryCopy = column->type == QLatin1String("vector") && !p.key.isComposite() && BinaryCopyWriter::supportsKeyType(s.keyType);
    if (s.isInline)
        return s;
    auto indexed = conn.exec(
        QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                       "AND a.attnum = i.indkey[0] WHERE i.indrelid = $1::regclass AND a.attname = $2 AND i.indisvalid)"),
        {s.vectors, p.foreignKey});
    if (!indexed.ok())
        return indexed.error();
    s.fkIndexed = indexed.value().scalar() == QLatin1String("t");
    if (o.mode != BackfillMode::Missing || secondary)
        return s; // no direct insert: a second column's rows are updated in place
    // What the vector table does with the columns a COPY of (fk, vector, forum_name) leaves out.
    auto columns = conn.exec(
        QStringLiteral("SELECT a.attname, a.atttypid, coalesce(pg_get_expr(d.adbin, d.adrelid), '') FROM pg_attribute a "
                       "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                       "WHERE a.attrelid = $1::regclass AND a.attname IN ('updated_at', 'forum_name') AND NOT a.attisdropped"),
        {s.vectors});
    if (!columns.ok())
        return columns.error();
    s.directInsert = !s.refShape.isComposite(); // a COPY of (fk, vector, forum_name) writes one key column
    for (const QStringList &c : columns.value().rows) {
        if (c.at(0) == QLatin1String("updated_at") && s.vectorsUpdated && !isTransactionTime(c.at(2)))
            s.directInsert = false; // the merge sets it to now(); a COPY would leave something else
        if (c.at(0) == QLatin1String("forum_name") && s.forumName && s.binaryCopy && c.at(1).toUInt() != TextOid
            && c.at(1).toUInt() != VarcharOid)
            s.directInsert = false; // sent as text in binary COPY: only text types take that
    }
    return s;
}

KeySql BackfillSql::keyOver(const QString &alias) const
{
    return KeySql(keyShape, alias, [](const QString &escaped) { return escaped; }); // the columns come escaped
}

KeySql BackfillSql::refOver(const QString &alias) const
{
    return KeySql(refShape, alias, [](const QString &escaped) { return escaped; });
}

QString BackfillSql::condition(BackfillMode mode, const QString &runStart, Reading reading) const
{
    const QString vectorOf = QStringLiteral("SELECT 1 FROM %1 v WHERE %2 = %3")
                                 .arg(vectors, refOver(QStringLiteral("v")).columns(), keyOver(QStringLiteral("c")).columns());
    switch (mode) {
    case BackfillMode::Missing:
        if (secondary) // the vector rows there are, this column empty in them
            return QStringLiteral("EXISTS (%1 AND v.%2 IS NULL)").arg(vectorOf, column);
        // In a batch, OFFSET 0 keeps the NOT EXISTS a per-row index probe: as an anti-join the
        // planner hashes the whole vector table (~6 kB a row at 1536 dimensions) for every batch of
        // 256 rows. Over the whole table the planner's join is right: with an index on the foreign
        // key, a merge of two index scans (20,000 topics: 4 ms, against 43 ms probing row by row).
        return isInline ? QStringLiteral("c.%1 IS NULL").arg(column)
                        : QStringLiteral("NOT EXISTS (%1%2)")
                              .arg(vectorOf, fkIndexed && reading == Reading::Batch ? QStringLiteral(" OFFSET 0") : QString());
    case BackfillMode::Stale:
        return QStringLiteral("EXISTS (%1 AND (v.updated_at IS NULL OR v.updated_at < c.updated_at))").arg(vectorOf);
    case BackfillMode::All:
        if (secondary) // every row with a vector row; this run's own are not told apart (no updated_at of its own)
            return QStringLiteral("EXISTS (%1)").arg(vectorOf);
        return runStart.isEmpty() || !vectorsUpdated
                   ? QStringLiteral("true")
                   : QStringLiteral("NOT EXISTS (%1 AND v.updated_at >= %2::timestamptz)").arg(vectorOf, runStart);
    }
    return QStringLiteral("false");
}

} // namespace vwb
