// app/services/PgServices.cpp
#include "services/PgServices.h"

#include "connection/PgConnection.h"
#include "console/StatementCursor.h"
#include "embeddings/EmbeddingSources.h"
#include "embeddings/ProviderChoice.h"

namespace vwb {

Result<DatabaseSchema> PgServices::readSchema()
{
    return discoverSchema(m_conn);
}

Result<SearchRun> PgServices::search(const SearchQuery &query)
{
    return runSearch(m_conn, query);
}

Result<ExplainOutcome> PgServices::explainSearch(const SearchQuery &query, const ExplainOptions &options)
{
    return vwb::explainSearch(m_conn, query, options);
}

Result<RecallReport> PgServices::recall(const SearchRequest &base, int samples, int k)
{
    return measureRecall(m_conn, base, samples, k);
}

Result<RecallSweepReport> PgServices::sweep(const SearchRequest &base, int samples, int k, double target, const QString &tuningPath)
{
    return sweepAndKeep(m_conn, base, samples, k, target, tuningPath);
}

Result<ExplainedStatement> PgServices::explain(const QString &sql, const ExplainOptions &options)
{
    auto outcome = ExplainRunner::run(m_conn, sql, {}, options);
    if (!outcome.ok())
        return outcome.error();
    ExplainedStatement out{outcome.value(), {}};
    if (auto schema = discoverSchema(m_conn); schema.ok())
        out.hints = planHints(out.outcome.plan, schema.value(), ExplainRunner::searchPath(m_conn));
    return out;
}

Result<ConsoleBatch> PgServices::consoleStart(const QString &sql, const ConsoleOptions &options)
{
    return StatementCursor(m_conn).start(sql, options);
}

Result<ConsoleBatch> PgServices::consoleNext(const ConsoleState &state)
{
    return StatementCursor(m_conn, state).next();
}

Result<void> PgServices::consoleClose(const ConsoleState &state)
{
    StatementCursor(m_conn, state).close();
    return {};
}

Result<BrowsePage> PgServices::browsePage(const BrowseQuery &query, const std::optional<BrowseCursor> &after, int limit)
{
    return query.fetchPage(m_conn, after, limit);
}

Result<BrowsePage> PgServices::browsePageAt(const BrowseQuery &query, qint64 first, qint64 total, int limit)
{
    return query.fetchPageAt(m_conn, first, total, limit);
}

Result<qint64> PgServices::estimateRows(const TableRef &table)
{
    return BrowseQuery::fetchEstimate(m_conn, table);
}

Result<qint64> PgServices::countRows(const BrowseQuery &query)
{
    return query.fetchExactCount(m_conn);
}

Result<QList<Coverage>> PgServices::coverage(const QList<ContentPair> &pairs)
{
    QList<Coverage> out;
    for (const ContentPair &p : pairs) {
        auto c = fetchCoverage(m_conn, p);
        if (!c.ok() && (c.error().kind == Error::Kind::Connection || c.error().isCanceled()))
            return c.error();
        if (c.ok()) // else dropped since the schema was read (another session's DDL): the others still count
            out << c.value();
    }
    return out;
}

Result<QStringList> PgServices::forumNames(const ContentPair &pair)
{
    return fetchForumNames(m_conn, pair);
}

Result<std::optional<CreatedSpan>> PgServices::createdSpan(const ContentPair &pair)
{
    return fetchCreatedSpan(m_conn, pair);
}

Result<ContentRecord> PgServices::record(const DatabaseSchema &schema, const ContentPair &pair, const RowKey &key, const QString &column)
{
    return fetchContentRecord(m_conn, schema, pair, key, column);
}

Result<QList<SimilarRow>> PgServices::similarRows(const ContentPair &pair, const RowKey &key, int limit, const QString &column)
{
    return findSimilar(m_conn, pair, key, limit, column);
}

Result<SizesReading> PgServices::sizes(const DatabaseSchema &schema)
{
    auto tables = readTableSizes(m_conn, schema);
    if (!tables.ok())
        return tables.error();
    auto indexes = listIndexes(m_conn);
    if (!indexes.ok())
        return indexes.error();
    return SizesReading{tables.value(), indexes.value()};
}

Result<QList<HealthFinding>> PgServices::health(const DatabaseSchema &schema, const QString &providerName)
{
    const QString profile = m_conn.profile().name;
    return runHealthChecks(
        m_conn, schema, [&](int dims) { return makeQueryProvider(providerName, dims, profile); }, EmbeddingSources::defaultPath());
}
} // namespace vwb
