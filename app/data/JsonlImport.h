// app/data/JsonlImport.h
#pragma once

#include "schema/DatabaseSchema.h"

namespace vwb {
class PgConnection;

struct ImportReport
{
    qint64 contentRows = 0;
    qint64 vectorRows = 0;
    qint64 elapsedMs = 0;
};

/// Loads JSON Lines (optionally .gz) into a discovered content/vector pair with COPY, in one
/// transaction: content rows carry their own ids (`id`, `forum_name`, `title`, `content`,
/// `metadata`, `created_at`, `updated_at`, `topic_id` — whichever the table has), vector rows
/// (`<fk>` or `topic_id`/`post_id`, `forum_name`, `vector`) reference them. The id sequence is moved
/// past the loaded ids. Either file may be empty (skipped). A vector whose dimension differs from
/// the column's is refused before anything is written, naming both numbers and the line.
Result<ImportReport> importJsonl(PgConnection &conn, const ContentPair &pair, const QString &contentFile, const QString &vectorFile);
/// The lines of a .jsonl or .jsonl.gz file (gzip through the system's gzip).
Result<QList<QByteArray>> readJsonLines(const QString &path);
} // namespace vwb
