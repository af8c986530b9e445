// app/console/StatementCursor.cpp
#include "console/StatementCursor.h"

#include "connection/PgConnection.h"
#include "core/AuditLog.h"
#include "migrations/SqlScript.h"
#include "plan/ReadOnlyStatement.h"

namespace vwb {
namespace {
constexpr auto CursorName = "vwb_console";

bool isQuery(const QString &firstWord)
{
    static const QStringList queries{"select", "with", "values", "table", "("};
    return queries.contains(firstWord);
}

bool controlsTransaction(const QString &firstWord)
{
    static const QStringList words{"begin", "start", "commit", "end", "rollback", "abort", "savepoint", "release"};
    return words.contains(firstWord);
}
} // namespace

StatementCursor::StatementCursor(PgConnection &conn, ConsoleState state) : m_conn(conn), m_state(std::move(state)) {}

void StatementCursor::close()
{
    if (!m_state.open)
        return;
    m_state.open = false;
    (void)m_conn.exec(QStringLiteral("CLOSE %1").arg(QLatin1String(CursorName)));
}

Result<ConsoleBatch> StatementCursor::start(const QString &sql, const ConsoleOptions &options)
{
    close();
    if (options.batchRows < 1 || options.timeoutMs < 0)
        return Error::invalid(QStringLiteral("A batch takes at least one row and the timeout can't be negative"));
    const QStringList statements = splitSqlStatements(sql);
    if (statements.isEmpty())
        return Error::invalid(QStringLiteral("No statement to run"));
    if (statements.size() > 1)
        return Error::invalid(QStringLiteral("The console runs one statement at a time; this text holds %1 (separated by ';'): "
                                             "select the one to run")
                                  .arg(statements.size()));
    const QString statement = statements.first();
    const StatementReferences refs = StatementReferences::of(statement);
    if (controlsTransaction(refs.firstWord))
        return Error::invalid(QStringLiteral("%1 controls the transaction: each statement here runs in a transaction of its own, "
                                             "committed when it succeeds")
                                  .arg(refs.firstWord.toUpper()));
    m_state = ConsoleState{false, options, 0, false};
    const bool readOnly = m_conn.isWriteLocked();
    if (readOnly)
        if (auto allowed = checkReadOnlyStatement(m_conn, statement, ReadOnlyRunner::Console); !allowed.ok())
            return allowed.error();
    m_state.readOnly = readOnly;
    // A result an earlier session of this connection left open (a window closed mid-result).
    (void)m_conn.exec(QStringLiteral("CLOSE ALL"));
    QString setup = readOnly ? QStringLiteral("BEGIN READ ONLY;") : QStringLiteral("BEGIN;");
    setup += QStringLiteral("SET LOCAL statement_timeout = %1; SET LOCAL lock_timeout = %2;").arg(options.timeoutMs).arg(LockTimeoutMs);
    if (auto begun = m_conn.execScript(setup); !begun.ok()) {
        (void)m_conn.execScript(QStringLiteral("ROLLBACK"));
        return begun.error();
    }
    if (!isQuery(refs.firstWord))
        return runDirect(statement, refs.firstWord);
    // WITH HOLD: at COMMIT the server computes what is left of the result into the cursor, and
    // the transaction ends — no lock, no snapshot held while rows wait to be scrolled to (an
    // application's migration or a CONCURRENTLY index build would wait for them). A WITH that
    // writes can't be a cursor (0A000): it runs as it is.
    auto declared = m_conn.execScript(
        QStringLiteral("SAVEPOINT vwb_declare; DECLARE %1 NO SCROLL CURSOR WITH HOLD FOR %2").arg(QLatin1String(CursorName), statement));
    if (!declared.ok()) {
        if (declared.error().sqlState != QLatin1String("0A000")) {
            (void)m_conn.execScript(QStringLiteral("ROLLBACK"));
            return declared.error();
        }
        (void)m_conn.execScript(QStringLiteral("ROLLBACK TO SAVEPOINT vwb_declare"));
        return runDirect(statement, refs.firstWord);
    }
    m_state.open = true;
    auto first = fetch();
    if (!first.ok()) { // fetch() closed nothing inside a transaction: end it
        (void)m_conn.execScript(QStringLiteral("ROLLBACK"));
        return first.error();
    }
    if (auto committed = m_conn.execScript(QStringLiteral("COMMIT")); !committed.ok()) {
        // The rest of the result failed as it was computed (a division by zero at row 600).
        m_state.open = false;
        (void)m_conn.execScript(QStringLiteral("ROLLBACK"));
        return committed.error();
    }
    return first;
}

Result<ConsoleBatch> StatementCursor::next()
{
    if (!m_state.open)
        return Error::invalid(QStringLiteral("No result is open: run the statement again"));
    return fetch();
}

Result<ConsoleBatch> StatementCursor::fetch()
{
    auto got = m_conn.exec(QStringLiteral("FETCH FORWARD %1 FROM %2").arg(m_state.options.batchRows).arg(QLatin1String(CursorName)));
    if (!got.ok()) {
        m_state.open = false;
        return got.error();
    }
    ConsoleBatch batch;
    batch.columns = got.value().columns;
    batch.columnTypes = got.value().columnTypes;
    batch.rows = got.value().rows;
    batch.notices = got.value().notices;
    m_state.rowsSoFar += batch.rows.size();
    if (batch.rows.size() < m_state.options.batchRows) {
        batch.commandTag = QStringLiteral("SELECT %1").arg(m_state.rowsSoFar);
        close();
    }
    batch.state = m_state;
    return batch;
}

Result<ConsoleBatch> StatementCursor::runDirect(const QString &statement, const QString &firstWord)
{
    // Anything but a query may write: recorded like every other write the workbench makes
    // (a locked session got here only with a statement the read-only check let through).
    std::optional<AuditedWrite> audit;
    if (!m_state.readOnly && firstWord != QLatin1String("show"))
        audit.emplace(m_conn.profile().name, QStringLiteral("query console"), statement.left(500));
    auto ran = m_conn.exec(statement);
    if (!ran.ok()) {
        (void)m_conn.execScript(QStringLiteral("ROLLBACK"));
        if (audit)
            audit->finish(ran);
        return ran.error();
    }
    auto committed = m_conn.execScript(QStringLiteral("COMMIT"));
    if (audit)
        audit->finish(committed, ran.value().affectedRows);
    if (!committed.ok())
        return committed.error();
    ConsoleBatch batch;
    batch.columns = ran.value().columns;
    batch.columnTypes = ran.value().columnTypes;
    batch.rows = ran.value().rows;
    batch.notices = ran.value().notices;
    batch.commandTag = ran.value().commandTag;
    if (!m_state.readOnly && firstWord != QLatin1String("show") && firstWord != QLatin1String("explain")) {
        const bool ddl = firstWord == QLatin1String("create") || firstWord == QLatin1String("alter")
                         || firstWord == QLatin1String("drop");
        batch.change = DataChange{ddl ? DataChange::Kind::Schema : DataChange::Kind::Rows, QString()};
    }
    m_state.rowsSoFar = batch.rows.size();
    batch.state = m_state;
    return batch;
}
} // namespace vwb
