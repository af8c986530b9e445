// app/data/CorpusImport.cpp
#include "data/CorpusImport.h"

#include "connection/CopyText.h"
#include "connection/PgConnection.h"
#include "connection/SqlLiterals.h"
#include "data/CorpusFile.h"
#include <QFileInfo>
#include <cmath>
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

Result<qint64> copyObjects(PgConnection &conn, const QString &table, const QStringList &columns, const QList<CorpusRow> &rows,
                           const QHash<QString, QString> &sourceField, const std::function<void(qint64)> &progress)
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
                                   appendField(chunk, o.value(sourceField.value(columns.at(i), columns.at(i))));
                               }
                               chunk += '\n';
                           }
                           if (progress)
                               progress(next);
                           return next < rows.size();
                       });
}
} // namespace

Result<ImportReport> importCorpus(PgConnection &conn, const ContentPair &pair, const ImportRequest &request)
{
    if (conn.isWriteLocked() && !request.dryRun)
        return Error::invalid(QStringLiteral("Profile \"%1\" is production and read-only in this session: unlock writes "
                                             "to import")
                                  .arg(conn.profile().name));
    QElapsedTimer clock;
    clock.start();
    const auto read = [](const QString &path) {
        return path.isEmpty() ? Result<QList<CorpusRow>>(QList<CorpusRow>{}) : readCorpusFile(path);
    };
    auto content = read(request.contentFile);
    if (!content.ok())
        return content.error();
    auto vectors = read(request.vectorFile);
    if (!vectors.ok())
        return vectors.error();
    const auto bad = [](const QString &path, int line, const QString &what) {
        return Error::invalid(QStringLiteral("%1 line %2: %3").arg(QFileInfo(path).fileName()).arg(line).arg(what));
    };

    // Every row is checked first: nothing is written when one is wrong.
    QHash<QString, int> ids; // id -> line
    for (const CorpusRow &row : content.value()) {
        const QJsonValue id = row.fields.value(QStringLiteral("id"));
        const QString key = id.isDouble() ? QString::number(qint64(id.toDouble())) : id.toString().trimmed();
        if (key.isEmpty())
            return bad(request.contentFile, row.line, QStringLiteral("no id (an import keeps the rows' own ids)"));
        if (const int first = ids.value(key); first > 0)
            return bad(request.contentFile, row.line, QStringLiteral("id %1 is also on line %2").arg(key).arg(first));
        ids.insert(key, row.line);
    }
    const QString fk = pair.isInline() ? pair.contentKey : pair.foreignKey;
    const int dims = pair.columns.isEmpty() ? 0 : pair.columns.first().dimensions;
    QList<CorpusRow> vectorRows;
    QHash<QString, int> referenced; // content key -> line
    for (CorpusRow row : vectors.value()) {
        QJsonObject &o = row.fields;
        if (!o.contains(fk)) // topic_vectors rows say topic_id; accept post_id or content_id as well
            for (const char *alt : {"topic_id", "post_id", "content_id"})
                if (o.contains(QLatin1String(alt)))
                    o.insert(fk, o.value(QLatin1String(alt)));
        const QJsonValue ref = o.value(fk);
        const QString key = ref.isDouble() ? QString::number(qint64(ref.toDouble())) : ref.toString().trimmed();
        if (key.isEmpty())
            return bad(request.vectorFile, row.line, QStringLiteral("no %1 saying which row the vector is for").arg(fk));
        if (const int first = referenced.value(key); first > 0 && pair.keyIsUnique)
            return bad(request.vectorFile, row.line,
                       QStringLiteral("a second vector for %1 (the first is on line %2)").arg(key).arg(first));
        referenced.insert(key, row.line);
        const QJsonArray v = o.value(QStringLiteral("vector")).toArray();
        if (v.isEmpty())
            return bad(request.vectorFile, row.line, QStringLiteral("no vector"));
        if (dims > 0 && v.size() != dims)
            return bad(request.vectorFile, row.line,
                       QStringLiteral("the vector has %1 dimensions but %2 has %3").arg(v.size()).arg(pair.vectors.display()).arg(dims));
        for (qsizetype i = 0; i < v.size(); ++i)
            if (!v.at(i).isDouble() || !std::isfinite(v.at(i).toDouble()))
                return bad(request.vectorFile, row.line, QStringLiteral("value %1 of the vector is not a finite number").arg(i + 1));
        vectorRows << row;
    }
    // Ids the table holds already: a clear message now rather than a constraint error halfway.
    if (!ids.isEmpty()) {
        auto taken = conn.exec(QStringLiteral("SELECT %1::text FROM %2 WHERE %1::text = ANY($1::text[]) LIMIT 5")
                                   .arg(conn.escapeIdentifier(pair.contentKey), qualified(conn, pair.content)),
                               {textArrayLiteral(ids.keys())});
        if (!taken.ok())
            return taken.error();
        if (taken.value().rowCount() > 0)
            return bad(request.contentFile, ids.value(taken.value().scalar()),
                       QStringLiteral("id %1 is in %2 already (%3 taken): nothing imported")
                           .arg(taken.value().scalar(), pair.content.display(),
                                taken.value().rowCount() < 5 ? QString::number(taken.value().rowCount()) : QStringLiteral("5 or more")));
    }
    ImportReport report;
    report.dryRun = request.dryRun;
    if (request.dryRun) {
        report.contentRows = content.value().size();
        report.vectorRows = pair.isInline() ? 0 : vectorRows.size();
        report.elapsedMs = clock.elapsed();
        return report;
    }

    if (auto begun = conn.exec(QStringLiteral("BEGIN")); !begun.ok())
        return begun.error();
    auto fail = [&conn](const Error &e) {
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
        return e;
    };
    if (!content.value().isEmpty()) {
        QStringList columns;
        for (const QString &c :
             {QStringLiteral("id"), QStringLiteral("topic_id"), QStringLiteral("forum_name"), QStringLiteral("title"),
              QStringLiteral("content"), QStringLiteral("metadata"), QStringLiteral("created_at"), QStringLiteral("updated_at")})
            if (pair.contentHas(c) && content.value().first().fields.contains(c == pair.contentKey ? QStringLiteral("id") : c))
                columns << c;
        auto copied = copyObjects(conn, qualified(conn, pair.content), columns, content.value(),
                                  {{pair.contentKey, QStringLiteral("id")}}, request.progress);
        if (!copied.ok())
            return fail(copied.error().withContext(QStringLiteral("loading %1").arg(request.contentFile)));
        report.contentRows = copied.value();
        auto seq = conn.exec(QStringLiteral("SELECT setval(s, (SELECT max(%1) FROM %2)) FROM pg_get_serial_sequence($1, $2) s "
                                            "WHERE s IS NOT NULL")
                                 .arg(conn.escapeIdentifier(pair.contentKey), qualified(conn, pair.content)),
                             {qualified(conn, pair.content), pair.contentKey});
        if (!seq.ok())
            return fail(seq.error());
    }
    if (!vectorRows.isEmpty() && !pair.isInline()) {
        QStringList columns{fk, pair.columns.first().name};
        if (pair.vectorsHave(QStringLiteral("forum_name")))
            columns.insert(1, QStringLiteral("forum_name"));
        const qint64 before = report.contentRows;
        auto copied = copyObjects(conn, qualified(conn, pair.vectors), columns, vectorRows,
                                  {{pair.columns.first().name, QStringLiteral("vector")}}, [&request, before](qint64 rows) {
                                      if (request.progress)
                                          request.progress(before + rows);
                                  });
        if (!copied.ok())
            return fail(copied.error().withContext(QStringLiteral("loading %1").arg(request.vectorFile)));
        report.vectorRows = copied.value();
    }
    if (auto committed = conn.exec(QStringLiteral("COMMIT")); !committed.ok())
        return fail(committed.error());
    for (const TableRef &t : {pair.content, pair.vectors})
        (void)conn.exec(QStringLiteral("ANALYZE %1").arg(qualified(conn, t)));
    report.elapsedMs = clock.elapsed();
    return report;
}
} // namespace vwb
