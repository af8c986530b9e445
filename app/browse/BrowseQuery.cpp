// app/browse/BrowseQuery.cpp
#include "browse/BrowseQuery.h"

#include "connection/PgConnection.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vwb {
namespace {

QDateTime fromEpochMs(const QString &text)
{
    return text.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(text.toLongLong(), Qt::UTC);
}

QString epochMs(const QString &column)
{
    return QStringLiteral("(extract(epoch from %1) * 1000)::bigint").arg(column);
}
} // namespace

BrowseQuery::BrowseQuery(ContentPair pair, BrowseFilter filter, BrowseSort sort, bool descending)
    : m_pair(std::move(pair)), m_filter(std::move(filter)), m_sort(sort), m_descending(descending)
{
}

QString BrowseQuery::escapeLike(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('%') || c == QLatin1Char('_'))
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

bool BrowseQuery::supportsStale() const
{
    return !m_pair.isInline() && m_pair.vectorsHave(QStringLiteral("updated_at")) && m_pair.contentHas(QStringLiteral("updated_at"));
}

QString BrowseQuery::sortColumn() const
{
    switch (m_sort) {
    case BrowseSort::CreatedAt: return m_pair.contentHas(QStringLiteral("created_at")) ? QStringLiteral("created_at") : QString();
    case BrowseSort::UpdatedAt: return m_pair.contentHas(QStringLiteral("updated_at")) ? QStringLiteral("updated_at") : QString();
    case BrowseSort::Title: return m_pair.roles.title;
    case BrowseSort::Id: break;
    }
    return {};
}

const VectorColumn *BrowseQuery::vectorColumn() const
{
    return m_pair.column(m_filter.column);
}

QString BrowseQuery::whereClause(const std::function<QString(const QString &)> &quote, QVariantList &params) const
{
    QStringList where;
    auto param = [&params](const QVariant &v) {
        params << v;
        return QStringLiteral("$%1").arg(params.size());
    };
    const RoleSql roles(m_pair, QStringLiteral("c"), quote);
    if (!m_filter.forum.isEmpty() && roles.hasFilter())
        where << roles.filterEquals(param(m_filter.forum));
    if (!m_filter.text.isEmpty()) {
        const QString pattern = param(QStringLiteral("%") + escapeLike(m_filter.text) + QStringLiteral("%"));
        QStringList any;
        for (const QString &col : {m_pair.roles.title, m_pair.roles.text}) {
            if (!col.isEmpty())
                any << QStringLiteral("c.%1::text ILIKE %2").arg(quote(col), pattern);
        }
        if (!any.isEmpty())
            where << QLatin1Char('(') + any.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    }
    if (m_pair.contentHas(QStringLiteral("created_at"))) {
        if (m_filter.from.isValid())
            where << QStringLiteral("c.created_at >= %1::timestamptz").arg(param(m_filter.from.toUTC().toString(Qt::ISODateWithMs)));
        if (m_filter.to.isValid())
            where << QStringLiteral("c.created_at < %1::timestamptz").arg(param(m_filter.to.toUTC().toString(Qt::ISODateWithMs)));
    }
    const VectorColumn *column = vectorColumn();
    if (m_filter.vectors != VectorFilter::Any && column) {
        if (m_pair.isInline()) {
            const QString col = QStringLiteral("c.") + quote(column->name);
            if (m_filter.vectors == VectorFilter::Has)
                where << col + QStringLiteral(" IS NOT NULL");
            else if (m_filter.vectors == VectorFilter::Missing)
                where << col + QStringLiteral(" IS NULL");
            else
                where << QStringLiteral("false"); // no vector timestamp of its own: never stale
        } else {
            QStringList match{m_pair.joinSql(QStringLiteral("v"), QStringLiteral("c"), quote)};
            if (column != m_pair.column())
                match << QStringLiteral("v.%1 IS NOT NULL").arg(quote(column->name));
            if (m_filter.vectors == VectorFilter::Stale && supportsStale())
                match << QStringLiteral("v.updated_at < c.updated_at");
            const QString exists = QStringLiteral("EXISTS (SELECT 1 FROM %1 v WHERE %2)")
                                       .arg(quote(m_pair.vectors.schema) + QLatin1Char('.') + quote(m_pair.vectors.name),
                                            match.join(QStringLiteral(" AND ")));
            if (m_filter.vectors == VectorFilter::Missing)
                where << QStringLiteral("NOT ") + exists;
            else if (m_filter.vectors == VectorFilter::Stale && !supportsStale())
                where << QStringLiteral("false");
            else
                where << exists;
        }
    }
    return where.isEmpty() ? QString() : where.join(QStringLiteral(" AND "));
}

