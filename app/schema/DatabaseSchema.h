// app/schema/DatabaseSchema.h
#pragma once

#include "core/Result.h"
#include "schema/ContentRoles.h"
#include "schema/RowKey.h"
#include <QHash>
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

/// pgvector's approximate methods, hnsw and ivfflat: the indexes a vector search goes through.
bool isAnnMethod(const QString &method);

struct VectorIndex
{
    QString name;
    QString method;  // hnsw | ivfflat | btree | ...
    QString opclass; // vector_cosine_ops, vector_l2_ops, vector_ip_ops, ...
    bool valid = true;
    QString definition;
    QString keyType;           // the indexed key's type: "vector(1536)", or "halfvec(1536)" for an expression index
    bool castOfColumn = false; // the key is the column cast to keyType, `((embedding)::halfvec(1536))`
    bool expression = false;   // the key is an expression of the column, not the column itself
    /// The distance operator this index serves: "<=>", "<->", "<#>", "<+>", or empty.
    QString distanceOperator() const;
    bool isAnn() const; // HNSW or IVFFlat
    /// N when the index holds the column cast to halfvec(N) (half the size of a vector index); else 0.
    int halfvecDimensions() const;
};

struct VectorColumn
{
    QString name;
    QString type;       // vector | halfvec | sparsevec | bit
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
    QString contentKey = QStringLiteral("id");                      // the key column vector rows reference (the first of a composite key)
    KeyShape key{{QStringLiteral("id")}, {QStringLiteral("int8")}}; // the content table's key, by which rows are paged and found
    TableRef vectors;                                               // == content when inline
    QString foreignKey;                                             // vector table column referencing contentKey
    QStringList foreignKeys; // all of them, in key order, when the foreign key has several columns (else empty)
    QList<VectorColumn> columns;
    bool isInline() const { return vectors == content; }
    /// A unique, non-partial index on exactly `foreignKey` (always true inline): without it, another
    /// writer — the application's own backfill — can add a second vector row for a content row.
    bool keyIsUnique = true;
    // Which of the design's columns exist, so features degrade instead of failing.
    QStringList contentColumns;
    QStringList vectorTableColumns;
    QHash<QString, QString> contentTypes; // column -> pg_type name
    ContentRoles roles;                   // which columns are the text, title, metadata and filter
    /// What made these tables (knownLayouts()): "reference", "langchain", "llamaindex", "pgai",
    /// "inline" or "paired".
    QString layout;
    /// Vectors another program keeps in step with the content (pgai's vectorizer re-embeds its
    /// chunk store itself): the workbench reads them and never writes them.
    bool ownerEmbeds = false;
    bool contentHas(const QString &column) const { return contentColumns.contains(column); }
    bool vectorsHave(const QString &column) const { return vectorTableColumns.contains(column); }
    /// "topic" for topics, "post" for posts, else the table's name.
    QString kind() const;
    /// The vector column named `name`, or the first when `name` is empty; nullptr when none.
    const VectorColumn *column(const QString &name = {}) const;
    /// The vector rows' reference as a key: the foreign key's columns (in the order of `key`'s), or
    /// the key itself inline. A RowKey of the content compares with it part for part.
    KeyShape vectorKey() const;
    /// SQL joining a vector row (`vectorAlias`) to its content row (`contentAlias`):
    /// "v.topic_id = c.id", "(v.tenant, v.doc_id) = (c.tenant, c.id)".
    QString joinSql(const QString &vectorAlias, const QString &contentAlias, const KeySql::Quote &quote) const;
};

/// What `discoverSchema` found: every content/vector pairing, and vector tables it could not pair.
/// RoleChoice::defaultPath(), declared here for discoverSchema's default.
QString defaultChoicesPath();

struct DatabaseSchema
{
    QList<ContentPair> pairs;
    QList<TableRef> unpairedVectorTables;
    QStringList unpairedReasons; // one per unpaired table: why it cannot be browsed
    QStringList searchPath;      // the connection's schemas, in search_path order

    /// The pair whose content table is `nameOrKind` ("topics", "topic", "public.posts", or a pgai
    /// store's name); of several in different schemas, the one the search_path finds first.
    std::optional<ContentPair> find(const QString &nameOrKind) const;
};

/// Reads the catalogs (pg_attribute, pg_constraint, pg_index) — no table names are assumed — and
/// takes the roles the user chose for the connection's profile from `choicesPath` (RoleChoice;
/// empty: discovery's guesses only).
Result<DatabaseSchema> discoverSchema(PgConnection &conn, const QString &choicesPath = defaultChoicesPath());
} // namespace vwb
