// app/schema/DatabaseSchema.cpp
#include "schema/DatabaseSchema.h"

#include "connection/PgConnection.h"
#include "connection/SqlLiterals.h"
#include "connection/ConnectionProfile.h"
#include "schema/KnownLayouts.h"
#include "schema/RoleOverrides.h"
#include <QHash>
#include <QRegularExpression>

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

bool isAnnMethod(const QString &method)
{
    return method == QLatin1String("hnsw") || method == QLatin1String("ivfflat");
}

bool VectorIndex::isAnn() const
{
    return isAnnMethod(method);
}

int VectorIndex::halfvecDimensions() const
{
    static const QRegularExpression half(QStringLiteral("^halfvec\\((\\d+)\\)$"));
    const auto m = half.match(keyType);
    return castOfColumn && m.hasMatch() ? m.captured(1).toInt() : 0;
}

bool VectorColumn::hasAnnIndex() const
{
    return std::any_of(indexes.begin(), indexes.end(), [](const VectorIndex &i) { return i.valid && i.isAnn(); });
}

KeyShape ContentPair::vectorKey() const
{
    if (isInline())
        return key;
    return KeyShape{foreignKeys.isEmpty() ? QStringList{foreignKey} : foreignKeys, key.types};
}

QString ContentPair::joinSql(const QString &vectorAlias, const QString &contentAlias, const KeySql::Quote &quote) const
{
    return KeySql(vectorKey(), vectorAlias, quote).columns() + QStringLiteral(" = ") + KeySql(key, contentAlias, quote).columns();
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
    // Among tables of the same name in several schemas, the one the search_path finds first, as
    // PostgreSQL resolves an unqualified name.
    auto rank = [this](const TableRef &t) {
        const qsizetype at = searchPath.indexOf(t.schema);
        return at < 0 ? searchPath.size() : at;
    };
    std::optional<ContentPair> best;
    auto consider = [&](const ContentPair &p) {
        if (!best || rank(p.content) < rank(best->content))
            best = p;
    };
    for (const ContentPair &p : pairs) {
        if (p.content.schema + QLatin1Char('.') + p.content.name == nameOrKind)
            return p;
        if (p.content.name == nameOrKind || p.kind() == nameOrKind || p.content.display() == nameOrKind)
            consider(p);
    }
    if (best)
        return best;
    for (const ContentPair &p : pairs) { // by its vector table: a pgai store names its source's chunks
        if (!p.isInline() && p.vectors.schema + QLatin1Char('.') + p.vectors.name == nameOrKind)
            return p;
        if (!p.isInline() && p.vectors.name == nameOrKind)
            consider(p);
    }
    return best;
}

namespace {
QString key(const QString &schema, const QString &table)
{
    return schema + QLatin1Char('.') + table;
}

QString regclass(PgConnection &conn, const TableRef &t)
{
    return conn.escapeIdentifier(t.schema) + QLatin1Char('.') + conn.escapeIdentifier(t.name);
}

struct TableColumns
{
    QStringList names;
    QHash<QString, QString> types;
};

Result<TableColumns> columnsOf(PgConnection &conn, const TableRef &table)
{
    auto cols = conn.exec(QStringLiteral("SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                                         "WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"),
                          {regclass(conn, table)});
    if (!cols.ok())
        return cols.error();
    TableColumns out;
    for (const QStringList &r : cols.value().rows) {
        out.names << r.at(0);
        out.types.insert(r.at(0), r.at(1));
    }
    return out;
}

/// The table's primary key; without one, its narrowest unique, non-partial index on NOT NULL
/// columns; empty when it has neither.
Result<KeyShape> keyOf(PgConnection &conn, const TableRef &table)
{
    auto keys = conn.exec(QStringLiteral(R"(
        SELECT i.indexrelid, a.attname, t.typname
        FROM pg_index i
        CROSS JOIN LATERAL unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) WITH ORDINALITY k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
          AND NOT EXISTS (SELECT 1 FROM unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) n(attnum)
                          JOIN pg_attribute na ON na.attrelid = i.indrelid AND na.attnum = n.attnum WHERE NOT na.attnotnull)
        ORDER BY i.indisprimary DESC, i.indnkeyatts, i.indexrelid, k.ord)"),
                          {regclass(conn, table)});
    if (!keys.ok())
        return keys.error().withContext(QStringLiteral("reading the key of %1").arg(table.display()));
    KeyShape shape;
    const QString first = keys.value().rows.isEmpty() ? QString() : keys.value().rows.first().first();
    for (const QStringList &r : keys.value().rows) {
        if (r.at(0) != first)
            break;
        shape.columns << r.at(1);
        shape.types << r.at(2);
    }
    return shape;
}

