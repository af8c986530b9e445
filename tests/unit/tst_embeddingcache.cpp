// tests/unit/tst_embeddingcache.cpp — the local SQLite cache of embeddings and the provider that
// uses it: round trips, separate keys, persistence, and only misses reach the real provider.
#include "embeddings/EmbeddingCache.h"
#include "embeddings/LexicalHashingProvider.h"
#include "embeddings/ProviderSettings.h"
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace vwb;

namespace {
/// Records what it was asked; vectors are {text length, call number, 1}.
class CountingProvider : public EmbeddingProvider
{
public:
    QString id() const override { return QStringLiteral("counting"); }
    QString model() const override { return QStringLiteral("count-v1"); }
    QString description() const override { return QStringLiteral("test double"); }
    QString endpoint() const override { return m_endpoint; }
    int dimensions() const override { return 3; }
    Result<EmbeddingBatch> embed(const QStringList &texts, const std::function<bool()> &) override
    {
        asked << texts;
        if (fail)
            return Error::io(QStringLiteral("inner failed"));
        EmbeddingBatch b;
        for (const QString &t : texts)
            b.vectors << Embedding{float(t.size()), float(asked.size()), 1.0f};
        b.requests = 1;
        return b;
    }
    QList<QStringList> asked;
    bool fail = false;
    QString m_endpoint;
};

const EmbeddingCacheKey Small{QStringLiteral("openai"), QStringLiteral("text-embedding-3-small"), 3};
} // namespace

