// app/data/CorpusImport.h
#pragma once

#include "schema/DatabaseSchema.h"
#include <functional>

namespace vwb {
class PgConnection;

struct ImportRequest
{
    QString contentFile; // either may be empty (skipped)
    QString vectorFile;
    bool dryRun = false; // read and check everything, write nothing
    /// Rows sent so far, after each chunk (called on the importing thread).
    std::function<void(qint64 rows)> progress;
};

struct ImportReport
{
    qint64 contentRows = 0; // loaded, or that would be with dryRun
    qint64 vectorRows = 0;
    qint64 elapsedMs = 0;
    bool dryRun = false;
};

/// Loads a corpus (readCorpusFile: JSON Lines or CSV) into a discovered content/vector pair with
/// COPY, in one transaction: content rows carry their own ids (`id`, `forum_name`, `title`,
/// `content`, `metadata`, `created_at`, `updated_at`, `topic_id` — whichever the table has), vector
/// rows (`<fk>` or `topic_id`/`post_id`, `forum_name`, `vector`) reference them. The id sequence is
/// moved past the loaded ids. Every row is checked before anything is written, and the first bad
/// one is named with its line: no id, an id given twice or already in the table, a vector of the
/// wrong dimension or with a value that is not a number, a content row's key missing from a
/// vector row. A failure leaves the tables as they were.
Result<ImportReport> importCorpus(PgConnection &conn, const ContentPair &pair, const ImportRequest &request);
} // namespace vwb
