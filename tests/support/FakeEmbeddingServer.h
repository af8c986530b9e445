// tests/support/FakeEmbeddingServer.h — a local HTTP/1.1 server speaking the wire format of an
// OpenAI-compatible POST /v1/embeddings: scripted answers for the provider's unit test, and on a
// thread of its own behaving like a real API (ModelledApi.h) for the backfill benchmark.
// Header-only; loopback only.
#pragma once

#include "support/ModelledApi.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QSemaphore>
#include <QString>
#include <QTcpServer>
#include <QtEndian>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <charconv>
#include <cmath>
#include <functional>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace vwb::test {

/// A scripted answer; once the script is used up, the server embeds what it was sent.
struct Answer
{
    int status = 200;
    QByteArray body;
    QByteArray headers; // extra "Name: value\r\n" lines
    bool hang = false;  // never answer
};

struct Request
{
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; // names in lowercase
    QJsonObject json;
};

/// Answers in the wire format of POST /v1/embeddings, on 127.0.0.1, from the thread it was made
/// on: a client that blocks that thread needs the server on another one (FakeEmbeddingServer).
/// Its default answer lists the vectors in reverse order (clients must sort by "index"); unless
/// `vectorFor` is set, each vector has the number at the end of its text as first component and
/// 0.25 everywhere else. Set the public fields before requests arrive, from the server's thread.
class LocalHttpServer : public QObject
{
public:
    /// The vector for one input text; `dims` is the request's "dimensions", else `dimensions`.
    using VectorFunction = std::function<QList<float>(const QString &text, int dims)>;

    LocalHttpServer()
    {
        m_listening = m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection()) {
                s->setSocketOption(QAbstractSocket::LowDelayOption, 1); // no Nagle: answers leave whole, at once
                connect(s, &QTcpSocket::readyRead, this, [this, s] { read(s); });
                connect(s, &QTcpSocket::disconnected, this, [this, s] { m_buffers.remove(s); });
                connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    ~LocalHttpServer() override
    {
        // Open sockets are the server's children and say "disconnected" as they go, after this
        // object's members are gone: cut them off first.
        for (QTcpSocket *s : m_server.findChildren<QTcpSocket *>())
            s->disconnect(this);
    }
    bool isListening() const { return m_listening; }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_server.serverPort()); }
    quint16 port() const { return m_server.serverPort(); }

    QList<Answer> script;
    QList<Request> received;         // every request, in order, while keepRequests holds
    bool keepRequests = true;        // false for long runs: nothing piles up
    int dimensions = 4;              // of the default answer when the request names none
    ApiModel model;                  // how computed answers are served (scripted ones go at once)
    ApiCounters *counters = nullptr; // when set, counts what the API did
    VectorFunction vectorFor;        // empty: the scripted-test vectors described above

    /// A unit vector shaped like a real model's (dense: every component non-zero, ~9 significant
    /// digits on the wire), the same for the same text in every run: splitmix64 seeded with an
    /// FNV-1a hash of the text.
    static QList<float> denseVector(const QString &text, int dims)
    {
        quint64 state = 0xcbf29ce484222325ULL;
        for (const QChar c : text) {
            state ^= c.unicode();
            state *= 0x100000001b3ULL;
        }
        QList<float> v(dims);
        double norm = 0;
        for (float &x : v) {
            state += 0x9e3779b97f4a7c15ULL;
            quint64 z = state;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            z ^= z >> 31;
            x = float(double(z >> 11) * 0x1.0p-53 * 2.0 - 1.0); // uniform in [-1, 1)
            norm += double(x) * double(x);
        }
        const double scale = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
        for (float &x : v)
            x = float(double(x) * scale);
        return v;
    }