/// Average length of each text column over a sample of rows: what decides the text among columns
/// with no telling name.
Result<QHash<QString, double>> textWidths(PgConnection &conn, const TableRef &table, const QStringList &columns)
{
    QHash<QString, double> out;
    if (columns.isEmpty())
        return out;
    // The statistics first (ANALYZE's average width): no read of the table at all.
    auto stats = conn.exec(QStringLiteral("SELECT attname, avg_width FROM pg_stats WHERE schemaname = $1 AND tablename = $2 "
                                          "AND attname = ANY($3::text[])"),
                           {table.schema, table.name, textArrayLiteral(columns)});
    if (stats.ok() && stats.value().rowCount() == columns.size()) {
        for (const QStringList &r : stats.value().rows)
            out.insert(r.at(0), r.at(1).toDouble());
        return out;
    }
    // Else a sample — unless another session holds the table exclusively (ALTER TABLE, VACUUM
    // FULL): reading would wait for it, and connecting with it.
    auto locked = conn.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = to_regclass($1) "
                                           "AND mode = 'AccessExclusiveLock' AND granted)"),
                            {regclass(conn, table)});
    if (!locked.ok() || locked.value().scalar() == QLatin1String("t"))
        return out;
    QStringList averages;
    for (const QString &c : columns)
        averages << QStringLiteral("coalesce(avg(length(%1::text)), 0)").arg(conn.escapeIdentifier(c));
    auto r = conn.exec(
        QStringLiteral("SELECT %1 FROM (SELECT * FROM %2 LIMIT 200) s").arg(averages.join(QStringLiteral(", ")), regclass(conn, table)));
    if (!r.ok() && r.error().kind == Error::Kind::Connection)
        return r.error();
    if (!r.ok()) // dropped meanwhile, or not readable by this role: no measure, the names decide
        return out;
    for (qsizetype i = 0; i < columns.size(); ++i)
        out.insert(columns.at(i), r.value().value(0, int(i)).toDouble());
    return out;
}

Result<ContentRoles> rolesOf(PgConnection &conn, const TableRef &table, const TableColumns &cols, const KeyShape &key)
{
    // Names decide first; among columns with no telling name the longest texts in a sample do.
    const QStringList candidates = textColumns(cols.names, cols.types, key.columns);
    if (candidates.size() < 2)
        return detectRoles(cols.names, cols.types, key.columns);
    auto widths = textWidths(conn, table, candidates);
    if (!widths.ok())
        return widths.error();
    return detectRoles(cols.names, cols.types, key.columns, widths.value());
}

/// A vector table holding its own text (a column named as one: document, content…) points at a
/// table of names: that table labels its rows (LangChain's collections), it does not hold their content.
bool isLookup(const TableColumns &vectorTable, const QString &foreignKey, const TableColumns &target, const KeyShape &targetKey)
{
    const ContentRoles own = detectRoles(vectorTable.names, vectorTable.types, {foreignKey});
    if (!isTextName(own.text))
        return false;
    const ContentRoles theirs = detectRoles(target.names, target.types, targetKey.columns);
    static const QStringList labels{QStringLiteral("name"), QStringLiteral("title"), QStringLiteral("label")};
    return labels.contains(theirs.text) && theirs.title.isEmpty();
}
} // namespace

const VectorColumn *ContentPair::column(const QString &name) const
{
    for (const VectorColumn &c : columns)
        if (name.isEmpty() || c.name == name)
            return &c;
    return nullptr;
}

