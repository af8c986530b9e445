// tests/unit/tst_openaiprovider.cpp — the OpenAI-compatible provider against a real HTTP/1.1 server
// on 127.0.0.1 that this test runs itself: batching, retries, timeouts and every error it names.
#include "embeddings/OpenAiCompatibleProvider.h"
#include "support/FakeEmbeddingServer.h"
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QThread>

using namespace vwb;
using namespace vwb::test;

namespace {
QStringList numbered(int n)
{
    QStringList texts;
    for (int i = 0; i < n; ++i)
        texts << QStringLiteral("text %1").arg(i);
    return texts;
}

/// For QVERIFY2, which builds its message even when the check passes.
QByteArray why(const Result<EmbeddingBatch> &r)
{
    return r.ok() ? QByteArray() : r.error().message.toUtf8();
}

Answer answer(int status, const char *body, const char *headers = "")
{
    return {status, body, headers, false};
}
} // namespace

class TestOpenAiProvider : public QObject
{
    Q_OBJECT
    LocalHttpServer *m_server = nullptr;
    QList<int> m_sleeps; // ms the provider asked to wait
    std::unique_ptr<OpenAiCompatibleProvider> make(OpenAiSettings s = {});
private slots:
    void init();
    void cleanup();
    void embedsAndOrdersByIndex();
    void base64IsAskedForAndDecodedExactly();
    void serverRefusingBase64GetsDecimalFloats();
    void unprocessableEncodingFormatAlsoFallsBack();
    void decimalAnswersStillWork();
    void batchesByInputCountInOrder();
    void batchRangesRespectBothLimits_data();
    void batchRangesRespectBothLimits();
    void baseUrls_data();
    void baseUrls();
    void retryAfterIsHonoured_data();
    void retryAfterIsHonoured();
    void serverErrorsBackOffExponentially();
    void timeoutIsRetried();
    void timeoutsExhaustTheRetries();
    void badAnswersAreClearErrors_data();
    void badAnswersAreClearErrors();
    void wrongDimensionNamesBothNumbers_data();
    void wrongDimensionNamesBothNumbers();
    void learnedDimensionMustStayTheSame();
    void refusedKeyIsNeverShown_data();
    void refusedKeyIsNeverShown();
    void missingKeySaysWhereToPutIt();
    void authorizationHeaderComesFromSettingsOrEnvironment();
    void dimensionsAreSentOnlyWhenSet_data();
    void dimensionsAreSentOnlyWhenSet();
    void emptyTextNamesItsIndex();
    void unreachableServerNamesHostAndPort();
    void cancelAbortsTheRequestInFlight();
    void cancelEndsTheRealBackoffWait();
    void runsOnAWorkerThread();
    void describesItself();
    void redirectsAreNotFollowedAndTheKeyStaysHome();
    void anAnswerTooLargeForItsTextsIsCutOff();
};

std::unique_ptr<OpenAiCompatibleProvider> TestOpenAiProvider::make(OpenAiSettings s)
{
    if (s.baseUrl == OpenAiSettings().baseUrl)
        s.baseUrl = m_server->baseUrl(); // never the real API
    if (s.apiKey.isEmpty())
        s.apiKey = QStringLiteral("sk-test-SECRET123");
    OpenAiCompatibleProvider::Clock clock;
    clock.sleep = [this](int ms, const std::function<bool()> &) { m_sleeps << ms; };
    clock.now = [] { return QDateTime(QDate(2025, 1, 1), QTime(12, 0), Qt::UTC); };
    clock.random = [] { return 0.5; };
    auto made = OpenAiCompatibleProvider::create(s, clock);
    if (!made.ok())
        qFatal("%s", qPrintable(made.error().message));
    return std::move(made).value();
}

void TestOpenAiProvider::init()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".")));
    m_server = new LocalHttpServer;
    m_sleeps.clear();
    qunsetenv("OPENAI_API_KEY");
    QVERIFY(m_server->isListening());
}

void TestOpenAiProvider::cleanup()
{
    delete m_server;
}

