// app/search/SearchRanking.h
#pragma once

#include <QString>

namespace vwb {

/// How a search orders its rows: by vector similarity, by PostgreSQL full text (ts_rank_cd of
/// the row's title and content against the query's words), or both fused by reciprocal rank.
enum class Ranking { Vector, Text, Hybrid };

const char *rankingName(Ranking ranking); // "vector", "text", "hybrid"
bool parseRanking(const QString &name, Ranking *out);
/// What produced a list, for the UI and the CLI: "vector similarity (cosine)", "full text
/// (ts_rank_cd, english)", "hybrid: reciprocal rank fusion (k = 60) of vector and full text".
QString rankingDescription(Ranking ranking, const QString &metricName, const QString &textConfig, int rrfK);

/// A text search configuration's name as SQL may carry it inline ("english", "simple",
/// "pg_catalog.german"): letters, digits, underscores and one optional schema dot.
bool validTextConfig(const QString &name);
} // namespace vwb
