// app/data/CorpusImport.cpp
#include "data/CorpusImport.h"

#include "connection/CopyText.h"
#include "connection/PgConnection.h"
#include "connection/SqlLiterals.h"
#include "core/AuditLog.h"
#include "data/CorpusFile.h"
#include "data/ImportFields.h"
#include "schema/RowKey.h"
#include <QFileInfo>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vwb {
namespace {

QString qualified(PgConnection &conn, const TableRef &t)
{
    return conn.escapeIdentifier(t.schema) + QLatin1Char('.') + conn.escapeIdentifier(t.name);
}

/// One COPY text field from a JSON value: NULL as \N, objects and arrays as compact JSON.
void appendField(QByteArray &out, const QJsonValue &v)
{
    if (v.isNull() || v.isUndefined())
        out += "\\N";
    else if (v.isString())
        appendCopyText(out, v.toString());
    else if (v.isDouble())
        out += QByteArray::number(v.toDouble(), 'g', 17);
    else if (v.isBool())
        out += v.toBool() ? "true" : "false";
    else
        appendCopyText(out, QString::fromUtf8(v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                                                          : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact)));
}

/// The first of the column's source fields the row has (the column's own name when it has none listed).
QJsonValue fieldOf(const QJsonObject &row, const QString &column, const QHash<QString, QStringList> &sources)
{
    const auto it = sources.constFind(column);
    if (it == sources.constEnd())
        return row.value(column);
    for (const QString &field : *it)
        if (row.contains(field))
            return row.value(field);
    return QJsonValue::Undefined;
}

Result<qint64> copyObjects(PgConnection &conn, const QString &table, const QStringList &columns, const QList<CorpusRow> &rows,
                           const QHash<QString, QStringList> &sources, const std::function<void(qint64)> &progress)
{
    QStringList quoted;
    for (const QString &c : columns)
        quoted << conn.escapeIdentifier(c);
    qsizetype next = 0;
    return conn.copyIn(QStringLiteral("COPY %1 (%2) FROM STDIN").arg(table, quoted.join(QStringLiteral(", "))),
                       [&](QByteArray &chunk, QString &) {
                           while (next < rows.size() && chunk.size() < (1 << 20)) {
                               const QJsonObject &o = rows.at(next++).fields;
                               for (qsizetype i = 0; i < columns.size(); ++i) {
                                   if (i > 0)
                                       chunk += '\t';
                                   appendField(chunk, fieldOf(o, columns.at(i), sources));
                               }
                               chunk += '\n';
                           }
                           if (progress)
                               progress(next);
                           return next < rows.size();
                       });
}

/// The table's columns that fields feed, in the table's order, with the field for each.
struct ColumnPlan
{
    QStringList columns;
    QHash<QString, QStringList> source;
};

ColumnPlan planColumns(const QStringList &tableColumns, const QList<CorpusRow> &rows, const QHash<QString, QStringList> &aliases,
                       QStringList *ignored)
{
    QSet<QString> fields;
    for (const CorpusRow &row : rows)
        for (auto it = row.fields.constBegin(); it != row.fields.constEnd(); ++it)
            fields.insert(it.key());
    ColumnPlan plan;
    plan.source = importColumnSources(tableColumns, fields, aliases, ignored);
    for (const QString &c : tableColumns)
        if (plan.source.contains(c))
            plan.columns << c;
    return plan;
}

