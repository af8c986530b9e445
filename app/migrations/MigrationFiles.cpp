// app/migrations/MigrationFiles.cpp
#include "migrations/MigrationFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace vwb {

QStringList defaultMigrationExtensions()
{
    return {QStringLiteral(".co"),  QStringLiteral(".coffee"),    QStringLiteral(".eg"), QStringLiteral(".iced"), QStringLiteral(".js"),
            QStringLiteral(".cjs"), QStringLiteral(".litcoffee"), QStringLiteral(".ls"), QStringLiteral(".ts"),   QStringLiteral(".sql")};
}

QString nodeExtname(const QString &basename)
{
    const qsizetype dot = basename.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0) // no dot, or only a leading one (".env")
        return {};
    // Node ignores leading dots: "..js" has extname ".js", "...": "".
    qsizetype firstNonDot = 0;
    while (firstNonDot < basename.size() && basename.at(firstNonDot) == QLatin1Char('.'))
        ++firstNonDot;
    if (dot < firstNonDot)
        return {};
    return basename.mid(dot);
}

Result<QList<MigrationFile>> scanMigrations(const QString &dir, const QStringList &extensions)
{
    const QDir folder(dir);
    if (!folder.exists())
        return Error::io(QStringLiteral("The migrations folder %1 does not exist").arg(dir));
    if (!QFileInfo(dir).isReadable())
        return Error::io(QStringLiteral("The migrations folder %1 cannot be read").arg(dir));
    QList<MigrationFile> files;
    // Knex lists every directory entry, files and folders alike, and keeps those whose
    // extension it loads.
    for (const QFileInfo &info : folder.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden)) {
        if (extensions.contains(nodeExtname(info.fileName())))
            files.append({info.fileName(), info.absoluteFilePath()});
    }
    // lodash sortBy on strings compares with < : UTF-16 code units, no locale. QString's
    // operator< does the same.
    std::stable_sort(files.begin(), files.end(), [](const MigrationFile &a, const MigrationFile &b) { return a.name < b.name; });
    return files;
}

Result<SqlMigration> SqlMigration::parse(const QString &text, const QString &name)
{
    static const QRegularExpression marker(QStringLiteral("^--\\s*migrate:(up|down)\\b([^\\n]*)$"), QRegularExpression::MultilineOption);
    SqlMigration m;
    int ups = 0, downs = 0;
    auto it = marker.globalMatch(text);
    QList<QRegularExpressionMatch> matches;
    while (it.hasNext())
        matches << it.next();
    for (int i = 0; i < matches.size(); ++i) {
        const auto &match = matches.at(i);
        const qsizetype bodyStart = match.capturedEnd(0);
        const qsizetype bodyEnd = i + 1 < matches.size() ? matches.at(i + 1).capturedStart(0) : text.size();
        const QString body = text.mid(bodyStart, bodyEnd - bodyStart).trimmed();
        const QString options = match.captured(2).trimmed();
        const bool transaction = !options.contains(QLatin1String("transaction:false"));
        if (!options.isEmpty() && options != QLatin1String("transaction:false") && options != QLatin1String("transaction:true"))
            return Error::invalid(QStringLiteral("%1: unknown option \"%2\" after -- migrate:%3 (only "
                                                 "transaction:false)")
                                      .arg(name, options, match.captured(1)));
        if (match.captured(1) == QLatin1String("up")) {
            ++ups;
            m.up = body;
            m.upInTransaction = transaction;
        } else {
            ++downs;
            m.down = body;
            m.downInTransaction = transaction;
        }
    }
    if (ups != 1 || downs != 1)
        return Error::invalid(QStringLiteral("%1 must have one \"-- migrate:up\" and one \"-- migrate:down\" "
                                             "section (found %2 and %3)")
                                  .arg(name)
                                  .arg(ups)
                                  .arg(downs));
    if (matches.first().captured(1) != QLatin1String("up"))
        return Error::invalid(QStringLiteral("%1: the \"-- migrate:up\" section must come first").arg(name));
    if (m.up.isEmpty())
        return Error::invalid(QStringLiteral("%1: the up section is empty").arg(name));
    const QStringList head = text.left(matches.first().capturedStart(0)).split(QLatin1Char('\n'));
    for (const QString &line : head) {
        const QString t = line.trimmed();
        if (t == QLatin1String("-- vwb:improvement"))
            m.improvement = true;
        else if (t.startsWith(QLatin1String("--")))
            m.about << t.mid(2).trimmed();
    }
    return m;
}

Result<SqlMigration> SqlMigration::load(const MigrationFile &file)
{
    QFile f(file.path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("Cannot read %1: %2").arg(file.path, f.errorString()));
    return parse(QString::fromUtf8(f.readAll()), file.name);
}

QString defaultMigrationsDir()
{
    if (const QString env = qEnvironmentVariable("VWB_MIGRATIONS_DIR"); !env.isEmpty())
        return env;
#ifdef VWB_SOURCE_MIGRATIONS_DIR
    if (QFileInfo::exists(QStringLiteral(VWB_SOURCE_MIGRATIONS_DIR)))
        return QStringLiteral(VWB_SOURCE_MIGRATIONS_DIR);
#endif
    return QDir(QCoreApplication::applicationDirPath()).absoluteFilePath(QStringLiteral("../share/vector-workbench/migrations"));
}
} // namespace vwb
