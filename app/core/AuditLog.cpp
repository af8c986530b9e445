// app/core/AuditLog.cpp
#include "core/AuditLog.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSysInfo>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <pwd.h>
#include <unistd.h>

namespace vwb {
namespace {

constexpr int SchemaVersion = 1;

const QList<const char *> Schema = {
    R"(CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    profile TEXT NOT NULL,
    started_at INTEGER NOT NULL, -- ms since the Unix epoch
    ended_at INTEGER,            -- NULL while running
    os_user TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    action TEXT NOT NULL,
    summary TEXT NOT NULL,
    rows INTEGER,                -- NULL: not counted
    outcome TEXT NOT NULL,       -- outcomeName()
    message TEXT NOT NULL DEFAULT ''
))",
    "CREATE INDEX IF NOT EXISTS entries_by_profile ON entries (profile, id)",
};

const QList<std::pair<AuditEntry::Outcome, QString>> &outcomeNames()
{
    static const QList<std::pair<AuditEntry::Outcome, QString>> names{
        {AuditEntry::Outcome::Running, QStringLiteral("running")},         {AuditEntry::Outcome::Done, QStringLiteral("done")},
        {AuditEntry::Outcome::Failed, QStringLiteral("failed")},           {AuditEntry::Outcome::Canceled, QStringLiteral("canceled")},
        {AuditEntry::Outcome::Interrupted, QStringLiteral("interrupted")},
    };
    return names;
}

AuditEntry::Outcome outcomeFromName(const QString &name)
{
    for (const auto &[outcome, text] : outcomeNames())
        if (text == name)
            return outcome;
    return AuditEntry::Outcome::Failed;
}

QString osUser()
{
    if (const passwd *pw = getpwuid(geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("uid %1").arg(geteuid());
}

/// False only when this machine has no such process any more.
bool processAlive(qint64 pid)
{
    return pid <= 0 || ::kill(pid_t(pid), 0) == 0 || errno != ESRCH;
}
} // namespace

QString outcomeName(AuditEntry::Outcome outcome)
{
    for (const auto &[o, text] : outcomeNames())
        if (o == outcome)
            return text;
    return QStringLiteral("failed");
}

QString auditSummary(const QString &text, int max)
{
    static const QRegularExpression password(QStringLiteral("(\\bpassword\\s+)'(?:[^']|'')*'"), QRegularExpression::CaseInsensitiveOption);
    QString line;
    line.reserve(qMin(text.size(), max + 1));
    bool space = false;
    for (const QChar c : text) {
        if (c.isSpace() || c.category() == QChar::Other_Control || c.category() == QChar::Other_Format) {
            space = !line.isEmpty();
            continue;
        }
        if (std::exchange(space, false))
            line += QLatin1Char(' ');
        line += c;
    }
    line.replace(password, QStringLiteral("\\1'…'"));
    if (line.size() > max)
        line = line.left(max - 1) + QChar(0x2026);
    return line;
}

AuditLog::AuditLog(QString path)
    : m_file(std::move(path), QStringLiteral("Audit log"), QStringLiteral("audit"),
             [](QSqlDatabase &db) { return LocalSqlite::createTables(db, SchemaVersion, Schema, QStringLiteral("Audit log")); })
{
}

QString AuditLog::defaultPath()
{
    return LocalSqlite::dataFile(QStringLiteral("audit.sqlite"));
}

AuditLog &AuditLog::shared()
{
    // Never destroyed: writes end as late as the process does (a job finishing during exit), after
    // Qt Sql's own registry of connections is gone. The file is closed by the exit itself.
    static auto *log = new AuditLog;
    return *log;
}

Result<qint64> AuditLog::begin(const QString &profile, const QString &action, const QString &summary)
{
    auto q = m_file.run(QStringLiteral("recording a write"),
                        QStringLiteral("INSERT INTO entries (profile, started_at, os_user, host, pid, action, summary, outcome) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, 'running')"),
                        {profile, QDateTime::currentMSecsSinceEpoch(), osUser(), QSysInfo::machineHostName(),
                         qint64(QCoreApplication::applicationPid()), auditSummary(action, 80), auditSummary(summary)});
    if (!q.ok())
        return q.error();
    return q.value().lastInsertId().toLongLong();
}

Result<void> AuditLog::finish(qint64 id, AuditEntry::Outcome outcome, qint64 rows, const QString &message)
{
    auto q = m_file.run(
        QStringLiteral("recording how a write ended"),
        QStringLiteral("UPDATE entries SET ended_at = ?, outcome = ?, rows = ?, message = ? WHERE id = ?"),
        {QDateTime::currentMSecsSinceEpoch(), outcomeName(outcome), rows < 0 ? QVariant() : QVariant(rows), auditSummary(message), id});
    if (!q.ok())
        return q.error();
    return {};
}

Result<QList<AuditEntry>> AuditLog::read(const QString &profile, int limit)
{
    auto q = m_file.run(QStringLiteral("reading the log"),
                        QStringLiteral("SELECT id, profile, started_at, ended_at, os_user, host, pid, action, summary, rows, outcome, "
                                       "message FROM entries WHERE coalesce(?, '') = '' OR profile = ? ORDER BY id DESC LIMIT ?"),
                        {profile, profile, qMax(0, limit)});
    if (!q.ok())
        return q.error();
    QSqlQuery &r = q.value();
    const QString thisHost = QSysInfo::machineHostName();
    QList<AuditEntry> out;
    while (r.next()) {
        AuditEntry e;
        e.id = r.value(0).toLongLong();
        e.profile = r.value(1).toString();
        e.startedAt = QDateTime::fromMSecsSinceEpoch(r.value(2).toLongLong(), Qt::UTC);
        if (!r.value(3).isNull())
            e.endedAt = QDateTime::fromMSecsSinceEpoch(r.value(3).toLongLong(), Qt::UTC);
        e.osUser = r.value(4).toString();
        e.host = r.value(5).toString();
        e.pid = r.value(6).toLongLong();
        e.action = r.value(7).toString();
        e.summary = r.value(8).toString();
        e.rows = r.value(9).isNull() ? -1 : r.value(9).toLongLong();
        e.outcome = outcomeFromName(r.value(10).toString());
        e.message = r.value(11).toString();
        if (e.outcome == AuditEntry::Outcome::Running && e.host == thisHost && !processAlive(e.pid))
            e.outcome = AuditEntry::Outcome::Interrupted;
        out << e;
    }
    return out;
}

AuditedWrite::AuditedWrite(const QString &profile, const QString &action, const QString &summary)
{
    auto id = AuditLog::shared().begin(profile, action, summary);
    if (id.ok())
        m_id = id.value();
    else
        std::fprintf(stderr, "warning: %s\n", qPrintable(id.error().message));
}

AuditedWrite::~AuditedWrite()
{
    if (m_id) {
        const Error unfinished = Error::internal(QStringLiteral("ended without an outcome"));
        finish(&unfinished);
    }
}

void AuditedWrite::finish(const Error *failure, qint64 rows)
{
    if (!m_id)
        return;
    const AuditEntry::Outcome outcome = !failure                ? AuditEntry::Outcome::Done
                                        : failure->isCanceled() ? AuditEntry::Outcome::Canceled
                                                                : AuditEntry::Outcome::Failed;
    if (auto done = AuditLog::shared().finish(std::exchange(m_id, 0), outcome, rows, failure ? failure->message : QString()); !done.ok())
        std::fprintf(stderr, "warning: %s\n", qPrintable(done.error().message));
}
} // namespace vwb
