// app/embeddings/LexicalHashingProvider.h
#pragma once

#include "embeddings/EmbeddingProvider.h"
#include <QByteArrayView>

namespace vwb {

/// Offline vectors from hashed words ("feature hashing"): texts that share words get close
/// vectors, texts that mean the same in other words do not. Deterministic on every machine and
/// in every process (a fixed hash, never qHash), so vectors stored today still match tomorrow.
/// Stateless after construction: embed() may run on several threads at once.
class LexicalHashingProvider : public EmbeddingProvider
{
public:
    static constexpr int DefaultDimensions = 1536;
    static constexpr int MaxDimensions = 16000; // pgvector's limit for the vector type

    /// How words are reduced to terms: "lexical-hash-v1" folds a few English suffixes by its own
    /// rules; "lexical-stem-v1" uses the Snowball English stemmer (libstemmer), which also meets
    /// "relevant"/"relevance", "connection"/"connected". Different terms make different vectors:
    /// the model name tells them apart.
    enum class Stemming { Fold, Snowball };
    static constexpr const char *FoldModel = "lexical-hash-v1";
    static constexpr const char *SnowballModel = "lexical-stem-v1";

    /// `dimensions` outside [1, MaxDimensions] makes every embed() fail with Error::invalid.
    explicit LexicalHashingProvider(int dimensions = DefaultDimensions, Stemming stemming = Stemming::Fold);
    static Result<void> validateDimensions(int dimensions);

    QString id() const override { return QStringLiteral("lexical"); }
    QString model() const override { return QLatin1String(m_stemming == Stemming::Snowball ? SnowballModel : FoldModel); }
    QString description() const override;
    int dimensions() const override { return m_dimensions; }
    Result<EmbeddingBatch> embed(const QStringList &texts, const std::function<bool()> &cancel = {}) override;
    bool computesLocally() const override { return true; }

    /// One unit-length vector; Error::invalid when the text has no letters or digits.
    Result<Embedding> embedOne(const QString &text) const;
    /// The terms a text is reduced to: lowercase words of letters and digits, suffixes folded so
    /// that forms of a word meet ("crumbs" -> "crumb"; "bake", "baked", "baking" -> "bak"), stop
    /// words dropped unless nothing else is left. Word pairs are weighted in too, lower.
    static QStringList terms(const QString &text, Stemming stemming = Stemming::Fold);
    /// 64-bit FNV-1a over the bytes, then a splitmix64 finaliser so that every bit depends on
    /// every input byte. Part of the vector format "lexical-hash-v1": never change it.
    static quint64 stableHash(QByteArrayView bytes);

private:
    int m_dimensions;
    Stemming m_stemming;
};
} // namespace vwb
