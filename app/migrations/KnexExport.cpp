// app/migrations/KnexExport.cpp
#include "migrations/KnexExport.h"

#include "migrations/SqlScript.h"
#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace vwb {
namespace {

const QString StampFormat = QStringLiteral("yyyyMMddHHmmss"); // Knex's own (local time)

QString stemOf(const QString &source)
{
    static const QRegularExpression stamped(QStringLiteral("^\\d+_(.+)\\.sql$"));
    const auto m = stamped.match(source);
    return m.hasMatch() ? m.captured(1) : QString(source).remove(QRegularExpression(QStringLiteral("\\.sql$")));
}

/// A JavaScript template literal holding `statement` as knex.raw must receive it: Knex's pg client
/// turns every unescaped `?` into a positional parameter, so `?` goes as `\?`.
QString jsLiteral(const QString &statement)
{
    QString out;
    out.reserve(statement.size() + 16);
    for (qsizetype i = 0; i < statement.size(); ++i) {
        const QChar c = statement.at(i);
        if (c == QLatin1Char('\\'))
            out += QStringLiteral("\\\\");
        else if (c == QLatin1Char('`'))
            out += QStringLiteral("\\`");
        else if (c == QLatin1Char('$') && i + 1 < statement.size() && statement.at(i + 1) == QLatin1Char('{'))
            out += QStringLiteral("\\$");
        else if (c == QLatin1Char('?'))
            out += QStringLiteral("\\\\?");
        else
            out += c;
    }
    return QLatin1Char('`') + out + QLatin1Char('`');
}

QString body(const QString &sql, bool ownTransaction)
{
    const QStringList statements = splitSqlStatements(sql);
    QString out;
    const QString indent = ownTransaction ? QStringLiteral("    ") : QStringLiteral("  ");
    const QString runner = ownTransaction ? QStringLiteral("trx") : QStringLiteral("knex");
    if (ownTransaction)
        out += QStringLiteral("  await knex.transaction(async (trx) => {\n");
    for (const QString &s : statements)
        out += indent + QStringLiteral("await %1.raw(%2);\n").arg(runner, jsLiteral(s));
    if (ownTransaction)
        out += QStringLiteral("  });\n");
    return out;
}

QString function(KnexProject::Format format, const QString &name, const QString &code)
{
    switch (format) {
    case KnexProject::Format::TypeScript:
        return QStringLiteral("export async function %1(knex: Knex): Promise<void> {\n%2}\n").arg(name, code);
    case KnexProject::Format::CommonJs: return QStringLiteral("exports.%1 = async function %1(knex) {\n%2};\n").arg(name, code);
    case KnexProject::Format::Esm: break;
    }
    return QStringLiteral("export async function %1(knex) {\n%2}\n").arg(name, code);
}

QDateTime stampOf(const QString &fileName)
{
    static const QRegularExpression stamp(QStringLiteral("^(\\d{14})_"));
    const auto m = stamp.match(fileName);
    return m.hasMatch() ? QDateTime::fromString(m.captured(1), StampFormat) : QDateTime();
}
} // namespace

QString knexExportName(const QString &source, const QDateTime &stamp, const QString &extension)
{
    return stamp.toString(StampFormat) + QStringLiteral("_vwb_") + stemOf(source) + extension;
}

