// app/migrations/MigrationFiles.h
#pragma once

#include "core/Result.h"
#include <QList>
#include <QString>
#include <QStringList>

namespace vwb {

/// Knex's default loadExtensions (knex 3, lib/migrations/common/MigrationsLoader.js) plus ".sql",
/// the workbench's own format.
QStringList defaultMigrationExtensions();

/// One file of a migrations folder, as Knex lists it: by basename.
struct MigrationFile
{
    QString name; // "20250101000000_enable_vector_extension.sql" — the name the ledger stores
    QString path;
    bool isSql() const { return name.endsWith(QLatin1String(".sql")); }
};

/// A .sql migration: the part under `-- migrate:up` and the part under `-- migrate:down`.
/// `transaction:false` after a marker (`-- migrate:up transaction:false`) runs that part outside
/// any transaction, statement by statement (CREATE INDEX CONCURRENTLY needs that).
struct SqlMigration
{
    QString up;
    QString down;
    bool upInTransaction = true;
    bool downInTransaction = true;
    QStringList about;        // the comment lines before `-- migrate:up`, without "-- "
    bool improvement = false; // `-- vwb:improvement`: a change to the reference design, offered to Knex projects

    static Result<SqlMigration> parse(const QString &text, const QString &name);
    static Result<SqlMigration> load(const MigrationFile &file);
};

/// The migration files of `dir` whose extension (as Node's path.extname sees it) is in
/// `extensions`, sorted as Knex sorts them: by basename, UTF-16 code unit by code unit.
Result<QList<MigrationFile>> scanMigrations(const QString &dir, const QStringList &extensions = defaultMigrationExtensions());
/// Node's path.extname of a basename: ".js" for "a.b.js", "" for ".env" and "name".
QString nodeExtname(const QString &basename);
/// The folder the workbench's own migrations live in: $VWB_MIGRATIONS_DIR, the source tree's
/// migrations/ (development builds), or the installed share/vector-workbench/migrations.
QString defaultMigrationsDir();
} // namespace vwb
