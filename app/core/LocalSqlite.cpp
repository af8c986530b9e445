// app/core/LocalSqlite.cpp
#include "core/LocalSqlite.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <atomic>
#include <optional>

namespace vwb {
namespace {
std::atomic<int> s_instances = 0;
std::atomic<quint64> s_threads = 0;

/// Unique for the life of the process, unlike a QThread pointer or a thread id, which get reused.
quint64 threadSerial()
{
    thread_local const quint64 serial = ++s_threads;
    return serial;
}
} // namespace

LocalSqlite::LocalSqlite(QString path, QString what, QString tag, Setup setup)
    : m_path(std::move(path)), m_what(std::move(what)), m_tag(std::move(tag)), m_setup(std::move(setup)), m_instance(++s_instances)
{
}

LocalSqlite::~LocalSqlite()
{
    for (const QString &name : std::as_const(m_connections))
        QSqlDatabase::removeDatabase(name); // closes it; no QSqlDatabase copies outlive a call
}

QString LocalSqlite::dataFile(const QString &file)
{
    QString data = qEnvironmentVariable("XDG_DATA_HOME");
    if (data.isEmpty() || !QDir::isAbsolutePath(data))
        data = QDir::homePath() + QStringLiteral("/.local/share");
    return data + QStringLiteral("/vector-workbench/") + file;
}

Result<void> LocalSqlite::createTables(QSqlDatabase &db, int version, const QList<const char *> &statements, const QString &what)
{
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA user_version"));
    if (q.next() && q.value(0).toInt() >= version)
        return {};
    q.finish();
    for (const char *statement : statements)
        if (!q.exec(QString::fromLatin1(statement)))
            return Error::io(
                QStringLiteral("%1: creating its tables in %2 failed: %3").arg(what, db.databaseName(), q.lastError().text()));
    q.exec(QStringLiteral("PRAGMA user_version = %1").arg(version));
    return {};
}

Error LocalSqlite::error(const QString &doing, const QString &sqliteText) const
{
    return Error::io(QStringLiteral("%1: %2 failed: %3").arg(m_what, doing, sqliteText));
}

Result<QSqlQuery> LocalSqlite::run(const QString &doing, const QString &sql, const QVariantList &values)
{
    auto name = connection();
    if (!name.ok())
        return name.error();
    QSqlQuery q(QSqlDatabase::database(name.value(), false));
    q.prepare(sql);
    for (const QVariant &v : values)
        q.addBindValue(v);
    if (!q.exec())
        return error(doing, q.lastError().text());
    return q;
}

Result<QString> LocalSqlite::connection()
{
    const quint64 thread = threadSerial();
    {
        QMutexLocker lock(&m_mutex);
        if (auto it = m_connections.constFind(thread); it != m_connections.cend())
            return *it;
    }
    const QString name = QStringLiteral("vwb-%1-%2-%3").arg(m_tag).arg(m_instance).arg(thread);
    const QString folder = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(folder))
        return Error::io(QStringLiteral("%1: cannot create the folder %2").arg(m_what, folder));
    std::optional<Error> failed;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000")); // ms; other threads and processes
        if (!db.isValid()) {
            failed = Error::io(QStringLiteral("%1: the SQLite driver (QSQLITE) is missing; install libqt6sql6-sqlite").arg(m_what));
        } else if (!db.open()) {
            failed = error(QStringLiteral("opening %1").arg(m_path), db.lastError().text());
        } else {
            QSqlQuery(db).exec(QStringLiteral("PRAGMA journal_mode=WAL")); // readers don't wait for the writer; best effort
            if (auto ready = m_setup ? m_setup(db) : Result<void>(); !ready.ok())
                failed = ready.error();
        }
    }
    if (failed) {
        QSqlDatabase::removeDatabase(name);
        return *failed;
    }
    QMutexLocker lock(&m_mutex);
    m_connections.insert(thread, name);
    return name;
}

SqliteWriteTransaction::~SqliteWriteTransaction()
{
    if (m_open)
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
}

Result<void> SqliteWriteTransaction::begin()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("BEGIN IMMEDIATE")))
        return m_file.error(QStringLiteral("starting a write"), q.lastError().text());
    m_open = true;
    return {};
}

Result<void> SqliteWriteTransaction::commit()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("COMMIT")))
        return m_file.error(QStringLiteral("committing"), q.lastError().text());
    m_open = false;
    return {};
}
} // namespace vwb
