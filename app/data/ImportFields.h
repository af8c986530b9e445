// app/data/ImportFields.h
#pragma once

#include "schema/RowKey.h"
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <optional>

namespace vwb {
struct ContentPair;

/// One key part from a file's field, as the server would print it, for a column of pg_type `type`:
/// an integer column takes a whole number (JSON number or text), a uuid column any spelling of a
/// uuid (written lower-case, as PostgreSQL prints it), other types their text. nullopt with `why`
/// set when the value cannot be that key part; an empty result when the field is absent or null.
std::optional<QString> importKeyPart(const QJsonValue &value, const QString &type, QString *why);

/// The row's key from its fields: each key column by its own name; a one-column key also by
/// `aliases` (in order: "id", "topic_id", …). Errors say which field and why, without the line.
Result<RowKey> importRowKey(const QJsonObject &fields, const KeyShape &shape, const QStringList &aliases);

/// The finite numbers of a vector field, checked against `dimensions` (0: any). The error names the
/// first value that is not a finite number, or the dimensions against those of `where`.
Result<QString> importVectorText(const QJsonValue &value, int dimensions, const QString &where);

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
