// app/search/SemanticSearch.h
#pragma once

#include "schema/DatabaseSchema.h"
#include "search/IndexChoice.h"
#include "search/SearchMetric.h"
#include "search/SearchRanking.h"
#include <QDateTime>
#include <QVariantList>
#include <limits>

namespace vwb {
class PgConnection;

struct SearchRequest
{
    ContentPair pair;
    QString vector; // the query vector as pgvector text "[0.1,...]"; empty with likeKey
    RowKey likeKey; // search with this row's stored vector instead; the row itself is left out
    /// The filter column's value (forum_name in the reference design, a LangChain collection's
    /// name): compared as the application does, LOWER(forum_name) = LOWER(forum), on plain columns.
    QString forum;
    /// The stored spellings of `forum` (filled by run() from the forum_name index), so the filter
    /// stays an equality on the stored value, which an index can serve.
    QStringList forumSpellings;
    int limit = 10;
    double threshold = -std::numeric_limits<double>::infinity(); // minimum similarity, applied outside the ORDER BY
    SearchMetric metric = SearchMetric::Cosine;
    bool exact = false;         // index scans off: the true nearest neighbours, for comparison
    int probes = 0;             // ivfflat.probes; 0 = server default
    int efSearch = 0;           // hnsw.ef_search; 0 = server default
    bool iterativeScan = false; // pgvector 0.8: keep scanning when filters discard candidates
    QString column;             // the vector column searched; empty = the pair's first
    /// Through the column's own index or one on column::halfvec(N) (chooseIndex). Exact search and
    /// candidate ranking always compare at full precision, and so do the distances returned.
    SearchPrecision precision = SearchPrecision::Auto;

    Ranking ranking = Ranking::Vector;
    QString queryText;                              // the words full-text and hybrid ranking match
    QString textConfig = QStringLiteral("english"); // text search configuration of the text ranking
    int rrfK = 60;                                  // reciprocal rank fusion: score = sum of 1 / (rrfK + rank) over both lists
    int fusionDepth = 0;                            // rows each list brings to the fusion; 0 = max(limit, 100)
    /// Rank only these rows (re-ranking a query's judged candidates); empty = the whole table.
    QList<RowKey> candidates;
};

struct SearchHit
{
    RowKey key;
    QString forum;
    QString title;
    QString snippet;
    QDateTime createdAt;
    double distance = 0;   // NaN when the row came from the full-text list only
    double similarity = 0; // NaN likewise
    double score = 0;      // what the list is ordered by: similarity, ts_rank_cd, or the fused score
};

struct SearchOutcome
{
    QList<SearchHit> hits;
    QStringList settings; // the SET LOCAL statements that ran
    QString sql;          // the statement that ran ($1 = the query vector)
    QVariantList params;
    double queryMs = 0; // round trip of the SELECT alone (not the transaction around it)
    bool indexUsed = false;
    QString indexName;
    int halfvecDimensions = 0; // > 0: ordered through an index on column::halfvec(N), ranked at full precision
    /// Rows the index brought back before run() refilled a short list (iterative scan, then exact); -1: no refill.
    int refilledFrom = -1;
    /// How indexUsed was learned: "scan counters" (what the executor did, read in the search's own
    /// transaction), "plan" (EXPLAIN: the counters were off, or no row came back), or empty (no
    /// ANN index could serve this search: exact, candidates, text ranking, none on the column).
    QString indexUseFrom;
    QStringList warnings;
    /// The searched column holds no vector at all (nothing came back): backfill it before searching.
    bool noVectors = false;
    QString rankedBy; // which ranking produced the list, in words (rankingDescription)
};

/// Vector search SQL that lets pgvector use its index: ORDER BY column <op> $1 LIMIT k in an inner
/// query with the operator of the chosen metric, the threshold and the join to the content outside
/// it, knobs as SET LOCAL inside one transaction.
class SemanticSearch
{
public:
    /// Checks first, runs no query when they fail: dimension of the query vector against the column.
    /// A vector search the index brings back short (a filter discarded candidates after the scan)
    /// is run again with an iterative scan, then exactly: k rows whenever k rows pass the filter.
    static Result<SearchOutcome> run(PgConnection &conn, const SearchRequest &request);
    /// EXPLAIN (or EXPLAIN ANALYZE, rolled back) of exactly the statement run() sends, as text.
    static Result<QString> explain(PgConnection &conn, const SearchRequest &request, bool analyze);
    /// The request with `vector` filled from the stored row when it searches by `likeKey`, and the
    /// forum's stored spellings.
    static Result<SearchRequest> resolved(PgConnection &conn, const SearchRequest &request);
    /// The stored vector of a content row, as text.
    static Result<QString> storedVector(PgConnection &conn, const ContentPair &pair, const RowKey &key, const QString &column = {});

    /// One search as asked, short or not.
    static Result<SearchOutcome> runOnce(PgConnection &conn, const SearchRequest &request);
    /// Pure pieces, for tests.
    static QStringList settingsFor(const SearchRequest &request);
    /// N when the request orders through an index on its column::halfvec(N); else 0.
    static int halfvecOrder(const SearchRequest &request);
    static QString sqlFor(const SearchRequest &request, const std::function<QString(const QString &)> &quote, QVariantList *params);
    /// Names of the indexes a plan (EXPLAIN FORMAT JSON) scans.
    static QStringList indexesInPlan(const QString &jsonPlan);
    static int dimensionsOf(const QString &vectorText);
    /// The column a request searches: request.column, or the pair's first; nullptr when the pair
    /// has no such column.
    static const VectorColumn *columnOf(const SearchRequest &request);
};
} // namespace vwb
