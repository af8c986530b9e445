// app/plan/ExplainRunner.h
#pragma once

#include "core/Result.h"
#include "plan/PlanNode.h"
#include <QVariantList>

namespace vwb {
class PgConnection;

struct ExplainOptions
{
    bool analyze = false;  // runs the statement for real (then rolls it back)
    bool buffers = true;   // with analyze
    int timeoutMs = 30000; // SET LOCAL statement_timeout for the EXPLAIN; 0 = the server's setting
    /// Statements run after BEGIN and before the EXPLAIN, e.g. "SET LOCAL hnsw.ef_search = 100".
    /// Built by the application (SemanticSearch::settingsFor), never taken from a user.
    QStringList settings;
};

struct ExplainOutcome
{
    QString json;             // EXPLAIN's FORMAT JSON output as the server sent it
    Plan plan;                // parsed, metrics computed
    QString statement;        // the EXPLAIN that ran
    QStringList settings;     // the SET LOCAL statements run before it
    bool readOnly = false;    // ran in a READ ONLY transaction (write-locked session)
    bool genericPlan = false; // the statement had placeholders and no values: its generic plan
    QStringList notices;
};

/// EXPLAIN (FORMAT JSON) of one statement, always inside BEGIN ... ROLLBACK, so an EXPLAIN ANALYZE
/// of an INSERT leaves nothing behind (sequences excepted: nextval() is never rolled back). The
/// transaction sets statement_timeout locally, and is READ ONLY on a write-locked (production)
/// session, where ANALYZE runs only a statement checkReadOnlyStatement() lets through (a query
/// reaching no function that could act outside the transaction). ROLLBACK
/// runs whatever happened, error and timeout included. Synchronous; cancel through
/// PgConnection::cancelCurrent() from another thread.
/// A statement with placeholders (Knex's `?`, or `$n`) takes a value per placeholder, or none at
/// all: then its generic plan is shown (plan_cache_mode = force_generic_plan), which ANALYZE can't run.
class ExplainRunner
{
public:
    static Result<ExplainOutcome> run(PgConnection &conn, const QString &sql, const QVariantList &params, const ExplainOptions &options);
    /// The one statement in `sql`, trimmed and without its final ';'. Errors for none, for more
    /// than one (quotes, dollar quotes and comments respected), and for one that is already an
    /// EXPLAIN or controls the transaction.
    static Result<QString> singleStatement(const QString &sql);
    /// The EXPLAIN prefix for these options: "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ".
    static QString explainPrefix(const ExplainOptions &options);
    /// The schemas an unqualified table name in a plan is looked up in, in order (for planHints).
    static QStringList searchPath(PgConnection &conn);
};
} // namespace vwb