void TestOpenAiProvider::embedsAndOrdersByIndex()
{
    auto p = make();
    const auto batch = p->embed(numbered(3));
    QVERIFY2(batch.ok(), why(batch));
    const QList<Embedding> expected{{0, .25f, .25f, .25f}, {1, .25f, .25f, .25f}, {2, .25f, .25f, .25f}};
    QCOMPARE(batch.value().vectors, expected);
    QCOMPARE(batch.value().promptTokens, 9);
    QCOMPARE(batch.value().requests, 1);
    QCOMPARE(batch.value().retries, 0);
    QCOMPARE(p->dimensions(), 4); // learned from the first answer
    const Request &r = m_server->received.first();
    QCOMPARE(r.path, QByteArray("/v1/embeddings"));
    QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(r.json.value("model").toString(), QStringLiteral("text-embedding-3-small"));
    QCOMPARE(r.json.value("input").toArray().toVariantList(), QVariantList({"text 0", "text 1", "text 2"}));
}

void TestOpenAiProvider::base64IsAskedForAndDecodedExactly()
{
    m_server->vectorFor = [](const QString &, int) { return QList<float>{0.1f, -1.5e-7f, 3.4e38f, 0.0f}; };
    const auto batch = make()->embed(numbered(2));
    QVERIFY2(batch.ok(), why(batch));
    QCOMPARE(m_server->received.first().json.value("encoding_format").toString(), QStringLiteral("base64"));
    const Embedding expected{0.1f, -1.5e-7f, 3.4e38f, 0.0f}; // bit for bit: no decimal round trip
    QCOMPARE(batch.value().vectors, (QList<Embedding>{expected, expected}));
}

void TestOpenAiProvider::serverRefusingBase64GetsDecimalFloats()
{
    m_server->script << Answer{400, R"({"error":{"message":"Unrecognized request argument supplied: encoding_format"}})", {}, false};
    auto p = make();
    const auto batch = p->embed(numbered(2));
    QVERIFY2(batch.ok(), why(batch));
    QCOMPARE(m_server->received.size(), 2);
    QVERIFY(!m_server->received.at(1).json.contains("encoding_format"));
    QCOMPARE(batch.value().vectors.at(1), (Embedding{1, .25f, .25f, .25f}));
    QVERIFY(p->embed(numbered(1)).ok()); // and it remembers
    QVERIFY(!m_server->received.last().json.contains("encoding_format"));
}

void TestOpenAiProvider::unprocessableEncodingFormatAlsoFallsBack()
{
    // FastAPI-style validation: 422 with a "detail" list naming the field.
    m_server->script << Answer{422, R"({"detail":[{"loc":["body","encoding_format"],"msg":"extra fields not permitted"}]})", {}, false};
    const auto batch = make()->embed(numbered(1));
    QVERIFY2(batch.ok(), why(batch));
    QVERIFY(!m_server->received.last().json.contains("encoding_format"));
}

void TestOpenAiProvider::decimalAnswersStillWork()
{
    // A server that ignores encoding_format and answers with numbers.
    m_server->script << Answer{200, R"({"data":[{"index":0,"embedding":[0.5,-0.25,1,2]}],"usage":{"prompt_tokens":2}})", {}, false};
    const auto batch = make()->embed(numbered(1));
    QVERIFY2(batch.ok(), why(batch));
    QCOMPARE(batch.value().vectors.first(), (Embedding{0.5f, -0.25f, 1.0f, 2.0f}));
}

void TestOpenAiProvider::batchesByInputCountInOrder()
{
    OpenAiSettings s;
    s.maxBatchInputs = 3;
    auto p = make(s);
    const auto batch = p->embed(numbered(7));
    QVERIFY(batch.ok());
    QCOMPARE(batch.value().requests, 3);
    QCOMPARE(m_server->received.size(), 3);
    QCOMPARE(m_server->received.at(2).json.value("input").toArray().size(), 1);
    for (int i = 0; i < 7; ++i)
        QCOMPARE(batch.value().vectors.at(i).first(), float(i));
}

void TestOpenAiProvider::batchRangesRespectBothLimits_data()
{
    QTest::addColumn<QList<int>>("lengths"); // characters per text
    QTest::addColumn<int>("maxInputs");
    QTest::addColumn<int>("maxTokens");
    QTest::addColumn<QList<int>>("sizes");
    QTest::newRow("inputs") << QList<int>{4, 4, 4, 4, 4} << 2 << 1000 << QList<int>{2, 2, 1};
    QTest::newRow("tokens") << QList<int>{40, 40, 40, 40} << 100 << 25 << QList<int>{2, 2};
    QTest::newRow("one text over the limit goes alone") << QList<int>{4, 400, 4} << 10 << 50 << QList<int>{1, 1, 1};
    QTest::newRow("empty list") << QList<int>{} << 10 << 10 << QList<int>{};
}

