// app/data/JsonlImport.cpp
#include "data/JsonlImport.h"

#include "connection/CopyText.h"
#include "connection/PgConnection.h"
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

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

Result<qint64> copyObjects(PgConnection &conn, const QString &table, const QStringList &columns, const QList<QJsonObject> &rows,
                           const QHash<QString, QString> &sourceField = {})
{
    QStringList quoted;
    for (const QString &c : columns)
        quoted << conn.escapeIdentifier(c);
    qsizetype next = 0;
    return conn.copyIn(QStringLiteral("COPY %1 (%2) FROM STDIN").arg(table, quoted.join(QStringLiteral(", "))),
                       [&](QByteArray &chunk, QString &) {
                           while (next < rows.size() && chunk.size() < (1 << 20)) {
                               const QJsonObject &o = rows.at(next++);
                               for (qsizetype i = 0; i < columns.size(); ++i) {
                                   if (i > 0)
                                       chunk += '\t';
                                   appendField(chunk, o.value(sourceField.value(columns.at(i), columns.at(i))));
                               }
                               chunk += '\n';
                           }
                           return next < rows.size();
                       });
}
} // namespace

Result<QList<QByteArray>> readJsonLines(const QString &path)
{
    QByteArray data;
    if (path.endsWith(QLatin1String(".gz"))) {
        QProcess gzip;
        gzip.start(QStringLiteral("gzip"), {QStringLiteral("-dc"), path});
        if (!gzip.waitForFinished(120000) || gzip.exitCode() != 0)
            return Error::io(
                QStringLiteral("Cannot decompress %1: %2").arg(path, QString::fromLocal8Bit(gzip.readAllStandardError()).trimmed()));
        data = gzip.readAllStandardOutput();
    } else {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return Error::io(QStringLiteral("Cannot read %1: %2").arg(path, f.errorString()));
        data = f.readAll();
    }
    QList<QByteArray> lines;
    for (const QByteArray &line : data.split('\n'))
        if (!line.trimmed().isEmpty())
            lines << line;
    return lines;
}

Result<ImportReport> importJsonl(PgConnection &conn, const ContentPair &pair, const QString &contentFile, const QString &vectorFile)
{
    if (conn.isWriteLocked())
        return Error::invalid(QStringLiteral("Profile \"%1\" is production and read-only in this session: unlock writes "
                                             "to import")
                                  .arg(conn.profile().name));
    QElapsedTimer clock;
    clock.start();
    auto parse = [](const QString &path) -> Result<QList<QJsonObject>> {
        QList<QJsonObject> out;
        if (path.isEmpty())
            return out;
        auto lines = readJsonLines(path);
        if (!lines.ok())
            return lines.error();
        for (qsizetype i = 0; i < lines.value().size(); ++i) {
            QJsonParseError err{};
            const QJsonDocument doc = QJsonDocument::fromJson(lines.value().at(i), &err);
            if (err.error != QJsonParseError::NoError || !doc.isObject())
                return Error::invalid(QStringLiteral("%1 line %2: not a JSON object (%3)").arg(path).arg(i + 1).arg(err.errorString()));
            out << doc.object();
        }
        return out;
    };
    auto content = parse(contentFile);
    if (!content.ok())
        return content.error();
    auto vectors = parse(vectorFile);
    if (!vectors.ok())
        return vectors.error();

    // Dimensions first: nothing is written when one vector is wrong.
    const QString fk = pair.isInline() ? pair.contentKey : pair.foreignKey;
    const int dims = pair.columns.isEmpty() ? 0 : pair.columns.first().dimensions;
    QList<QJsonObject> vectorRows;
    for (qsizetype i = 0; i < vectors.value().size(); ++i) {
        QJsonObject o = vectors.value().at(i);
        const QJsonArray v = o.value(QStringLiteral("vector")).toArray();
        if (dims > 0 && v.size() != dims)
            return Error::invalid(QStringLiteral("%1 line %2: the vector has %3 dimensions but %4 has %5")
                                      .arg(vectorFile)
                                      .arg(i + 1)
                                      .arg(v.size())
                                      .arg(pair.vectors.display())
                                      .arg(dims));
        if (!o.contains(fk)) // topic_vectors rows say topic_id; accept post_id or content_id as well
            for (const char *alt : {"topic_id", "post_id", "content_id"})
                if (o.contains(QLatin1String(alt)))
                    o.insert(fk, o.value(QLatin1String(alt)));
        vectorRows << o;
    }

    if (auto begun = conn.exec(QStringLiteral("BEGIN")); !begun.ok())
        return begun.error();
    auto fail = [&conn](const Error &e) {
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
        return e;
    };
    ImportReport report;
    if (!content.value().isEmpty()) {
        QStringList columns;
        for (const QString &c :
             {QStringLiteral("id"), QStringLiteral("topic_id"), QStringLiteral("forum_name"), QStringLiteral("title"),
              QStringLiteral("content"), QStringLiteral("metadata"), QStringLiteral("created_at"), QStringLiteral("updated_at")})
            if (pair.contentHas(c) && content.value().first().contains(c == pair.contentKey ? QStringLiteral("id") : c))
                columns << c;
        auto copied = copyObjects(conn, qualified(conn, pair.content), columns, content.value(),
                                  {{pair.contentKey, QStringLiteral("id")}});
        if (!copied.ok())
            return fail(copied.error().withContext(QStringLiteral("loading %1").arg(contentFile)));
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
        auto copied = copyObjects(conn, qualified(conn, pair.vectors), columns, vectorRows,
                                  {{pair.columns.first().name, QStringLiteral("vector")}});
        if (!copied.ok())
            return fail(copied.error().withContext(QStringLiteral("loading %1").arg(vectorFile)));
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