BrowseStatement BrowseQuery::page(const std::function<QString(const QString &)> &quote, const std::optional<BrowseCursor> &after,
                                  int limit) const
{
    BrowseStatement st;
    const QString table = quote(m_pair.content.schema) + QLatin1Char('.') + quote(m_pair.content.name);
    const KeySql key(m_pair.key, QStringLiteral("c"), quote);
    const RoleSql roles(m_pair, QStringLiteral("c"), quote);
    const QString sort = sortColumn();
    const QString sortExpr = QStringLiteral("c.") + quote(sort);
    auto has = [this](const char *col) { return m_pair.contentHas(QLatin1String(col)); };

    QStringList select{key.text(),
                       roles.filterValue(),
                       roles.title(),
                       roles.snippet(240),
                       has("created_at") ? epochMs(QStringLiteral("c.created_at")) : QStringLiteral("NULL"),
                       has("updated_at") ? epochMs(QStringLiteral("c.updated_at")) : QStringLiteral("NULL"),
                       sort.isEmpty() ? QStringLiteral("NULL") : sortExpr + QStringLiteral("::text"),
                       has("topic_id") ? QStringLiteral("c.topic_id") : QStringLiteral("NULL")};
    QString join;
    const VectorColumn *column = vectorColumn();
    if (!column) {
        select << QStringLiteral("false") << QStringLiteral("false");
    } else if (m_pair.isInline()) {
        select << QStringLiteral("c.%1 IS NOT NULL").arg(quote(column->name)) << QStringLiteral("false");
    } else {
        const bool stamped = supportsStale();
        join = QStringLiteral(" LEFT JOIN LATERAL (SELECT true AS present%1 FROM %2 v WHERE %3%4%5 LIMIT 1) v ON true")
                   .arg(stamped ? QStringLiteral(", v.updated_at") : QString(),
                        quote(m_pair.vectors.schema) + QLatin1Char('.') + quote(m_pair.vectors.name),
                        m_pair.joinSql(QStringLiteral("v"), QStringLiteral("c"), quote),
                        column != m_pair.column() ? QStringLiteral(" AND v.%1 IS NOT NULL").arg(quote(column->name)) : QString(),
                        stamped ? QStringLiteral(" ORDER BY v.updated_at DESC NULLS LAST") : QString());
        select << QStringLiteral("v.present IS NOT NULL")
               << (stamped ? QStringLiteral("coalesce(v.updated_at < c.updated_at, false)") : QStringLiteral("false"));
    }

    QString where = whereClause(quote, st.params);
    const QString cmp = m_descending ? QStringLiteral("<") : QStringLiteral(">");
    // Two phases when sorting by a column that may be NULL: rows with a value, by (sort, key) —
    // a form a btree on the column can serve — then the NULL rows by key. Either way NULLs last.
    const bool nullTail = !sort.isEmpty() && after && after->sortValue.isNull();
    QStringList conditions;
    if (!where.isEmpty())
        conditions << where;
    if (sort.isEmpty()) {
        if (after)
            conditions << key.compare(cmp, after->key, st.params);
    } else if (nullTail) {
        conditions << sortExpr + QStringLiteral(" IS NULL");
        if (!after->key.isNull())
            conditions << key.compare(cmp, after->key, st.params);
    } else if (after) {
        // (sort, key…) > ($n, $m…): the sort value first, then the key's parts.
        QStringList left{sortExpr}, right;
        st.params << after->sortValue;
        right << QStringLiteral("$%1").arg(st.params.size());
        const QStringList parts = keyParts(m_pair.key, after->key);
        for (qsizetype i = 0; i < m_pair.key.columns.size(); ++i) {
            left << QStringLiteral("c.") + quote(m_pair.key.columns.at(i));
            st.params << parts.value(i);
            right << QStringLiteral("$%1").arg(st.params.size());
        }
        conditions << QStringLiteral("(%1) %2 (%3)").arg(left.join(QStringLiteral(", ")), cmp, right.join(QStringLiteral(", ")));
    } else {
        conditions << sortExpr + QStringLiteral(" IS NOT NULL");
    }
    const QString dir = m_descending ? QStringLiteral(" DESC") : QString();
    const QString order = sort.isEmpty() || nullTail ? key.order(dir) : QStringLiteral("%1%2, %3").arg(sortExpr, dir, key.order(dir));
    st.params << limit + 1;
    st.sql = QStringLiteral("SELECT %1 FROM %2 c%3%4 ORDER BY %5 LIMIT $%6")
                 .arg(select.join(QStringLiteral(", ")), table, join,
                      conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND ")), order,
                      QString::number(st.params.size()));
    return st;
}