private:
    void read(QTcpSocket *s)
    {
        QByteArray &buffer = m_buffers[s];
        buffer += s->readAll();
        // ACK what arrived at once, as a busy server would: Qt's HTTP client leaves Nagle on, so a
        // request body past one segment (64 kB on loopback: a batch of ~200 forum posts) would
        // otherwise wait out Linux's 40 ms delayed ACK on every request. Linux resets the option
        // by itself, hence once per read.
        const int quickAck = 1;
        (void)::setsockopt(int(s->socketDescriptor()), IPPROTO_TCP, TCP_QUICKACK, &quickAck, sizeof quickAck);
        for (;;) {
            const qsizetype end = buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Request r;
            const QList<QByteArray> lines = buffer.left(end).split('\n');
            r.path = lines.first().split(' ').value(1);
            for (const QByteArray &line : lines.mid(1)) {
                const qsizetype colon = line.indexOf(':');
                r.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
            }
            const qsizetype length = r.headers.value("content-length").toLongLong();
            if (buffer.size() < end + 4 + length)
                return;
            r.json = QJsonDocument::fromJson(buffer.mid(end + 4, length)).object();
            buffer.remove(0, end + 4 + length);
            if (keepRequests)
                received << r;
            if (!script.isEmpty()) {
                const Answer a = script.takeFirst();
                if (!a.hang)
                    send(s, a);
                continue;
            }
            const QJsonArray input = r.json.value(QLatin1String("input")).toArray();
            qint64 characters = 0;
            for (const QJsonValue &text : input)
                characters += text.toString().size();
            const qint64 tokens = ApiModel::tokensOf(characters, input.size());
            if (const Answer refused = admit(tokens); refused.status != 200) {
                send(s, refused);
                continue;
            }
            m_waiting.append({s, embeddings(r.json), model.serviceMs(tokens), input.size(), tokens});
            if (counters)
                counters->mostWaiting = qMax(counters->mostWaiting.load(), int(m_waiting.size()));
            serveWaiting();
        }
    }

    /// Head and body written one after the other: no megabyte-sized concatenation.
    static void send(QTcpSocket *s, const Answer &a)
    {
        if (s->state() != QAbstractSocket::ConnectedState)
            return;
        s->write("HTTP/1.1 " + QByteArray::number(a.status) + " Scripted\r\nContent-Type: application/json\r\n"
                 + "Content-Length: " + QByteArray::number(a.body.size()) + "\r\n" + a.headers + "\r\n");
        s->write(a.body);
    }

    /// 200 when the rate limits let a request of `tokens` in now (and it is counted against
    /// them); else the 429 a rate-limited API sends, with the wait until it would fit.
    Answer admit(qint64 tokens)
    {
        if (!model.limitsRate())
            return {200, {}, {}, false};
        if (!m_requestBucket) {
            m_requestBucket = std::make_unique<RateBucket>(model.requestsPerMinute, model.burstSeconds);
            m_tokenBucket = std::make_unique<RateBucket>(model.tokensPerMinute, model.burstSeconds);
        }
        const qint64 forRequest = m_requestBucket->waitMs(1);
        const qint64 forTokens = m_tokenBucket->waitMs(double(tokens));
        if (forTokens < 0)
            return {400,
                    R"({"error":{"message":"Request too large for the tokens-per-minute limit","code":"rate_limit_exceeded"}})",
                    {},
                    false};
        if (const qint64 wait = qMax(forRequest, forTokens); wait > 0) {
            if (counters)
                ++counters->rejected;
            return {429, R"({"error":{"message":"Rate limit reached","type":"tokens","code":"rate_limit_exceeded"}})",
                    "retry-after-ms: " + QByteArray::number(wait) + "\r\nRetry-After: " + QByteArray::number((wait + 999) / 1000) + "\r\n",
                    false};
        }
        m_requestBucket->take(1);
        m_tokenBucket->take(double(tokens));
        return {200, {}, {}, false};
    }

    /// Starts serving waiting requests, in arrival order, while a serving slot is free. A timer,
    /// not a sleep: the thread goes on reading other connections meanwhile; the slot is freed
    /// even when the client is gone by then.
    void serveWaiting()
    {
        while (!m_waiting.isEmpty() && (model.concurrency <= 0 || m_serving < model.concurrency)) {
            Waiting w = m_waiting.takeFirst();
            if (counters) {
                ++counters->requests;
                counters->inputs += w.inputs;
                counters->tokens += w.tokens;
            }
            if (w.ms <= 0) {
                if (w.socket)
                    send(w.socket, w.answer);
                continue;
            }
            ++m_serving;
            QTimer::singleShot(int(std::lround(w.ms)), Qt::PreciseTimer, this, [this, w] {
                --m_serving;
                if (w.socket)
                    send(w.socket, w.answer);
                serveWaiting();
            });
        }
    }

    /// Written by hand rather than through QJsonDocument: a benchmark's answers run to megabytes.
    Answer embeddings(const QJsonObject &request) const
    {
        const QJsonArray input = request.value(QLatin1String("input")).toArray();
        const int dims = request.value(QLatin1String("dimensions")).toInt(dimensions);
        const bool base64 = request.value(QLatin1String("encoding_format")).toString() == QLatin1String("base64");
        QByteArray body = R"({"object":"list","data":[)";
        // What the answer will take (base64: 4 characters per 3 bytes of float32; decimal: up to
        // ~13 per number): over-reserving megabytes costs page faults on a thread that shares
        // the client's cores.
        body.reserve(64 + input.size() * (64 + (base64 ? (qsizetype(dims) * 4 + 2) / 3 * 4 : qsizetype(dims) * 13)));
        char number[32];
        for (qsizetype i = input.size() - 1; i >= 0; --i) {
            const QString text = input.at(i).toString();
            QList<float> v;
            if (vectorFor) {
                v = vectorFor(text, dims);
            } else {
                v = QList<float>(qMax(dims, 1), 0.25f);
                v[0] = float(text.section(u' ', -1).toDouble());
            }
            body += R"({"object":"embedding","index":)" + QByteArray::number(i) + R"(,"embedding":)";
            if (base64) { // little-endian float32, as OpenAI sends it
                QByteArray raw(v.size() * 4, Qt::Uninitialized);
                for (qsizetype d = 0; d < v.size(); ++d)
                    qToLittleEndian<float>(v.at(d), raw.data() + 4 * d);
                body += '"' + raw.toBase64() + '"';
            } else {
                body += '[';
                for (qsizetype d = 0; d < v.size(); ++d) {
                    if (d)
                        body += ',';
                    const auto written = std::to_chars(number, number + sizeof number, v.at(d)); // shortest exact form
                    body.append(number, written.ptr - number);
                }
                body += ']';
            }
            body += i > 0 ? "}," : "}";
        }
        const QByteArray tokens = QByteArray::number(3 * input.size());
        body += R"(],"usage":{"prompt_tokens":)" + tokens + R"(,"total_tokens":)" + tokens + "}}";
        return {200, body, {}, false};
    }

    struct Waiting
    {
        QPointer<QTcpSocket> socket;
        Answer answer;
        double ms = 0; // to serve it
        qint64 inputs = 0;
        qint64 tokens = 0;
    };

    QTcpServer m_server;
    bool m_listening = false;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<Waiting> m_waiting; // admitted, not yet being served
    int m_serving = 0;
    std::unique_ptr<RateBucket> m_requestBucket; // made at the first request, from `model`
    std::unique_ptr<RateBucket> m_tokenBucket;
};

