// app/embeddings/OpenAiCompatibleProvider.cpp
#include "embeddings/OpenAiCompatibleProvider.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QtEndian>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <limits>

namespace vwb {

/// One request and what came back.
struct OpenAiCompatibleProvider::Exchange
{
    int status = 0; // HTTP status; 0 when no answer arrived
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    bool timedOut = false;
    bool canceled = false;
    QByteArray retryAfter;   // Retry-After: seconds or an HTTP date
    QByteArray retryAfterMs; // retry-after-ms, which OpenAI also sends
    QByteArray location;     // where a 3xx points (never followed)
    qint64 cap = 0;          // the most this answer may hold
    bool tooLarge = false;   // it held more: reading stopped there
};

namespace {
constexpr int MaxDimensions = 16000; // pgvector's vector type
constexpr int CancelPollMs = 50;
// An answer's most: 1 MB, and 128 kB a text (4,096 dimensions in decimal text take ~90 kB).
constexpr qint64 AnswerBaseBytes = 1024 * 1024, AnswerBytesPerText = 128 * 1024;

OpenAiCompatibleProvider::Clock withDefaults(OpenAiCompatibleProvider::Clock c)
{
    if (!c.sleep)
        c.sleep = [](int ms, const std::function<bool()> &cancel) {
            for (QDeadlineTimer until(ms); !until.hasExpired() && !(cancel && cancel());) {
                QEventLoop loop; // not QThread::msleep: whatever else lives on this thread keeps running
                const qint64 slice = std::min<qint64>(CancelPollMs, until.remainingTime());
                QTimer::singleShot(int(slice), &loop, &QEventLoop::quit);
                loop.exec();
            }
        };
    if (!c.now)
        c.now = [] { return QDateTime::currentDateTimeUtc(); };
    if (!c.random)
        c.random = [] { return QRandomGenerator::global()->generateDouble(); };
    return c;
}

/// Worth another try: the server or the way to it may be back in a moment. (TLS and protocol
/// errors are not: they will fail the same way again.)
bool transientNetworkError(QNetworkReply::NetworkError e)
{
    using E = QNetworkReply::NetworkError;
    static constexpr E transient[] = {E::ConnectionRefusedError,
                                      E::RemoteHostClosedError,
                                      E::HostNotFoundError,
                                      E::TimeoutError,
                                      E::TemporaryNetworkFailureError,
                                      E::NetworkSessionFailedError,
                                      E::ProxyConnectionRefusedError,
                                      E::ProxyConnectionClosedError,
                                      E::ProxyTimeoutError,
                                      E::UnknownNetworkError};
    return std::find(std::begin(transient), std::end(transient), e) != std::end(transient);
}

/// A JSON number that Qt refused because it is NaN, Infinity or beyond a double.
bool looksNonFinite(const QByteArray &body, int offset)
{
    const QString around = QString::fromUtf8(body.mid(std::max(0, offset - 24), 40));
    static const QRegularExpression pattern(QStringLiteral("nan|inf|\\d[eE][+]?\\d{3,}"), QRegularExpression::CaseInsensitiveOption);
    return pattern.match(around).hasMatch();
}

/// The server's own explanation ({"error": {"message": ...}}, {"error": "..."} or {"detail": ...}),
/// on one line, short, and with the key blanked out in case the server echoed it.
QString apiMessage(const QByteArray &body, const QByteArray &key)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonValue error = root.value(QLatin1String("error"));
    QString message = error.isObject()   ? error.toObject().value(QLatin1String("message")).toString()
                      : error.isString() ? error.toString()
                                         : root.value(QLatin1String("detail")).toString();
    if (message.isEmpty() && !body.trimmed().startsWith('{'))
        message = QString::fromUtf8(body.left(200));
    if (!key.isEmpty())
        message.replace(QString::fromUtf8(key), QStringLiteral("***"));
    message = message.simplified();
    return message.size() > 300 ? message.left(300) + QStringLiteral("...") : message;
}

Error connectionError(const QString &message)
{
    return {Error::Kind::Connection, message, {}, {}};
}
} // namespace

