// app/embeddings/EmbeddingCache.h
#pragma once

#include "core/LocalSqlite.h"
#include "embeddings/EmbeddingProvider.h"
#include <atomic>
#include <memory>
#include <optional>

namespace vwb {

/// Which vectors a cached one can stand in for: same provider and endpoint, model and size (two
/// servers may answer to one model name with different vectors).
struct EmbeddingCacheKey
{
    QString provider; // EmbeddingProvider::id(), with "@" and its endpoint() when it has one
    QString model;
    int dimensions = 0;
    static EmbeddingCacheKey of(const EmbeddingProvider &p)
    {
        return {p.endpoint().isEmpty() ? p.id() : p.id() + QLatin1Char('@') + p.endpoint(), p.model(), p.dimensions()};
    }
};

/// Vectors already computed, in the app's local SQLite file, keyed by (provider, model,
/// dimensions, SHA-256 of the text's UTF-8); values are little-endian float32 blobs. Texts
/// themselves are not stored. Usable from any thread: each thread gets its own connection (a
/// QSqlDatabase belongs to the thread that opened it), all closed by the destructor, which must
/// run after the threads that used the cache have stopped using it.
class EmbeddingCache
{
public:
    explicit EmbeddingCache(QString path = defaultPath());
    ~EmbeddingCache();
    EmbeddingCache(const EmbeddingCache &) = delete;
    EmbeddingCache &operator=(const EmbeddingCache &) = delete;

    /// $XDG_DATA_HOME/vector-workbench/embedding-cache.sqlite (~/.local/share/... without it).
    static QString defaultPath();
    const QString &path() const { return m_db.path(); }

    /// One entry per text, in order: the vector, or nullopt for a miss.
    Result<QList<std::optional<Embedding>>> lookup(const EmbeddingCacheKey &key, const QStringList &texts);
    Result<QList<std::optional<Embedding>>> lookup(const EmbeddingProvider &provider, const QStringList &texts)
    {
        return lookup(EmbeddingCacheKey::of(provider), texts);
    }
    /// Stores (or replaces) one vector per text, in one transaction; each must have key.dimensions floats.
    Result<void> store(const EmbeddingCacheKey &key, const QStringList &texts, const QList<Embedding> &vectors);
    Result<void> store(const EmbeddingProvider &provider, const QStringList &texts, const QList<Embedding> &vectors)
    {
        return store(EmbeddingCacheKey::of(provider), texts, vectors);
    }
    /// Number of vectors held, over all keys.
    Result<qint64> count();

private:
    Result<QString> connection() { return m_db.connection(); } // this thread's, opened and set up on first use

    LocalSqlite m_db;
};

/// An EmbeddingProvider that answers from an EmbeddingCache where it can and asks `inner` only
/// for the misses (each distinct text once), then stores what it got. A cache that cannot be read
/// or written makes it fall through to `inner` with a warning, never fail.
class CachedProvider : public EmbeddingProvider
{
public:
    CachedProvider(std::unique_ptr<EmbeddingProvider> inner, std::shared_ptr<EmbeddingCache> cache);

    QString id() const override { return m_inner->id(); }
    QString model() const override { return m_inner->model(); }
    QString description() const override { return m_inner->description(); }
    QString endpoint() const override { return m_inner->endpoint(); }
    int dimensions() const override { return m_inner->dimensions(); }
    bool computesLocally() const override { return m_inner->computesLocally(); }
    /// batch.cacheHits says how many came from the cache; requests/retries/promptTokens are the inner's.
    Result<EmbeddingBatch> embed(const QStringList &texts, const std::function<bool()> &cancel = {}) override;

    EmbeddingProvider &inner() const { return *m_inner; }
    qint64 totalHits() const { return m_hits; }
    qint64 totalMisses() const { return m_misses; }

private:
    std::unique_ptr<EmbeddingProvider> m_inner;
    std::shared_ptr<EmbeddingCache> m_cache;
    std::atomic<qint64> m_hits = 0;
    std::atomic<qint64> m_misses = 0;
};
} // namespace vwb
