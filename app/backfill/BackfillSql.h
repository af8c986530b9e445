// app/backfill/BackfillSql.h
#pragma once

#include "backfill/BackfillOptions.h"
#include "core/Result.h"
#include "embeddings/EmbeddingText.h"
#include "schema/RowKey.h"
#include <QStringList>

namespace vwb {
class PgConnection;

/// What a backfill's statements are built from, read off the catalog once and with identifiers
/// escaped: `c` stands for the content table, `v` for the vector table (the same table when the
/// pair is inline).
struct BackfillSql
{
    QString content, vectors, key, fk, column; // key: the (first) key column vector rows reference
    /// The content table's key with its columns escaped: one column or several.
    KeyShape keyShape;
    /// The vector table's reference to it, escaped: the foreign key's columns (or keyShape inline).
    KeyShape refShape;
    int dimensions = 0; // of the column; 0 when unconstrained
    bool isInline = false;
    bool forumName = false;      // both tables have forum_name: copy it over
    bool vectorsUpdated = false; // the vector table has updated_at: set it, and use it in `all`
    QString text;                // the text to embed, as an SQL expression over c
    EmbeddingText embedded;      // the template `text` comes from, "{content}"
    unsigned int keyType = 0;    // pg_type oid of the content key
    bool binaryCopy = false;     // key, column (and forum_name) types binary COPY is written for here
    bool fkIndexed = false;      // an index leads with the vector table's foreign key
    /// Missing rows of a separate vector table go straight into it with COPY: every column the
    /// merge would set is in the COPY or defaults to the transaction's time (updated_at).
    bool directInsert = false;
    /// A vector column of a separate vector table other than its first (a second model's column
    /// beside the application's): its backfill fills the rows that are there — it never inserts
    /// vector rows, which are the first column's — and leaves updated_at alone, which tells the
    /// first column's staleness.
    bool secondary = false;

    /// The embedded text is options.text, else the text recorded for the column, else
    /// EmbeddingText::defaultFor() (resolveEmbeddingText).
    static Result<BackfillSql> discover(PgConnection &conn, const BackfillOptions &options);
    /// The key's SQL over `alias` (text, order, comparisons with RowKey parameters).
    KeySql keyOver(const QString &alias) const;
    /// The vector rows' reference to it over `alias`, the same way.
    KeySql refOver(const QString &alias) const;
    /// How a statement reads the content table: a batch of rows in key order (claims), or all of it (counts).
    enum class Reading { Batch, WholeTable };
    /// The WHERE clause (over `c`) picking the rows `mode` is about. `runStart` is a parameter
    /// placeholder ("$3") or empty; with it, `all` leaves out rows whose vector this run wrote.
    QString condition(BackfillMode mode, const QString &runStart = {}, Reading reading = Reading::Batch) const;
};
} // namespace vwb
