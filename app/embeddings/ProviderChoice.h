// app/embeddings/ProviderChoice.h
#pragma once

#include "embeddings/EmbeddingCache.h"
#include "embeddings/LexicalHashingProvider.h"
#include "embeddings/ProviderSettings.h"
#include <QElapsedTimer>
#include <QRegularExpression>

namespace vwb {

/// A provider name as a command line or a combo box gives it: "lexical", "lexical-stem", "openai"
/// (the profile's model), or "openai:MODEL" (that model at the profile's endpoint).
inline bool validProviderName(const QString &name)
{
    static const QRegularExpression valid(QStringLiteral("^(lexical|lexical-stem|openai(:[A-Za-z0-9._/-]{1,100})?)$"));
    return valid.match(name).hasMatch();
}

/// Settings for the provider named on a command line or in a combo box ("lexical", "lexical-stem"
/// — the lexical provider with its Snowball-stemmed model — "openai", or "openai:MODEL"),
/// starting from what the profile saved (base URL, model, key variable), sized to the vector
/// column it will be compared with: the lexical provider makes vectors of that size; the
/// OpenAI-compatible one must return that size. OPENAI_BASE_URL and OPENAI_EMBEDDING_MODEL,
/// when set, win over the saved endpoint and model.
inline ProviderSettings providerFor(const QString &name, int columnDimensions, const QString &profileName = {})
{
    ProviderSettings s = profileName.isEmpty() ? ProviderSettings{}
                                               : ProviderSettings::load(ProviderSettings::defaultPath(), profileName);
    s.provider = name;
    if (name == QLatin1String("lexical") || name == QLatin1String("lexical-stem")) {
        s.provider = QStringLiteral("lexical");
        s.model = QLatin1String(name == QLatin1String("lexical") ? LexicalHashingProvider::FoldModel
                                                                 : LexicalHashingProvider::SnowballModel);
        s.dimensions = columnDimensions;
    } else {
        s.expectedDimensions = columnDimensions;
        if (const QString url = qEnvironmentVariable("OPENAI_BASE_URL"); !url.isEmpty())
            s.baseUrl = url;
        if (const QString model = qEnvironmentVariable("OPENAI_EMBEDDING_MODEL"); !model.isEmpty())
            s.model = model;
        if (name.startsWith(QLatin1String("openai:"))) { // a model named here wins over both
            s.provider = QStringLiteral("openai");
            s.model = name.mid(7);
        }
        // text-embedding-3-* can shorten its vectors to the column's size; older models cannot
        // take the parameter at all.
        if (s.model.isEmpty() || s.model.startsWith(QLatin1String("text-embedding-3")))
            s.dimensions = columnDimensions;
    }
    return s;
}

/// The provider a search embeds its query with: a network provider goes through the local
/// embedding cache (the same query text is never paid for twice); the lexical one needs none.
inline Result<std::unique_ptr<EmbeddingProvider>> makeQueryProvider(const QString &name, int columnDimensions,
                                                                    const QString &profileName = {})
{
    auto made = makeProvider(providerFor(name, columnDimensions, profileName));
    if (!made.ok() || made.value()->computesLocally())
        return made;
    return std::unique_ptr<EmbeddingProvider>(
        std::make_unique<CachedProvider>(std::move(made).value(), std::make_shared<EmbeddingCache>()));
}

/// Embeds one query text and returns it as pgvector's text form "[x,y,...]"; `ms`, when given,
/// receives the time the provider took.
inline Result<QString> embedQuery(EmbeddingProvider &provider, const QString &text, double *ms = nullptr)
{
    QElapsedTimer clock;
    clock.start();
    auto embedded = provider.embed({text});
    if (!embedded.ok())
        return embedded.error();
    if (ms)
        *ms = clock.nsecsElapsed() / 1e6;
    QStringList values;
    for (float v : embedded.value().vectors.first())
        values << QString::number(v, 'g', 9);
    return QLatin1Char('[') + values.join(QLatin1Char(',')) + QLatin1Char(']');
}
} // namespace vwb