Result<QUrl> OpenAiCompatibleProvider::endpoint(const QString &baseUrl)
{
    const QString text = baseUrl.trimmed();
    if (text.isEmpty())
        return Error::invalid(QStringLiteral("No base URL for the embeddings server (e.g. https://api.openai.com/v1)"));
    QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()) // errorString() would repeat the whole URL, key and all if one was pasted in
        return Error::invalid(QStringLiteral("The embeddings base URL is not a valid URL (look for spaces or stray "
                                             "characters)"));
    if (!url.userInfo().isEmpty())
        return Error::invalid(QStringLiteral("The embeddings base URL must not hold a user or key; put the key in "
                                             "the API key setting or OPENAI_API_KEY"));
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return Error::invalid(QStringLiteral("The embeddings base URL must start with http:// or https:// "
                                             "(e.g. https://api.openai.com/v1), not \"%1\"")
                                  .arg(text));
    if (url.host().isEmpty())
        return Error::invalid(QStringLiteral("The embeddings base URL \"%1\" has no host").arg(text));
    if (url.hasQuery() || url.hasFragment())
        return Error::invalid(QStringLiteral("The embeddings base URL \"%1\" must not have a ?query or #fragment").arg(text));
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + QStringLiteral("/embeddings"));
    return url;
}

Result<void> OpenAiCompatibleProvider::validate(const OpenAiSettings &s)
{
    if (auto url = endpoint(s.baseUrl); !url.ok())
        return url.error();
    if (s.model.trimmed().isEmpty())
        return Error::invalid(QStringLiteral("No embedding model named (e.g. text-embedding-3-small)"));
    for (int d : {s.dimensions, s.expectedDimensions})
        if (d < 0 || d > MaxDimensions)
            return Error::invalid(
                QStringLiteral("Embedding dimensions must be 0 (the model's default) to %1, not %2").arg(MaxDimensions).arg(d));
    if (s.dimensions > 0 && s.expectedDimensions > 0 && s.dimensions != s.expectedDimensions)
        return Error::invalid(QStringLiteral("Asked for %1 dimensions but expecting %2").arg(s.dimensions).arg(s.expectedDimensions));
    if (s.maxBatchInputs < 1 || s.maxBatchTokens < 1)
        return Error::invalid(QStringLiteral("Embedding batches need room for at least one text"));
    if (s.timeoutMs < 1 || s.maxRetries < 0 || s.backoffBaseMs < 0 || s.backoffMaxMs < 0 || s.retryAfterMaxMs < 0)
        return Error::invalid(QStringLiteral("Embedding timeouts and retry limits cannot be negative"));
    return {};
}

Result<std::unique_ptr<OpenAiCompatibleProvider>> OpenAiCompatibleProvider::create(const OpenAiSettings &settings, Clock clock)
{
    if (auto valid = validate(settings); !valid.ok())
        return valid.error();
    return std::unique_ptr<OpenAiCompatibleProvider>(
        new OpenAiCompatibleProvider(settings, endpoint(settings.baseUrl).value(), std::move(clock)));
}

OpenAiCompatibleProvider::OpenAiCompatibleProvider(const OpenAiSettings &settings, QUrl endpoint, Clock clock)
    : m_settings(settings), m_endpoint(std::move(endpoint)), m_clock(withDefaults(std::move(clock)))
{
    const QString key = settings.apiKey.isEmpty() ? qEnvironmentVariable("OPENAI_API_KEY") : settings.apiKey;
    m_key = key.trimmed().toUtf8();
    m_settings.apiKey.clear(); // kept once, in m_key
}

QString OpenAiCompatibleProvider::description() const
{
    return QStringLiteral("Semantic embeddings from %1 (model %2); texts are sent to that server").arg(hostPort(), m_settings.model);
}

int OpenAiCompatibleProvider::dimensions() const
{
    if (m_settings.dimensions > 0)
        return m_settings.dimensions;
    return m_settings.expectedDimensions > 0 ? m_settings.expectedDimensions : m_learnedDimensions.load();
}

QString OpenAiCompatibleProvider::hostPort() const
{
    const int fallback = m_endpoint.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 ? 443 : 80;
    return QStringLiteral("%1:%2").arg(m_endpoint.host()).arg(m_endpoint.port(fallback));
}

QList<std::pair<qsizetype, qsizetype>> OpenAiCompatibleProvider::batchRanges(const QStringList &texts, int maxInputs, qint64 maxTokens)
{
    QList<std::pair<qsizetype, qsizetype>> out;
    qsizetype begin = 0;
    qint64 tokens = 0;
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const qint64 estimate = std::max<qint64>(1, (texts.at(i).size() + 3) / 4); // ~4 characters a token
        if (i > begin && (i - begin >= maxInputs || tokens + estimate > maxTokens)) {
            out.append({begin, i});
            begin = i;
            tokens = 0;
        }
        tokens += estimate;
    }
    if (begin < texts.size())
        out.append({begin, texts.size()});
    return out;
}