void TestOpenAiProvider::batchRangesRespectBothLimits()
{
    QFETCH(QList<int>, lengths);
    QFETCH(int, maxInputs);
    QFETCH(int, maxTokens);
    QFETCH(QList<int>, sizes);
    QStringList texts;
    for (int n : lengths)
        texts << QString(n, u'x');
    QList<int> got;
    qsizetype next = 0;
    for (const auto &[begin, end] : OpenAiCompatibleProvider::batchRanges(texts, maxInputs, maxTokens)) {
        QCOMPARE(begin, next);
        got << int(end - begin);
        next = end;
    }
    QCOMPARE(got, sizes);
}

void TestOpenAiProvider::baseUrls_data()
{
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QString>("endpoint"); // empty: rejected
    QTest::newRow("openai") << "https://api.openai.com/v1"
                            << "https://api.openai.com/v1/embeddings";
    QTest::newRow("trailing slash") << "http://127.0.0.1:8080/v1/"
                                    << "http://127.0.0.1:8080/v1/embeddings";
    QTest::newRow("no path") << "http://127.0.0.1:11434"
                             << "http://127.0.0.1:11434/embeddings";
    QTest::newRow("other scheme") << "ftp://127.0.0.1/v1"
                                  << "";
    QTest::newRow("no scheme") << "127.0.0.1:8080/v1"
                               << "";
    QTest::newRow("not a url") << "http://exa mple/v1"
                               << "";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("key in the url") << "https://sk-x@api.openai.com/v1"
                                    << "";
    QTest::newRow("query") << "https://api.openai.com/v1?x=1"
                           << "";
}

void TestOpenAiProvider::baseUrls()
{
    QFETCH(QString, baseUrl);
    QFETCH(QString, endpoint);
    const auto url = OpenAiCompatibleProvider::endpoint(baseUrl);
    QCOMPARE(url.ok(), !endpoint.isEmpty());
    OpenAiSettings s;
    s.baseUrl = baseUrl;
    QCOMPARE(OpenAiCompatibleProvider::create(s).ok(), url.ok());
    if (url.ok())
        QCOMPARE(url.value().toString(), endpoint);
    else
        QVERIFY2(!url.error().message.contains(QLatin1String("sk-x")), qPrintable(url.error().message));
}

void TestOpenAiProvider::retryAfterIsHonoured_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("waited");
    QTest::newRow("seconds") << QByteArray("Retry-After: 2\r\n") << 429 << 2000;
    QTest::newRow("http date") << QByteArray("Retry-After: Wed, 01 Jan 2025 12:00:03 GMT\r\n") << 503 << 3000;
    QTest::newRow("milliseconds") << QByteArray("retry-after-ms: 1500\r\n") << 429 << 1500;
    QTest::newRow("none: backoff") << QByteArray() << 429 << 250; // 0.5 x 500 ms
}

void TestOpenAiProvider::retryAfterIsHonoured()
{
    QFETCH(QByteArray, headers);
    QFETCH(int, status);
    QFETCH(int, waited);
    m_server->script << Answer{status, R"({"error":{"message":"slow down"}})", headers, false};
    auto p = make();
    const auto batch = p->embed(numbered(2));
    QVERIFY(batch.ok());
    QCOMPARE(m_sleeps, QList<int>{waited});
    QCOMPARE(batch.value().requests, 2);
    QCOMPARE(batch.value().retries, 1);
}

void TestOpenAiProvider::serverErrorsBackOffExponentially()
{
    m_server->script << answer(500, "{}") << answer(502, "<html>bad gateway</html>") << answer(500, "{}");
    const auto batch = make()->embed(numbered(1));
    QVERIFY(batch.ok());
    QCOMPARE(m_sleeps, (QList<int>{250, 500, 1000})); // random() == 0.5 of 500, 1000, 2000 ms
    QCOMPARE(batch.value().retries, 3);
}

void TestOpenAiProvider::timeoutIsRetried()
{
    m_server->script << Answer{200, {}, {}, true};
    OpenAiSettings s;
    s.timeoutMs = 1000; // the second request must make it in time on a busy machine
    const auto batch = make(s)->embed(numbered(2));
    QVERIFY2(batch.ok(), why(batch));
    QCOMPARE(batch.value().retries, 1);
    QCOMPARE(m_server->received.size(), 2);
}

