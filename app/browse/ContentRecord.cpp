// app/browse/ContentRecord.cpp
#include "browse/ContentRecord.h"

#include "connection/PgConnection.h"
#include "schema/KnownLayouts.h"
#include <QJsonArray>
#include <QJsonDocument>

namespace vwb {
namespace {
constexpr int HeadValues = 8;
constexpr int PostsShown = 100;

QDateTime fromEpochMs(const QString &text)
{
    return text.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(text.toLongLong(), Qt::UTC);
}

QString qualified(PgConnection &conn, const TableRef &t)
{
    return conn.escapeIdentifier(t.schema) + QLatin1Char('.') + conn.escapeIdentifier(t.name);
}

QJsonValue timeJson(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toString(Qt::ISODateWithMs)) : QJsonValue();
}
} // namespace

Result<ContentRecord> fetchContentRecord(PgConnection &conn, const DatabaseSchema &schema, const ContentPair &pair, const RowKey &key,
                                         const QString &columnName)
{
    const auto quote = [&conn](const QString &id) { return conn.escapeIdentifier(id); };
    const RoleSql roles(pair, QStringLiteral("c"), quote);
    auto col = [&](const char *name, const QString &expr) { return pair.contentHas(QLatin1String(name)) ? expr : QStringLiteral("NULL"); };
    QVariantList params;
    const QString match = KeySql(pair.key, QStringLiteral("c"), quote).compare(QStringLiteral("="), key, params);
    auto row = conn.exec(QStringLiteral("SELECT %1, %2, %3, %4, %5, %6, %7 FROM %8 c WHERE %9")
                             .arg(roles.filterValue(), pair.roles.title.isEmpty() ? QStringLiteral("NULL") : roles.title(), roles.text(),
                                  roles.metadata(), col("created_at", QStringLiteral("(extract(epoch from c.created_at) * 1000)::bigint")),
                                  col("updated_at", QStringLiteral("(extract(epoch from c.updated_at) * 1000)::bigint")),
                                  col("topic_id", QStringLiteral("c.topic_id")), qualified(conn, pair.content), match),
                         params);
    if (!row.ok())
        return row.error();
    if (row.value().rowCount() == 0)
        return Error::invalid(QStringLiteral("No %1 with key %2 in %3").arg(pair.kind(), key, pair.content.display()));
    const QStringList &r = row.value().rows.first();
    ContentRecord rec;
    rec.key = key;
    rec.keyShape = pair.key;
    rec.kind = pair.kind();
    rec.layout = pair.layout;
    rec.filterName = filterLabel(pair).toLower();
    rec.forum = r.at(0);
    rec.title = r.at(1);
    rec.content = r.at(2);
    rec.metadataJson = r.at(3).isNull() ? QStringLiteral("{}") : r.at(3);
    rec.createdAt = fromEpochMs(r.at(4));
    rec.updatedAt = fromEpochMs(r.at(5));
    rec.topicKey = r.at(6);

    if (const VectorColumn *column = pair.column(columnName); column && column->type != QLatin1String("bit")) {
        const QString v = QStringLiteral("v.") + quote(column->name);
        const bool stamped = pair.vectorsHave(QStringLiteral("updated_at"));
        QVariantList vparams;
        const QString where = KeySql(pair.vectorKey(), QStringLiteral("v"), quote).compare(QStringLiteral("="), key, vparams)
                              + (pair.isInline() ? QStringLiteral(" AND %1 IS NOT NULL").arg(v) : QString());
        // sparsevec has no cast to vector: its norm and head come from its own functions' text.
        const QString dense = column->type == QLatin1String("sparsevec") ? QString() : v + QStringLiteral("::vector");
        auto vec = conn.exec(
            QStringLiteral("SELECT %1, %2, %3, %4, %5, count(*) OVER () FROM %6 v WHERE %7 ORDER BY %8 LIMIT 1")
                .arg(pair.vectorsHave(QStringLiteral("id")) && !pair.isInline() ? QStringLiteral("v.id::text") : QStringLiteral("NULL"),
                     dense.isEmpty() ? QStringLiteral("NULL") : QStringLiteral("vector_dims(%1)").arg(dense),
                     dense.isEmpty() ? QStringLiteral("NULL") : QStringLiteral("vector_norm(%1)").arg(dense),
                     dense.isEmpty() ? QStringLiteral("NULL") : QStringLiteral("((%1)::real[])[1:%2]::text").arg(dense).arg(HeadValues),
                     stamped ? QStringLiteral("(extract(epoch from v.updated_at) * 1000)::bigint") : QStringLiteral("NULL"),
                     qualified(conn, pair.vectors), where, stamped ? QStringLiteral("v.updated_at DESC NULLS LAST") : QStringLiteral("1")),
            vparams);
        if (!vec.ok())
            return vec.error().withContext(QStringLiteral("reading the vector of %1 %2").arg(rec.kind, key));
        if (vec.value().rowCount() == 1) {
            const QStringList &x = vec.value().rows.first();
            VectorSummary s;
            s.rowId = x.at(0);
            s.column = column->name;
            s.dimensions = x.at(1).isNull() ? column->dimensions : x.at(1).toInt();
            s.norm = x.at(2).toDouble();
            for (const QString &part : x.at(3).mid(1, x.at(3).size() - 2).split(QLatin1Char(','), Qt::SkipEmptyParts))
                s.head << part.toDouble();
            s.updatedAt = fromEpochMs(x.at(4));
            rec.vectorRows = x.at(5).toInt();
            rec.stale = s.updatedAt.isValid() && rec.updatedAt.isValid() && s.updatedAt < rec.updatedAt;
            rec.vector = s;
        }
    }

    // A topic's posts (the reference design): a content pair whose content table references this one.
    for (const ContentPair &other : schema.pairs) {
        if (other.content == pair.content || !other.contentHas(QStringLiteral("topic_id")) || pair.kind() != QLatin1String("topic")
            || pair.layout != QLatin1String("reference") || other.layout != QLatin1String("reference"))
            continue;
        auto posts = conn.exec(QStringLiteral("SELECT id, left(content, 240), (extract(epoch from created_at) * 1000)::bigint "
                                              "FROM %1 WHERE topic_id = $1 ORDER BY created_at, id LIMIT $2")
                                   .arg(qualified(conn, other.content)),
                               {key, PostsShown});
        if (!posts.ok()) // the record stands without them
            break;
        for (const QStringList &p : posts.value().rows) {
            BrowseRow post;
            post.key = p.at(0);
            post.snippet = p.at(1);
            post.createdAt = fromEpochMs(p.at(2));
            post.topicKey = key;
            rec.posts << post;
        }
        break;
    }
    return rec;
}

