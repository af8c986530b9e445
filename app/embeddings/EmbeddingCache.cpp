// app/embeddings/EmbeddingCache.cpp
#include "embeddings/EmbeddingCache.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>
#include <bit>

namespace vwb {
namespace {
Q_LOGGING_CATEGORY(lcCache, "vwb.embeddings.cache")

const char *const Schema = R"(CREATE TABLE IF NOT EXISTS embeddings (
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    dimensions INTEGER NOT NULL,
    text_sha256 BLOB NOT NULL,
    vector BLOB NOT NULL,       -- little-endian float32, dimensions of them
    stored_at INTEGER NOT NULL, -- s since the Unix epoch
    PRIMARY KEY (provider, model, dimensions, text_sha256)
) WITHOUT ROWID)";

QByteArray toBlob(const Embedding &v)
{
    QByteArray out(v.size() * 4, Qt::Uninitialized);
    for (qsizetype i = 0; i < v.size(); ++i)
        qToLittleEndian(std::bit_cast<quint32>(v.at(i)), out.data() + 4 * i);
    return out;
}

std::optional<Embedding> fromBlob(const QByteArray &blob, int dimensions)
{
    if (blob.size() != qsizetype(dimensions) * 4)
        return std::nullopt; // written by something else: a miss, not a wrong vector
    Embedding v(dimensions);
    for (int i = 0; i < dimensions; ++i)
        v[i] = std::bit_cast<float>(qFromLittleEndian<quint32>(blob.constData() + 4 * i));
    return v;
}

QByteArray digest(const QString &text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}

Error sqlError(const QString &doing, const QSqlError &e)
{
    return Error::io(QStringLiteral("Embedding cache: %1 failed: %2").arg(doing, e.text()));
}
} // namespace

EmbeddingCache::EmbeddingCache(QString path)
    : m_db(std::move(path), QStringLiteral("Embedding cache"), QStringLiteral("embedding-cache"), [](QSqlDatabase &db) -> Result<void> {
          QSqlQuery q(db);
          if (!q.exec(QString::fromLatin1(Schema)))
              return sqlError(QStringLiteral("creating its table in %1").arg(db.databaseName()), q.lastError());
          return {};
      })
{
}

EmbeddingCache::~EmbeddingCache() = default;

QString EmbeddingCache::defaultPath()
{
    return LocalSqlite::dataFile(QStringLiteral("embedding-cache.sqlite"));
}

Result<QList<std::optional<Embedding>>> EmbeddingCache::lookup(const EmbeddingCacheKey &key, const QStringList &texts)
{
    QList<std::optional<Embedding>> out(texts.size());
    if (key.dimensions <= 0 || texts.isEmpty())
        return out; // a size not known yet matches nothing
    auto name = connection();
    if (!name.ok())
        return name.error();
    QSqlDatabase db = QSqlDatabase::database(name.value(), false);
    db.transaction(); // one snapshot and one lock for the whole list
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT vector FROM embeddings "
                             "WHERE provider = ? AND model = ? AND dimensions = ? AND text_sha256 = ?"));
    for (qsizetype i = 0; i < texts.size(); ++i) {
        q.addBindValue(key.provider);
        q.addBindValue(key.model);
        q.addBindValue(key.dimensions);
        q.addBindValue(digest(texts.at(i)));
        if (!q.exec()) {
            const Error e = sqlError(QStringLiteral("reading"), q.lastError());
            db.rollback();
            return e;
        }
        if (q.next())
            out[i] = fromBlob(q.value(0).toByteArray(), key.dimensions);
        q.finish();
    }
    db.commit();
    return out;
}