/// A LocalHttpServer on a thread of its own, for clients that block the thread they run on (the
/// provider's embed() inside a job or a loop). Set the fields, then startListening(); the
/// destructor stops the thread. Answers are always computed (no script), requests not kept.
class FakeEmbeddingServer : public QThread
{
public:
    int dimensions = 1536; // when the request names none
    ApiModel model;
    ApiCounters counters;
    LocalHttpServer::VectorFunction vectorFor = &LocalHttpServer::denseVector;

    ~FakeEmbeddingServer() override
    {
        quit();
        wait();
    }
    /// Starts the thread and waits until its server listens (true) or failed to (false).
    bool startListening()
    {
        start();
        m_ready.acquire();
        return m_port != 0;
    }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(m_port); }

protected:
    void run() override
    {
        LocalHttpServer server; // lives and dies on this thread, sockets and timers with it
        server.keepRequests = false;
        server.dimensions = dimensions;
        server.model = model;
        server.counters = &counters;
        server.vectorFor = vectorFor;
        m_port = server.isListening() ? server.port() : 0;
        m_ready.release();
        if (m_port != 0)
            exec();
    }

private:
    QSemaphore m_ready;
    quint16 m_port = 0; // written before m_ready is released, read after it is acquired
};
} // namespace vwb::test