void TestOpenAiProvider::timeoutsExhaustTheRetries()
{
    m_server->script << Answer{200, {}, {}, true} << Answer{200, {}, {}, true} << Answer{200, {}, {}, true};
    OpenAiSettings s;
    s.timeoutMs = 150;
    s.maxRetries = 2;
    const auto batch = make(s)->embed(numbered(1));
    QVERIFY(!batch.ok());
    QCOMPARE(batch.error().kind, Error::Kind::Timeout);
    QVERIFY2(batch.error().message.contains(QLatin1String("after 2 retries"))
                 && batch.error().message.contains(QStringLiteral("127.0.0.1:%1").arg(m_server->port())),
             qPrintable(batch.error().message));
    QCOMPARE(m_sleeps.size(), 2);
}

void TestOpenAiProvider::badAnswersAreClearErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("says");
    // Two texts; `first` and `second` are the two "embedding" lists.
    const auto two = [](const char *first, const char *second) {
        return QByteArray(R"({"data": [{"index": 0, "embedding": [)") + first + R"(]}, {"index": 1, "embedding": [)" + second + "]}]}";
    };
    QTest::newRow("malformed json") << 200 << QByteArray(R"({"data": [)") << "malformed JSON";
    QTest::newRow("no data") << 200 << QByteArray(R"({"object": "list"})") << "no \"data\" list";
    QTest::newRow("count mismatch") << 200 << QByteArray(R"({"data": [{"index": 0, "embedding": [1, 0]}]})") << "1 vectors for 2 texts";
    QTest::newRow("no index") << 200 << QByteArray(R"({"data": [{"embedding": [1]}, {"embedding": [1]}]})") << "\"index\"";
    QTest::newRow("repeated index") << 200 << two("1", "1").replace("\"index\": 1", "\"index\": 0") << "\"index\"";
    QTest::newRow("no embedding") << 200 << QByteArray(R"({"data": [{"index": 0}, {"index": 1}]})") << "no \"embedding\"";
    QTest::newRow("NaN") << 200 << two("NaN, 1", "1, 1") << "not a finite";
    QTest::newRow("Infinity") << 200 << two("1, -Infinity", "1, 1") << "not a finite";
    QTest::newRow("beyond double") << 200 << two("1e999, 1", "1, 1") << "not a finite";
    QTest::newRow("beyond float") << 200 << two("1, 1", "1e39, 1") << "not a finite float32 (text at index 1)";
    QTest::newRow("bad base64") << 200
                                << QByteArray(R"({"data": [{"index": 0, "embedding": "AAC!"}, {"index": 1, "embedding": "AAAA"}]})")
                                << "not base64 float32";
    QTest::newRow("base64 NaN") << 200
                                << QByteArray(
                                       R"({"data": [{"index": 0, "embedding": "AADAfw=="}, {"index": 1, "embedding": "AADAfw=="}]})")
                                << "not a finite";
    QTest::newRow("400 says why") << 400 << QByteArray(R"({"error": {"message": "maximum context length is 8192 tokens", "type": "x"}})")
                                  << "(HTTP 400): maximum context length is 8192 tokens";
    QTest::newRow("404") << 404 << QByteArray(R"({"error": "model not found"})")
                         << "check the base URL (it usually ends in /v1) and the model name \"text-embedding-3-small\"";
}

void TestOpenAiProvider::badAnswersAreClearErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, says);
    m_server->script << Answer{status, body, {}, false};
    const auto batch = make()->embed(numbered(2));
    QVERIFY(!batch.ok());
    // a request the server refused is Invalid (the texts may be at fault); an answer that cannot
    // be used is Io (the server is): a backfill splits a batch for the one, and stops for the other
    QCOMPARE(batch.error().kind, status == 200 ? Error::Kind::Io : Error::Kind::Invalid);
    QVERIFY2(batch.error().message.contains(says), qPrintable(batch.error().message));
    QVERIFY(!batch.error().message.contains(u'\n'));
    QCOMPARE(m_server->received.size(), 1); // not retried
}

void TestOpenAiProvider::wrongDimensionNamesBothNumbers_data()
{
    QTest::addColumn<int>("dimensions");
    QTest::addColumn<int>("expected");
    QTest::newRow("asked for 8") << 8 << 0;
    QTest::newRow("expecting 1536") << 0 << 1536;
}

