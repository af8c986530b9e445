// app/connection/PgConnection.cpp
#include "connection/PgConnection.h"

#include "connection/SessionUnlocks.h"
#include <QDateTime>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <utility>
#include <vector>
#include <libpq-fe.h>
#include <poll.h>

namespace vwb {
namespace {

constexpr int MinimumServerVersion = 130000; // pgvector 0.8 supports PostgreSQL 13 and later

Error connectionError(const QString &message, const QString &sqlState = {}, const QString &detail = {})
{
    return {Error::Kind::Connection, message, sqlState, detail};
}

/// Waits until libpq's socket is ready for what it asked, or the deadline passes. Returns false
/// on timeout; EINTR is retried.
bool waitSocket(int socket, bool forWrite, int timeoutMs)
{
    pollfd fd{socket, short(forWrite ? POLLOUT : POLLIN), 0};
    for (;;) {
        const int rc = ::poll(&fd, 1, timeoutMs);
        if (rc > 0)
            return true;
        if (rc == 0)
            return false;
        if (errno != EINTR)
            return true; // let libpq report the socket error
    }
}

QByteArray paramText(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Bool: return value.toBool() ? "true" : "false";
    case QMetaType::Double: return QByteArray::number(value.toDouble(), 'g', 17);
    case QMetaType::Float: return QByteArray::number(double(value.toFloat()), 'g', 9);
    case QMetaType::QByteArray: return value.toByteArray();
    case QMetaType::QDateTime: return value.toDateTime().toString(Qt::ISODateWithMs).toUtf8();
    default: return value.toString().toUtf8();
    }
}

QString firstLine(const QString &text)
{
    const QString trimmed = text.trimmed();
    const qsizetype nl = trimmed.indexOf(QLatin1Char('\n'));
    return nl < 0 ? trimmed : trimmed.left(nl).trimmed();
}

/// A client killed mid-statement (kill -9, a lost network) leaves no one to cancel it: from
/// PostgreSQL 14 the server looks at the socket every 2 s while a statement runs or waits on a lock,
/// and stops it once the client is gone, instead of building an index or holding locks for nobody.
Result<void> checkClientWhileRunning(PgConnection &conn)
{
    if (conn.server().versionNum < 140000)
        return {};
    auto set = conn.execScript(QStringLiteral("SET client_connection_check_interval = 2000"));
    return set.ok() ? Result<void>() : Result<void>(set.error());
}
} // namespace

PgConnection::PgConnection(pg_conn *conn, const ConnectionProfile &profile) : m_conn(conn), m_profile(profile)
{
    PQsetNoticeReceiver(m_conn, &PgConnection::noticeReceiver, this);
    m_cancel = PQgetCancel(m_conn);
    m_server.versionNum = PQserverVersion(m_conn);
    m_server.version = QString::fromUtf8(PQparameterStatus(m_conn, "server_version"));
    m_server.tls = PQsslInUse(m_conn) == 1;
    if (m_server.tls) {
        m_server.tlsProtocol = QString::fromUtf8(PQsslAttribute(m_conn, "protocol"));
        m_server.tlsCipher = QString::fromUtf8(PQsslAttribute(m_conn, "cipher"));
    }
    m_server.database = QString::fromUtf8(PQdb(m_conn));
    m_server.user = QString::fromUtf8(PQuser(m_conn));
    m_server.host = QString::fromUtf8(PQhost(m_conn));
    m_server.port = QString::fromUtf8(PQport(m_conn));
    m_writeLocked = m_startsReadOnly = SessionUnlocks::mustStartReadOnly(profile);
}

Result<void> PgConnection::reconnect()
{
    PQreset(m_conn);
    m_sessionEnded = false;
    if (PQstatus(m_conn) != CONNECTION_OK)
        return classifyConnectFailure(QString::fromUtf8(PQerrorMessage(m_conn)), m_profile.params);
    {
        QMutexLocker lock(&m_cancelMutex);
        if (m_cancel)
            PQfreeCancel(m_cancel);
        m_cancel = PQgetCancel(m_conn);
    }
    m_writeLocked = m_startsReadOnly;
    if (m_writeLocked && SessionUnlocks::isUnlocked(m_profile.name))
        if (auto unlocked = applyUnlock(); !unlocked.ok())
            return unlocked;
    if (auto checked = checkClientWhileRunning(*this); !checked.ok())
        return checked;
    if (m_statementTimeoutMs > 0)
        return setStatementTimeout(m_statementTimeoutMs);
    return {};
}

