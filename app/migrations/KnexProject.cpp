// app/migrations/KnexProject.cpp
#include "migrations/KnexProject.h"

#include "migrations/MigrationFiles.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

namespace vwb {
namespace {

constexpr int NodeTimeoutMs = 20000; // a knexfile that hangs (waiting on a network call) is reported
constexpr qint64 MaxNodeOutput = 1 << 20;

// Loads the knexfile as the Knex CLI does (import, default export, a function is called, the
// environment's key if there is one) and prints its migration settings as JSON.
const char *ReadKnexfileScript = R"JS(
import { pathToFileURL } from 'node:url';
const [file, env] = process.argv.slice(1);
const mod = await import(pathToFileURL(file).href);
let all = mod.default ?? mod;
if (all && typeof all === 'object' && all.default && !all.client && !all[env]) all = all.default;
if (typeof all === 'function') all = await all();
const config = (all && all[env]) || all || {};
const m = config.migrations || {};
const dirs = m.directory === undefined ? ['./migrations'] : [].concat(m.directory);
process.stdout.write(JSON.stringify({
  directories: dirs.map(String),
  loadExtensions: Array.isArray(m.loadExtensions) ? m.loadExtensions.map(String) : null,
  tableName: typeof m.tableName === 'string' ? m.tableName : 'knex_migrations',
  schemaName: typeof m.schemaName === 'string' ? m.schemaName : '',
  extension: typeof m.extension === 'string' ? m.extension : '',
}));
)JS";

QString findKnexfile(const QString &dir)
{
    for (const char *name : {"knexfile.js", "knexfile.cjs", "knexfile.mjs", "knexfile.ts"}) {
        const QString path = QDir(dir).absoluteFilePath(QString::fromLatin1(name));
        if (QFileInfo(path).isFile())
            return path;
    }
    return {};
}

bool packageIsModule(const QString &fromDir)
{
    // Node looks up from the file's folder to the root; the folder itself need not exist yet.
    QString dir = QDir::cleanPath(QFileInfo(fromDir).absoluteFilePath());
    for (int depth = 0; depth < 64; ++depth) {
        QFile package(dir + QStringLiteral("/package.json"));
        if (package.exists()) {
            if (!package.open(QIODevice::ReadOnly) || package.size() > MaxNodeOutput)
                return false;
            return QJsonDocument::fromJson(package.readAll()).object().value(QStringLiteral("type")).toString()
                   == QLatin1String("module");
        }
        const QString parent = QDir::cleanPath(dir + QStringLiteral("/.."));
        if (parent == dir)
            break;
        dir = parent;
    }
    return false;
}
} // namespace

QString KnexProject::extension() const
{
    switch (format) {
    case Format::TypeScript: return QStringLiteral(".ts");
    case Format::CommonJs: return packageIsModule(migrationDirs.value(0)) ? QStringLiteral(".cjs") : QStringLiteral(".js");
    case Format::Esm: return packageIsModule(migrationDirs.value(0)) ? QStringLiteral(".js") : QStringLiteral(".mjs");
    }
    return QStringLiteral(".js");
}

QString KnexProject::formatName() const
{
    switch (format) {
    case Format::TypeScript: return QStringLiteral("TypeScript");
    case Format::CommonJs: return QStringLiteral("CommonJS");
    case Format::Esm: return QStringLiteral("ES module");
    }
    return {};
}

KnexProject::Format guessKnexFormat(const QString &migrationsDir, const QString &knexfile)
{
    if (knexfile.endsWith(QLatin1String(".ts")))
        return KnexProject::Format::TypeScript;
    const QStringList ts = QDir(migrationsDir).entryList({QStringLiteral("*.ts")}, QDir::Files);
    const QStringList js = QDir(migrationsDir)
                               .entryList({QStringLiteral("*.js"), QStringLiteral("*.cjs"), QStringLiteral("*.mjs")}, QDir::Files);
    if (!ts.isEmpty() && js.isEmpty())
        return KnexProject::Format::TypeScript;
    return packageIsModule(migrationsDir) ? KnexProject::Format::Esm : KnexProject::Format::CommonJs;
}