Result<void> EmbeddingCache::store(const EmbeddingCacheKey &key, const QStringList &texts, const QList<Embedding> &vectors)
{
    if (texts.size() != vectors.size())
        return Error::invalid(QStringLiteral("Embedding cache: %1 texts but %2 vectors").arg(texts.size()).arg(vectors.size()));
    for (const Embedding &v : vectors)
        if (v.size() != key.dimensions || key.dimensions <= 0)
            return Error::invalid(
                QStringLiteral("Embedding cache: a %1-dimensional vector under a %2-dimensional key").arg(v.size()).arg(key.dimensions));
    if (texts.isEmpty())
        return {};
    auto name = connection();
    if (!name.ok())
        return name.error();
    QSqlDatabase db = QSqlDatabase::database(name.value(), false);
    if (!db.transaction())
        return sqlError(QStringLiteral("starting a write"), db.lastError());
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO embeddings (provider, model, dimensions, text_sha256, vector, "
                             "stored_at) VALUES (?, ?, ?, ?, ?, ?)"));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    for (qsizetype i = 0; i < texts.size(); ++i) {
        q.addBindValue(key.provider);
        q.addBindValue(key.model);
        q.addBindValue(key.dimensions);
        q.addBindValue(digest(texts.at(i)));
        q.addBindValue(toBlob(vectors.at(i)));
        q.addBindValue(now);
        if (!q.exec()) {
            const Error e = sqlError(QStringLiteral("writing"), q.lastError());
            db.rollback();
            return e;
        }
    }
    if (!db.commit())
        return sqlError(QStringLiteral("committing"), db.lastError());
    return {};
}

Result<qint64> EmbeddingCache::count()
{
    auto name = connection();
    if (!name.ok())
        return name.error();
    QSqlQuery q(QSqlDatabase::database(name.value(), false));
    if (!q.exec(QStringLiteral("SELECT count(*) FROM embeddings")) || !q.next())
        return sqlError(QStringLiteral("counting"), q.lastError());
    return q.value(0).toLongLong();
}

CachedProvider::CachedProvider(std::unique_ptr<EmbeddingProvider> inner, std::shared_ptr<EmbeddingCache> cache)
    : m_inner(std::move(inner)), m_cache(std::move(cache))
{
}

Result<EmbeddingBatch> CachedProvider::embed(const QStringList &texts, const std::function<bool()> &cancel)
{
    QList<std::optional<Embedding>> cached(texts.size());
    if (auto found = m_cache->lookup(*m_inner, texts); found.ok())
        cached = std::move(found).value();
    else
        qCWarning(lcCache, "%s (embedding without the cache)", qPrintable(found.error().message));

    QStringList missing; // distinct texts the cache lacks, in first-seen order
    QHash<QString, qsizetype> slot;
    for (qsizetype i = 0; i < texts.size(); ++i)
        if (!cached.at(i) && !slot.contains(texts.at(i))) {
            slot.insert(texts.at(i), missing.size());
            missing << texts.at(i);
        }
    EmbeddingBatch out;
    if (!missing.isEmpty()) {
        auto computed = m_inner->embed(missing, cancel);
        if (!computed.ok())
            return computed.error();
        out = std::move(computed).value();
        VWB_ASSERT(
            out.vectors.size() == missing.size(),
            return Error::internal(
                QStringLiteral("%1 returned %2 vectors for %3 texts").arg(m_inner->id()).arg(out.vectors.size()).arg(missing.size())));
        // The inner provider may have just learned its size: store under the key it has now.
        if (auto stored = m_cache->store(*m_inner, missing, out.vectors); !stored.ok())
            qCWarning(lcCache, "%s", qPrintable(stored.error().message));
    }
    QList<Embedding> vectors;
    vectors.reserve(texts.size());
    int hits = 0;
    for (qsizetype i = 0; i < texts.size(); ++i) {
        if (cached.at(i)) {
            vectors << *cached.at(i);
            ++hits;
        } else {
            vectors << out.vectors.at(slot.value(texts.at(i)));
        }
    }
    out.vectors = std::move(vectors);
    out.cacheHits = hits;
    m_hits += hits;
    m_misses += texts.size() - hits;
    return out;
}
} // namespace vwb