BrowseStatement BrowseQuery::count(const std::function<QString(const QString &)> &quote) const
{
    BrowseStatement st;
    const QString where = whereClause(quote, st.params);
    st.sql = QStringLiteral("SELECT count(*) FROM %1 c%2")
                 .arg(quote(m_pair.content.schema) + QLatin1Char('.') + quote(m_pair.content.name),
                      where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where);
    return st;
}

Result<BrowsePage> BrowseQuery::fetchPage(PgConnection &conn, const std::optional<BrowseCursor> &after, int limit) const
{
    const auto quote = [&conn](const QString &id) { return conn.escapeIdentifier(id); };
    const BrowseStatement st = page(quote, after, limit);
    auto result = conn.exec(st.sql, st.params);
    if (!result.ok())
        return result.error();
    QList<QStringList> rows = result.value().rows;
    const bool inValues = !sortColumn().isEmpty() && !(after && after->sortValue.isNull());
    if (inValues && rows.size() <= limit) {
        // The rows with a value ran out on this page: continue into the NULL tail.
        const BrowseStatement tail = page(quote, BrowseCursor{QString(), RowKey()}, int(limit - rows.size()));
        auto more = conn.exec(tail.sql, tail.params);
        if (!more.ok())
            return more.error();
        rows += more.value().rows;
    }
    BrowsePage out;
    for (qsizetype i = 0; i < rows.size() && i < limit; ++i) {
        const QStringList &r = rows.at(i);
        BrowseRow row;
        row.key = r.at(0);
        row.forum = r.at(1);
        row.title = r.at(2);
        row.snippet = r.at(3);
        row.createdAt = fromEpochMs(r.at(4));
        row.updatedAt = fromEpochMs(r.at(5));
        row.topicKey = r.at(7);
        row.hasVector = r.at(8) == QLatin1String("t");
        row.stale = r.at(9) == QLatin1String("t");
        out.rows << row;
        out.next = {r.at(6), row.key};
    }
    out.hasMore = rows.size() > limit;
    return out;
}

QString BrowseQuery::orderTerms(const std::function<QString(const QString &)> &quote, bool reversed) const
{
    const KeySql key(m_pair.key, QStringLiteral("c"), quote);
    const QString dir = m_descending != reversed ? QStringLiteral(" DESC") : QString();
    const QString sort = sortColumn();
    if (sort.isEmpty())
        return key.order(dir);
    // Pages put rows without a sort value after all others, whichever way the values run.
    return QStringLiteral("c.%1%2 NULLS %3, %4")
        .arg(quote(sort), dir, reversed ? QStringLiteral("FIRST") : QStringLiteral("LAST"), key.order(dir));
}

