// app/services/PgServices.h
#pragma once

#include "services/DatabaseServices.h"

namespace vwb {

/// DatabaseServices over one open connection, used on the thread that owns it.
class PgServices : public DatabaseServices
{
public:
    explicit PgServices(PgConnection &conn) : m_conn(conn) {}

    Result<DatabaseSchema> readSchema() override;
    Result<SearchRun> search(const SearchQuery &query) override;
    Result<ExplainOutcome> explainSearch(const SearchQuery &query, const ExplainOptions &options) override;
    Result<RecallReport> recall(const SearchRequest &base, int samples, int k) override;
    Result<RecallSweepReport> sweep(const SearchRequest &base, int samples, int k, double target, const QString &tuningPath) override;
    Result<ExplainedStatement> explain(const QString &sql, const ExplainOptions &options) override;
    Result<ConsoleBatch> consoleStart(const QString &sql, const ConsoleOptions &options) override;
    Result<ConsoleBatch> consoleNext(const ConsoleState &state) override;
    Result<void> consoleClose(const ConsoleState &state) override;
    Result<BrowsePage> browsePage(const BrowseQuery &query, const std::optional<BrowseCursor> &after, int limit) override;
    Result<BrowsePage> browsePageAt(const BrowseQuery &query, qint64 first, qint64 total, int limit) override;
    Result<qint64> estimateRows(const TableRef &table) override;
    Result<qint64> countRows(const BrowseQuery &query) override;
    Result<QList<Coverage>> coverage(const QList<ContentPair> &pairs) override;
    Result<QStringList> forumNames(const ContentPair &pair) override;
    Result<std::optional<CreatedSpan>> createdSpan(const ContentPair &pair) override;
    Result<ContentRecord> record(const DatabaseSchema &schema, const ContentPair &pair, const RowKey &key, const QString &column) override;
    Result<QList<SimilarRow>> similarRows(const ContentPair &pair, const RowKey &key, int limit, const QString &column) override;
    Result<SizesReading> sizes(const DatabaseSchema &schema) override;
    Result<QList<HealthFinding>> health(const DatabaseSchema &schema, const QString &providerName) override;
    PgConnection *connection() override { return &m_conn; }

private:
    PgConnection &m_conn;
};
} // namespace vwb