/// Fills an inline table's vector column for rows already in it: the vectors go to a temporary
/// table of the key's and the column's own types, then one UPDATE joins on the key. A vector
/// naming no row fails the whole import, named by its line.
Result<qint64> updateInlineVectors(PgConnection &conn, const ContentPair &pair, const QString &column, const QList<CorpusRow> &rows,
                                   const QString &file)
{
    const QString table = qualified(conn, pair.content);
    const auto quote = [&conn](const QString &s) { return conn.escapeIdentifier(s); };
    const KeySql target(pair.key, QStringLiteral("c"), quote), staged(pair.key, QStringLiteral("s"), quote);
    QStringList columns = pair.key.columns;
    columns << column;
    QStringList quoted;
    for (const QString &c : columns)
        quoted << QStringLiteral("c.") + quote(c);
    const QString temp = QStringLiteral("vwb_import_vectors");
    if (auto made = conn.exec(QStringLiteral("CREATE TEMP TABLE %1 ON COMMIT DROP AS SELECT %2 FROM %3 c WITH NO DATA")
                                  .arg(temp, quoted.join(QStringLiteral(", ")), table));
        !made.ok())
        return made.error();
    if (auto copied = copyObjects(conn, temp, columns, rows, {}, {}); !copied.ok())
        return copied.error();
    auto updated = conn.exec(QStringLiteral("UPDATE %1 c SET %2 = s.%2 FROM %3 s WHERE %4 = %5")
                                 .arg(table, quote(column), temp, target.columns(), staged.columns()));
    if (!updated.ok())
        return updated.error();
    if (updated.value().affectedRows < rows.size()) {
        auto missing = conn.exec(QStringLiteral("SELECT %1 FROM %2 s WHERE NOT EXISTS (SELECT 1 FROM %3 c WHERE %4 = %5) LIMIT 1")
                                     .arg(staged.text(), temp, table, target.columns(), staged.columns()));
        const QString key = missing.ok() ? missing.value().scalar() : QString();
        int line = 0;
        for (const CorpusRow &row : rows)
            if (importRowKey(row.fields, pair.key, {}).value() == key)
                line = row.line;
        return corpusLineError(file, line,
                               QStringLiteral("no row of %1 has the key %2: nothing imported").arg(pair.content.display(), key));
    }
    return updated.value().affectedRows;
}
/// A filter through a table of names (LangChain's collection_id → langchain_pg_collection.name):
/// each row's `forum_name` becomes the key of the row of that name, so the row belongs to it as the
/// library's own writes do. A name the table does not hold is named with its line.
Result<void> resolveLookupFilter(PgConnection &conn, const ContentPair &pair, QList<CorpusRow> &rows, const QString &file)
{
    const ContentRoles::Lookup &lookup = pair.roles.lookup;
    const QString field = QStringLiteral("forum_name");
    QStringList names;
    for (const CorpusRow &row : rows)
        if (!row.fields.contains(pair.roles.filter) && row.fields.value(field).isString())
            names << row.fields.value(field).toString();
    if (names.isEmpty())
        return {};
    auto found = conn.exec(QStringLiteral("SELECT %1::text, %2::text FROM %3.%4 WHERE %1::text = ANY($1::text[])")
                               .arg(conn.escapeIdentifier(lookup.label), conn.escapeIdentifier(lookup.key),
                                    conn.escapeIdentifier(lookup.schema), conn.escapeIdentifier(lookup.table)),
                           {textArrayLiteral(names)});
    if (!found.ok())
        return found.error();
    QHash<QString, QString> keyOf;
    for (const QStringList &r : found.value().rows)
        keyOf.insert(r.value(0), r.value(1));
    for (CorpusRow &row : rows) {
        if (row.fields.contains(pair.roles.filter) || !row.fields.value(field).isString())
            continue;
        const QString name = row.fields.value(field).toString();
        if (!keyOf.contains(name))
            return corpusLineError(file, row.line,
                                   QStringLiteral("%1 has no %2 \"%3\" (add it there first: rows belong to one that exists)")
                                       .arg(lookup.table, lookup.label, name));
        row.fields.insert(pair.roles.filter, keyOf.value(name));
        row.fields.remove(field);
    }
    return {};
}
/// The sequences the import's tables own (serial and identity columns), with their last values.
QMap<QString, QString> ownedSequences(PgConnection &conn, const QStringList &tables)
{
    QMap<QString, QString> out;
    auto r = conn.exec(QStringLiteral("SELECT d.objid::regclass::text, coalesce(pg_sequence_last_value(d.objid::regclass)::text, 'none') "
                                      "FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
                                      "WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass "
                                      "AND d.deptype IN ('a', 'i') "
                                      "AND d.refobjid IN (SELECT to_regclass(t) FROM json_array_elements_text($1::json) AS t)"),
                       {QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(tables)).toJson(QJsonDocument::Compact))});
    if (r.ok())
        for (const QStringList &row : r.value().rows)
            out.insert(row.at(0), row.at(1));
    return out;
}
Result<ImportReport> importInto(PgConnection &conn, const ContentPair &pair, const ImportRequest &request);
} // namespace

