// app/search/SearchService.h
#pragma once

#include "plan/ExplainRunner.h"
#include "search/SemanticSearch.h"

namespace vwb {

/// The content pair a command or panel names ("topic", "posts", "schema.topics"), with an error
/// that says what to do when there is none (sqlState "usage", so the CLI exits as for bad usage).
Result<ContentPair> pickPair(const DatabaseSchema &schema, const QString &name);
/// The schema read now, and the pair in it.
Result<ContentPair> findPair(PgConnection &conn, const QString &name);
/// The metric the pair's valid ANN index serves (so the default search can use it); cosine when none.
SearchMetric defaultMetric(const ContentPair &pair, const QString &column = {});

/// One search as a user asks for it: the request (pair, knobs, likeKey) and, unless it searches
/// by a stored row, the text and the provider that embeds it.
struct SearchQuery
{
    SearchRequest request;
    QString text; // ignored with request.likeKey
    QString provider = QStringLiteral("lexical");
    bool checkSource = true; // warn when the column's vectors come from elsewhere
    /// The record of tuned settings (SearchTuning): a request that sets neither ef_search nor
    /// probes uses the one a recall sweep chose for its index. Empty: none.
    QString tuningPath;
};

struct SearchRun
{
    SearchOutcome outcome; // outcome.warnings starts with the source warning, if any
    double embedMs = 0;    // ms the provider took; 0 when searching by a stored row
    QString provider;      // the provider's description; empty when searching by a stored row
    QString tuned;         // the tuned setting used (TunedSetting::describe), or empty
};

/// The request with its query vector: the text embedded by the query's provider, which must make
/// vectors of the column's dimensions (checked before anything is sent). `run` gets embedMs,
/// provider and the source warning; its outcome stays empty.
Result<SearchRequest> embedSearch(PgConnection &conn, const SearchQuery &query, SearchRun *run = nullptr);
/// Embeds, checks and runs the search: what the Search panel and `vwb search` both do.
Result<SearchRun> runSearch(PgConnection &conn, const SearchQuery &query);
/// EXPLAIN of exactly the statement runSearch() sends, with its SET LOCAL knobs, through the
/// ExplainRunner (so ANALYZE is rolled back, read-only on a locked session, and parsed).
Result<ExplainOutcome> explainSearch(PgConnection &conn, const SearchQuery &query, ExplainOptions options);
} // namespace vwb
