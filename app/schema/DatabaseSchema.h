// app/schema/DatabaseSchema.h
#pragma once

#include "core/Result.h"
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace vwb {
class PgConnection;

/// A table by schema and name; `sql()` is the escaped, qualified form for statements.
struct TableRef
{
    QString schema;
    QString name;
    QString display() const { return schema == QLatin1String("public") ? name : schema + QLatin1Char('.') + name; }
    bool operator==(const TableRef &) const = default;
};

struct VectorIndex
{
    QString name;
    QString method;  // hnsw | ivfflat | btree | ...
    QString opclass; // vector_cosine_ops, vector_l2_ops, vector_ip_ops, ...
    bool valid = true;
    QString definition;
    /// The distance operator this index serves: "<=>", "<->", "<#>", "<+>", or empty.
    QString distanceOperator() const;
};

struct VectorColumn
{
    QString name;
    QString type;       // vector | halfvec | sparsevec
    int dimensions = 0; // from the type modifier; 0 when unconstrained
    QString storage;    // attstorage: p(lain), e(xternal), m(ain), x(tended)
    QList<VectorIndex> indexes;
    bool hasAnnIndex() const;
};

/// A content table and where its vectors live: a separate table pointing at it through a
/// foreign key (found by the key, not by name), or columns of its own (inline).
struct ContentPair
{
    TableRef content;
    QString contentKey = QStringLiteral("id"); // referenced column
    TableRef vectors;                          // == content when inline
    QString foreignKey;                        // vector table column referencing contentKey
    QList<VectorColumn> columns;
    bool isInline() const { return vectors == content; }
    /// A unique, non-partial index on exactly `foreignKey` (always true inline): without it, another
    /// writer — the application's own backfill — can add a second vector row for a content row.
    bool keyIsUnique = true;
    // Which of the design's columns exist, so features degrade instead of failing.
    QStringList contentColumns;
    QStringList vectorTableColumns;
    bool contentHas(const QString &column) const { return contentColumns.contains(column); }
    bool vectorsHave(const QString &column) const { return vectorTableColumns.contains(column); }
    /// "topic" for topics, "post" for posts, else the table's name.
    QString kind() const;
};

/// What `discoverSchema` found: every content/vector pairing, and vector tables it could not pair.
struct DatabaseSchema
{
    QList<ContentPair> pairs;
    QList<TableRef> unpairedVectorTables;

    /// The pair whose content table is `nameOrKind` ("topics", "topic", "public.posts").
    std::optional<ContentPair> find(const QString &nameOrKind) const;
};

/// Reads the catalogs (pg_attribute, pg_constraint, pg_index) — no table names are assumed.
Result<DatabaseSchema> discoverSchema(PgConnection &conn);
} // namespace vwb
