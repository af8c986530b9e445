// app/services/DatabaseServices.h
#pragma once

#include "browse/BrowseQuery.h"
#include "console/StatementCursor.h"
#include "browse/ContentRecord.h"
#include "browse/Coverage.h"
#include "browse/CreatedSpan.h"
#include "maintenance/HealthCheck.h"
#include "maintenance/IndexList.h"
#include "metrics/TableSizes.h"
#include "plan/PlanHints.h"
#include "search/RecallCheck.h"
#include "search/SearchService.h"
#include "search/SearchTuning.h"
#include "search/SimilarRows.h"

namespace vwb {

struct SizesReading
{
    QList<TableSize> tables;
    QList<IndexInfo> indexes;
};

struct ExplainedStatement
{
    ExplainOutcome outcome;
    QList<PlanHint> hints; // from the schema read with it
};

/// What the panels ask of a database, one synchronous function per user action. PgServices
/// answers over a real connection (on a worker thread: Session::run() calls these there); unit
/// tests give the panels an in-memory one. The CLI calls the same free functions PgServices does.
class DatabaseServices
{
public:
    virtual ~DatabaseServices() = default;

    virtual Result<DatabaseSchema> readSchema() = 0;

    virtual Result<SearchRun> search(const SearchQuery &query) = 0;
    virtual Result<ExplainOutcome> explainSearch(const SearchQuery &query, const ExplainOptions &options) = 0;
    virtual Result<RecallReport> recall(const SearchRequest &base, int samples, int k) = 0;
    /// The recall/latency sweep of the request's index, its choice kept at `tuningPath` (sweepAndKeep).
    virtual Result<RecallSweepReport> sweep(const SearchRequest &base, int samples, int k, double target, const QString &tuningPath) = 0;
    /// EXPLAIN (ANALYZE rolled back) of a statement the user typed, with the schema's hints.
    virtual Result<ExplainedStatement> explain(const QString &sql, const ExplainOptions &options) = 0;
    /// The query console (StatementCursor): a statement's first batch, the next of an open query,
    /// and closing one. Run them on a lane of their own: the open query lives on its connection.
    virtual Result<ConsoleBatch> consoleStart(const QString &sql, const ConsoleOptions &options) = 0;
    virtual Result<ConsoleBatch> consoleNext(const ConsoleState &state) = 0;
    virtual Result<void> consoleClose(const ConsoleState &state) = 0;

    virtual Result<BrowsePage> browsePage(const BrowseQuery &query, const std::optional<BrowseCursor> &after, int limit) = 0;
    /// The page starting at row `first` of `total` counted rows (BrowseQuery::fetchPageAt).
    virtual Result<BrowsePage> browsePageAt(const BrowseQuery &query, qint64 first, qint64 total, int limit) = 0;
    virtual Result<qint64> estimateRows(const TableRef &table) = 0;
    virtual Result<qint64> countRows(const BrowseQuery &query) = 0;
    virtual Result<QList<Coverage>> coverage(const QList<ContentPair> &pairs) = 0;
    virtual Result<QStringList> forumNames(const ContentPair &pair) = 0;
    virtual Result<std::optional<CreatedSpan>> createdSpan(const ContentPair &pair) = 0;
    virtual Result<ContentRecord>
    record(const DatabaseSchema &schema, const ContentPair &pair, const RowKey &key, const QString &column = {}) = 0;
    virtual Result<QList<SimilarRow>> similarRows(const ContentPair &pair, const RowKey &key, int limit, const QString &column = {}) = 0;

    virtual Result<SizesReading> sizes(const DatabaseSchema &schema) = 0;
    /// The health checks, with the query provider searches use (its vectors are compared).
    virtual Result<QList<HealthFinding>> health(const DatabaseSchema &schema, const QString &providerName) = 0;

    /// The connection itself, for work that has no service of its own yet (migrations,
    /// maintenance plans); null when there is no server (unit tests).
    virtual PgConnection *connection() = 0;
};
} // namespace vwb
