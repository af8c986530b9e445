// app/search/ForumSpellings.h
#pragma once

#include "core/Result.h"
#include "schema/DatabaseSchema.h"
#include <QStringList>

namespace vwb {
class PgConnection;

/// The stored values of the filter column equal to `forum` ignoring case (LOWER() = LOWER(), as
/// the reference design's service compares forum_name), from the vector table or else the
/// content table; empty for a filter through a lookup table, which is compared exactly. A skip
/// scan over the column's B-tree index when there is one, else the table's distinct values.
Result<QStringList> forumSpellings(PgConnection &conn, const ContentPair &pair, const QString &forum);
} // namespace vwb