QJsonObject ContentRecord::toJson() const
{
    QJsonObject o{{QStringLiteral("id"), keyJson(keyShape, key)},
                  {QStringLiteral("kind"), kind},
                  {QStringLiteral("layout"), layout},
                  {QStringLiteral("forum_name"), forum},
                  {QStringLiteral("title"), title.isNull() ? QJsonValue() : QJsonValue(title)},
                  {QStringLiteral("content"), content},
                  {QStringLiteral("metadata"), QJsonDocument::fromJson(metadataJson.toUtf8()).object()},
                  {QStringLiteral("created_at"), timeJson(createdAt)},
                  {QStringLiteral("updated_at"), timeJson(updatedAt)},
                  {QStringLiteral("stale"), stale},
                  {QStringLiteral("vector_rows"), vectorRows}};
    if (!topicKey.isEmpty())
        o.insert(QStringLiteral("topic_id"), keyJson(KeyShape{{QStringLiteral("topic_id")}, {QStringLiteral("int8")}}, topicKey));
    if (vector) {
        QJsonArray head;
        for (double v : vector->head)
            head.append(v);
        o.insert(QStringLiteral("vector"),
                 QJsonObject{{QStringLiteral("id"),
                              vector->rowId.isNull() ? QJsonValue()
                                                     : keyJson(KeyShape{{QStringLiteral("id")}, {QStringLiteral("int8")}}, vector->rowId)},
                             {QStringLiteral("column"), vector->column},
                             {QStringLiteral("dimensions"), vector->dimensions},
                             {QStringLiteral("l2_norm"), vector->norm},
                             {QStringLiteral("head"), head},
                             {QStringLiteral("updated_at"), timeJson(vector->updatedAt)}});
    } else {
        o.insert(QStringLiteral("vector"), QJsonValue());
    }
    if (!posts.isEmpty()) {
        QJsonArray list;
        for (const BrowseRow &p : posts)
            list.append(QJsonObject{{QStringLiteral("id"), keyJson(KeyShape{{QStringLiteral("id")}, {QStringLiteral("int8")}}, p.key)},
                                    {QStringLiteral("snippet"), p.snippet},
                                    {QStringLiteral("created_at"), timeJson(p.createdAt)}});
        o.insert(QStringLiteral("posts"), list);
    }
    return o;
}
} // namespace vwb
