// app/cli/SearchOptions.h — the search options vwb search, vwb recall and vwb explain --search share.
#pragma once

#include "cli/CliSupport.h"
#include "search/SearchService.h"

namespace vwb::cli {

/// --metric, --probes, --ef-search, --iterative, --column.
void addKnobs(CommandParser &cmd);
/// Reads the knobs into `request`; a usage error as text.
QString readKnobs(const QCommandLineParser &p, SearchRequest &request);
/// Without --column, the column the workbench was switched to for the pair's table (vwb column
/// use), if any; without --provider, that switch's provider, else --provider's default. Returns
/// the provider to embed queries with.
QString applyColumnInUse(const CommandParser &cmd, PgConnection &conn, const ContentPair &pair, QString &column);
/// Fills request.pair from --type, request.column as applyColumnInUse() does, and request.metric
/// (unless --metric was given) with the metric the column's index serves. Returns the provider to
/// embed queries with.
Result<QString> targetPair(CommandParser &cmd, PgConnection &conn, SearchRequest &request);

/// --ranking, --text-config, --rrf-k.
void addRankingOptions(CommandParser &cmd);
QString readRanking(const QCommandLineParser &p, SearchRequest &request);

/// What a search query is made of: --type, --forum, --limit, --threshold, --exact, --like-topic,
/// --provider and the knobs.
void addSearchOptions(CommandParser &cmd);
/// Reads those options for the search of `text` (or --like-topic) into `request`, before
/// connecting; a usage error as text.
QString readSearchOptions(const QCommandLineParser &p, const QString &text, SearchRequest &request);
} // namespace vwb::cli