PgConnection::~PgConnection()
{
    {
        QMutexLocker lock(&m_cancelMutex);
        if (m_cancel)
            PQfreeCancel(m_cancel);
        m_cancel = nullptr;
    }
    PQfinish(m_conn);
}

Result<std::unique_ptr<PgConnection>> PgConnection::open(const ConnectionProfile &profile, const ConnectOptions &options)
{
    if (auto valid = profile.validate(); !valid.ok())
        return valid.error();

    const ConnectionParams &p = profile.params;
    QList<QPair<QByteArray, QByteArray>> kv;
    auto add = [&kv](const char *key, const QString &value) {
        if (!value.isEmpty())
            kv.append({QByteArray(key), value.toUtf8()});
    };
    add("host", p.host);
    add("port", p.port);
    add("dbname", p.dbname);
    add("user", p.user);
    add("password", p.password);
    add("sslmode", profile.effectiveSslMode());
    QString pgOptions = p.extra.value(QStringLiteral("options"));
    if (SessionUnlocks::mustStartReadOnly(profile))
        pgOptions = (pgOptions + QStringLiteral(" -c default_transaction_read_only=on")).trimmed();
    for (auto it = p.extra.cbegin(); it != p.extra.cend(); ++it) {
        if (it.key() != QLatin1String("options") && it.key() != QLatin1String("application_name"))
            kv.append({it.key().toUtf8(), it.value().toUtf8()});
    }
    add("options", pgOptions);
    add("application_name", p.extra.value(QStringLiteral("application_name"), options.applicationName));
    // libpq's own timeout is per address and at least 2 s; the deadline below bounds the whole.
    add("connect_timeout", QString::number(qMax(2, (options.connectTimeoutMs + 999) / 1000)));

    std::vector<const char *> keys, values;
    for (const auto &[k, v] : kv) {
        keys.push_back(k.constData());
        values.push_back(v.constData());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);

    pg_conn *conn = PQconnectStartParams(keys.data(), values.data(), 0);
    if (!conn)
        return connectionError(QStringLiteral("Out of memory while starting a connection"));
    QElapsedTimer clock;
    clock.start();
    PostgresPollingStatusType state = PGRES_POLLING_WRITING;
    while (PQstatus(conn) != CONNECTION_BAD && state != PGRES_POLLING_OK && state != PGRES_POLLING_FAILED) {
        const int left = options.connectTimeoutMs - int(clock.elapsed());
        if (left <= 0 || !waitSocket(PQsocket(conn), state == PGRES_POLLING_WRITING, left)) {
            PQfinish(conn);
            return connectionError(QStringLiteral("No answer from %1 within %2 s (host unreachable or "
                                                  "firewalled)")
                                       .arg(p.displayTarget())
                                       .arg(options.connectTimeoutMs / 1000.0),
                                   QStringLiteral("08001"));
        }
        state = PQconnectPoll(conn);
    }
    if (PQstatus(conn) != CONNECTION_OK) {
        const QString message = QString::fromUtf8(PQerrorMessage(conn));
        const bool needsPassword = PQconnectionNeedsPassword(conn) == 1;
        PQfinish(conn);
        if (needsPassword && p.password.isEmpty())
            return connectionError(
                QStringLiteral("A password is required for user \"%1\"").arg(p.user.isEmpty() ? QStringLiteral("(default)") : p.user),
                QStringLiteral("28P01"), firstLine(message));
        return classifyConnectFailure(message, p);
    }

    std::unique_ptr<PgConnection> connection(new PgConnection(conn, profile));
    if (connection->m_server.versionNum < MinimumServerVersion)
        return connectionError(
            QStringLiteral("PostgreSQL %1 is too old: Vector Workbench needs 13 or newer").arg(connection->m_server.version),
            QStringLiteral("0A000"));
    if (auto checked = checkClientWhileRunning(*connection); !checked.ok())
        return checked.error();
    if (options.statementTimeoutMs > 0)
        if (auto set = connection->setStatementTimeout(options.statementTimeoutMs); !set.ok())
            return set.error();
    return connection;
}

Result<void> PgConnection::setStatementTimeout(int ms)
{
    if (auto set = exec(QStringLiteral("SELECT set_config('statement_timeout', $1, false)"), {QString::number(qMax(0, ms))}); !set.ok())
        return set.error();
    m_statementTimeoutMs = qMax(0, ms);
    return {};
}

