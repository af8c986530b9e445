// app/embeddings/SourceProbe.h
#pragma once

#include "embeddings/EmbeddingProvider.h"
#include "embeddings/EmbeddingText.h"

namespace vwb {
class PgConnection;
struct ContentPair;

/// Whether the vectors already in a column are what `provider` makes of `text`: a few rows whose
/// vector is not older than their content are embedded again and compared (cosine). Nothing needs
/// to have been recorded: vectors the application wrote are checked the same way.
struct SourceProbe
{
    enum class Verdict {
        NoVectors, // nothing to compare with: any source may fill the column
        Same,      // every probed row matches (cosine >= SameCosine)
        Different, // none matches: another provider, model, dimension or text filled it
        Mixed,     // some match, some don't: the column already holds vectors of more than one source
        Unknown,   // the provider rejected a probed row's text: nothing compared
    };
    static constexpr double SameCosine = 0.99; // the same model and text give ~1.0; two models ~0-0.3
    Verdict verdict = Verdict::NoVectors;
    int rows = 0; // probed
    int matching = 0;
    double minCosine = 0, maxCosine = 0;
    QString source; // "openai text-embedding-3-small of {content}"
    QString column; // "topic_vectors.vector"
    QString why;    // Unknown: the provider's words

    bool conflicts() const { return verdict == Verdict::Different || verdict == Verdict::Mixed; }
    /// One line for people: what was compared and what it means.
    QString message() const;
};

/// Pure: the verdict from the cosines of the probed rows.
SourceProbe::Verdict probeVerdict(const QList<double> &cosines);
double cosineSimilarity(const Embedding &a, const Embedding &b); // 0 when a length differs or a norm is 0

/// Embeds up to `sample` rows of the column (the lowest and highest keys) with `provider`.
Result<SourceProbe> probeEmbeddingSource(PgConnection &conn, const ContentPair &pair, const QString &column, const EmbeddingText &text,
                                         EmbeddingProvider &provider, int sample = 4);
} // namespace vwb