Result<EmbeddingBatch> OpenAiCompatibleProvider::embed(const QStringList &texts, const std::function<bool()> &cancel)
{
    for (qsizetype i = 0; i < texts.size(); ++i)
        if (texts.at(i).trimmed().isEmpty())
            return Error::invalid(QStringLiteral("The text at index %1 (of %2) is empty; the embeddings API rejects "
                                                 "empty input")
                                      .arg(i)
                                      .arg(texts.size()));
    EmbeddingBatch out;
    if (texts.isEmpty())
        return out;
    QNetworkAccessManager nam; // this thread's; replies and sockets die with it
    for (const auto &[begin, end] : batchRanges(texts, m_settings.maxBatchInputs, m_settings.maxBatchTokens)) {
        if (cancel && cancel())
            return Error::canceled();
        if (auto done = embedRange(nam, texts.mid(begin, end - begin), out, cancel); !done.ok())
            return done.error();
    }
    return out;
}

OpenAiCompatibleProvider::Exchange OpenAiCompatibleProvider::post(QNetworkAccessManager &nam, const QByteArray &body, qsizetype texts,
                                                                  const std::function<bool()> &cancel) const
{
    QNetworkRequest request(m_endpoint);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept", "application/json");
    request.setRawHeader("User-Agent", "vector-workbench");
    if (!m_key.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_key);
    // Qt follows redirects by default, with every header: the key would go wherever a 307 says.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    Exchange ex;
    ex.cap = AnswerBaseBytes + AnswerBytesPerText * texts;
    QEventLoop loop;
    QNetworkReply *reply = nam.post(request, body);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::downloadProgress, &loop, [&](qint64 received, qint64) {
        if (received > ex.cap && !ex.tooLarge) {
            ex.tooLarge = true;
            reply->abort();
        }
    });
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&] {
        ex.timedOut = true;
        reply->abort();
    });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (cancel()) {
            ex.canceled = true;
            reply->abort();
        }
    });
    timeout.start(m_settings.timeoutMs);
    if (cancel)
        poll.start(CancelPollMs);
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    timeout.stop();
    poll.stop();
    ex.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    ex.body = reply->isOpen() ? reply->readAll() : QByteArray(); // closed once aborted
    ex.error = reply->error();
    ex.errorString = reply->errorString();
    ex.retryAfter = reply->rawHeader("Retry-After").trimmed();
    ex.retryAfterMs = reply->rawHeader("retry-after-ms").trimmed();
    ex.location = reply->rawHeader("Location").trimmed();
    delete reply; // finished: safe outside its own signal
    return ex;
}

int OpenAiCompatibleProvider::retryDelayMs(const Exchange &ex, int attempt) const
{
    if (ex.status == 429 || ex.status == 503) {
        bool ok = false;
        qint64 ms = ex.retryAfterMs.toLongLong(&ok);
        if (!ok && !ex.retryAfter.isEmpty()) {
            const qint64 seconds = ex.retryAfter.toLongLong(&ok);
            if (ok) {
                ms = seconds * 1000;
            } else { // an HTTP date; Qt 6.4 wants a numeric zone instead of "GMT"
                QString date = QString::fromLatin1(ex.retryAfter);
                date.replace(QRegularExpression(QStringLiteral("\\s+(GMT|UTC|UT)$")), QStringLiteral(" +0000"));
                const QDateTime when = QDateTime::fromString(date, Qt::RFC2822Date);
                ok = when.isValid();
                ms = ok ? m_clock.now().msecsTo(when) : 0;
            }
        }
        if (ok)
            return int(std::clamp<qint64>(ms, 0, m_settings.retryAfterMaxMs));
    }
    const qint64 ceiling = std::min<qint64>(m_settings.backoffMaxMs, qint64(m_settings.backoffBaseMs) << std::min(attempt, 20));
    return int(std::clamp(m_clock.random(), 0.0, 1.0) * double(ceiling)); // full jitter
}