BrowseStatement BrowseQuery::rowAt(const std::function<QString(const QString &)> &quote, qint64 offset, bool fromEnd) const
{
    BrowseStatement st;
    const KeySql key(m_pair.key, QStringLiteral("c"), quote);
    const QString sort = sortColumn();
    const QString where = whereClause(quote, st.params);
    st.params << offset;
    st.sql = QStringLiteral("SELECT %1, %2 FROM %3 c%4 ORDER BY %5 OFFSET $%6 LIMIT 1")
                 .arg(sort.isEmpty() ? QStringLiteral("NULL") : QStringLiteral("c.%1::text").arg(quote(sort)), key.text(),
                      quote(m_pair.content.schema) + QLatin1Char('.') + quote(m_pair.content.name),
                      where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where, orderTerms(quote, fromEnd),
                      QString::number(st.params.size()));
    return st;
}

Result<BrowsePage> BrowseQuery::fetchPageAt(PgConnection &conn, qint64 first, qint64 total, int limit) const
{
    if (first <= 0)
        return fetchPage(conn, std::nullopt, limit);
    // The row before the page, counted from the nearer end: a jump to the last page walks a
    // hundred index entries back from the end, not a million forward.
    const qint64 before = first - 1, fromEnd = total - 1 - before;
    const bool backwards = fromEnd >= 0 && fromEnd < before;
    const BrowseStatement st = rowAt([&conn](const QString &id) { return conn.escapeIdentifier(id); }, backwards ? fromEnd : before,
                                     backwards);
    auto found = conn.exec(st.sql, st.params);
    if (!found.ok())
        return found.error();
    if (found.value().rows.isEmpty())
        return BrowsePage{}; // fewer rows than were counted: deleted since
    const QStringList &row = found.value().rows.first();
    return fetchPage(conn, BrowseCursor{row.at(0), row.at(1)}, limit);
}

Result<qint64> BrowseQuery::fetchExactCount(PgConnection &conn) const
{
    const BrowseStatement st = count([&conn](const QString &id) { return conn.escapeIdentifier(id); });
    auto r = conn.exec(st.sql, st.params);
    if (!r.ok())
        return r.error();
    return r.value().scalar().toLongLong();
}

Result<qint64> BrowseQuery::fetchEstimate(PgConnection &conn, const TableRef &table)
{
    const QString name = conn.escapeIdentifier(table.schema) + QLatin1Char('.') + conn.escapeIdentifier(table.name);
    auto r = conn.exec(QStringLiteral("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)"), {name});
    if (!r.ok())
        return r.error();
    if (r.value().scalar().toLongLong() >= 0)
        return r.value().scalar().toLongLong();
    // Never analyzed (reltuples = -1): the planner's own guess from the table's size on disk.
    auto plan = conn.exec(QStringLiteral("EXPLAIN (FORMAT JSON) SELECT 1 FROM %1").arg(name));
    if (!plan.ok())
        return plan.error();
    const QJsonArray doc = QJsonDocument::fromJson(plan.value().scalar().toUtf8()).array();
    return qint64(doc.first().toObject().value(QStringLiteral("Plan")).toObject().value(QStringLiteral("Plan Rows")).toDouble());
}

Result<QStringList> fetchForumNames(PgConnection &conn, const ContentPair &pair, int limit)
{
    if (pair.roles.filter.isEmpty())
        return QStringList{};
    const RoleSql roles(pair, QStringLiteral("c"), [&conn](const QString &id) { return conn.escapeIdentifier(id); });
    auto r = conn.exec(QStringLiteral("SELECT %1 AS f FROM %2.%3 c GROUP BY 1 HAVING %1 IS NOT NULL ORDER BY count(*) DESC, 1 LIMIT $1")
                           .arg(roles.filterValue(), conn.escapeIdentifier(pair.content.schema), conn.escapeIdentifier(pair.content.name)),
                       {limit});
    if (!r.ok())
        return r.error();
    QStringList out;
    for (const QStringList &row : r.value().rows)
        out << row.first();
    return out;
}
} // namespace vwb
