// app/browse/ContentRecord.h
#pragma once

#include "browse/BrowseQuery.h"
#include <QJsonObject>

namespace vwb {

/// The vector row of a content row, summarised: never the 1536 numbers themselves.
struct VectorSummary
{
    QString rowId; // the vector row's own id, when its table has one
    QString column;
    int dimensions = 0;
    double norm = 0;     // L2 norm: ~1 for OpenAI embeddings
    QList<double> head;  // the first values
    QDateTime updatedAt; // invalid when the vector table has no updated_at
};

/// A content row and its vector as one record.
struct ContentRecord
{
    RowKey key;
    KeyShape keyShape;
    QString kind; // "topic", "post", ...
    QString forum;
    QString title;
    QString content;
    QString metadataJson; // the jsonb as text; "{}" when empty
    QDateTime createdAt;
    QDateTime updatedAt;
    RowKey topicKey;    // posts
    QString layout;     // ContentPair::layout
    QString filterName; // what `forum` is: "forum", "collection", the filter column's name; empty without one
    std::optional<VectorSummary> vector;
    int vectorRows = 0;     // more than 1: duplicates (the reference design allows them)
    bool stale = false;     // vector older than the content
    QList<BrowseRow> posts; // a topic's posts, oldest first (up to 100)

    QJsonObject toJson() const;
};

/// Reads one record by key, with the vector in `column` (empty: the pair's first); an unknown key
/// is an Invalid error naming it.
Result<ContentRecord> fetchContentRecord(PgConnection &conn, const DatabaseSchema &schema, const ContentPair &pair, const RowKey &key,
                                         const QString &column = {});
} // namespace vwb
