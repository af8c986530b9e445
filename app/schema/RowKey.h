// app/schema/RowKey.h
#pragma once

#include "core/Result.h"
#include <QJsonValue>
#include <QStringList>
#include <QVariantList>
#include <functional>

namespace vwb {

/// A content row's key as text: what PostgreSQL prints for a one-column key ("42", a uuid, any
/// string), a JSON array of those texts for a composite key (["7","a"]). Every key type travels the
/// same way; statements bind the parts as untyped parameters, so the server reads each as its
/// column's own type and an index on the key still serves the lookup.
using RowKey = QString;

/// int2, int4 or int8: a key PostgreSQL prints as a whole number.
bool isIntegerKeyType(const QString &type);

/// The key columns of a content table and their types.
struct KeyShape
{
    QStringList columns; // in key order; empty when the table has no key to page by
    QStringList types;   // pg_type names: int8, int4, uuid, text, varchar, ...
    bool isComposite() const { return columns.size() > 1; }
    /// One integer column: printed in JSON as a number, as the reference design's ids always were.
    bool isInteger() const;
    /// "id bigint", "(tenant text, id uuid)": for messages.
    QString describe() const;
    bool operator==(const KeyShape &) const = default;
};

/// SQL for a key, over a table alias (`c`), identifiers escaped by `quote`.
class KeySql
{
public:
    using Quote = std::function<QString(const QString &)>;
    KeySql(KeyShape shape, QString alias, Quote quote);

    /// The key as RowKey text (a JSON array text for a composite key).
    QString text() const;
    /// The key columns: "c.id", or "(c.a, c.b)" — for comparisons with a row of parameters.
    QString columns() const;
    /// ORDER BY terms, each column in `direction` ("" or " DESC").
    QString order(const QString &direction = {}) const;
    /// `columns() op ($n[, $n+1…])` with the key's parts appended to `params`; `key` must be valid
    /// for the shape (parseKey). op: =, <>, <, >, IS DISTINCT FROM.
    QString compare(const QString &op, const RowKey &key, QVariantList &params) const;
    /// The key is one of `keys` (one array parameter appended).
    QString in(const QList<RowKey> &keys, QVariantList &params) const;

private:
    KeyShape m_shape;
    QString m_alias;
    Quote m_quote;
};

/// A key from a user (--after, an id typed in a panel): an integer key must be a whole number, a
/// composite key a JSON array with one text per column.
Result<RowKey> parseKey(const KeyShape &shape, const QString &text);
/// The parts of a valid key, one per key column.
QStringList keyParts(const KeyShape &shape, const RowKey &key);
/// For JSON output: a number for an integer key, a string otherwise, an array for a composite key.
QJsonValue keyJson(const KeyShape &shape, const RowKey &key);
} // namespace vwb
