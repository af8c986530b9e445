// app/schema/DatabaseSchema.cpp
#include "schema/DatabaseSchema.h"

#include "connection/PgConnection.h"
#include <QHash>

namespace vwb {

QString VectorIndex::distanceOperator() const
{
    if (opclass.endsWith(QLatin1String("_cosine_ops")))
        return QStringLiteral("<=>");
    if (opclass.endsWith(QLatin1String("_l2_ops")))
        return QStringLiteral("<->");
    if (opclass.endsWith(QLatin1String("_ip_ops")))
        return QStringLiteral("<#>");
    if (opclass.endsWith(QLatin1String("_l1_ops")))
        return QStringLiteral("<+>");
    return {};
}

bool VectorColumn::hasAnnIndex() const
{
    return std::any_of(indexes.begin(), indexes.end(), [](const VectorIndex &i) {
        return i.valid && (i.method == QLatin1String("hnsw") || i.method == QLatin1String("ivfflat"));
    });
}

QString ContentPair::kind() const
{
    if (content.name == QLatin1String("topics"))
        return QStringLiteral("topic");
    if (content.name == QLatin1String("posts"))
        return QStringLiteral("post");
    return content.name;
}

std::optional<ContentPair> DatabaseSchema::find(const QString &nameOrKind) const
{
    for (const ContentPair &p : pairs) {
        if (p.content.name == nameOrKind || p.kind() == nameOrKind || p.content.display() == nameOrKind
            || p.content.schema + QLatin1Char('.') + p.content.name == nameOrKind)
            return p;
    }
    return std::nullopt;
}

namespace {
QString key(const QString &schema, const QString &table)
{
    return schema + QLatin1Char('.') + table;
}
} // namespace

Result<DatabaseSchema> discoverSchema(PgConnection &conn)
{
    // Every column whose type is one of pgvector's, with its dimension from the type modifier.
    auto columns = conn.exec(QStringLiteral(R"(
        SELECT n.nspname, c.relname, a.attname, t.typname, a.atttypmod, a.attstorage
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE t.typname IN ('vector', 'halfvec', 'sparsevec') AND a.attnum > 0 AND NOT a.attisdropped
          AND c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        ORDER BY n.nspname, c.relname, a.attnum)"));
    if (!columns.ok())
        return columns.error().withContext(QStringLiteral("discovering vector columns"));

    QHash<QString, QList<VectorColumn>> vectorColumns; // by schema.table
    QList<TableRef> vectorTables;
    for (const QStringList &r : columns.value().rows) {
        const QString k = key(r.at(0), r.at(1));
        if (!vectorColumns.contains(k))
            vectorTables.append({r.at(0), r.at(1)});
        VectorColumn col;
        col.name = r.at(2);
        col.type = r.at(3);
        col.dimensions = qMax(0, r.at(4).toInt());
        col.storage = r.at(5);
        vectorColumns[k].append(col);
    }

    // Indexes whose first key column is a vector column, with access method and operator class.
    auto indexes = conn.exec(QStringLiteral(R"(
        SELECT n.nspname, t.relname, a.attname, ic.relname, am.amname, opc.opcname, i.indisvalid,
               pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        JOIN pg_am am ON am.oid = ic.relam
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
        JOIN pg_type ty ON ty.oid = a.atttypid
        LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[0]
        WHERE ty.typname IN ('vector', 'halfvec', 'sparsevec')
        ORDER BY ic.relname)"));
    if (!indexes.ok())
        return indexes.error().withContext(QStringLiteral("discovering vector indexes"));
    for (const QStringList &r : indexes.value().rows) {
        auto it = vectorColumns.find(key(r.at(0), r.at(1)));
        if (it == vectorColumns.end())
            continue;
        for (VectorColumn &col : *it) {
            if (col.name == r.at(2))
                col.indexes.append({r.at(3), r.at(4), r.at(5), r.at(6) == QLatin1String("t"), r.at(7)});
        }
    }

    // Single-column foreign keys leaving tables that hold vectors: the vector table → content table.
    auto fks = conn.exec(QStringLiteral(R"(
        SELECT sn.nspname, s.relname, sa.attname, tn.nspname, t.relname, ta.attname
        FROM pg_constraint con
        JOIN pg_class s ON s.oid = con.conrelid JOIN pg_namespace sn ON sn.oid = s.relnamespace
        JOIN pg_class t ON t.oid = con.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
        JOIN pg_attribute sa ON sa.attrelid = s.oid AND sa.attnum = con.conkey[1]
        JOIN pg_attribute ta ON ta.attrelid = t.oid AND ta.attnum = con.confkey[1]
        WHERE con.contype = 'f' AND array_length(con.conkey, 1) = 1
        ORDER BY sn.nspname, s.relname, con.conname)"));
    if (!fks.ok())
        return fks.error().withContext(QStringLiteral("discovering foreign keys"));

    DatabaseSchema schema;
    QHash<QString, bool> paired;
    for (const QStringList &r : fks.value().rows) {
        const QString source = key(r.at(0), r.at(1));
        if (!vectorColumns.contains(source) || paired.value(source))
            continue;
        const QString target = key(r.at(3), r.at(4));
        if (vectorColumns.contains(target))
            continue; // a vector table pointing at another vector table is not a content pairing
        ContentPair pair;
        pair.vectors = {r.at(0), r.at(1)};
        pair.foreignKey = r.at(2);
        pair.content = {r.at(3), r.at(4)};
        pair.contentKey = r.at(5);
        pair.columns = vectorColumns.value(source);
        schema.pairs << pair;
        paired.insert(source, true);
    }
    // Tables with vectors and no outgoing key: content and vectors in one table (inline), when the
    // table looks like content (has a text column); otherwise unpaired.
    for (const TableRef &t : vectorTables) {
        const QString k = key(t.schema, t.name);
        if (paired.value(k))
            continue;
        ContentPair pair;
        pair.content = t;
        pair.vectors = t;
        pair.columns = vectorColumns.value(k);
        schema.pairs << pair;
    }

    // Column names of every table involved, so callers know what the design's columns are.
    for (ContentPair &pair : schema.pairs) {
        for (auto [table, out] : {std::pair{pair.content, &pair.contentColumns}, std::pair{pair.vectors, &pair.vectorTableColumns}}) {
            auto cols = conn.exec(QStringLiteral("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) "
                                                 "AND attnum > 0 AND NOT attisdropped ORDER BY attnum"),
                                  {conn.escapeIdentifier(table.schema) + QLatin1Char('.') + conn.escapeIdentifier(table.name)});
            if (!cols.ok())
                return cols.error();
            for (const QStringList &r : cols.value().rows)
                *out << r.first();
        }
        if (!pair.isInline()) {
            auto unique = conn.exec(
                QStringLiteral(R"(
                SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                               WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indisvalid
                                 AND i.indnkeyatts = 1 AND i.indpred IS NULL AND a.attname = $2))"),
                {conn.escapeIdentifier(pair.vectors.schema) + QLatin1Char('.') + conn.escapeIdentifier(pair.vectors.name),
                 pair.foreignKey});
            if (!unique.ok())
                return unique.error();
            pair.keyIsUnique = unique.value().scalar() == QLatin1String("t");
        }
        if (pair.isInline() && !pair.contentHas(QStringLiteral("content")) && !pair.contentHas(QStringLiteral("title")))
            schema.unpairedVectorTables << pair.content;
    }
    schema.pairs.erase(std::remove_if(schema.pairs.begin(), schema.pairs.end(),
                                      [&](const ContentPair &p) { return schema.unpairedVectorTables.contains(p.content); }),
                       schema.pairs.end());
    std::stable_sort(schema.pairs.begin(), schema.pairs.end(), [](const ContentPair &a, const ContentPair &b) {
        // topics before posts before the rest, then by name: the design's order.
        auto rank = [](const ContentPair &p) {
            return p.kind() == QLatin1String("topic") ? 0 : p.kind() == QLatin1String("post") ? 1 : 2;
        };
        return rank(a) != rank(b) ? rank(a) < rank(b) : a.content.display() < b.content.display();
    });
    return schema;
}
} // namespace vwb
