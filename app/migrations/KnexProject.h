// app/migrations/KnexProject.h
#pragma once

#include "core/Result.h"
#include "migrations/KnexLedger.h"
#include <QStringList>

namespace vwb {

/// What a Node project's knexfile says about its migrations, for one environment, read the way
/// the Knex CLI reads it: the knexfile is loaded by Node itself (it is JavaScript, often reading
/// process.env), `config[env] || config` is taken, and relative folders resolve against the
/// knexfile's folder (the CLI changes to it).
struct KnexProject
{
    enum class Format { Esm, CommonJs, TypeScript }; // what a new migration file must be written as

    QString dir;               // the project folder
    QString knexfile;          // absolute path
    QString environment;       // the one read: --env, NODE_ENV, else "development" (as the CLI)
    QStringList migrationDirs; // absolute; the first is where new migrations go
    QStringList loadExtensions;
    LedgerConfig ledger; // Knex's: knexOwned, its tableName and schemaName
    Format format = Format::Esm;

    QString extension() const; // ".js", ".cjs", ".mjs" or ".ts" for a new file
    QString formatName() const;

    /// Finds knexfile.{js,cjs,mjs,ts} in `dir` and reads it with `node` (a .ts knexfile needs the
    /// project's own tsx). Fails with what to pass instead (--migrations-dir) when Node can't.
    static Result<KnexProject> load(const QString &dir, const QString &environment = {});
    /// Without Node: the folder and format given by the caller, Knex's default ledger.
    static Result<KnexProject> fromFolder(const QString &migrationsDir, Format format);
};

/// The format a new file in `migrationsDir` should have: TypeScript when the knexfile is .ts or the
/// folder already holds .ts migrations, ES modules when the nearest package.json says
/// "type": "module", CommonJS otherwise.
KnexProject::Format guessKnexFormat(const QString &migrationsDir, const QString &knexfile = {});
} // namespace vwb