void TestOpenAiProvider::wrongDimensionNamesBothNumbers()
{
    QFETCH(int, dimensions);
    QFETCH(int, expected);
    m_server->script << answer(200, R"({"data": [{"index": 0, "embedding": [1, 2, 3, 4]}]})");
    OpenAiSettings s;
    s.dimensions = dimensions;
    s.expectedDimensions = expected;
    const auto batch = make(s)->embed(numbered(1));
    QVERIFY(!batch.ok());
    const QString want = QStringLiteral("returned 4-dimensional vectors, expected %1").arg(dimensions + expected);
    QVERIFY2(batch.error().message.contains(want), qPrintable(batch.error().message));
}

void TestOpenAiProvider::learnedDimensionMustStayTheSame()
{
    auto p = make();
    QVERIFY(p->embed(numbered(1)).ok());
    m_server->dimensions = 5;
    const auto batch = p->embed(numbered(1));
    QVERIFY(!batch.ok());
    QVERIFY2(batch.error().message.contains(QLatin1String("5-dimensional vectors, expected 4")), qPrintable(batch.error().message));
}

void TestOpenAiProvider::refusedKeyIsNeverShown_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("401") << 401;
    QTest::newRow("403") << 403;
}

void TestOpenAiProvider::refusedKeyIsNeverShown()
{
    QFETCH(int, status);
    const QByteArray body = R"({"error": {"message": "Incorrect API key provided: sk-test-SECRET123"}})";
    m_server->script << Answer{status, body, {}, false};
    const auto batch = make()->embed(numbered(1));
    QVERIFY(!batch.ok());
    QCOMPARE(batch.error().kind, Error::Kind::Connection);
    QVERIFY2(batch.error().message.contains(QStringLiteral("refused the API key (HTTP %1)").arg(status)),
             qPrintable(batch.error().message));
    QVERIFY(!(batch.error().message + batch.error().detail).contains(QLatin1String("SECRET")));
}