Result<KnexProject> KnexProject::fromFolder(const QString &migrationsDir, Format format)
{
    if (!QFileInfo(migrationsDir).isDir())
        return Error::io(QStringLiteral("The migrations folder %1 does not exist").arg(migrationsDir));
    KnexProject project;
    project.dir = QFileInfo(migrationsDir).absoluteFilePath();
    project.migrationDirs = {project.dir};
    project.loadExtensions = defaultMigrationExtensions();
    project.loadExtensions.removeAll(QStringLiteral(".sql"));
    project.ledger = LedgerConfig::knex();
    project.format = format;
    return project;
}

Result<KnexProject> KnexProject::load(const QString &dir, const QString &environment)
{
    KnexProject project;
    project.dir = QFileInfo(dir).absoluteFilePath();
    project.knexfile = findKnexfile(project.dir);
    if (project.knexfile.isEmpty())
        return Error::io(QStringLiteral("No knexfile (knexfile.js, .cjs, .mjs or .ts) in %1").arg(project.dir));
    project.environment = !environment.isEmpty()                        ? environment
                          : !qEnvironmentVariable("NODE_ENV").isEmpty() ? qEnvironmentVariable("NODE_ENV")
                                                                        : QStringLiteral("development");
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty())
        return Error::io(QStringLiteral("Reading %1 needs Node.js (node is not on PATH): install it, or name the "
                                        "migrations folder with --migrations-dir")
                             .arg(project.knexfile));
    QStringList args;
    if (project.knexfile.endsWith(QLatin1String(".ts"))) {
        if (!QFileInfo::exists(project.dir + QStringLiteral("/node_modules/tsx/package.json")))
            return Error::io(QStringLiteral("%1 is TypeScript: reading it needs the project's tsx (npm install -D "
                                            "tsx), or name the migrations folder with --migrations-dir")
                                 .arg(project.knexfile));
        args << QStringLiteral("--import") << QStringLiteral("tsx");
    }
    args << QStringLiteral("--input-type=module") << QStringLiteral("-e") << QString::fromUtf8(ReadKnexfileScript) << project.knexfile
         << project.environment;
    QProcess p;
    p.setWorkingDirectory(QFileInfo(project.knexfile).absolutePath());
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(node, args);
    if (!p.waitForStarted(NodeTimeoutMs))
        return Error::io(QStringLiteral("Could not start node: %1").arg(p.errorString()));
    p.closeWriteChannel();
    if (!p.waitForFinished(NodeTimeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        return Error{
            Error::Kind::Timeout,
            QStringLiteral("Reading %1 took over %2 s: does it wait on something?").arg(project.knexfile).arg(NodeTimeoutMs / 1000),
            {},
            {}};
    }
    const QByteArray out = p.readAllStandardOutput().left(MaxNodeOutput);
    const QString err = QString::fromUtf8(p.readAllStandardError().left(4000)).trimmed();
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return Error{
            Error::Kind::Io, QStringLiteral("Node could not load %1").arg(project.knexfile), {}, err.section(QLatin1Char('\n'), 0, 5)};
    QJsonParseError parseError;
    const QJsonObject o = QJsonDocument::fromJson(out, &parseError).object();
    if (parseError.error != QJsonParseError::NoError)
        return Error::io(QStringLiteral("Unexpected output reading %1: %2").arg(project.knexfile, parseError.errorString()));

    const QDir base(QFileInfo(project.knexfile).absolutePath());
    for (const QJsonValue &d : o.value(QStringLiteral("directories")).toArray())
        project.migrationDirs << QDir::cleanPath(base.absoluteFilePath(d.toString()));
    if (project.migrationDirs.isEmpty())
        return Error::invalid(QStringLiteral("%1 names no migrations directory").arg(project.knexfile));
    const QJsonValue load = o.value(QStringLiteral("loadExtensions"));
    if (load.isArray()) {
        for (const QJsonValue &e : load.toArray())
            project.loadExtensions << e.toString();
    } else {
        project.loadExtensions = defaultMigrationExtensions();
        project.loadExtensions.removeAll(QStringLiteral(".sql")); // Knex's own default list has no .sql
    }
    project.ledger = {o.value(QStringLiteral("tableName")).toString(), o.value(QStringLiteral("schemaName")).toString(), true};
    const QString extension = o.value(QStringLiteral("extension")).toString();
    if (extension == QLatin1String("ts"))
        project.format = Format::TypeScript;
    else if (extension == QLatin1String("cjs"))
        project.format = Format::CommonJs;
    else if (extension == QLatin1String("mjs"))
        project.format = Format::Esm;
    else
        project.format = guessKnexFormat(project.migrationDirs.first(), project.knexfile);
    return project;
}
} // namespace vwb
