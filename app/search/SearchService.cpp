// app/search/SearchService.cpp
#include "search/SearchService.h"

#include "connection/PgConnection.h"
#include "embeddings/EmbeddingSources.h"
#include "embeddings/ProviderChoice.h"
#include "embeddings/ProviderSettings.h"
#include "metrics/SizeHistory.h"
#include "search/SearchBudget.h"
#include "search/SearchTuning.h"

namespace vwb {

Result<ContentPair> pickPair(const DatabaseSchema &schema, const QString &name)
{
    if (auto pair = schema.find(name))
        return *pair;
    return Error{Error::Kind::Invalid,
                 QStringLiteral("No content table \"%1\" with vectors here (run vwb migrate latest?)").arg(name),
                 QStringLiteral("usage"),
                 {}};
}

Result<ContentPair> findPair(PgConnection &conn, const QString &name)
{
    auto schema = discoverSchema(conn);
    if (!schema.ok())
        return schema.error();
    return pickPair(schema.value(), name);
}

SearchMetric defaultMetric(const ContentPair &pair, const QString &columnName)
{
    SearchRequest named;
    named.pair = pair;
    named.column = columnName;
    const VectorColumn *column = SemanticSearch::columnOf(named);
    for (const VectorIndex &i : column ? column->indexes : QList<VectorIndex>{}) {
        SearchMetric m;
        if (i.valid && metricForOpclass(i.opclass, &m))
            return m;
    }
    return SearchMetric::Cosine;
}

Result<SearchRequest> embedSearch(PgConnection &conn, const SearchQuery &query, SearchRun *run)
{
    SearchRequest request = query.request;
    if (request.ranking != Ranking::Vector && request.queryText.isEmpty())
        request.queryText = query.text;
    if (!request.likeKey.isEmpty() || request.ranking == Ranking::Text)
        return request; // no text to embed
    const VectorColumn *searched = SemanticSearch::columnOf(request);
    if (!searched)
        return Error::invalid(request.column.isEmpty()
                                  ? QStringLiteral("%1 has no vector column to search").arg(request.pair.content.display())
                                  : QStringLiteral("%1 has no vector column %2").arg(request.pair.vectors.display(), request.column));
    if (query.text.trimmed().isEmpty())
        return Error::invalid(QStringLiteral("Nothing to search for: type a text, or search like a stored row"));
    const VectorColumn &column = *searched;
    auto provider = makeQueryProvider(query.provider, column.dimensions, conn.profile().name);
    if (!provider.ok())
        return provider.error();
    if (provider.value()->dimensions() != column.dimensions)
        return Error::invalid(QStringLiteral("The %1 provider makes %2-dimension vectors but %3.%4 has %5")
                                  .arg(provider.value()->id())
                                  .arg(provider.value()->dimensions())
                                  .arg(request.pair.vectors.display(), column.name)
                                  .arg(column.dimensions));
    if (conn.profile().production) {
        const int limit = ProviderSettings::load(ProviderSettings::defaultPath(), conn.profile().name).searchesPerMinute;
        if (auto allowed = SearchBudget::shared().take(conn.profile().name, limit); !allowed.ok())
            return allowed.error();
    }
    double embedMs = 0;
    auto vector = embedQuery(*provider.value(), query.text, &embedMs);
    if (!vector.ok())
        return vector.error();
    request.vector = vector.value();
    if (run) {
        run->embedMs = embedMs;
        run->provider = provider.value()->description();
        if (query.checkSource) {
            auto source = searchSourceWarning(conn, request.pair, request.column, *provider.value(), EmbeddingSources::defaultPath());
            if (!source.ok())
                return source.error();
            if (!source.value().isEmpty())
                run->outcome.warnings << source.value();
        }
    }
    return request;
}

Result<SearchRun> runSearch(PgConnection &conn, const SearchQuery &query)
{
    SearchRun run;
    auto request = embedSearch(conn, query, &run);
    if (!request.ok())
        return request.error();
    const QStringList sourceWarnings = run.outcome.warnings;
    if (const auto tuned = applyTunedSetting(request.value(), SizeHistory::profileKey(conn.profile()), query.tuningPath))
        run.tuned = tuned->describe();
    auto outcome = SemanticSearch::run(conn, request.value());
    if (!outcome.ok())
        return outcome.error();
    run.outcome = outcome.value();
    run.outcome.warnings = sourceWarnings + run.outcome.warnings;
    return run;
}

Result<ExplainOutcome> explainSearch(PgConnection &conn, const SearchQuery &query, ExplainOptions options)
{
    auto request = embedSearch(conn, query);
    if (!request.ok())
        return request.error();
    (void)applyTunedSetting(request.value(), SizeHistory::profileKey(conn.profile()), query.tuningPath);
    auto ready = SemanticSearch::resolved(conn, request.value()); // the stored vector, the forum's spellings
    if (!ready.ok())
        return ready.error();
    QVariantList params;
    const QString sql = SemanticSearch::sqlFor(
        ready.value(), [&conn](const QString &s) { return conn.escapeIdentifier(s); }, &params);
    options.settings = SemanticSearch::settingsFor(ready.value());
    return ExplainRunner::run(conn, sql, params, options);
}
} // namespace vwb
