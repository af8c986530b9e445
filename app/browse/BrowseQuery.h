// app/browse/BrowseQuery.h
#pragma once

#include "schema/DatabaseSchema.h"
#include <QDateTime>
#include <QVariantList>

namespace vwb {
class PgConnection;

enum class VectorFilter { Any, Has, Missing, Stale };
enum class BrowseSort { Id, CreatedAt, UpdatedAt, Title };

struct BrowseFilter
{
    QString forum;  // exact stored value: an equality keeps the forum_name index usable
    QString text;   // substring of title or content, case-insensitive; LIKE wildcards are literal
    QDateTime from; // created_at >= from (invalid: no bound)
    QDateTime to;   // created_at < to
    VectorFilter vectors = VectorFilter::Any;
    QString column; // the vector column `vectors` looks at; empty = the pair's first
    bool operator==(const BrowseFilter &) const = default;
};

/// Where the previous page ended: the sort column's value (text form) and the row's key.
struct BrowseCursor
{
    QString sortValue; // null QString when that value was NULL
    RowKey key;        // null: before the first row of the NULL tail
};

struct BrowseRow
{
    RowKey key;
    QString forum;
    QString title; // posts have none: the start of their content
    QString snippet;
    QDateTime createdAt;
    QDateTime updatedAt;
    bool hasVector = false;
    bool stale = false; // the vector is older than the content
    RowKey topicKey;    // posts: their topic
};

struct BrowsePage
{
    QList<BrowseRow> rows;
    bool hasMore = false;
    BrowseCursor next;
};

/// One page query: the SQL and its parameters, built without a connection (so tests can read it).
struct BrowseStatement
{
    QString sql;
    QVariantList params;
};

/// Keyset paging over a content table and its vectors: `WHERE (sort, key) > (cursor)` with
/// ORDER BY sort, key and LIMIT n+1 — never OFFSET, never the whole table. Keys of any type, and
/// composite keys, compare as rows of their own columns.
class BrowseQuery
{
public:
    BrowseQuery(ContentPair pair, BrowseFilter filter = {}, BrowseSort sort = BrowseSort::Id, bool descending = false);

    /// `quote` escapes an identifier (PgConnection::escapeIdentifier, or a stand-in in tests).
    BrowseStatement page(const std::function<QString(const QString &)> &quote, const std::optional<BrowseCursor> &after, int limit) const;
    BrowseStatement count(const std::function<QString(const QString &)> &quote) const;
    Result<BrowsePage> fetchPage(PgConnection &conn, const std::optional<BrowseCursor> &after, int limit) const;
    /// The row `offset` rows from the start of the order pages follow (or, `fromEnd`, from its
    /// end): its sort value and key, as a page's cursor holds them. Keys and the sort column only,
    /// so an index on them answers it by walking `offset` entries.
    BrowseStatement rowAt(const std::function<QString(const QString &)> &quote, qint64 offset, bool fromEnd) const;
    /// The page of up to `limit` rows that starts at row `first` of `total` (an exact count of the
    /// rows the filters match): the row before it found from whichever end is nearer (rowAt), then
    /// keyset paging from there. What a jump to any position (the end, the middle) reads.
    Result<BrowsePage> fetchPageAt(PgConnection &conn, qint64 first, qint64 total, int limit) const;
    /// Exact count of the filtered rows (count(*)): slow on big tables, run it off the UI thread.
    Result<qint64> fetchExactCount(PgConnection &conn) const;
    /// The planner's estimate for the whole table (pg_class.reltuples): instant at any size.
    static Result<qint64> fetchEstimate(PgConnection &conn, const TableRef &table);

    const ContentPair &pair() const { return m_pair; }
    static QString escapeLike(const QString &text);
    bool supportsStale() const;

private:
    QString sortColumn() const;
    /// ORDER BY terms of the order pages follow (NULL sort values last), or of its reverse.
    QString orderTerms(const std::function<QString(const QString &)> &quote, bool reversed) const;
    QString whereClause(const std::function<QString(const QString &)> &quote, QVariantList &params) const;
    const VectorColumn *vectorColumn() const;

    ContentPair m_pair;
    BrowseFilter m_filter;
    BrowseSort m_sort;
    bool m_descending;
};

/// Distinct values of the pair's filter column (forum_name; through its lookup for LangChain's
/// collections), for completion, most frequent first.
Result<QStringList> fetchForumNames(PgConnection &conn, const ContentPair &pair, int limit = 200);
} // namespace vwb
