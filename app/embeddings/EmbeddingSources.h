// app/embeddings/EmbeddingSources.h
#pragma once

#include "core/LocalSqlite.h"
#include "embeddings/EmbeddingText.h"
#include <QDateTime>
#include <optional>

namespace vwb {

/// Which provider, model and text filled a vector column, as a backfill recorded it.
struct EmbeddingSource
{
    QString provider; // "openai", "lexical"
    QString model;    // "text-embedding-3-small"
    int dimensions = 0;
    QString text;             // the EmbeddingText template, "{content}"
    qint64 rows = 0;          // written by that run
    QDateTime filledAt;       // UTC
    QString describe() const; // "openai text-embedding-3-small, 1536 dimensions, of {content}"
};

/// The local record of embedding sources, per database (SizeHistory::profileKey) and vector column
/// ("public.topic_vectors.vector"): the last backfill's source, whose text later backfills of the
/// column use unless told otherwise. SQLite beside the size history; any thread.
class EmbeddingSources
{
public:
    explicit EmbeddingSources(QString path = defaultPath());
    /// $VWB_EMBEDDING_SOURCES, else $XDG_DATA_HOME/vector-workbench/embedding-sources.sqlite.
    static QString defaultPath();
    Result<void> record(const QString &profile, const QString &column, const EmbeddingSource &source);
    Result<std::optional<EmbeddingSource>> last(const QString &profile, const QString &column);

private:
    LocalSqlite m_db;
};
class EmbeddingProvider;
class PgConnection;
struct ContentPair;

/// "public.topic_vectors.vector": a column's name in the record.
QString sourceColumnName(const ContentPair &pair, const QString &column);
/// The text a column is embedded from: `spec` when given, else the text it was last filled from
/// (the record at `sourcesPath`, when there is one), else EmbeddingText::defaultFor().
Result<EmbeddingText> resolveEmbeddingText(PgConnection &conn, const ContentPair &pair, const QString &column, const QString &spec,
                                           const QString &sourcesPath);
/// For a search whose query `provider` embeds: a warning when the column's vectors come from
/// another source, empty when they are its own or none are there. A recorded match skips the probe
/// (one embedding request of a few texts); a probe that matches is recorded.
Result<QString> searchSourceWarning(PgConnection &conn, const ContentPair &pair, const QString &column, EmbeddingProvider &provider,
                                    const QString &sourcesPath);
} // namespace vwb