Result<void> OpenAiCompatibleProvider::embedRange(QNetworkAccessManager &nam, const QStringList &texts, EmbeddingBatch &out,
                                                  const std::function<bool()> &cancel)
{
    bool askedBase64 = false; // what this request asked for, whatever other threads learn meanwhile
    auto requestBody = [&] {
        QJsonObject request{{QStringLiteral("model"), m_settings.model}, {QStringLiteral("input"), QJsonArray::fromStringList(texts)}};
        if (m_settings.dimensions > 0)
            request.insert(QStringLiteral("dimensions"), m_settings.dimensions);
        // Base64 of little-endian float32: ~8 kB a 1536-dimension vector against ~20 kB of decimal
        // text, and no float parsing on either side (OpenAI's own clients ask for it too).
        askedBase64 = m_base64;
        if (askedBase64)
            request.insert(QStringLiteral("encoding_format"), QStringLiteral("base64"));
        return QJsonDocument(request).toJson(QJsonDocument::Compact);
    };
    QByteArray body = requestBody();
    for (int attempt = 0;; ++attempt) {
        if (cancel && cancel())
            return Error::canceled();
        const Exchange ex = post(nam, body, texts.size(), cancel);
        ++out.requests;
        if (ex.canceled)
            return Error::canceled();
        if (ex.tooLarge)
            return Error::invalid(QStringLiteral("The embeddings server at %1 sent more than %2 MB for %3 text(s), which is no "
                                                 "embeddings answer: reading stopped there")
                                      .arg(hostPort())
                                      .arg(ex.cap / (1024 * 1024))
                                      .arg(texts.size()));
        if (ex.status >= 300 && ex.status < 400)
            return Error::invalid(
                QStringLiteral("The embeddings server at %1 answered HTTP %2, sending the request to %3: redirects are not "
                               "followed, so the API key goes to the base URL and nowhere else. If the API lives there, make "
                               "that the base URL")
                    .arg(hostPort(), QString::number(ex.status),
                         ex.location.isEmpty()
                             ? QStringLiteral("no address")
                             : m_endpoint.resolved(QUrl::fromEncoded(ex.location)).toString(QUrl::RemoveUserInfo | QUrl::FullyEncoded)));
        // A 2xx whose connection broke halfway is a network failure, not a malformed answer.
        const bool networkFailure = ex.status == 0 || (ex.status < 300 && ex.error != QNetworkReply::NoError);
        if (!ex.timedOut && !networkFailure && ex.status >= 200 && ex.status < 300) {
            auto vectors = parse(ex.body, texts.size(), out.promptTokens);
            if (!vectors.ok()) // the answer is at fault, not the texts: Io, so that no caller retries them one by one
                return Error{Error::Kind::Io, vectors.error().message, {}, vectors.error().detail};
            out.vectors += std::move(vectors).value();
            return {};
        }
        const QString server = hostPort();
        const QString said = apiMessage(ex.body, m_key);
        // OpenAI-style servers answer 400 naming the argument; FastAPI-style ones 422 with a "detail" list.
        if ((ex.status == 400 || ex.status == 422) && askedBase64 && ex.body.contains("encoding_format")) {
            m_base64 = false; // a server that knows only decimal floats: ask for those from now on
            body = requestBody();
            continue;
        }
        const bool retryable = ex.timedOut || ex.status == 408 || ex.status == 429 || ex.status >= 500
                               || (networkFailure && transientNetworkError(ex.error));
        if (retryable && attempt < m_settings.maxRetries) {
            m_clock.sleep(retryDelayMs(ex, attempt), cancel);
            ++out.retries;
            continue;
        }
        const QString after = QStringLiteral("after %1 %2")
                                  .arg(attempt)
                                  .arg(attempt == 1 ? QLatin1String("retry") : QLatin1String("retries"));
        if (ex.timedOut)
            return Error{Error::Kind::Timeout,
                         QStringLiteral("The embeddings server at %1 did not answer within %2 s (gave up %3)")
                             .arg(server, QString::number(m_settings.timeoutMs / 1000.0), after),
                         {},
                         {}};
        if (networkFailure)
            return connectionError(QStringLiteral("Could not reach the embeddings server at %1 %2: %3")
                                       .arg(server, retryable ? after : QStringLiteral("(not retried)"), ex.errorString));
        if (ex.status == 429)
            return connectionError(
                QStringLiteral("Still rate limited by the embeddings server at %1 (HTTP 429) %2: %3").arg(server, after, said));
        if (ex.status >= 500)
            return connectionError(QStringLiteral("The embeddings server at %1 kept failing (HTTP %2) %3: %4")
                                       .arg(server, QString::number(ex.status), after, said));
        if ((ex.status == 401 || ex.status == 403) && m_key.isEmpty()) // its message may echo part of a key
            return connectionError(QStringLiteral("The embeddings server at %1 wants an API key (HTTP %2): set "
                                                  "OPENAI_API_KEY or the key in the provider settings")
                                       .arg(server, QString::number(ex.status)));
        if (ex.status == 401 || ex.status == 403)
            return connectionError(QStringLiteral("The embeddings server at %1 refused the API key (HTTP %2): "
                                                  "check the key and that it may use model \"%3\"")
                                       .arg(server, QString::number(ex.status), m_settings.model));
        if (ex.status == 404)
            return Error{Error::Kind::Invalid,
                         QStringLiteral("Nothing at %1 (HTTP 404): check the base URL (it usually ends in /v1) "
                                        "and the model name \"%2\"")
                             .arg(m_endpoint.toDisplayString(), m_settings.model),
                         {},
                         said};
        return Error::invalid(QStringLiteral("The embeddings server at %1 rejected the request (HTTP %2): %3")
                                  .arg(server, QString::number(ex.status), said.isEmpty() ? QStringLiteral("no reason given") : said));
    }
}

