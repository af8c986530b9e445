// tests/support/FakeSession.h — a Session over in-memory data, so panels run with no server (label unit).
#pragma once

#include "connection/ConnectionProfile.h"
#include "session/Session.h"
#include <QMetaObject>
#include <deque>

namespace vwb::test {

/// One content table ("topics", 3-dimension vectors in "topic_vectors") held in memory. Tests
/// change it, then say so through FakeSession::announce, as a real write would.
struct FakeData
{
    struct Topic
    {
        qint64 id = 0;
        QString forum;
        QString title;
        bool hasVector = false;
    };
    QList<Topic> topics;
    qint64 topicBytes = 8192;
    qint64 vectorBytes = 0; // grows with the vectors
    int searches = 0;
    std::optional<CreatedSpan> createdSpan; // the days created_at runs over, when the pair has one

    static ContentPair pair()
    {
        ContentPair p;
        p.content = {QStringLiteral("public"), QStringLiteral("topics")};
        p.vectors = {QStringLiteral("public"), QStringLiteral("topic_vectors")};
        p.foreignKey = QStringLiteral("topic_id");
        VectorColumn column;
        column.name = QStringLiteral("vector");
        column.type = QStringLiteral("vector");
        column.dimensions = 3;
        column.indexes << VectorIndex{QStringLiteral("topic_vectors_hnsw"),
                                      QStringLiteral("hnsw"),
                                      QStringLiteral("vector_cosine_ops"),
                                      true,
                                      {},
                                      QStringLiteral("vector(3)"),
                                      false,
                                      false};
        p.columns << column;
        // A second model's column with a long name: no panel may widen the window for it.
        p.columns << VectorColumn{QStringLiteral("embedding_of_text_embedding_3_large_at_3072"), QStringLiteral("halfvec"), 3, {}, {}};
        p.contentColumns = {QStringLiteral("id"), QStringLiteral("forum_name"), QStringLiteral("title"), QStringLiteral("content")};
        p.roles = {QStringLiteral("content"), QStringLiteral("title"), {}, QStringLiteral("forum_name"), {}};
        p.contentTypes.insert(QStringLiteral("forum_name"), QStringLiteral("varchar"));
        p.vectorTableColumns = {QStringLiteral("topic_id"), QStringLiteral("forum_name"), QStringLiteral("vector"),
                                QStringLiteral("embedding_of_text_embedding_3_large_at_3072")};
        return p;
    }
    qint64 withVector() const
    {
        return std::count_if(topics.cbegin(), topics.cend(), [](const Topic &t) { return t.hasVector; });
    }
    /// Gives every topic a vector, as a backfill would.
    void fillVectors()
    {
        for (Topic &t : topics)
            t.hasVector = true;
        vectorBytes = 100 * 1024 + topics.size() * 1024;
    }
};

/// DatabaseServices answered from FakeData; the parts the panels under test don't use fail.
class FakeServices : public DatabaseServices
{
public:
    explicit FakeServices(FakeData &data) : m_data(data) {}