Result<ImportReport> importCorpus(PgConnection &conn, const ContentPair &pair, const ImportRequest &request)
{
    if (request.dryRun)
        return importInto(conn, pair, request);
    QStringList files;
    for (const QString &file : {request.contentFile, request.vectorFile})
        if (!file.isEmpty())
            files << file;
    AuditedWrite audit(conn.profile().name, QStringLiteral("import"),
                       QStringLiteral("%1 into %2").arg(files.join(QStringLiteral(" and ")), pair.content.display())
                           + (pair.isInline() ? QString() : QStringLiteral(" and ") + pair.vectors.display()));
    auto report = importInto(conn, pair, request);
    audit.finish(report, report.ok() ? report.value().contentRows + report.value().vectorRows : -1);
    return report;
}

namespace {
Result<ImportReport> importInto(PgConnection &conn, const ContentPair &pair, const ImportRequest &request)
{
    if (conn.isWriteLocked() && !request.dryRun)
        return Error::invalid(QStringLiteral("Profile \"%1\" is production and read-only in this session: unlock writes "
                                             "to import")
                                  .arg(conn.profile().name));
    QElapsedTimer clock;
    clock.start();
    const VectorColumn *column = pair.column(request.column);
    if (!request.column.isEmpty() && !column)
        return Error::invalid(QStringLiteral("%1 has no vector column \"%2\"").arg(pair.vectors.display(), request.column));
    if (!request.vectorFile.isEmpty()) {
        if (pair.ownerEmbeds)
            return Error::invalid(QStringLiteral("%1 is kept by its owner (pgai's vectorizer embeds %2's rows itself): import "
                                                 "content into %2 and let it embed them")
                                      .arg(pair.vectors.display(), pair.content.display()));
        if (!column)
            return Error::invalid(QStringLiteral("%1 has no vector column to load vectors into").arg(pair.vectors.display()));
        if (column->type != QLatin1String("vector") && column->type != QLatin1String("halfvec"))
            return Error::invalid(QStringLiteral("%1.%2 is a %3 column: an import loads vector and halfvec columns, from JSON "
                                                 "arrays of numbers")
                                      .arg(pair.vectors.display(), column->name, column->type));
    }
    const auto read = [](const QString &path) {
        return path.isEmpty() ? Result<QList<CorpusRow>>(QList<CorpusRow>{}) : readCorpusFile(path);
    };
    auto contentRead = read(request.contentFile);
    if (!contentRead.ok())
        return contentRead.error();
    auto vectorsRead = read(request.vectorFile);
    if (!vectorsRead.ok())
        return vectorsRead.error();
    QList<CorpusRow> content = contentRead.value();
    QList<CorpusRow> vectors = vectorsRead.value();

    // Every row is checked first: nothing is written when one is wrong.
    const QStringList refAliases{QStringLiteral("topic_id"), QStringLiteral("post_id"), QStringLiteral("content_id")};
    QList<RowKey> keys;
    QHash<RowKey, int> keyRow; // key -> index in content
    for (qsizetype i = 0; i < content.size(); ++i) {
        auto key = importRowKey(content.at(i).fields, pair.key, {QStringLiteral("id")});
        if (!key.ok())
            return corpusLineError(request.contentFile, content.at(i).line, key.error().message);
        if (keyRow.contains(key.value()))
            return corpusLineError(
                request.contentFile, content.at(i).line,
                QStringLiteral("id %1 is also on line %2").arg(key.value(), QString::number(content.at(keyRow.value(key.value())).line)));
        keyRow.insert(key.value(), i);
        keys << key.value();
    }
    const KeyShape refShape = pair.vectorKey();
    QHash<RowKey, int> referenced; // key -> line
    for (CorpusRow &row : vectors) {
        auto ref = importRowKey(row.fields, refShape, pair.isInline() ? QStringList{QStringLiteral("id")} + refAliases : refAliases);
        if (!ref.ok())
            return corpusLineError(request.vectorFile, row.line, ref.error().message);
        if (const int first = referenced.value(ref.value()); first > 0 && pair.keyIsUnique)
            return corpusLineError(
                request.vectorFile, row.line,
                QStringLiteral("a second vector for %1 (the first is on line %2)").arg(ref.value(), QString::number(first)));
        referenced.insert(ref.value(), row.line);
        const QJsonValue value = row.fields.value(row.fields.contains(column->name) ? column->name : QStringLiteral("vector"));
        auto text = importVectorText(value, column->dimensions, pair.vectors.display());
        if (!text.ok())
            return corpusLineError(request.vectorFile, row.line, text.error().message);
        // The row as COPY takes it: the key under its column's name (parts for a composite key), the vector under its own.
        const QStringList parts = keyParts(refShape, ref.value());
        for (qsizetype i = 0; i < parts.size(); ++i)
            row.fields.insert(refShape.columns.at(i), parts.at(i));
        row.fields.insert(column->name, text.value());
        if (pair.isInline() && !content.isEmpty()) {
            const qsizetype at = keyRow.value(ref.value(), -1);
            if (at < 0)
                return corpusLineError(request.vectorFile, row.line,
                                       QStringLiteral("no row with the key %1 in %2 (give the vectors alone to fill rows already in %3)")
                                           .arg(ref.value(), QFileInfo(request.contentFile).fileName(), pair.content.display()));
            QJsonObject &target = content[at].fields;
            if (target.contains(column->name) || target.contains(QStringLiteral("vector")))
                return corpusLineError(
                    request.vectorFile, row.line,
                    QStringLiteral("%1's vector is also given in %2 line %3")
                        .arg(ref.value(), QFileInfo(request.contentFile).fileName(), QString::number(content.at(at).line)));
            target.insert(column->name, text.value());
        }
    }
    if (pair.roles.lookup.isSet())
        if (auto resolved = resolveLookupFilter(conn, pair, content, request.contentFile); !resolved.ok())
            return resolved.error();
    const bool mergedIntoContent = pair.isInline() && !content.isEmpty();
    // A vector inside a content row of an inline table is checked like one from the vectors file.
    if (pair.isInline() && column)
        for (CorpusRow &row : content) {
            const QString field = row.fields.contains(column->name) ? column->name : QStringLiteral("vector");
            if (!row.fields.contains(field) || row.fields.value(field).isString())
                continue; // none, or merged above
            auto text = importVectorText(row.fields.value(field), column->dimensions, pair.vectors.display());
            if (!text.ok())
                return corpusLineError(request.contentFile, row.line, text.error().message);
            row.fields.remove(QStringLiteral("vector"));
            row.fields.insert(column->name, text.value());
        }

    ImportReport report;
    report.dryRun = request.dryRun;
    report.vectorColumn = column ? column->name : QString();
    const ColumnPlan contentPlan = planColumns(pair.contentColumns, content, importAliases(pair, column ? column->name : QString()),
                                               &report.ignoredFields);
    QHash<QString, QStringList> vectorAliases;
    if (!pair.isInline() && column)
        vectorAliases.insert(column->name, {QStringLiteral("vector")});
    // A vector row's own id is the vector table's to number (its sequence is not moved): never taken from a file.
    QStringList vectorTableColumns = pair.vectorTableColumns;
    if (!refShape.columns.contains(QStringLiteral("id")))
        vectorTableColumns.removeAll(QStringLiteral("id"));
    const ColumnPlan vectorPlan = pair.isInline() ? ColumnPlan{} : planColumns(vectorTableColumns, vectors, vectorAliases, nullptr);

    // Keys the table holds already: a clear message now rather than a constraint error halfway.
    if (!keys.isEmpty()) {
        QVariantList params;
        const KeySql keySql(pair.key, QStringLiteral("c"), [&conn](const QString &s) { return conn.escapeIdentifier(s); });
        const QString where = keySql.in(keys, params);
        auto taken = conn.exec(
            QStringLiteral("SELECT %1 FROM %2 c WHERE %3 LIMIT 5").arg(keySql.text(), qualified(conn, pair.content), where), params);
        if (!taken.ok())
            return taken.error().withContext(QStringLiteral("checking the keys of %1").arg(QFileInfo(request.contentFile).fileName()));
        if (taken.value().rowCount() > 0) {
            const QString key = taken.value().scalar();
            const int line = keyRow.contains(key) ? content.at(keyRow.value(key)).line : 0;
            return corpusLineError(
                request.contentFile, line,
                QStringLiteral("id %1 is in %2 already (%3 taken): nothing imported")
                    .arg(key, pair.content.display(),
                         taken.value().rowCount() < 5 ? QString::number(taken.value().rowCount()) : QStringLiteral("5 or more")));
        }
    }
    if (request.dryRun) {
        report.contentRows = content.size();
        report.vectorRows = vectors.size();
        report.elapsedMs = clock.elapsed();
        return report;
    }

    // A rollback undoes the rows, not the sequences their defaults drew from: a failed import says
    // which moved (putting them back could hand the application an id it has already used).
    QStringList tables{qualified(conn, pair.content)};
    if (!pair.isInline())
        tables << qualified(conn, pair.vectors);
    const QMap<QString, QString> sequencesBefore = ownedSequences(conn, tables);
    if (auto begun = conn.exec(QStringLiteral("BEGIN")); !begun.ok())
        return begun.error();
    auto fail = [&conn, &tables, &sequencesBefore](const Error &e) {
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
        QStringList moved;
        const QMap<QString, QString> after = ownedSequences(conn, tables);
        for (auto it = after.cbegin(); it != after.cend(); ++it)
            if (sequencesBefore.value(it.key()) != it.value())
                moved << QStringLiteral("%1 from %2 to %3").arg(it.key(), sequencesBefore.value(it.key()), it.value());
        if (moved.isEmpty())
            return e;
        Error out = e;
        out.message += QStringLiteral(" (nothing was imported; sequences are not rolled back: %1 moved %2)")
                           .arg(moved.size() == 1 ? QStringLiteral("one") : QString::number(moved.size()),
                                moved.join(QStringLiteral(", ")));
        return out;
    };
    if (!content.isEmpty()) {
        auto copied = copyObjects(conn, qualified(conn, pair.content), contentPlan.columns, content, contentPlan.source, request.progress);
        if (!copied.ok())
            return fail(copied.error().withContext(QStringLiteral("loading %1").arg(request.contentFile)));
        report.contentRows = copied.value();
    }
    if (!vectors.isEmpty()) {
        const qint64 before = report.contentRows;
        const auto progress = [&request, before](qint64 rows) {
            if (request.progress)
                request.progress(before + rows);
        };
        Result<qint64> loaded = qint64(vectors.size()); // merged into the content rows
        if (!pair.isInline())
            loaded = copyObjects(conn, qualified(conn, pair.vectors), vectorPlan.columns, vectors, vectorPlan.source, progress);
        else if (!mergedIntoContent)
            loaded = updateInlineVectors(conn, pair, column->name, vectors, request.vectorFile);
        if (!loaded.ok())
            return fail(loaded.error().withContext(QStringLiteral("loading %1").arg(request.vectorFile)));
        report.vectorRows = loaded.value();
    }
    // Last, once everything is in: setval is not undone by a rollback.
    if (!content.isEmpty() && pair.key.isInteger()) {
        auto seq = conn.exec(QStringLiteral("SELECT setval(s, (SELECT max(%1) FROM %2)) FROM pg_get_serial_sequence($1, $2) s "
                                            "WHERE s IS NOT NULL")
                                 .arg(conn.escapeIdentifier(pair.key.columns.first()), qualified(conn, pair.content)),
                             {qualified(conn, pair.content), pair.key.columns.first()});
        if (!seq.ok())
            return fail(seq.error());
    }
    if (auto committed = conn.exec(QStringLiteral("COMMIT")); !committed.ok())
        return fail(committed.error());
    (void)conn.exec(QStringLiteral("ANALYZE %1").arg(qualified(conn, pair.content)));
    if (!pair.isInline())
        (void)conn.exec(QStringLiteral("ANALYZE %1").arg(qualified(conn, pair.vectors)));
    report.elapsedMs = clock.elapsed();
    return report;
}
} // namespace
} // namespace vwb
