// app/connection/PgConnection.h
#pragma once

#include "connection/ConnectionProfile.h"
#include "connection/QueryResult.h"
#include "core/Result.h"
#include <QMutex>
#include <QVariantList>
#include <atomic>
#include <functional>
#include <memory>

struct pg_conn; // libpq stays out of headers that ui/ can see
struct pg_cancel;
struct pg_result;

namespace vwb {

struct ConnectOptions
{
    int connectTimeoutMs = 5000; // the whole connect, DNS and TLS included
    QString applicationName = QStringLiteral("vector-workbench");
    int statementTimeoutMs = 0; // setStatementTimeout() right after connecting; 0: the server's setting
};

/// What the server is, read once at connect time.
struct ServerInfo
{
    int versionNum = 0; // 150018
    QString version;    // "15.18"
    bool tls = false;
    QString tlsProtocol; // "TLSv1.3"
    QString tlsCipher;
    QString database;
    QString user;
    QString host;
    QString port;
};

/// One server connection for one thread at a time; only cancelCurrent() may come from elsewhere.
/// Statements run through libpq's asynchronous API so a cancel or a dead server never hangs it.
class PgConnection
{
public:
    static Result<std::unique_ptr<PgConnection>> open(const ConnectionProfile &profile, const ConnectOptions &options = {});
    ~PgConnection(); // PQfinish
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    /// One statement; values are always bound as parameters ($1, $2, ...), never spliced in.
    Result<QueryResult> exec(const QString &sql, const QVariantList &params = {});
    /// Several statements separated by ';' with no parameters (migration files, DDL scripts), sent
    /// in one round trip; the last statement's result. `each`, when given, gets every statement's
    /// result in order (when none failed).
    Result<QueryResult> execScript(const QString &sql, QList<QueryResult> *each = nullptr);
    /// COPY ... FROM STDIN. `next` fills `chunk` with the next piece of COPY data (text, CSV or
    /// binary, as the statement says) and returns false when there is no more; setting `abort`
    /// to a reason ends the COPY with that error and rolls it back. Returns the rows copied.
    using CopyProducer = std::function<bool(QByteArray &chunk, QString &abort)>;
    Result<qint64> copyIn(const QString &sql, const CopyProducer &next);
    /// Asks the server to abandon the running statement; safe from any thread, harmless when idle.
    void cancelCurrent();
    /// A task's cancel (thread-safe): cancels the statement running now, or, when none runs, the
    /// next one the task sends (refused as Canceled), so a cancel that lands between two
    /// statements still stops the task. One statement only: the task's cleanup (ROLLBACK,
    /// freeing a lock) runs. clearStop() drops a stop no statement took (the task ended first).
    void requestStop();
    void clearStop();

    QString escapeIdentifier(const QString &identifier) const;
    const ConnectionProfile &profile() const { return m_profile; }
    const ServerInfo &server() const { return m_server; }
    bool isAlive() const;
    /// True once libpq has seen the connection end (a server restart, a terminated session).
    bool isBroken() const { return m_sessionEnded || !isAlive(); }
    /// Opens the connection again with the same parameters (libpq's PQreset), then restores
    /// what the session had set: its statement timeout, and a production unlock this process
    /// still holds (the session starts read-only again otherwise). Blocks up to the connect timeout.
    Result<void> reconnect();

    /// Production sessions start read-only (default_transaction_read_only); see SessionUnlocks.
    bool isWriteLocked() const { return m_writeLocked; }
    /// Lifts the read-only guard of this session after SessionUnlocks::unlock() for its profile.
    Result<void> applyUnlock();

    /// Every later statement of the session stops after `ms` (SET statement_timeout; 0: no limit),
    /// and one that does fails as Kind::Timeout saying which limit stopped it.
    Result<void> setStatementTimeout(int ms);
    int statementTimeoutMs() const { return m_statementTimeoutMs; }

    /// Turns a libpq connection failure message into a one-line error naming the cause.
    static Error classifyConnectFailure(const QString &libpqMessage, const ConnectionParams &params);

private:
    PgConnection(pg_conn *conn, const ConnectionProfile &profile);
    bool beginStatement(); // false when a stop was requested: the statement is not sent
    Result<QueryResult> finishStatement(QList<QueryResult> *each = nullptr);
    Error errorFrom(pg_result *result) const;
    static void noticeReceiver(void *self, const pg_result *result);

    pg_conn *m_conn = nullptr;
    ConnectionProfile m_profile;
    ServerInfo m_server;
    bool m_writeLocked = false;
    int m_statementTimeoutMs = 0;        // set by setStatementTimeout(); 0: the server's setting
    bool m_startsReadOnly = false;       // the connection's options make each new session read-only
    mutable bool m_sessionEnded = false; // the server said it ends the session (57P01-02): libpq may not know yet
    QStringList m_notices;
    QMutex m_cancelMutex; // guards m_cancel against cancelCurrent() from elsewhere
    pg_cancel *m_cancel = nullptr;
    std::atomic_bool m_busy = false;
    std::atomic_bool m_cancelRequested = false;
    bool m_stopRequested = false; // under m_cancelMutex
    /// copyIn()'s chunk, kept between chunks and between COPYs: a fresh megabyte each time is
    /// fresh pages from the kernel each time (measured: ~0.3 s of page faults in a 20,000-row backfill).
    QByteArray m_copyChunk;
};
} // namespace vwb