QString knexMigrationText(const SqlMigration &sql, const QString &source, KnexProject::Format format)
{
    // Knex runs a migration in a transaction unless its config says otherwise, for up and down
    // alike; a part that must run outside one (CREATE INDEX CONCURRENTLY, VACUUM) turns that off
    // and the other part, if it wants a transaction, opens its own.
    const bool outside = !sql.upInTransaction || !sql.downInTransaction;
    QString out = QStringLiteral("// Written by Vector Workbench from its migration %1.\n").arg(source);
    for (const QString &line : sql.about)
        out += QStringLiteral("// ") + line + QLatin1Char('\n');
    out += QStringLiteral("// Review it and commit it with the application; the project's own Knex applies it\n"
                          "// (npx knex migrate:latest) and undoes it (npx knex migrate:rollback).\n");
    if (format == KnexProject::Format::TypeScript)
        out += QStringLiteral("import type { Knex } from 'knex';\n");
    if (outside) {
        out += format == KnexProject::Format::CommonJs ? QStringLiteral("\nexports.config = { transaction: false };\n")
                                                       : QStringLiteral("\nexport const config = { transaction: false };\n");
    }
    out += QLatin1Char('\n') + function(format, QStringLiteral("up"), body(sql.up, outside && sql.upInTransaction));
    out += QLatin1Char('\n') + function(format, QStringLiteral("down"), body(sql.down, outside && sql.downInTransaction));
    return out;
}

Result<QList<KnexExportFile>> planKnexExport(const KnexProject &project, const QList<MigrationFile> &files, const QStringList &only,
                                             const QDateTime &now)
{
    if (project.migrationDirs.isEmpty())
        return Error::invalid(QStringLiteral("The project names no migrations folder"));
    const QString extension = project.extension();
    if (!project.loadExtensions.contains(extension))
        return Error::invalid(QStringLiteral("The project's Knex loads %1 files only, not %2: set migrations.extension "
                                             "in the knexfile, or name the format")
                                  .arg(project.loadExtensions.join(QStringLiteral(", ")), extension));
    for (const QString &name : only) {
        const bool known = std::any_of(files.begin(), files.end(),
                                       [&](const MigrationFile &f) { return f.name == name || stemOf(f.name) == name; });
        if (!known)
            return Error::invalid(QStringLiteral("The workbench has no migration \"%1\"").arg(name));
    }

    QStringList inFolder;
    for (const QString &dir : project.migrationDirs)
        inFolder += QDir(dir).entryList(QDir::Files, QDir::Name);
    QDateTime next = QDateTime(now.date(), QTime(now.time().hour(), now.time().minute(), now.time().second()));
    for (const QString &name : inFolder) {
        const QDateTime stamp = stampOf(name);
        if (stamp.isValid() && stamp >= next)
            next = stamp.addSecs(1);
    }

    QList<KnexExportFile> out;
    for (const MigrationFile &f : files) {
        if (!f.isSql())
            continue;
        auto sql = SqlMigration::load(f);
        if (!sql.ok())
            return sql.error();
        const bool wanted = only.isEmpty() ? sql.value().improvement : only.contains(f.name) || only.contains(stemOf(f.name));
        if (!wanted)
            continue;
        KnexExportFile e;
        e.source = f.name;
        const QRegularExpression exported(
            QStringLiteral("^\\d+_vwb_%1\\.(js|cjs|mjs|ts)$").arg(QRegularExpression::escape(stemOf(f.name))));
        for (const QString &name : inFolder) {
            if (exported.match(name).hasMatch())
                e.existing = name;
        }
        e.name = e.existing.isEmpty() ? knexExportName(f.name, next, extension) : e.existing;
        e.path = QDir(project.migrationDirs.first()).absoluteFilePath(e.name);
        e.text = knexMigrationText(sql.value(), f.name, project.format);
        if (e.existing.isEmpty())
            next = next.addSecs(1);
        out << e;
    }
    return out;
}

Result<void> writeKnexExport(const QList<KnexExportFile> &files)
{
    for (const KnexExportFile &f : files) {
        if (!f.existing.isEmpty())
            continue;
        QFile out(f.path);
        if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return Error::io(QStringLiteral("Cannot write %1: %2").arg(f.path, out.errorString()));
        const QByteArray bytes = f.text.toUtf8();
        if (out.write(bytes) != bytes.size() || !out.flush())
            return Error::io(QStringLiteral("Cannot write %1: %2").arg(f.path, out.errorString()));
    }
    return {};
}
} // namespace vwb