    Result<DatabaseSchema> readSchema() override { return DatabaseSchema{{FakeData::pair()}, {}, {}, {}}; }
    Result<SearchRun> search(const SearchQuery &query) override
    {
        ++m_data.searches;
        SearchRun run;
        // As long as the offline provider's own description: the panel must wrap it, not widen.
        run.provider = QStringLiteral("Fake (in memory), not semantic: vectors made up for the test from nothing at all, in "
                                      "three dimensions, so that texts match when the test says they do and never otherwise");
        double similarity = 0.9;
        for (const FakeData::Topic &t : m_data.topics) {
            if (!t.hasVector || run.outcome.hits.size() >= query.request.limit)
                continue;
            SearchHit hit;
            hit.key = QString::number(t.id);
            hit.title = t.title;
            hit.forum = t.forum;
            hit.similarity = similarity;
            hit.distance = 1 - similarity;
            similarity -= 0.1;
            run.outcome.hits << hit;
        }
        run.outcome.indexUsed = true;
        run.outcome.indexName = QStringLiteral("topic_vectors_hnsw");
        return run;
    }
    Result<ExplainOutcome> explainSearch(const SearchQuery &, const ExplainOptions &) override { return unsupported(); }
    Result<RecallReport> recall(const SearchRequest &, int, int) override { return unsupported(); }
    Result<RecallSweepReport> sweep(const SearchRequest &, int, int, double, const QString &) override { return unsupported(); }
    Result<ExplainedStatement> explain(const QString &, const ExplainOptions &) override { return unsupported(); }
    Result<ConsoleBatch> consoleStart(const QString &, const ConsoleOptions &) override { return unsupported(); }
    Result<ConsoleBatch> consoleNext(const ConsoleState &) override { return unsupported(); }
    Result<void> consoleClose(const ConsoleState &) override { return unsupported(); }
    Result<BrowsePage> browsePage(const BrowseQuery &, const std::optional<BrowseCursor> &after, int limit) override
    {
        BrowsePage page;
        for (const FakeData::Topic &t : m_data.topics) {
            if (after && t.id <= after->key.toLongLong())
                continue;
            if (page.rows.size() == limit) {
                page.hasMore = true;
                break;
            }
            BrowseRow row;
            row.key = QString::number(t.id);
            row.forum = t.forum;
            row.title = t.title;
            row.hasVector = t.hasVector;
            page.rows << row;
        }
        if (!page.rows.isEmpty())
            page.next.key = page.rows.last().key;
        return page;
    }
    Result<BrowsePage> browsePageAt(const BrowseQuery &query, qint64 first, qint64, int limit) override
    {
        if (first <= 0 || first > m_data.topics.size())
            return first <= 0 ? browsePage(query, std::nullopt, limit) : BrowsePage{};
        return browsePage(query, BrowseCursor{QString(), QString::number(m_data.topics.at(first - 1).id)}, limit);
    }
    Result<qint64> estimateRows(const TableRef &) override { return qint64(m_data.topics.size()); }
    Result<qint64> countRows(const BrowseQuery &) override { return qint64(m_data.topics.size()); }
    Result<QList<Coverage>> coverage(const QList<ContentPair> &) override
    {
        const qint64 with = m_data.withVector();
        return QList<Coverage>{{QStringLiteral("topics"), qint64(m_data.topics.size()), with, m_data.topics.size() - with, 0}};
    }
    Result<std::optional<CreatedSpan>> createdSpan(const ContentPair &) override { return m_data.createdSpan; }
    Result<QStringList> forumNames(const ContentPair &) override
    {
        QStringList names;
        for (const FakeData::Topic &t : m_data.topics)
            if (!names.contains(t.forum))
                names << t.forum;
        return names;
    }
    Result<ContentRecord> record(const DatabaseSchema &, const ContentPair &, const RowKey &key, const QString &) override
    {
        for (const FakeData::Topic &t : m_data.topics)
            if (QString::number(t.id) == key) {
                ContentRecord r;
                r.key = key;
                r.kind = QStringLiteral("topic");
                r.forum = t.forum;
                r.title = t.title;
                r.content = t.title;
                r.metadataJson = QStringLiteral("{}");
                return r;
            }
        return Error::invalid(QStringLiteral("no topic %1").arg(key));
    }
    Result<QList<SimilarRow>> similarRows(const ContentPair &, const RowKey &, int, const QString &) override { return unsupported(); }
    Result<SizesReading> sizes(const DatabaseSchema &) override
    {
        TableSize topics;
        topics.table = FakeData::pair().content;
        topics.role = TableRole::Content;
        topics.heapBytes = topics.totalBytes = m_data.topicBytes;
        topics.rowEstimate = m_data.topics.size();
        TableSize vectors;
        vectors.table = FakeData::pair().vectors;
        vectors.role = TableRole::Vectors;
        vectors.heapBytes = vectors.totalBytes = m_data.vectorBytes;
        vectors.rowEstimate = m_data.withVector();
        IndexInfo hnsw;
        hnsw.schema = QStringLiteral("public");
        hnsw.name = QStringLiteral("topic_vectors_hnsw");
        hnsw.table = QStringLiteral("topic_vectors");
        hnsw.method = QStringLiteral("hnsw");
        hnsw.opclasses = {QStringLiteral("vector_cosine_ops")};
        return SizesReading{{topics, vectors}, {hnsw}};
    }
    Result<QList<HealthFinding>> health(const DatabaseSchema &, const QString &) override
    {
        HealthFinding missing;
        missing.check = QStringLiteral("missing_vectors");
        missing.table = QStringLiteral("topics");
        missing.count = m_data.topics.size() - m_data.withVector();
        missing.severity = missing.count > 0 ? HealthFinding::Severity::Problem : HealthFinding::Severity::Ok;
        missing.message = QStringLiteral("%1 topics have no vector").arg(missing.count);
        missing.fix = missing.count > 0 ? QStringLiteral("vwb backfill --type topic") : QString();
        missing.action = missing.count > 0 ? HealthFinding::Action::Backfill : HealthFinding::Action::None;
        missing.actionTarget = QStringLiteral("topics");
        return QList<HealthFinding>{missing};
    }
    PgConnection *connection() override { return nullptr; }

private:
    static Error unsupported() { return Error::invalid(QStringLiteral("not in the fake")); }
    FakeData &m_data;
};

/// Runs each task on the next turn of the event loop (or when release()d, while held), in order,
/// on the UI thread: enough to drive a panel through its asynchronous paths without a server.
class FakeSession : public Session
{
public:
    explicit FakeSession(QObject *parent = nullptr) : Session(parent), m_services(data) {}

