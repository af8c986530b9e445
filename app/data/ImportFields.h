// app/data/ImportFields.h
#pragma once

#include "data/ImportValues.h"
#include "schema/RowKey.h"
#include <QHash>
#include <QJsonObject>
#include <QSet>

namespace vwb {
struct ContentPair;

/// The row's key from its fields: each key column by its own name; a one-column key also by
/// `aliases` (in order: "id", "topic_id", …). Errors say which field and why, without the line.
Result<RowKey> importRowKey(const QJsonObject &fields, const KeyShape &shape, const QStringList &aliases);

/// Which fields feed each of `columns`, in the order a row's first present one is taken: the
/// field of the same name, then that column's `aliases` the rows use. `fields` are all the names
/// the rows use; `ignored` gets the ones that feed no column, sorted.
QHash<QString, QStringList> importColumnSources(const QStringList &columns, const QSet<QString> &fields,
                                                const QHash<QString, QStringList> &aliases, QStringList *ignored);

/// The reference design's field names for a content table's role columns: `content` for the text
/// column, `title`, `metadata`, `forum_name` for a filter column of the table itself, `id` (and
/// topic_id, post_id, content_id for vector rows) for a one-column key, `vector` for `vectorColumn`.
QHash<QString, QStringList> importAliases(const ContentPair &pair, const QString &vectorColumn);
} // namespace vwb
