// app/browse/ContentRecord.cpp
#include "browse/ContentRecord.h"

#include "connection/PgConnection.h"
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

Result<ContentRecord> fetchContentRecord(PgConnection &conn, const DatabaseSchema &schema, const ContentPair &pair, qint64 id)
{
    auto col = [&](const char *name, const QString &expr) { return pair.contentHas(QLatin1String(name)) ? expr : QStringLiteral("NULL"); };
    auto row = conn.exec(QStringLiteral("SELECT %1, %2, %3, %4, %5, %6, %7 FROM %8 c WHERE c.%9 = $1")
                             .arg(col("forum_name", QStringLiteral("c.forum_name")), col("title", QStringLiteral("c.title")),
                                  col("content", QStringLiteral("c.content")), col("metadata", QStringLiteral("c.metadata::text")),
                                  col("created_at", QStringLiteral("(extract(epoch from c.created_at) * 1000)::bigint")),
                                  col("updated_at", QStringLiteral("(extract(epoch from c.updated_at) * 1000)::bigint")),
                                  col("topic_id", QStringLiteral("c.topic_id")), qualified(conn, pair.content),
                                  conn.escapeIdentifier(pair.contentKey)),
                         {id});
    if (!row.ok())
        return row.error();
    if (row.value().rowCount() == 0)
        return Error::invalid(QStringLiteral("No %1 with id %2 in %3").arg(pair.kind()).arg(id).arg(pair.content.display()));
    const QStringList &r = row.value().rows.first();
    ContentRecord rec;
    rec.id = id;
    rec.kind = pair.kind();
    rec.forum = r.at(0);
    rec.title = r.at(1);
    rec.content = r.at(2);
    rec.metadataJson = r.at(3).isNull() ? QStringLiteral("{}") : r.at(3);
    rec.createdAt = fromEpochMs(r.at(4));
    rec.updatedAt = fromEpochMs(r.at(5));
    rec.topicId = r.at(6).toLongLong();

    if (!pair.columns.isEmpty()) {
        const QString v = QStringLiteral("v.") + conn.escapeIdentifier(pair.columns.first().name);
        const bool stamped = pair.vectorsHave(QStringLiteral("updated_at"));
        const QString from = pair.isInline() ? QStringLiteral("%1 v WHERE v.%2 = $1 AND %3 IS NOT NULL")
                                                   .arg(qualified(conn, pair.vectors), conn.escapeIdentifier(pair.contentKey), v)
                                             : QStringLiteral("%1 v WHERE v.%2 = $1")
                                                   .arg(qualified(conn, pair.vectors), conn.escapeIdentifier(pair.foreignKey));
        auto vec = conn.exec(
            QStringLiteral("SELECT %1, vector_dims(%2::vector), vector_norm(%2::vector), ((%2::vector)::real[])[1:%3]::text, "
                           "%4, count(*) OVER () FROM %5 ORDER BY %6 LIMIT 1")
                .arg(pair.isInline() ? QStringLiteral("v.") + conn.escapeIdentifier(pair.contentKey) : QStringLiteral("v.id"), v)
                .arg(HeadValues)
                .arg(stamped ? QStringLiteral("(extract(epoch from v.updated_at) * 1000)::bigint") : QStringLiteral("NULL"), from,
                     stamped ? QStringLiteral("v.updated_at DESC NULLS LAST") : QStringLiteral("1")),
            {id});
        if (!vec.ok())
            return vec.error().withContext(QStringLiteral("reading the vector of %1 %2").arg(rec.kind).arg(id));
        if (vec.value().rowCount() == 1) {
            const QStringList &x = vec.value().rows.first();
            VectorSummary s;
            s.id = x.at(0).toLongLong();
            s.column = pair.columns.first().name;
            s.dimensions = x.at(1).toInt();
            s.norm = x.at(2).toDouble();
            for (const QString &part : x.at(3).mid(1, x.at(3).size() - 2).split(QLatin1Char(','), Qt::SkipEmptyParts))
                s.head << part.toDouble();
            s.updatedAt = fromEpochMs(x.at(4));
            rec.vectorRows = x.at(5).toInt();
            rec.stale = s.updatedAt.isValid() && rec.updatedAt.isValid() && s.updatedAt < rec.updatedAt;
            rec.vector = s;
        }
    }

    // A topic's posts: a content pair whose content table references this one.
    for (const ContentPair &other : schema.pairs) {
        if (other.content == pair.content || !other.contentHas(QStringLiteral("topic_id")) || pair.kind() != QLatin1String("topic"))
            continue;
        auto posts = conn.exec(QStringLiteral("SELECT id, left(content, 240), (extract(epoch from created_at) * 1000)::bigint "
                                              "FROM %1 WHERE topic_id = $1 ORDER BY created_at, id LIMIT $2")
                                   .arg(qualified(conn, other.content)),
                               {id, PostsShown});
        if (!posts.ok())
            return posts.error();
        for (const QStringList &p : posts.value().rows) {
            BrowseRow post;
            post.id = p.at(0).toLongLong();
            post.snippet = p.at(1);
            post.createdAt = fromEpochMs(p.at(2));
            post.topicId = id;
            rec.posts << post;
        }
        break;
    }
    return rec;
}

QJsonObject ContentRecord::toJson() const
{
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("kind"), kind},
                  {QStringLiteral("forum_name"), forum},
                  {QStringLiteral("title"), title.isNull() ? QJsonValue() : QJsonValue(title)},
                  {QStringLiteral("content"), content},
                  {QStringLiteral("metadata"), QJsonDocument::fromJson(metadataJson.toUtf8()).object()},
                  {QStringLiteral("created_at"), timeJson(createdAt)},
                  {QStringLiteral("updated_at"), timeJson(updatedAt)},
                  {QStringLiteral("stale"), stale},
                  {QStringLiteral("vector_rows"), vectorRows}};
    if (topicId > 0)
        o.insert(QStringLiteral("topic_id"), topicId);
    if (vector) {
        QJsonArray head;
        for (double v : vector->head)
            head.append(v);
        o.insert(QStringLiteral("vector"), QJsonObject{{QStringLiteral("id"), vector->id},
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
            list.append(QJsonObject{{QStringLiteral("id"), p.id},
                                    {QStringLiteral("snippet"), p.snippet},
                                    {QStringLiteral("created_at"), timeJson(p.createdAt)}});
        o.insert(QStringLiteral("posts"), list);
    }
    return o;
}
} // namespace vwb