Result<QList<Embedding>> OpenAiCompatibleProvider::parse(const QByteArray &body, qsizetype count, qint64 &tokens)
{
    const auto malformed = [](const QString &what) {
        return Error::invalid(QStringLiteral("The embeddings server sent an unexpected answer: %1").arg(what));
    };
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error == QJsonParseError::IllegalNumber && looksNonFinite(body, parseError.offset))
        return Error::invalid(QStringLiteral("The embeddings server returned a value that is not a finite number "
                                             "(NaN or Infinity)"));
    if (parseError.error != QJsonParseError::NoError)
        return malformed(QStringLiteral("malformed JSON (%1 at byte %2)").arg(parseError.errorString()).arg(parseError.offset));
    const QJsonValue data = doc.object().value(QLatin1String("data"));
    if (!data.isArray())
        return malformed(QStringLiteral("no \"data\" list"));
    const QJsonArray items = data.toArray();
    if (items.size() != count)
        return Error::invalid(QStringLiteral("The embeddings server returned %1 vectors for %2 texts").arg(items.size()).arg(count));
    int expected = dimensions();
    QList<Embedding> vectors(count);
    QList<bool> seen(count, false);
    for (qsizetype n = 0; n < items.size(); ++n) {
        const QJsonObject item = items.at(n).toObject();
        const qint64 index = item.value(QLatin1String("index")).toInteger(-1);
        if (index < 0 || index >= count || seen.at(index))
            return malformed(QStringLiteral("item %1 of \"data\" has a missing, repeated or out-of-range \"index\"").arg(n));
        seen[index] = true;
        const QJsonValue embedding = item.value(QLatin1String("embedding"));
        if (embedding.isString()) { // encoding_format "base64": little-endian float32
            auto decoded = QByteArray::fromBase64Encoding(embedding.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded || decoded.decoded.size() % 4 != 0)
                return malformed(QStringLiteral("item %1 of \"data\" has an \"embedding\" that is not base64 float32").arg(n));
            const qsizetype size = decoded.decoded.size() / 4;
            if (expected == 0)
                expected = int(size);
            if (size != expected)
                return Error::invalid(QStringLiteral("The embeddings server returned %1-dimensional vectors, expected %2 (model \"%3\")")
                                          .arg(QString::number(size), QString::number(expected), m_settings.model));
            Embedding &v = vectors[index];
            v.resize(size);
            const char *bytes = decoded.decoded.constData();
            for (qsizetype d = 0; d < size; ++d) {
                v[d] = qFromLittleEndian<float>(bytes + 4 * d);
                if (!std::isfinite(v[d]))
                    return Error::invalid(QStringLiteral("The embeddings server returned a value that is not a finite "
                                                         "float32 (text at index %1)")
                                              .arg(index));
            }
            continue;
        }
        if (!embedding.isArray())
            return malformed(QStringLiteral("item %1 of \"data\" has no \"embedding\" list of numbers").arg(n));
        const QJsonArray values = embedding.toArray();
        if (expected == 0)
            expected = int(values.size()); // the first answer sets the size, the rest must match
        if (values.size() != expected)
            return Error::invalid(QStringLiteral("The embeddings server returned %1-dimensional vectors, expected %2 "
                                                 "(model \"%3\")")
                                      .arg(QString::number(values.size()), QString::number(expected), m_settings.model));
        Embedding &v = vectors[index];
        v.reserve(values.size());
        for (const QJsonValue &x : values) {
            const double d = x.toDouble(std::nan(""));
            if (!x.isDouble() || !(std::abs(d) <= std::numeric_limits<float>::max())) // NaN fails too
                return Error::invalid(QStringLiteral("The embeddings server returned a value that is not a finite "
                                                     "float32 (text at index %1)")
                                          .arg(index));
            v << float(d);
        }
    }
    if (expected <= 0 || expected > MaxDimensions)
        return malformed(QStringLiteral("vectors with %1 dimensions").arg(expected));
    m_learnedDimensions = expected;
    tokens += doc.object().value(QLatin1String("usage")).toObject().value(QLatin1String("prompt_tokens")).toInteger();
    return vectors;
}
} // namespace vwb