Error PgConnection::classifyConnectFailure(const QString &libpqMessage, const ConnectionParams &p)
{
    const QString m = libpqMessage;
    const QString target = p.displayTarget();
    const QString detail = firstLine(m);
    auto has = [&m](const char *needle) { return m.contains(QLatin1String(needle), Qt::CaseInsensitive); };
    static const QRegularExpression dbMissing(QStringLiteral("database \"([^\"]*)\" does not exist"));
    static const QRegularExpression roleMissing(QStringLiteral("role \"([^\"]*)\" does not exist"));
    if (has("password authentication failed"))
        return connectionError(QStringLiteral("Wrong password for user \"%1\" at %2").arg(p.user, target), QStringLiteral("28P01"),
                               detail);
    if (auto match = dbMissing.match(m); match.hasMatch())
        return connectionError(QStringLiteral("Database \"%1\" does not exist on %2").arg(match.captured(1), target),
                               QStringLiteral("3D000"), detail);
    if (auto match = roleMissing.match(m); match.hasMatch())
        return connectionError(QStringLiteral("User \"%1\" does not exist on %2").arg(match.captured(1), target), QStringLiteral("28000"),
                               detail);
    if (has("no pg_hba.conf entry") && has("no encryption"))
        return connectionError(QStringLiteral("The server requires TLS for this connection: use sslmode=require "
                                              "or verify-full"),
                               QStringLiteral("28000"), detail);
    if (has("no pg_hba.conf entry"))
        return connectionError(QStringLiteral("The server's pg_hba.conf rejects this host, user or database"), QStringLiteral("28000"),
                               detail);
    if (has("server does not support SSL"))
        return connectionError(QStringLiteral("TLS was required but %1 does not offer TLS").arg(target), QStringLiteral("08001"), detail);
    if (has("certificate verify failed") || has("server certificate") || has("root certificate file"))
        return connectionError(
            QStringLiteral("The server's TLS certificate could not be verified (%1)").arg(detail.section(QLatin1Char(':'), -1).trimmed()),
            QStringLiteral("08001"), detail);
    if (has("invalid response to SSL negotiation") || has("expected authentication request") || has("invalid length of startup packet"))
        return connectionError(QStringLiteral("Something other than PostgreSQL answered at %1").arg(target), QStringLiteral("08P01"),
                               detail);
    if (has("Connection refused"))
        return connectionError(QStringLiteral("Nothing is listening at %1 (connection refused)").arg(target), QStringLiteral("08001"),
                               detail);
    if (has("could not translate host name") || has("Name or service not known"))
        return connectionError(QStringLiteral("Unknown host name \"%1\"").arg(p.host), QStringLiteral("08001"), detail);
    if (has("No such file or directory") && has("socket"))
        return connectionError(QStringLiteral("No server socket in %1 (server not running?)")
                                   .arg(p.host.isEmpty() ? QStringLiteral("the default directory") : p.host),
                               QStringLiteral("08001"), detail);
    if (has("timeout expired") || has("timed out"))
        return connectionError(QStringLiteral("No answer from %1 (host unreachable or firewalled)").arg(target), QStringLiteral("08001"),
                               detail);
    if (has("Network is unreachable") || has("No route to host"))
        return connectionError(QStringLiteral("Host unreachable: %1").arg(target), QStringLiteral("08001"), detail);
    if (has("too many connections") || has("remaining connection slots"))
        return connectionError(QStringLiteral("The server has no free connection slots"), QStringLiteral("53300"), detail);
    if (has("the database system is starting up") || has("shutting down"))
        return connectionError(QStringLiteral("The server is starting up or shutting down; try again"), QStringLiteral("57P03"), detail);
    return connectionError(detail.isEmpty() ? QStringLiteral("Connection failed") : detail, QString(), detail);
}

bool PgConnection::isAlive() const
{
    return PQstatus(m_conn) == CONNECTION_OK;
}

void PgConnection::requestStop()
{
    QMutexLocker lock(&m_cancelMutex);
    if (!m_cancel || !m_busy) {
        m_stopRequested = true; // between statements: the next one is the one stopped
        return;
    }
    m_cancelRequested = true;
    char errbuf[256];
    PQcancel(m_cancel, errbuf, sizeof errbuf);
}

bool PgConnection::beginStatement()
{
    QMutexLocker lock(&m_cancelMutex); // a stop either comes first (refused here) or sees m_busy
    if (std::exchange(m_stopRequested, false))
        return false; // once: the caller's cleanup (ROLLBACK, freeing a lock) must still run
    m_cancelRequested = false;
    m_busy = true;
    return true;
}

void PgConnection::clearStop()
{
    QMutexLocker lock(&m_cancelMutex);
    m_stopRequested = false;
}

void PgConnection::cancelCurrent()
{
    QMutexLocker lock(&m_cancelMutex);
    if (!m_cancel || !m_busy)
        return;
    m_cancelRequested = true;
    char errbuf[256];
    PQcancel(m_cancel, errbuf, sizeof errbuf);
}

