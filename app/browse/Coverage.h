// app/browse/Coverage.h
#pragma once

#include "schema/DatabaseSchema.h"

namespace vwb {
class PgConnection;

/// How many content rows have a vector, lack one, or have one older than the content.
struct Coverage
{
    QString table;
    qint64 total = 0;
    qint64 withVector = 0;
    qint64 missing = 0;
    qint64 stale = 0; // -1 when the tables carry no timestamps to compare
};

/// Counts over the whole table (a full scan: run off the UI thread).
Result<Coverage> fetchCoverage(PgConnection &conn, const ContentPair &pair);
} // namespace vwb
