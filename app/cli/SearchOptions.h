// app/cli/SearchOptions.h — the search options vwb search, vwb recall and vwb explain --search share.
#pragma once

#include "cli/CliSupport.h"
#include "search/SemanticSearch.h"

namespace vwb::cli {

QCommandLineOption typeOption();
/// The content pair --type names ("topic", "post", a table), with a usage error when unknown.
Result<ContentPair> findPair(PgConnection &conn, const QString &type);
/// --metric, --probes, --ef-search, --iterative.
void addKnobs(CommandParser &cmd);
/// Reads the knobs into `request`; a usage error as text.
QString readKnobs(const QCommandLineParser &p, SearchRequest &request);
/// Fills request.pair from --type, and request.metric (unless --metric was given) with the
/// metric the column's index serves.
Result<void> targetPair(CommandParser &cmd, PgConnection &conn, SearchRequest &request);

/// What a search query is made of: --type, --forum, --limit, --threshold, --exact, --like-topic,
/// --provider and the knobs.
void addSearchOptions(CommandParser &cmd);
/// Reads those options for the search of `text` (or --like-topic) into `request`, before
/// connecting; a usage error as text.
QString readSearchOptions(const QCommandLineParser &p, const QString &text, SearchRequest &request);
/// After connecting: the pair and metric, then the query vector of `text` from --provider (not
/// with --like-topic). Returns the ms the provider took; usage problems carry sqlState "usage".
/// `warnings` gets what the query's provider says of the column's vectors (searchSourceWarning).
Result<double> prepareSearch(CommandParser &cmd, PgConnection &conn, const QString &text, SearchRequest &request,
                             QStringList *warnings = nullptr);
} // namespace vwb::cli