QString PgConnection::escapeIdentifier(const QString &identifier) const
{
    const QByteArray utf8 = identifier.toUtf8();
    char *escaped = PQescapeIdentifier(m_conn, utf8.constData(), size_t(utf8.size()));
    if (!escaped)
        return {};
    const QString out = QString::fromUtf8(escaped);
    PQfreemem(escaped);
    return out;
}

Result<QueryResult> PgConnection::exec(const QString &sql, const QVariantList &params)
{
    const QByteArray text = sql.toUtf8();
    QList<QByteArray> storage;
    std::vector<const char *> values;
    storage.reserve(params.size());
    for (const QVariant &v : params) {
        if (v.isNull()) {
            values.push_back(nullptr);
        } else {
            storage.append(paramText(v));
            values.push_back(storage.last().constData());
        }
    }
    if (!beginStatement())
        return Error::canceled();
    if (!PQsendQueryParams(m_conn, text.constData(), int(values.size()), nullptr, values.data(), nullptr, nullptr, 0)) {
        m_busy = false;
        return connectionError(firstLine(QString::fromUtf8(PQerrorMessage(m_conn))), QStringLiteral("08006"));
    }
    return finishStatement();
}

Result<QueryResult> PgConnection::execScript(const QString &sql, QList<QueryResult> *each)
{
    if (!beginStatement())
        return Error::canceled();
    if (!PQsendQuery(m_conn, sql.toUtf8().constData())) {
        m_busy = false;
        return connectionError(firstLine(QString::fromUtf8(PQerrorMessage(m_conn))), QStringLiteral("08006"));
    }
    return finishStatement(each);
}

Result<qint64> PgConnection::copyIn(const QString &sql, const CopyProducer &next)
{
    if (!beginStatement())
        return Error::canceled();
    if (!PQsendQuery(m_conn, sql.toUtf8().constData())) {
        m_busy = false;
        return connectionError(firstLine(QString::fromUtf8(PQerrorMessage(m_conn))), QStringLiteral("08006"));
    }
    pg_result *start = PQgetResult(m_conn);
    if (PQresultStatus(start) != PGRES_COPY_IN) {
        const bool failed = PQresultStatus(start) == PGRES_FATAL_ERROR;
        const Error error = failed ? errorFrom(start) : Error::invalid(QStringLiteral("copyIn() needs a COPY ... FROM STDIN statement"));
        PQclear(start);
        while (pg_result *r = PQgetResult(m_conn))
            PQclear(r);
        m_busy = false;
        return error;
    }
    PQclear(start);
    QByteArray &chunk = m_copyChunk;
    QString abort;
    bool sendFailed = false;
    while (!m_cancelRequested) {
        chunk.resize(0); // keeps the capacity
        const bool more = next(chunk, abort);
        if (!abort.isEmpty())
            break;
        if (!chunk.isEmpty() && PQputCopyData(m_conn, chunk.constData(), int(chunk.size())) != 1) {
            sendFailed = true;
            break;
        }
        if (!more)
            break;
    }
    if (m_cancelRequested && abort.isEmpty())
        abort = QStringLiteral("canceled");
    PQputCopyEnd(m_conn, abort.isEmpty() ? nullptr : abort.toUtf8().constData());
    auto finished = finishStatement();
    if (!abort.isEmpty())
        return m_cancelRequested ? Error::canceled() : Error::invalid(QStringLiteral("COPY stopped: %1").arg(abort));
    if (!finished.ok())
        return finished.error();
    if (sendFailed)
        return connectionError(firstLine(QString::fromUtf8(PQerrorMessage(m_conn))), QStringLiteral("08006"));
    return finished.value().affectedRows;
}