class TestEmbeddingCache : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral("."))); }
    void storedVectorsComeBackBitForBit()
    {
        EmbeddingCache cache(path("roundtrip.sqlite"));
        const QList<Embedding> vectors{{0.1f, -2.5e-8f, 3.4e38f}, {-0.0f, 1.0f, -1.0f}};
        QVERIFY(cache.store(Small, {QStringLiteral("one"), QStringLiteral("twö")}, vectors).ok());
        const QStringList asked{QStringLiteral("twö"), QStringLiteral("three"), QStringLiteral("one")};
        const auto found = cache.lookup(Small, asked);
        QVERIFY(found.ok());
        QCOMPARE(found.value().size(), 3);
        QCOMPARE(found.value().at(0), std::optional<Embedding>(vectors.at(1)));
        QVERIFY(!found.value().at(1).has_value());
        QCOMPARE(found.value().at(2), std::optional<Embedding>(vectors.at(0)));
        QVERIFY(std::signbit(found.value().at(0)->at(0))); // -0.0 stays -0.0
        QCOMPARE(cache.count().value(), 2);
    }
    void keysSeparateProviderModelAndDimensions_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("dimensions");
        QTest::addColumn<bool>("hit");
        QTest::newRow("same key") << "openai"
                                  << "text-embedding-3-small" << 3 << true;
        QTest::newRow("other provider") << "lexical"
                                        << "text-embedding-3-small" << 3 << false;
        QTest::newRow("other model") << "openai"
                                     << "text-embedding-3-large" << 3 << false;
        QTest::newRow("other dimensions") << "openai"
                                          << "text-embedding-3-small" << 4 << false;
        QTest::newRow("size not known yet") << "openai"
                                            << "text-embedding-3-small" << 0 << false;
    }
    void keysSeparateProviderModelAndDimensions()
    {
        QFETCH(QString, provider);
        QFETCH(QString, model);
        QFETCH(int, dimensions);
        QFETCH(bool, hit);
        EmbeddingCache cache(path("keys.sqlite"));
        QVERIFY(cache.store(Small, {QStringLiteral("text")}, {{1, 2, 3}}).ok());
        const auto found = cache.lookup({provider, model, dimensions}, {QStringLiteral("text")});
        QVERIFY(found.ok());
        QCOMPARE(found.value().first().has_value(), hit);
        QVERIFY(!cache.lookup(Small, {QStringLiteral("Text")}).value().first().has_value()); // exact text only
    }
    void survivesReopeningTheFile()
    {
        const QString file = path("reopen.sqlite");
        {
            EmbeddingCache cache(file);
            QVERIFY(cache.store(Small, {QStringLiteral("kept")}, {{4, 5, 6}}).ok());
        }
        QVERIFY(QFile::exists(file));
        EmbeddingCache again(file);
        QCOMPARE(again.lookup(Small, {QStringLiteral("kept")}).value().first(), std::optional<Embedding>({4, 5, 6}));
    }
    void textsAreNotStored()
    {
        const QString file = path("private.sqlite");
        {
            EmbeddingCache cache(file);
            QVERIFY(cache.store(Small, {QStringLiteral("a confidential sentence")}, {{1, 2, 3}}).ok());
        }
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("confidential"));
    }
    void storeRejectsMismatchedInput()
    {
        EmbeddingCache cache(path("mismatch.sqlite"));
        QVERIFY(!cache.store(Small, {QStringLiteral("a"), QStringLiteral("b")}, {{1, 2, 3}}).ok());
        QVERIFY(!cache.store(Small, {QStringLiteral("a")}, {{1, 2}}).ok());
    }
    void eachThreadGetsItsOwnConnection()
    {
        EmbeddingCache cache(path("threads.sqlite"));
        QVERIFY(cache.store(Small, {QStringLiteral("main")}, {{1, 1, 1}}).ok());
        bool ok = false;
        std::unique_ptr<QThread> worker(QThread::create([&] {
            ok = cache.store(Small, {QStringLiteral("worker")}, {{2, 2, 2}}).ok()
                 && cache.lookup(Small, {QStringLiteral("main")}).value().first().has_value();
        }));
        worker->start();
        QVERIFY(worker->wait(10000));
        QVERIFY(ok);
        QVERIFY(cache.lookup(Small, {QStringLiteral("worker")}).value().first().has_value());
    }
    void unwritablePathIsAnIoError()
    {
        QFile blocker(path("not-a-dir"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        EmbeddingCache cache(path("not-a-dir/cache.sqlite"));
        const auto stored = cache.store(Small, {QStringLiteral("x")}, {{1, 2, 3}});
        QVERIFY(!stored.ok());
        QCOMPARE(stored.error().kind, Error::Kind::Io);
    }
    void cachedProviderForwardsOnlyMisses()
    {
        auto inner = std::make_unique<CountingProvider>();
        CountingProvider *counting = inner.get();
        CachedProvider cached(std::move(inner), std::make_shared<EmbeddingCache>(path("decorator.sqlite")));
        QCOMPARE(cached.id(), QStringLiteral("counting"));
        QCOMPARE(cached.dimensions(), 3);

        const auto first = cached.embed({QStringLiteral("a"), QStringLiteral("bb"), QStringLiteral("a")});
        QVERIFY(first.ok());
        QCOMPARE(counting->asked, (QList<QStringList>{{"a", "bb"}})); // a repeated text is embedded once
        QCOMPARE(first.value().cacheHits, 0);
        QCOMPARE(first.value().vectors, (QList<Embedding>{{1, 1, 1}, {2, 1, 1}, {1, 1, 1}}));

        const auto second = cached.embed({QStringLiteral("ccc"), QStringLiteral("bb"), QStringLiteral("a")});
        QVERIFY(second.ok());
        QCOMPARE(counting->asked.last(), QStringList{"ccc"});
        QCOMPARE(second.value().cacheHits, 2);
        QCOMPARE(second.value().requests, 1);
        QCOMPARE(second.value().vectors, (QList<Embedding>{{3, 2, 1}, {2, 1, 1}, {1, 1, 1}}));

        const auto third = cached.embed({QStringLiteral("a"), QStringLiteral("ccc")});
        QVERIFY(third.ok());
        QCOMPARE(counting->asked.size(), 2); // all hits: the inner provider was not called
        QCOMPARE(third.value().cacheHits, 2);
        QCOMPARE(third.value().requests, 0);
        QCOMPARE(cached.totalHits(), 4);
        QCOMPARE(cached.totalMisses(), 4);
    }
    void aVectorFromOneEndpointIsNotServedForAnother()
    {
        // the same provider id and model name behind two base URLs: two keys, no vector crosses over
        auto cache = std::make_shared<EmbeddingCache>(path("endpoints.sqlite"));
        auto first = std::make_unique<CountingProvider>();
        first->m_endpoint = QStringLiteral("http://one.example/v1/embeddings");
        CountingProvider *one = first.get();
        auto second = std::make_unique<CountingProvider>();
        second->m_endpoint = QStringLiteral("http://two.example/v1/embeddings");
        CountingProvider *two = second.get();
        CachedProvider a(std::move(first), cache), b(std::move(second), cache);
        QVERIFY(a.embed({QStringLiteral("same text")}).ok());
        const auto other = b.embed({QStringLiteral("same text")});
        QVERIFY(other.ok());
        QCOMPARE(other.value().cacheHits, 0);
        QCOMPARE(two->asked.size(), 1);
        QCOMPARE(one->asked.size(), 1);
        QCOMPARE(EmbeddingCacheKey::of(b).provider, QStringLiteral("counting@http://two.example/v1/embeddings"));
    }
    void cachedProviderPassesInnerErrorsThrough()
    {
        auto inner = std::make_unique<CountingProvider>();
        inner->fail = true;
        CachedProvider cached(std::move(inner), std::make_shared<EmbeddingCache>(path("errors.sqlite")));
        const auto batch = cached.embed({QStringLiteral("x")});
        QVERIFY(!batch.ok());
        QCOMPARE(batch.error().message, QStringLiteral("inner failed"));
    }
    void cachedLexicalVectorsEqualFreshOnes()
    {
        CachedProvider cached(std::make_unique<LexicalHashingProvider>(256), std::make_shared<EmbeddingCache>(path("lexical.sqlite")));
        const QStringList texts{QStringLiteral("proof the dough"), QStringLiteral("collimate the dobsonian")};
        const auto fresh = cached.embed(texts);
        const auto again = cached.embed(texts);
        QVERIFY(fresh.ok() && again.ok());
        QCOMPARE(again.value().cacheHits, 2);
        QCOMPARE(again.value().vectors, fresh.value().vectors);
    }
    void providerSettingsRoundTripWithoutAKey()
    {
        const QString ini = path("embeddings.ini");
        ProviderSettings s;
        s.provider = QStringLiteral("openai");
        s.baseUrl = QStringLiteral("http://127.0.0.1:8080/v1/");
        s.model = QStringLiteral("nomic-embed-text");
        s.expectedDimensions = 768;
        s.keyVariable = QStringLiteral("MY_EMBEDDING_KEY");
        QVERIFY(s.save(ini, QStringLiteral("prod/eu")).ok());
        QCOMPARE(ProviderSettings::load(ini, QStringLiteral("prod/eu")), s);
        QCOMPARE(ProviderSettings::load(ini, QStringLiteral("other")), ProviderSettings());
        qputenv("MY_EMBEDDING_KEY", "sk-never-saved");
        const auto made = makeProvider(s);
        QVERIFY(made.ok());
        QCOMPARE(made.value()->id(), QStringLiteral("openai"));
        QCOMPARE(made.value()->dimensions(), 768);
        QFile f(ini);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("sk-never-saved"));
    }
    void providerSettingsAreValidated_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<QString>("baseUrl");
        QTest::addColumn<int>("dimensions");
        QTest::addColumn<QString>("error"); // empty: valid
        QTest::newRow("lexical default") << "lexical"
                                         << "" << 0 << "";
        QTest::newRow("lexical 384") << "lexical"
                                     << "" << 384 << "";
        QTest::newRow("lexical too big") << "lexical"
                                         << "" << 20000 << "16000";
        QTest::newRow("unknown provider") << "cohere"
                                          << "" << 0 << "Unknown embedding provider";
        QTest::newRow("openai bad url") << "openai"
                                        << "ftp://x/v1" << 0 << "http://";
        QTest::newRow("openai ok") << "openai"
                                   << "https://api.openai.com/v1" << 512 << "";
    }
    void providerSettingsAreValidated()
    {
        QFETCH(QString, provider);
        QFETCH(QString, baseUrl);
        QFETCH(int, dimensions);
        QFETCH(QString, error);
        ProviderSettings s;
        s.provider = provider;
        s.baseUrl = baseUrl;
        s.dimensions = dimensions;
        const auto made = makeProvider(s, QStringLiteral("sk-passed"));
        QCOMPARE(made.ok(), error.isEmpty());
        if (made.ok())
            QCOMPARE(made.value()->dimensions(), dimensions ? dimensions : 1536 * (provider == "lexical"));
        else
            QVERIFY2(made.error().message.contains(error), qPrintable(made.error().message));
    }
};

QTEST_GUILESS_MAIN(TestEmbeddingCache)
#include "tst_embeddingcache.moc"
