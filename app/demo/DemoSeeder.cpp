// app/demo/DemoSeeder.cpp
#include "demo/DemoSeeder.h"

#include "connection/CopyText.h"
#include "connection/PgConnection.h"
#include "core/AuditLog.h"
#include <QElapsedTimer>
#include <limits>

namespace vwb {
namespace {

constexpr qint64 MaxSerialId = std::numeric_limits<qint32>::max(); // serial is a 4-byte integer

/// Feeds COPY from a row writer, ~ChunkBytes at a time, and reports progress after each chunk.
PgConnection::CopyProducer chunked(qint64 rows, const std::function<void(QByteArray &, qint64)> &writeRow,
                                   const std::function<void(qint64)> &afterChunk)
{
    return [rows, writeRow, afterChunk, next = qint64(0)](QByteArray &chunk, QString &) mutable {
        chunk.reserve(DemoSeeder::ChunkBytes + 64 * 1024);
        while (next < rows && chunk.size() < DemoSeeder::ChunkBytes)
            writeRow(chunk, next++);
        afterChunk(next);
        return next < rows;
    };
}

void appendTimestamp(QByteArray &out, qint64 secs)
{
    out += demoTimestamp(secs).toLatin1();
}
} // namespace

Result<DemoSeedReport> DemoSeeder::run(PgConnection &conn, const Progress &progress) const
{
    QElapsedTimer clock;
    clock.start();
    if (auto valid = DemoCorpus::validate(m_options.corpus); !valid.ok())
        return valid.error();
    if (conn.isWriteLocked())
        return Error{Error::Kind::Invalid,
                     QStringLiteral("Refusing to load demo data into production profile \"%1\": writes are locked "
                                    "in this session (unlock writes first)")
                         .arg(conn.profile().name),
                     QStringLiteral("25006"),
                     {}};
    auto tables = conn.exec(QStringLiteral("SELECT to_regclass('topics') IS NOT NULL, to_regclass('posts') IS NOT NULL"));
    if (!tables.ok())
        return tables.error().withContext(QStringLiteral("looking for the topics and posts tables"));
    QStringList missing;
    if (tables.value().value(0, 0) != QLatin1String("t"))
        missing << QStringLiteral("topics");
    if (tables.value().value(0, 1) != QLatin1String("t"))
        missing << QStringLiteral("posts");
    if (!missing.isEmpty())
        return Error::invalid(
            QStringLiteral("No %1 table in this database: run `vwb migrate latest` first").arg(missing.join(QStringLiteral(" or "))));

    AuditedWrite audit(conn.profile().name, QStringLiteral("demo data"),
                       QStringLiteral("COPY %1 topics and their posts into topics, posts").arg(m_options.corpus.topics));
    auto loaded = loadAndCommit(conn, progress);
    audit.finish(loaded, loaded.ok() ? loaded.value().topics + loaded.value().posts : -1);
    if (loaded.ok())
        loaded.value().elapsedMs = clock.elapsed();
    return loaded;
}

Result<DemoSeedReport> DemoSeeder::loadAndCommit(PgConnection &conn, const Progress &progress) const
{
    if (auto begun = conn.exec(QStringLiteral("BEGIN")); !begun.ok())
        return begun.error();
    auto loaded = load(conn, progress);
    if (!loaded.ok() || loaded.value().skipped) {
        (void)conn.exec(QStringLiteral("ROLLBACK")); // a failed transaction needs it; errors here add nothing
        return loaded;
    }
    auto committed = conn.exec(QStringLiteral("COMMIT"));
    if (!committed.ok())
        return committed.error().withContext(QStringLiteral("committing the demo data"));
    if (committed.value().commandTag != QLatin1String("COMMIT")) // the server rolled back instead
        return Error{Error::Kind::Sql, QStringLiteral("The demo data was rolled back at commit"), {}, {}};
    // Fresh statistics, so the planner (and row estimates) know the tables' new size at once
    // instead of after autovacuum gets round to them.
    for (const char *table : {"topics", "posts"}) {
        if (auto analyzed = conn.exec(QStringLiteral("ANALYZE %1").arg(QLatin1String(table))); !analyzed.ok())
            return analyzed.error().withContext(QStringLiteral("analyzing %1 after loading").arg(QLatin1String(table)));
    }
    return loaded;
}

Result<DemoSeedReport> DemoSeeder::load(PgConnection &conn, const Progress &progress) const
{
    // Explicit ids need a stable max(id): hold off other writers of topics (readers carry on).
    if (auto locked = conn.exec(QStringLiteral("LOCK TABLE topics IN SHARE ROW EXCLUSIVE MODE")); !locked.ok())
        return locked.error().withContext(QStringLiteral("locking topics"));
    auto maxId = conn.exec(QStringLiteral("SELECT max(id) FROM topics"));
    if (!maxId.ok())
        return maxId.error();
    DemoSeedReport report;
    if (m_options.ifEmpty && !maxId.value().scalar().isNull()) {
        report.skipped = true;
        report.note = QStringLiteral("topics already has rows: nothing loaded");
        return report;
    }
    const DemoCorpus corpus(m_options.corpus);
    const qint64 firstId = maxId.value().scalar().toLongLong() + 1;
    const qint64 topicRows = corpus.topicCount();
    const qint64 postRows = corpus.postCount();
    const qint64 total = topicRows + postRows;
    if (topicRows > 0 && firstId - 1 + topicRows > MaxSerialId)
        return Error::invalid(
            QStringLiteral("%1 more topics after id %2 would overflow the integer id column").arg(topicRows).arg(firstId - 1));
    auto notify = [&progress, total](qint64 done) {
        if (progress)
            progress(done, total);
    };
    if (topicRows == 0) {
        notify(0);
        return report;
    }

    auto topicsCopied = conn.copyIn(
        QStringLiteral("COPY topics (id, forum_name, title, content, metadata, created_at, updated_at) FROM STDIN"),
        chunked(
            topicRows,
            [&corpus, firstId](QByteArray &out, qint64 i) {
                const DemoTopic t = corpus.topic(i);
                out += QByteArray::number(firstId + i);
                out += '\t';
                appendCopyText(out, t.forumName);
                out += '\t';
                appendCopyText(out, t.title);
                out += '\t';
                appendCopyText(out, t.content);
                out += '\t';
                appendCopyText(out, t.metadata);
                out += '\t';
                appendTimestamp(out, t.createdAt);
                out += '\t';
                appendTimestamp(out, t.updatedAt);
                out += '\n';
            },
            notify));
    if (!topicsCopied.ok())
        return topicsCopied.error().withContext(QStringLiteral("loading topics"));
    if (topicsCopied.value() != topicRows)
        return Error::internal(QStringLiteral("COPY loaded %1 topics instead of %2").arg(topicsCopied.value()).arg(topicRows));
    report.topics = topicRows;
    report.firstTopicId = firstId;
    report.lastTopicId = firstId + topicRows - 1;

    // Never move the sequence backwards: it may already be past max(id) after deletes.
    auto advanced = conn.exec(
        QStringLiteral("SELECT setval(seq, GREATEST($1::bigint, COALESCE(pg_sequence_last_value(seq), 0))) "
                       "FROM (SELECT pg_get_serial_sequence('topics', 'id')::regclass AS seq) s WHERE seq IS NOT NULL"),
        {report.lastTopicId});
    if (!advanced.ok())
        return advanced.error().withContext(QStringLiteral("advancing the topics id sequence"));

    if (postRows > 0) {
        auto postsCopied = conn.copyIn(
            QStringLiteral("COPY posts (topic_id, forum_name, content, metadata, created_at, updated_at) FROM STDIN"),
            chunked(
                postRows,
                [&corpus, firstId](QByteArray &out, qint64 i) {
                    const DemoPost p = corpus.post(i);
                    out += QByteArray::number(firstId + p.topicIndex);
                    out += '\t';
                    appendCopyText(out, p.forumName);
                    out += '\t';
                    appendCopyText(out, p.content);
                    out += '\t';
                    appendCopyText(out, p.metadata);
                    out += '\t';
                    appendTimestamp(out, p.createdAt);
                    out += '\t';
                    appendTimestamp(out, p.updatedAt);
                    out += '\n';
                },
                [&notify, topicRows](qint64 done) { notify(topicRows + done); }));
        if (!postsCopied.ok())
            return postsCopied.error().withContext(QStringLiteral("loading posts"));
        if (postsCopied.value() != postRows)
            return Error::internal(QStringLiteral("COPY loaded %1 posts instead of %2").arg(postsCopied.value()).arg(postRows));
        report.posts = postRows;
    }
    return report;
}
} // namespace vwb
