// app/core/LocalSqlite.h
#pragma once

#include "core/Result.h"
#include <QHash>
#include <QMutex>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>
#include <QString>
#include <functional>

namespace vwb {

/// One of the app's local SQLite files (embedding cache, size history), usable from any thread:
/// each thread gets its own Qt Sql connection, opened on first use with WAL and a busy timeout
/// (other threads and processes write the same file) and set up by `setup` (tables, migrations).
/// The destructor closes them all; it must run after those threads are done with the file.
class LocalSqlite
{
public:
    /// Creates or migrates the tables on a fresh connection; an error closes it again.
    using Setup = std::function<Result<void>(QSqlDatabase &db)>;
    /// `what` names the file in messages ("Size history"); `tag` its connections ("size-history").
    LocalSqlite(QString path, QString what, QString tag, Setup setup);
    ~LocalSqlite();
    LocalSqlite(const LocalSqlite &) = delete;
    LocalSqlite &operator=(const LocalSqlite &) = delete;

    const QString &path() const { return m_path; }
    /// This thread's connection name (QSqlDatabase::database(name)).
    Result<QString> connection();
    /// "<what>: <doing> failed: <SQLite's words>".
    Error error(const QString &doing, const QString &sqliteText) const;
    /// Prepares `sql` on this thread's connection, binds `values` in order and runs it; the query
    /// (positioned before its first row), or error(doing, …).
    Result<QSqlQuery> run(const QString &doing, const QString &sql, const QVariantList &values = {});

    /// $XDG_DATA_HOME/vector-workbench/<file> (~/.local/share/... without it).
    static QString dataFile(const QString &file);
    /// A Setup's usual body: runs `statements` (CREATE … IF NOT EXISTS) unless the file's
    /// PRAGMA user_version is `version` or more already, then sets it. `what` names the file.
    static Result<void> createTables(QSqlDatabase &db, int version, const QList<const char *> &statements, const QString &what);

private:
    QString m_path;
    QString m_what;
    QString m_tag;
    Setup m_setup;
    int m_instance;
    QMutex m_mutex;                        // guards m_connections
    QHash<quint64, QString> m_connections; // thread serial -> connection name
};

/// BEGIN IMMEDIATE takes the write lock up front (waiting up to the busy timeout): a deferred
/// transaction that reads and then writes can fail at once with SQLITE_BUSY when another process
/// wrote in between. Rolled back when it goes out of scope uncommitted.
class SqliteWriteTransaction
{
public:
    SqliteWriteTransaction(const QSqlDatabase &db, const LocalSqlite &file) : m_db(db), m_file(file) {}
    ~SqliteWriteTransaction();
    SqliteWriteTransaction(const SqliteWriteTransaction &) = delete;
    SqliteWriteTransaction &operator=(const SqliteWriteTransaction &) = delete;
    Result<void> begin();
    Result<void> commit();

private:
    QSqlDatabase m_db;
    const LocalSqlite &m_file;
    bool m_open = false;
};
} // namespace vwb