void TestOpenAiProvider::missingKeySaysWhereToPutIt()
{
    m_server->script << answer(401, R"({"error": {"message": "You didn't provide an API key."}})");
    OpenAiSettings s;
    s.baseUrl = m_server->baseUrl();
    OpenAiCompatibleProvider::Clock noWait{[](int, const std::function<bool()> &) {}, {}, {}};
    const auto batch = OpenAiCompatibleProvider::create(s, noWait).value()->embed(numbered(1));
    QVERIFY(!batch.ok());
    QVERIFY2(batch.error().message.contains(QLatin1String("OPENAI_API_KEY")), qPrintable(batch.error().message));
    QVERIFY(!m_server->received.first().headers.contains("authorization"));
}

void TestOpenAiProvider::authorizationHeaderComesFromSettingsOrEnvironment()
{
    QVERIFY(make()->embed(numbered(1)).ok());
    QCOMPARE(m_server->received.last().headers.value("authorization"), QByteArray("Bearer sk-test-SECRET123"));
    qputenv("OPENAI_API_KEY", "sk-from-env");
    OpenAiSettings s;
    s.baseUrl = m_server->baseUrl();
    QVERIFY(OpenAiCompatibleProvider::create(s).value()->embed(numbered(1)).ok());
    QCOMPARE(m_server->received.last().headers.value("authorization"), QByteArray("Bearer sk-from-env"));
}

void TestOpenAiProvider::dimensionsAreSentOnlyWhenSet_data()
{
    QTest::addColumn<int>("dimensions");
    QTest::newRow("model default") << 0;
    QTest::newRow("256") << 256;
}

void TestOpenAiProvider::dimensionsAreSentOnlyWhenSet()
{
    QFETCH(int, dimensions);
    OpenAiSettings s;
    s.dimensions = dimensions;
    auto p = make(s);
    const auto batch = p->embed(numbered(1));
    QVERIFY(batch.ok());
    const QJsonObject sent = m_server->received.first().json;
    QCOMPARE(sent.contains(QLatin1String("dimensions")), dimensions > 0);
    if (dimensions > 0)
        QCOMPARE(sent.value(QLatin1String("dimensions")).toInt(), dimensions);
    QCOMPARE(batch.value().vectors.first().size(), dimensions > 0 ? dimensions : m_server->dimensions);
}

void TestOpenAiProvider::emptyTextNamesItsIndex()
{
    const auto batch = make()->embed({QStringLiteral("a"), QStringLiteral("  "), QStringLiteral("c")});
    QVERIFY(!batch.ok());
    QVERIFY2(batch.error().message.contains(QLatin1String("index 1")), qPrintable(batch.error().message));
    QVERIFY(m_server->received.isEmpty());
}

void TestOpenAiProvider::unreachableServerNamesHostAndPort()
{
    QTcpServer closed; // a loopback port that was free a moment ago and is closed again
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    OpenAiSettings s;
    s.baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(port);
    s.maxRetries = 1;
    const auto batch = make(s)->embed(numbered(1));
    QVERIFY(!batch.ok());
    QCOMPARE(batch.error().kind, Error::Kind::Connection);
    QVERIFY2(batch.error().message.contains(QStringLiteral("127.0.0.1:%1 after 1 retry").arg(port)), qPrintable(batch.error().message));
    QCOMPARE(m_sleeps.size(), 1);
}

void TestOpenAiProvider::cancelAbortsTheRequestInFlight()
{
    m_server->script << Answer{200, {}, {}, true};
    const auto batch = make()->embed(numbered(1), [this] { return !m_server->received.isEmpty(); });
    QVERIFY(!batch.ok());
    QVERIFY(batch.error().isCanceled());
}

void TestOpenAiProvider::cancelEndsTheRealBackoffWait()
{
    m_server->script << answer(429, "{}", "Retry-After: 60\r\n");
    OpenAiSettings s;
    s.baseUrl = m_server->baseUrl();
    QElapsedTimer clock;
    clock.start();
    const auto batch = OpenAiCompatibleProvider::create(s).value()->embed(numbered(1), [&] {
        return clock.elapsed() > 500; // by then the 429 is in and the default sleep is waiting its 60 s
    });
    QVERIFY(!batch.ok() && batch.error().isCanceled());
    QVERIFY2(clock.elapsed() < 10'000, QByteArray::number(clock.elapsed()));
}

void TestOpenAiProvider::runsOnAWorkerThread()
{
    auto p = make();
    std::optional<Result<EmbeddingBatch>> result;
    std::unique_ptr<QThread> worker(QThread::create([&] { result = p->embed(numbered(5)); }));
    QSignalSpy finished(worker.get(), &QThread::finished);
    worker->start(); // the server answers from this (the main) thread meanwhile
    QVERIFY(finished.wait(10000));
    QVERIFY(result && result->ok());
    QCOMPARE(result->value().vectors.at(4).first(), 4.0f);
}

void TestOpenAiProvider::describesItself()
{
    auto p = make();
    QCOMPARE(p->id(), QStringLiteral("openai"));
    QCOMPARE(p->model(), QStringLiteral("text-embedding-3-small"));
    QVERIFY(p->description().contains(QStringLiteral("127.0.0.1:%1").arg(m_server->port())));
    QVERIFY(!p->description().contains(QLatin1String("SECRET")));
}

void TestOpenAiProvider::redirectsAreNotFollowedAndTheKeyStaysHome()
{
    LocalHttpServer elsewhere;
    QVERIFY(elsewhere.isListening());
    const QByteArray there = QStringLiteral("http://127.0.0.1:%1/v1/embeddings").arg(elsewhere.port()).toLatin1();
    m_server->script = {{307, {}, "Location: " + there + "\r\n", false}, {308, {}, "Location: /v2/embeddings\r\n", false}};
    auto p = make();
    auto away = p->embed(numbered(1));
    QVERIFY(!away.ok());
    QVERIFY2(away.error().message.contains(QLatin1String("HTTP 307")) && away.error().message.contains(QString::fromLatin1(there))
                 && away.error().message.contains(QLatin1String("not followed")),
             qPrintable(away.error().message));
    QVERIFY(elsewhere.received.isEmpty()); // neither the key nor the texts went there
    // the same server, another path: not followed either (the base URL says where the API is)
    auto moved = p->embed(numbered(1));
    QVERIFY(!moved.ok());
    QVERIFY2(moved.error().message.contains(QStringLiteral("127.0.0.1:%1/v2/embeddings").arg(m_server->port())),
             qPrintable(moved.error().message));
    QCOMPARE(m_server->received.size(), 2);
}

void TestOpenAiProvider::anAnswerTooLargeForItsTextsIsCutOff()
{
    // 3 MB for one text: more than any embeddings answer holds (an endless body stops the same way)
    m_server->script = {{200, QByteArray(3 * 1024 * 1024, ' '), {}, false}};
    auto answer = make()->embed(numbered(1));
    QVERIFY(!answer.ok());
    QVERIFY2(answer.error().message.contains(QLatin1String("sent more than 1 MB for 1 text(s)")), qPrintable(answer.error().message));
}

QTEST_GUILESS_MAIN(TestOpenAiProvider)
#include "tst_openaiprovider.moc"
