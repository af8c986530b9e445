// tests/db/BackfillFixture.h — what the backfill tests share: a schema of their own with topics
// and topic_vectors as the project's migrations create them (vector(32)), the lexical provider
// with hooks, and helpers to seed, count and run jobs.
#pragma once

#include "../support/TestCluster.h"

#include "backfill/BackfillJob.h"
#include "embeddings/LexicalHashingProvider.h"

namespace vwb::test {

constexpr int BackfillDims = 32;

/// The lexical provider, plus hooks: rejects any batch holding "POISON"; calls `onCall` with the
/// 1-based number of each embed() before embedding; with `local` false it passes for a provider
/// that waits on a server (the job then runs as many workers as asked).
class TestProvider : public LexicalHashingProvider
{
public:
    explicit TestProvider(int dims = BackfillDims, bool local = true) : LexicalHashingProvider(dims), m_local(local) {}
    std::function<Result<void>(int call, const std::function<bool()> &cancel)> onCall;
    bool computesLocally() const override { return m_local; }
    Result<EmbeddingBatch> embed(const QStringList &texts, const std::function<bool()> &cancel = {}) override
    {
        if (onCall)
            if (auto go = onCall(++m_calls, cancel); !go.ok())
                return go.error();
        for (const QString &t : texts)
            if (t.contains(QLatin1String("POISON")))
                return Error::invalid(QStringLiteral("POISON is not embeddable"));
        return LexicalHashingProvider::embed(texts, cancel);
    }

private:
    const bool m_local;
    std::atomic_int m_calls = 0; // workers call side by side
};

/// Mixed into a test class (after QObject): setUp() in its init(), tearDown() in its cleanup().
class BackfillFixture
{
protected:
    explicit BackfillFixture(QString schema) : m_schema(std::move(schema)) {}

    ConnectionProfile profile() const { return profileInSchema(m_schema); }

    void setUp()
    {
        auto admin = connect();
        VERIFY_OK(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1").arg(m_schema)));
        m_conn = connect(profile());
        VERIFY_OK(m_conn->execScript(migrationUp(QStringLiteral("_create_base_tables.sql"))
                                         .replace(QLatin1String("vector(1536)"), QStringLiteral("vector(%1)").arg(BackfillDims))));
        auto schema = discoverSchema(*m_conn);
        VERIFY_OK(schema);
        m_pair = *schema.value().find(m_schema + QStringLiteral(".topics"));
        QCOMPARE(m_pair.columns.first().dimensions, BackfillDims);
    }

    void tearDown()
    {
        m_conn.reset();
        VERIFY_OK(connect()->exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(m_schema)));
    }

    void seed(int topics)
    {
        VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topics (forum_name, title, content) SELECT 'forum ' || (g % 3), "
                                              "'Topic ' || g || ' on ' || (ARRAY['bread','cheese','wine','olives'])[1 + g % 4], "
                                              "'Notes number ' || g || E' about baking\\tand\\nsharing' FROM generate_series(1, $1) g"),
                               {topics}));
    }

    qint64 count(const QString &sql)
    {
        auto r = m_conn->exec(sql);
        return r.ok() ? r.value().scalar().toLongLong() : (qWarning("%s: %s", qPrintable(sql), qPrintable(r.error().message)), -1);
    }

    BackfillOptions options(BackfillMode mode, int batch = 64) const
    {
        BackfillOptions o;
        o.pair = m_pair;
        o.mode = mode;
        o.batchSize = batch;
        o.workers = 1; // batch by batch, so counts and the points where a test steps in are exact
        return o;
    }

    std::unique_ptr<BackfillJob> job(const BackfillOptions &o, std::unique_ptr<EmbeddingProvider> p = std::make_unique<TestProvider>())
    {
        return std::make_unique<BackfillJob>(connect(profile()), o, std::move(p));
    }

    /// Every vector equals the lexical embedding of its topic's content (what the reference
    /// design's service embeds, and the backfill's default text).
    void verifyVectorsMatchTheirText()
    {
        auto rows = m_conn->exec(QStringLiteral("SELECT t.content, v.vector::text FROM topic_vectors v "
                                                "JOIN topics t ON t.id = v.topic_id ORDER BY t.id LIMIT 50"));
        VERIFY_OK(rows);
        QVERIFY(rows.value().rowCount() > 0);
        LexicalHashingProvider lexical(BackfillDims);
        for (const QStringList &row : rows.value().rows) {
            const Embedding expected = lexical.embedOne(row.at(0)).value();
            const QStringList stored = row.at(1).mid(1, row.at(1).size() - 2).split(QLatin1Char(','));
            QCOMPARE(stored.size(), BackfillDims);
            for (int i = 0; i < BackfillDims; ++i)
                QCOMPARE(stored.at(i).toFloat(), expected.at(i)); // the text form round-trips exactly
        }
    }

    const QString m_schema;
    std::unique_ptr<PgConnection> m_conn;
    ContentPair m_pair;
};
} // namespace vwb::test
