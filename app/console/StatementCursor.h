// app/console/StatementCursor.h — one statement of the query console, its rows a batch at a time.
#pragma once

#include "core/DataChange.h"
#include "core/Result.h"
#include <QStringList>
#include <optional>

namespace vwb {
class PgConnection;

struct ConsoleOptions
{
    int timeoutMs = 30000; // SET LOCAL statement_timeout for the statement and each later batch; 0: none
    int batchRows = 500;   // rows the first batch (and each later one) brings
};

/// Where an open query stands; kept by whoever asks for its batches (the GUI makes a
/// StatementCursor per task on the console's own connection, where the cursor lives on).
struct ConsoleState
{
    bool open = false;
    ConsoleOptions options;
    qint64 rowsSoFar = 0;
    bool readOnly = false;
};

struct ConsoleBatch
{
    QStringList columns;
    QList<unsigned int> columnTypes; // pg_type oids
    QList<QStringList> rows;         // text as the server sends it; a NULL is a null QString
    QString commandTag;              // when done: "SELECT 1200", "UPDATE 3", …
    QStringList notices;
    /// What a statement run as it is (not a query) may have changed, for the other views to
    /// read again: tables and columns after CREATE / ALTER / DROP, else rows.
    std::optional<DataChange> change;
    ConsoleState state; // what next() continues from

    /// The last batch: no result is left open.
    bool done() const { return !state.open; }
    /// Every batch of the statement up to this one.
    qint64 rowsSoFar() const { return state.rowsSoFar; }
    /// Ran in a READ ONLY transaction (locked production).
    bool readOnly() const { return state.readOnly; }
};

/// Runs one statement typed in the query console, in a transaction of its own:
/// - a query (SELECT, WITH, VALUES, TABLE) through a holdable cursor (DECLARE … NO SCROLL
///   CURSOR WITH HOLD): the first batch is fetched, the transaction commits — the server keeps the
///   rest of the result in the cursor — and later batches are fetched as the grid scrolls, so the
///   client never holds a result whole and no lock or snapshot outlives the statement (an
///   application's migration, a CONCURRENTLY index build, would otherwise wait for an open result);
///   the cursor stays until its last batch, close(), or the session's end;
/// - anything else run as it is and committed at once (a write is recorded in the audit log).
/// On a write-locked (production) session the transaction is READ ONLY and only a statement
/// checkReadOnlyStatement() lets through runs: a query reaching no function that acts outside the
/// transaction. The transaction sets statement_timeout (computing the whole result included) and
/// lock_timeout (the application's own statements must not queue behind a console's lock).
/// Synchronous, one thread; cancel through PgConnection::cancelCurrent() from another.
class StatementCursor
{
public:
    static constexpr int LockTimeoutMs = 5000;

    /// `state`: a result left open on this connection by an earlier StatementCursor, to continue.
    /// Going away leaves an open result open (close() ends it).
    explicit StatementCursor(PgConnection &conn, ConsoleState state = {});

    /// Runs `sql` (one statement) and brings its first batch. A statement still open is closed first.
    Result<ConsoleBatch> start(const QString &sql, const ConsoleOptions &options = {});
    /// The next batch of the open query.
    Result<ConsoleBatch> next();
    /// Closes the open result's cursor, if there is one.
    void close();
    bool isOpen() const { return m_state.open; }
    const ConsoleState &state() const { return m_state; }

private:
    Result<ConsoleBatch> fetch();
    Result<ConsoleBatch> runDirect(const QString &statement, const QString &firstWord);

    PgConnection &m_conn;
    ConsoleState m_state;
};
} // namespace vwb
