// app/migrations/KnexExport.h
#pragma once

#include "migrations/KnexProject.h"
#include "migrations/MigrationFiles.h"
#include <QDateTime>

namespace vwb {

/// One of the workbench's SQL migrations written as a Knex migration file.
struct KnexExportFile
{
    QString source;   // "20250201000001_hnsw_indexes.sql"
    QString name;     // "20261205093000_vwb_hnsw_indexes.js"
    QString path;     // where it goes (or already is)
    QString text;     // the file's content
    QString existing; // non-empty: the project already has it under this name; nothing is written
};

/// Pure: the text of a Knex migration (ES module, CommonJS or TypeScript) that runs `sql` with
/// knex.raw, one statement per call, in Knex's transaction unless a part needs to run outside one
/// (then `config = { transaction: false }` and any part that wants a transaction opens its own).
QString knexMigrationText(const SqlMigration &sql, const QString &source, KnexProject::Format format);

/// Pure: the name a file exported from `source` gets: Knex's yyyyMMddHHmmss stamp and
/// "vwb_<the source's name without its stamp>" ("20261205093000_vwb_hnsw_indexes.js").
QString knexExportName(const QString &source, const QDateTime &stamp, const QString &extension);

/// Which of `files` (the workbench's own) go to the project: the improvements (or those named in
/// `only`), each with its file text, stamped from `now` on and after every file already in the
/// folder, so Knex runs them last and in order. Files already exported are reported, not repeated.
Result<QList<KnexExportFile>> planKnexExport(const KnexProject &project, const QList<MigrationFile> &files, const QStringList &only,
                                             const QDateTime &now);
/// Writes the files not already there; nothing is overwritten (a file appearing meanwhile fails).
Result<void> writeKnexExport(const QList<KnexExportFile> &files);
} // namespace vwb
