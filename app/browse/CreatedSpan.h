// app/browse/CreatedSpan.h
#pragma once

#include "schema/DatabaseSchema.h"
#include <QDate>
#include <optional>

namespace vwb {
class PgConnection;

/// The days a content table's created_at runs over, for the date filter's defaults: a filter
/// that starts a year ago shows nothing of a corpus from 2019.
struct CreatedSpan
{
    QDate first;
    QDate last;
    bool exact = false; // min/max through an index; else the planner's statistics (a sample)
};

/// Instant at any size: min/max through an index that leads with created_at, else the first and
/// last bound of the column's histogram in pg_stats. Nothing when neither is there (no such
/// column, never analyzed, or no dates at all) — never a scan of the table.
Result<std::optional<CreatedSpan>> fetchCreatedSpan(PgConnection &conn, const ContentPair &pair);
} // namespace vwb
