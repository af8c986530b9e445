// app/advice/VectorQueries.h
#pragma once

#include "advice/QueryAdvice.h"
#include "core/Result.h"

namespace vwb {
class PgConnection;

/// Whether the database records its statements (pg_stat_statements).
struct StatementsStatus
{
    bool available = false; // the server ships the extension
    bool loaded = false;    // in shared_preload_libraries: it collects
    bool installed = false; // CREATE EXTENSION ran in this database: it can be read
    bool ready() const { return loaded && installed; }
    QString howToEnable() const; // one line for people; empty when ready
};

/// A vector query the application ran, as pg_stat_statements normalised it ($n for its values),
/// with what its text and its generic plan say about index use.
struct VectorQuery
{
    QString queryId;
    QString sql;
    qint64 calls = 0;
    double meanMs = 0, totalMs = 0;
    qint64 rows = 0;
    QueryAdvice advice;
    QString planIndex;        // the ANN index its generic plan scans; empty: none
    QString planNodes;        // "Limit > Sort > Hash Join > Seq Scan", the top of the plan
    QString planError;        // the plan could not be made (a parameter of unknown type, a timeout)
    QString rewritePlanIndex; // the ANN index the rewrite's plan scans, when there is a rewrite
    QStringList seqScans;     // tables its plan reads whole
    /// What SET STORAGE PLAIN (the workbench's improvement) would do to it, estimated from its plan and
    /// the table's sizes: a whole-table scan then reads the vectors with every row. Empty when moot.
    QString storagePlainEffect;
};

Result<StatementsStatus> statementsStatus(PgConnection &conn);
/// CREATE EXTENSION pg_stat_statements: a write (a locked production session refuses it).
Result<void> enableStatements(PgConnection &conn);
/// The database's statements that use a vector distance operator, most total time first (the
/// workbench's own searches and EXPLAINs left out), each with its advice and its generic plan.
Result<QList<VectorQuery>> vectorQueries(PgConnection &conn, const DatabaseSchema &schema, int limit = 20);
} // namespace vwb
