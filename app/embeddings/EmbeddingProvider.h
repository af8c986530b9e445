// app/embeddings/EmbeddingProvider.h
#pragma once

#include "core/Result.h"
#include <QList>
#include <QString>
#include <QStringList>
#include <functional>

namespace vwb {

using Embedding = QList<float>;

/// What one embed() call produced, plus what it cost.
struct EmbeddingBatch
{
    QList<Embedding> vectors; // one per input text, in input order
    qint64 promptTokens = 0;  // as the server counted them (0 when it does not say, or offline)
    int requests = 0;         // HTTP requests sent, retries included
    int retries = 0;          // requests that were repeats after a 429, 5xx, timeout or network error
    int cacheHits = 0;        // vectors served from an EmbeddingCache (CachedProvider), not computed
};

/// Turns texts into vectors. Implementations: LexicalHashingProvider (offline, word overlap),
/// OpenAiCompatibleProvider (HTTP), CachedProvider (a decorator over either).
class EmbeddingProvider
{
public:
    virtual ~EmbeddingProvider() = default;
    virtual QString id() const = 0;          // "lexical", "openai"
    virtual QString model() const = 0;       // "lexical-hash-v1", "text-embedding-3-small"
    virtual QString description() const = 0; // for people; the lexical one says it is not semantic
    /// Where the vectors come from when that can differ for the same id and model: an HTTP
    /// provider's endpoint (no credentials). Empty for a provider computed here.
    virtual QString endpoint() const { return {}; }
    /// Length of the vectors embed() returns; 0 while not known yet (an HTTP model whose size
    /// comes from its first response).
    virtual int dimensions() const = 0;
    /// Embeds texts in order; one vector per text. Blocking: call it from a worker thread
    /// (it runs its own event loop for the network). `cancel`, when given, is polled and ends it
    /// early with Error::canceled().
    virtual Result<EmbeddingBatch> embed(const QStringList &texts, const std::function<bool()> &cancel = {}) = 0;
    /// True when embed() is CPU work in this process rather than a wait on a server: more calls at
    /// once than the machine has cores only make them contend.
    virtual bool computesLocally() const { return false; }
};
} // namespace vwb