Result<QueryResult> PgConnection::finishStatement(QList<QueryResult> *each)
{
    struct BusyReset
    {
        std::atomic_bool &busy;
        ~BusyReset() { busy = false; }
    } reset{m_busy};

    while (PQisBusy(m_conn)) {
        waitSocket(PQsocket(m_conn), false, -1);
        if (!PQconsumeInput(m_conn)) {
            while (pg_result *r = PQgetResult(m_conn))
                PQclear(r);
            return connectionError(
                QStringLiteral("Lost the connection to the server: %1").arg(firstLine(QString::fromUtf8(PQerrorMessage(m_conn)))),
                QStringLiteral("08006"));
        }
    }
    QueryResult out;
    std::optional<Error> failure;
    while (pg_result *r = PQgetResult(m_conn)) {
        const ExecStatusType status = PQresultStatus(r);
        if (status == PGRES_FATAL_ERROR) {
            if (!failure)
                failure = errorFrom(r);
        } else if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_SINGLE_TUPLE) {
            // A script returns one result per statement: keep the last one's rows.
            out = QueryResult{};
            const int nCols = PQnfields(r);
            const int nRows = PQntuples(r);
            for (int c = 0; c < nCols; ++c) {
                out.columns << QString::fromUtf8(PQfname(r, c));
                out.columnTypes << PQftype(r, c);
            }
            out.rows.reserve(nRows);
            for (int row = 0; row < nRows; ++row) {
                QStringList values;
                values.reserve(nCols);
                for (int c = 0; c < nCols; ++c)
                    values << (PQgetisnull(r, row, c) ? QString() : QString::fromUtf8(PQgetvalue(r, row, c), PQgetlength(r, row, c)));
                out.rows << values;
            }
            out.commandTag = QString::fromUtf8(PQcmdStatus(r));
            out.affectedRows = QByteArray(PQcmdTuples(r)).toLongLong();
            if (each)
                each->append(out);
        } else if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
            PQclear(r);
            if (status == PGRES_COPY_IN)
                PQputCopyEnd(m_conn, "COPY is not supported through exec()");
            else
                while (PQgetCopyData(m_conn, nullptr, 0) > 0) {}
            failure = Error::invalid(QStringLiteral("COPY is not supported through exec()"));
            continue;
        }
        PQclear(r);
    }
    out.notices = std::exchange(m_notices, {});
    if (failure)
        return *failure;
    return out;
}

Error PgConnection::errorFrom(pg_result *result) const
{
    const QString state = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_SQLSTATE));
    QString message = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
    if (message.isEmpty())
        message = firstLine(QString::fromUtf8(PQresultErrorMessage(result)));
    QStringList detail;
    for (int field : {PG_DIAG_MESSAGE_DETAIL, PG_DIAG_MESSAGE_HINT}) {
        if (const char *text = PQresultErrorField(result, field))
            detail << QString::fromUtf8(text);
    }
    if (state == QLatin1String("57014") && m_cancelRequested)
        return Error::canceled();
    if (state == QLatin1String("57014") && m_statementTimeoutMs > 0 && message.contains(QLatin1String("statement timeout")))
        message = QStringLiteral("Stopped after %1 s, the time limit for one statement here: narrow it (a filter, a smaller "
                                 "page) or raise the limit (%2)")
                      .arg(m_statementTimeoutMs / 1000.0)
                      .arg(message);
    if (state == QLatin1String("57014"))
        return {Error::Kind::Timeout, message, state, detail.join(QLatin1Char(' '))};
    if (state == QLatin1String("25006") && m_writeLocked)
        message = QStringLiteral("Production is read-only in this session: unlock writes to change data (%1)").arg(message);
    if (state == QLatin1String("42704") && message.contains(QLatin1String("type \"vector\"")))
        message = QStringLiteral("pgvector is not installed in this database (%1)").arg(message);
    // 57P01 admin_shutdown (a restart, pg_terminate_backend), 57P02 crash_shutdown: the server
    // ends the session; libpq sees the socket close only on its next read.
    if (state == QLatin1String("57P01") || state == QLatin1String("57P02")) {
        m_sessionEnded = true;
        message = QStringLiteral("The server ended this session (a restart, a failover or a terminated backend: %1); the "
                                 "workbench connects again")
                      .arg(message);
    }
    if (state.startsWith(QLatin1String("08")) || m_sessionEnded || PQstatus(m_conn) != CONNECTION_OK)
        return connectionError(message, state, detail.join(QLatin1Char(' ')));
    return {Error::Kind::Sql, message, state, detail.join(QLatin1Char(' '))};
}

void PgConnection::noticeReceiver(void *self, const pg_result *result)
{
    auto *conn = static_cast<PgConnection *>(self);
    const QString severity = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_SEVERITY));
    const QString message = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
    conn->m_notices << (severity.isEmpty() ? message : severity + QStringLiteral(": ") + message);
}

Result<void> PgConnection::applyUnlock()
{
    if (!m_writeLocked)
        return {};
    if (!SessionUnlocks::isUnlocked(m_profile.name))
        return Error::invalid(QStringLiteral("Writes to \"%1\" are locked: unlock them first").arg(m_profile.name));
    if (auto set = exec(QStringLiteral("SET SESSION default_transaction_read_only = off")); !set.ok())
        return set.error();
    m_writeLocked = false;
    return {};
}
} // namespace vwb
