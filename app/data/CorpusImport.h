// app/data/CorpusImport.h
#pragma once

#include "schema/DatabaseSchema.h"
#include <QStringList>
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
    QString column; // the vector column to load (default: the first)
};

struct ImportReport
{
    qint64 contentRows = 0; // loaded, or that would be with dryRun
    qint64 vectorRows = 0;
    qint64 elapsedMs = 0;
    bool dryRun = false;
    QString vectorColumn;      // where the vectors went
    QStringList ignoredFields; // the files' fields that name no column: not loaded
};

/// Loads a corpus (readCorpusFile: JSON Lines or CSV) into a discovered content/vector pair with
/// COPY, in one transaction. Content rows keep their own keys, of whatever type the table's key is
/// (integer, uuid, text, composite — each key column by name, a one-column key also as `id`); every
/// field naming a column is loaded, and the reference design's names find the table's roles
/// (`content`, `title`, `metadata`, `forum_name` for its text, title, metadata and filter columns).
/// Vector rows (`<foreign key>` or `topic_id`/`post_id`/`content_id`, `vector`) go into the vector
/// table; for an inline table they fill the column of the content rows they name (of the file, or
/// of the table when only vectors are given). An integer key's sequence is moved past the loaded
/// keys. Every row is checked before anything is written, and the first bad one is named with its
/// line: no key, a key that is not of the column's type, given twice or already in the table, a
/// vector of the wrong dimension or with a value that is not a number, a vector naming no row.
/// A failure leaves the tables (and the sequence) as they were.
Result<ImportReport> importCorpus(PgConnection &conn, const ContentPair &pair, const ImportRequest &request);
} // namespace vwb
