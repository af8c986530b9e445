// app/core/AuditLog.h
#pragma once

#include "core/LocalSqlite.h"
#include <QDateTime>
#include <QList>

namespace vwb {

/// One write the workbench performed on a database, or began: a process killed in the middle
/// leaves its entry Running, and read() shows it as Interrupted once that process is gone.
struct AuditEntry
{
    enum class Outcome { Running, Done, Failed, Canceled, Interrupted };
    qint64 id = 0;
    QString profile;
    QDateTime startedAt; // UTC
    QDateTime endedAt;   // invalid while running
    QString osUser;      // who ran it, as the operating system knows them
    QString host;        // the machine it ran on
    qint64 pid = 0;      // the process that ran it
    QString action;      // "backfill", "REINDEX", "migrate", "import", "unlock writes", ...
    QString summary;     // what it ran, one line (auditSummary())
    qint64 rows = -1;    // rows written; -1: not counted
    Outcome outcome = Outcome::Running;
    QString message; // why it failed
};

/// "running", "done", "failed", "canceled", "interrupted".
QString outcomeName(AuditEntry::Outcome outcome);

/// `text` on one line for the log: white space runs and control characters become one space, a
/// quoted literal after PASSWORD becomes '…' (a role's password never reaches the file), and
/// anything past `max` characters is cut with an ellipsis.
QString auditSummary(const QString &text, int max = 600);

/// The local, append-only record of every write the workbench performed, all profiles in one
/// SQLite file (several processes append to it: the GUI, cron's vwb). Holds no secrets: no
/// passwords, keys or connection strings, only profile names and what ran.
class AuditLog
{
public:
    explicit AuditLog(QString path = defaultPath());
    /// $XDG_DATA_HOME/vector-workbench/audit.sqlite
    static QString defaultPath();
    /// The log every write of this process goes to: defaultPath() as it was on first use.
    static AuditLog &shared();
    const QString &path() const { return m_file.path(); }

    /// Records a write that starts now; its id for finish().
    Result<qint64> begin(const QString &profile, const QString &action, const QString &summary);
    Result<void> finish(qint64 id, AuditEntry::Outcome outcome, qint64 rows, const QString &message);
    /// Newest first, at most `limit`; an empty `profile` reads every profile's.
    Result<QList<AuditEntry>> read(const QString &profile = {}, int limit = 1000);

private:
    LocalSqlite m_file;
};

/// One write in AuditLog::shared(), begun when constructed. finish() records how it ended; a
/// scope left without it (an early return) records Failed, "ended without an outcome". A log
/// that cannot be written never stops the write: it warns on stderr.
class AuditedWrite
{
public:
    AuditedWrite(const QString &profile, const QString &action, const QString &summary);
    ~AuditedWrite();
    AuditedWrite(const AuditedWrite &) = delete;
    AuditedWrite &operator=(const AuditedWrite &) = delete;

    /// Done when `failure` is null, Canceled or Failed by its kind otherwise.
    void finish(const Error *failure, qint64 rows = -1);
    template<typename T>
    void finish(const Result<T> &result, qint64 rows = -1)
    {
        finish(result.ok() ? nullptr : &result.error(), rows);
    }

private:
    qint64 m_id = 0; // 0: not recorded (the log failed) or finished already
};
} // namespace vwb
