// app/embeddings/OpenAiCompatibleProvider.h
#pragma once

#include "embeddings/EmbeddingProvider.h"
#include <QDateTime>
#include <QUrl>
#include <atomic>
#include <memory>

class QNetworkAccessManager;
namespace vwb {

/// Where and how to call an OpenAI-compatible POST {baseUrl}/embeddings.
struct OpenAiSettings
{
    QString baseUrl = QStringLiteral("https://api.openai.com/v1"); // http(s); a trailing '/' is fine
    QString apiKey; // empty: OPENAI_API_KEY from the environment; none at all: no Authorization header
    QString model = QStringLiteral("text-embedding-3-small");
    int dimensions = 0;              // sent as "dimensions" when > 0; 0: the model's default size
    int expectedDimensions = 0;      // with dimensions == 0: the size to insist on; 0: learn it from the first response
    int maxBatchInputs = 2048;       // inputs per request (the API's limit)
    qint64 maxBatchTokens = 300'000; // estimated tokens per request, at 4 characters a token
    int timeoutMs = 60'000;          // per request, ms
    int maxRetries = 6;              // after 429, 5xx, timeouts and network errors
    int backoffBaseMs = 500;         // first retry waits up to this, doubling each time (full jitter), ms
    int backoffMaxMs = 30'000;       // cap of one backoff wait, ms
    int retryAfterMaxMs = 300'000;   // a longer Retry-After is cut to this, ms
};

/// Embeddings over HTTP from OpenAI or anything that speaks its wire format (vLLM, Ollama,
/// LiteLLM, LocalAI, ...). Blocking; several threads may call embed() at once (backfill workers).
class OpenAiCompatibleProvider : public EmbeddingProvider
{
public:
    /// Time, made injectable so that tests never wait. `sleep` must return early once `cancel`
    /// (possibly empty) says so; the default waits on a local event loop and polls `cancel`.
    struct Clock
    {
        std::function<void(int ms, const std::function<bool()> &cancel)> sleep;
        std::function<QDateTime()> now; // UTC; for Retry-After given as an HTTP date
        std::function<double()> random; // uniform in [0, 1); for the backoff jitter
    };

    /// Error::invalid with one line for a person when the URL, model or limits are unusable.
    static Result<void> validate(const OpenAiSettings &settings);
    /// {baseUrl}/embeddings, or why baseUrl is not an http(s) URL.
    static Result<QUrl> endpoint(const QString &baseUrl);
    /// Checks `settings` first; the only way to make one.
    static Result<std::unique_ptr<OpenAiCompatibleProvider>> create(const OpenAiSettings &settings, Clock clock = {});

    QString id() const override { return QStringLiteral("openai"); }
    QString model() const override { return m_settings.model; }
    QString endpoint() const override { return m_endpoint.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment); }
    QString description() const override;
    int dimensions() const override;
    Result<EmbeddingBatch> embed(const QStringList &texts, const std::function<bool()> &cancel = {}) override;

    const OpenAiSettings &settings() const { return m_settings; }
    /// Splits [0, texts.size()) into request-sized [begin, end) ranges by both batch limits.
    static QList<std::pair<qsizetype, qsizetype>> batchRanges(const QStringList &texts, int maxInputs, qint64 maxTokens);

private:
    OpenAiCompatibleProvider(const OpenAiSettings &settings, QUrl endpoint, Clock clock);
    struct Exchange;
    Result<void> embedRange(QNetworkAccessManager &nam, const QStringList &texts, EmbeddingBatch &out,
                            const std::function<bool()> &cancel);
    /// One request for `texts` inputs: never redirected; an answer over a size cap for them is cut off.
    Exchange post(QNetworkAccessManager &nam, const QByteArray &body, qsizetype texts, const std::function<bool()> &cancel) const;
    Result<QList<Embedding>> parse(const QByteArray &body, qsizetype count, qint64 &tokens);
    int retryDelayMs(const Exchange &exchange, int attempt) const;
    QString hostPort() const;

    OpenAiSettings m_settings;
    QUrl m_endpoint;
    QByteArray m_key; // never logged, never in a message
    Clock m_clock;
    std::atomic_int m_learnedDimensions = 0; // backfill workers call embed() side by side
    std::atomic_bool m_base64 = true;        // ask for encoding_format base64 until a server refuses it
};
} // namespace vwb