    FakeData data;

    void connectNow()
    {
        m_connected = true;
        m_schema = DatabaseSchema{{FakeData::pair()}, {}, {}, {}};
        emit connected();
    }
    void disconnectNow()
    {
        m_connected = false;
        m_schema = {};
        emit disconnected();
    }
    /// Tasks wait until release(): a test can cancel one before it runs.
    void hold() { m_held = true; }
    void release()
    {
        m_held = false;
        drain();
    }
    int queued() const { return int(m_queue.size()); }

    bool isConnected() const override { return m_connected; }
    ConnectionProfile profile() const override
    {
        ConnectionProfile p;
        p.name = QStringLiteral("fake");
        p.params.dbname = QStringLiteral("fake");
        return p;
    }
    ConnectionProfile jobProfile() const override { return profile(); }
    QString databaseName() const override { return QStringLiteral("fake"); }
    bool writesUnlocked() const override { return false; }
    const DatabaseSchema &schema() const override { return m_schema; }
    void refreshSchema() override { schemaRead(); } // the schema in memory never changes
    QString providerName() const override { return QStringLiteral("lexical"); }
    void cancel(TaskId task) override
    {
        for (Queued &q : m_queue)
            if (q.id == task)
                q.canceled = true;
    }

protected:
    TaskId post(const QString &, Task task) override
    {
        m_queue.push_back({++m_next, std::move(task), false});
        if (!m_held)
            QMetaObject::invokeMethod(
                this, [this] { drain(); }, Qt::QueuedConnection);
        return m_next;
    }

private:
    struct Queued
    {
        TaskId id;
        Task task;
        bool canceled;
    };
    void drain()
    {
        while (!m_held && !m_queue.empty()) {
            Queued q = std::move(m_queue.front());
            m_queue.pop_front();
            q.task(m_connected ? &m_services : nullptr, q.canceled);
        }
    }

    FakeServices m_services;
    DatabaseSchema m_schema;
    std::deque<Queued> m_queue;
    TaskId m_next = 0;
    bool m_connected = false;
    bool m_held = false;
};
} // namespace vwb::test