namespace {
Result<DatabaseSchema> discoverOnce(PgConnection &conn, const QString &choicesPath)
{
    // Every column whose type is one of pgvector's, with its dimension from the type modifier; bit
    // columns when they are long enough to be binary vectors.
    auto columns = conn.exec(QStringLiteral(R"(
        SELECT n.nspname, c.relname, a.attname, t.typname, a.atttypmod, a.attstorage
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_type t ON t.oid = a.atttypid
        WHERE (t.typname IN ('vector', 'halfvec', 'sparsevec') OR (t.typname = 'bit' AND a.atttypmod >= 64))
          AND a.attnum > 0 AND NOT a.attisdropped
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

    // Indexes whose first key is a vector column, or an expression of one vector column (pg_depend
    // names the columns an expression reads: `(embedding::halfvec(1536))`), with access method,
    // operator class, the key's type and whether the key is that column cast to another type.
    auto indexes = conn.exec(QStringLiteral(R"(
        SELECT n.nspname, t.relname, a.attname, ic.relname, am.amname, opc.opcname, i.indisvalid,
               pg_get_indexdef(i.indexrelid), format_type(k.atttypid, k.atttypmod),
               i.indkey[0] = 0 AND pg_get_indexdef(i.indexrelid, 1, false)
                   = '((' || quote_ident(a.attname) || ')::' || format_type(k.atttypid, k.atttypmod) || ')',
               i.indkey[0] = 0
        FROM pg_index i
        JOIN pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        JOIN pg_am am ON am.oid = ic.relam
        JOIN pg_attribute k ON k.attrelid = i.indexrelid AND k.attnum = 1
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = (CASE WHEN i.indkey[0] <> 0 THEN i.indkey[0] ELSE
            (SELECT min(d.refobjsubid) FROM pg_depend d JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
             JOIN pg_type dt ON dt.oid = da.atttypid
             WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid AND d.refclassid = 'pg_class'::regclass
               AND d.refobjid = i.indrelid AND d.refobjsubid > 0 AND dt.typname IN ('vector', 'halfvec', 'sparsevec', 'bit')) END)
        JOIN pg_type ty ON ty.oid = a.atttypid
        LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[0]
        WHERE ty.typname IN ('vector', 'halfvec', 'sparsevec', 'bit')
        ORDER BY ic.relname)"));
    if (!indexes.ok())
        return indexes.error().withContext(QStringLiteral("discovering vector indexes"));
    for (const QStringList &r : indexes.value().rows) {
        auto it = vectorColumns.find(key(r.at(0), r.at(1)));
        if (it == vectorColumns.end())
            continue;
        for (VectorColumn &col : *it) {
            if (col.name == r.at(2))
                col.indexes.append({r.at(3), r.at(4), r.at(5), r.at(6) == QLatin1String("t"), r.at(7), r.at(8),
                                    r.at(9) == QLatin1String("t"), r.at(10) == QLatin1String("t")});
        }
    }
    // A bit column is a binary vector when an ANN index says so or it sits beside real vectors;
    // otherwise it is a bitmap of flags, and its table no vector table.
    for (auto it = vectorColumns.begin(); it != vectorColumns.end(); ++it) {
        const bool beside = std::any_of(it->cbegin(), it->cend(), [](const VectorColumn &c) { return c.type != QLatin1String("bit"); });
        it->removeIf([beside](const VectorColumn &c) { return c.type == QLatin1String("bit") && !beside && !c.hasAnnIndex(); });
    }
    vectorTables.removeIf([&vectorColumns](const TableRef &t) { return vectorColumns.value(key(t.schema, t.name)).isEmpty(); });
    vectorColumns.removeIf([](const QHash<QString, QList<VectorColumn>>::iterator it) { return it->isEmpty(); });

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

    // Foreign keys of several columns: the vector table → content table keyed by those columns.
    auto wideFks = conn.exec(QStringLiteral(R"(
        SELECT sn.nspname, s.relname, tn.nspname, t.relname,
               (SELECT string_agg(a.attname, chr(31) ORDER BY k.n) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = s.oid AND a.attnum = k.attnum),
               (SELECT string_agg(a.attname, chr(31) ORDER BY k.n) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
        FROM pg_constraint con
        JOIN pg_class s ON s.oid = con.conrelid JOIN pg_namespace sn ON sn.oid = s.relnamespace
        JOIN pg_class t ON t.oid = con.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
        WHERE con.contype = 'f' AND array_length(con.conkey, 1) > 1
        ORDER BY sn.nspname, s.relname, con.conname)"));
    if (!wideFks.ok())
        return wideFks.error().withContext(QStringLiteral("discovering foreign keys"));

    QHash<QString, TableColumns> tableColumns;
    auto columnsFor = [&](const TableRef &t) -> Result<TableColumns> {
        const QString k = key(t.schema, t.name);
        if (!tableColumns.contains(k)) {
            auto cols = columnsOf(conn, t);
            if (!cols.ok())
                return cols.error();
            tableColumns.insert(k, cols.value());
        }
        return tableColumns.value(k);
    };

    DatabaseSchema schema;
    auto path = conn.exec(QStringLiteral("SELECT unnest(current_schemas(false))"));
    if (!path.ok())
        return path.error().withContext(QStringLiteral("reading the search_path"));
    for (const QStringList &r : path.value().rows)
        schema.searchPath << r.first();
    QHash<QString, bool> paired;
    QHash<QString, ContentRoles::Lookup> lookups; // vector tables labelled through a key: the lookup
    QHash<QString, QString> lookupColumns;
    for (const QStringList &r : fks.value().rows) {
        const QString source = key(r.at(0), r.at(1));
        if (!vectorColumns.contains(source) || paired.value(source))
            continue;
        const QString target = key(r.at(3), r.at(4));
        if (vectorColumns.contains(target))
            continue; // a vector table pointing at another vector table is not a content pairing
        const TableRef targetTable{r.at(3), r.at(4)};
        auto sourceCols = columnsFor({r.at(0), r.at(1)});
        auto targetCols = columnsFor(targetTable);
        if (!sourceCols.ok() || !targetCols.ok())
            return sourceCols.ok() ? targetCols.error() : sourceCols.error();
        const KeyShape targetKey{{r.at(5)}, {targetCols.value().types.value(r.at(5))}};
        if (isLookup(sourceCols.value(), r.at(2), targetCols.value(), targetKey)) {
            const ContentRoles labels = detectRoles(targetCols.value().names, targetCols.value().types, targetKey.columns);
            lookups.insert(source, ContentRoles::Lookup{r.at(3), r.at(4), r.at(5), labels.text});
            lookupColumns.insert(source, r.at(2));
            continue;
        }
        ContentPair pair;
        pair.vectors = {r.at(0), r.at(1)};
        pair.foreignKey = r.at(2);
        pair.content = targetTable;
        pair.contentKey = r.at(5);
        pair.key = targetKey;
        pair.columns = vectorColumns.value(source);
        schema.pairs << pair;
        paired.insert(source, true);
    }
    // Through a foreign key of several columns: the rows are keyed by the columns it references.
    for (const QStringList &r : wideFks.value().rows) {
        const QString source = key(r.at(0), r.at(1));
        if (!vectorColumns.contains(source) || paired.value(source) || vectorColumns.contains(key(r.at(2), r.at(3))))
            continue;
        const TableRef targetTable{r.at(2), r.at(3)};
        auto targetCols = columnsFor(targetTable);
        if (!targetCols.ok())
            return targetCols.error();
        ContentPair pair;
        pair.vectors = {r.at(0), r.at(1)};
        pair.foreignKeys = r.at(4).split(QChar(31)); // any name, commas included
        pair.foreignKey = pair.foreignKeys.first();
        pair.content = targetTable;
        pair.key.columns = r.at(5).split(QChar(31));
        pair.key.types.clear();
        for (const QString &c : pair.key.columns)
            pair.key.types << targetCols.value().types.value(c);
        pair.contentKey = pair.key.columns.first();
        pair.columns = vectorColumns.value(source);
        schema.pairs << pair;
        paired.insert(source, true);
    }
    // Tables with vectors and no pairing key: content and vectors in one table (inline), when the
    // table has a key to page by and a text column; otherwise unpaired, with the reason.
    for (const TableRef &t : vectorTables) {
        const QString k = key(t.schema, t.name);
        if (paired.value(k))
            continue;
        // A pgai store without its foreign key (pgai 0.9 on): its chunks belong to the source table.
        auto storeCols = columnsFor(t);
        if (!storeCols.ok())
            return storeCols.error();
        if (const QString source = pgaiSourceName(t.name, storeCols.value().names); !source.isEmpty()) {
            const TableRef sourceTable{t.schema, source};
            auto exists = conn.exec(QStringLiteral("SELECT to_regclass($1) IS NOT NULL"), {regclass(conn, sourceTable)});
            auto sourceKey = keyOf(conn, sourceTable);
            if (exists.ok() && exists.value().scalar() == QLatin1String("t") && sourceKey.ok() && sourceKey.value().columns.size() == 1
                && storeCols.value().names.contains(sourceKey.value().columns.first())) {
                ContentPair pair;
                pair.vectors = t;
                pair.content = sourceTable;
                pair.foreignKey = pair.contentKey = sourceKey.value().columns.first();
                pair.key = sourceKey.value();
                pair.columns = vectorColumns.value(k);
                schema.pairs << pair;
                continue;
            }
        }
        auto shape = keyOf(conn, t);
        if (!shape.ok())
            return shape.error();
        if (shape.value().columns.isEmpty() && storeCols.value().names.contains(QLatin1String("id")))        // no constraint says so, but
            shape = KeyShape{{QStringLiteral("id")}, {storeCols.value().types.value(QStringLiteral("id"))}}; // an id is one in practice
        if (shape.value().columns.isEmpty()) {
            schema.unpairedVectorTables << t;
            schema.unpairedReasons
                << QStringLiteral("%1 has no primary key (nor a unique key on NOT NULL columns) to page its rows by").arg(t.display());
            continue;
        }
        ContentPair pair;
        pair.content = t;
        pair.vectors = t;
        pair.key = shape.value();
        pair.contentKey = shape.value().columns.first();
        pair.columns = vectorColumns.value(k);
        schema.pairs << pair;
    }

    // Column names and types of every table involved, and the roles its columns play.
    QList<ContentPair> kept;
    for (ContentPair &pair : schema.pairs) {
        auto content = columnsFor(pair.content);
        auto vectors = columnsFor(pair.vectors);
        if (!content.ok() || !vectors.ok())
            return content.ok() ? vectors.error() : content.error();
        pair.contentColumns = content.value().names;
        pair.contentTypes = content.value().types;
        pair.vectorTableColumns = vectors.value().names;
        auto roles = rolesOf(conn, pair.content, content.value(), pair.key);
        if (!roles.ok())
            return roles.error();
        pair.roles = roles.value();
        const QString k = key(pair.vectors.schema, pair.vectors.name);
        if (pair.isInline() && lookups.contains(k)) {
            pair.roles.filter = lookupColumns.value(k);
            pair.roles.lookup = lookups.value(k);
        }
        if (!pair.isInline()) {
            // A unique index on exactly the foreign key's columns, in any order.
            auto unique = conn.exec(QStringLiteral(R"(
                SELECT EXISTS (SELECT 1 FROM pg_index i
                               WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indisvalid AND i.indpred IS NULL
                                 AND i.indnkeyatts = cardinality($2::text[])
                                 AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n WHERE k.o <= i.indnkeyatts)
                                     = (SELECT array_agg(x ORDER BY x) FROM unnest($2::text[]) x)))"),
                                    {regclass(conn, pair.vectors), textArrayLiteral(pair.vectorKey().columns)});
            if (!unique.ok())
                return unique.error();
            pair.keyIsUnique = unique.value().scalar() == QLatin1String("t");
        }
        recognizeLayout(pair);
        // What the user chose for this table wins over what was guessed.
        if (!choicesPath.isEmpty())
            RoleChoice::load(choicesPath, conn.profile().settingsKey(), pair.content.schema + QLatin1Char('.') + pair.content.name)
                .applyTo(pair, pair.roles);
        if (pair.isInline() && pair.roles.text.isEmpty()) {
            schema.unpairedVectorTables << pair.content;
            schema.unpairedReasons << QStringLiteral("%1 has vectors but no text column to show beside them").arg(pair.content.display());
            continue;
        }
        kept << pair;
    }
    schema.pairs = kept;
    std::stable_sort(schema.pairs.begin(), schema.pairs.end(), [&schema](const ContentPair &a, const ContentPair &b) {
        // The search_path's schemas first, in its order (what an unqualified name finds); then
        // topics before posts before the rest, then by name: the design's order.
        auto onPath = [&schema](const ContentPair &p) {
            const qsizetype at = schema.searchPath.indexOf(p.content.schema);
            return at < 0 ? schema.searchPath.size() : at;
        };
        auto rank = [](const ContentPair &p) {
            return p.kind() == QLatin1String("topic") ? 0 : p.kind() == QLatin1String("post") ? 1 : 2;
        };
        if (onPath(a) != onPath(b))
            return onPath(a) < onPath(b);
        return rank(a) != rank(b) ? rank(a) < rank(b) : a.content.display() < b.content.display();
    });
    return schema;
}
} // namespace

Result<DatabaseSchema> discoverSchema(PgConnection &conn, const QString &choicesPath)
{
    // The catalog read in several statements: a table dropped between them (another session's
    // DDL) fails one ("cache lookup failed for relation"). Read it again, a few times.
    Result<DatabaseSchema> read = discoverOnce(conn, choicesPath);
    for (int attempt = 1; attempt < 3 && !read.ok() && read.error().kind != Error::Kind::Connection && !read.error().isCanceled();
         ++attempt)
        read = discoverOnce(conn, choicesPath);
    return read;
}
} // namespace vwb
