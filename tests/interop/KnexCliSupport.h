// tests/interop/KnexCliSupport.h — running node/knex and vwb as child processes, and reading
// `migrate:list` output, for the Knex interoperability test.
#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStringList>

namespace vwb::test::knex {

constexpr int ProcessTimeoutMs = 60000; // node + knex + pg start in about a second; room for a busy box

/// One finished child process, with everything needed to explain a failure.
struct Finished
{
    QString command;
    int exitCode = -1; // -1: did not start, crashed or timed out
    QString out;
    QString err;

    QString report() const
    {
        return QStringLiteral("\n$ %1\nexit code %2\n--- stdout ---\n%3\n--- stderr ---\n%4").arg(command).arg(exitCode).arg(out, err);
    }
};

inline QString withoutColors(const QString &text)
{
    static const QRegularExpression ansi(QStringLiteral("\x1b\\[[0-9;]*m"));
    return QString(text).remove(ansi);
}

inline Finished runProcess(const QString &program, const QStringList &args, const QProcessEnvironment &env, const QString &workDir = {})
{
    Finished f;
    f.command = program + QLatin1Char(' ') + args.join(QLatin1Char(' '));
    QProcess p;
    p.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    if (!p.waitForStarted(10000)) {
        f.err = QStringLiteral("[did not start: %1]").arg(p.errorString());
        return f;
    }
    p.closeWriteChannel(); // stdin at EOF: nothing may sit waiting for an answer
    const bool done = p.waitForFinished(ProcessTimeoutMs);
    if (!done) {
        p.kill();
        p.waitForFinished(5000);
    }
    f.out = withoutColors(QString::fromUtf8(p.readAllStandardOutput()));
    f.err = withoutColors(QString::fromUtf8(p.readAllStandardError()));
    if (!done)
        f.err += QStringLiteral("\n[killed after %1 ms]").arg(ProcessTimeoutMs);
    else if (p.exitStatus() != QProcess::NormalExit)
        f.err += QStringLiteral("\n[crashed]");
    else
        f.exitCode = p.exitCode();
    return f;
}

/// The caller's environment without what would point either tool at another database or
/// another Knex: PG*, DATABASE_URL, NODE_*, KNEX_*, npm_* and forced colours.
inline QProcessEnvironment quietEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("PG")) || key == QLatin1String("DATABASE_URL") || key.startsWith(QLatin1String("NODE_"))
            || key.startsWith(QLatin1String("KNEX")) || key.startsWith(QLatin1String("npm_")) || key == QLatin1String("FORCE_COLOR"))
            env.remove(key);
    }
    return env;
}

/// The installed knex package (…/node_modules/knex), which the CLI loads through KNEX_PATH since the
/// knexfile's folder has no node_modules of its own.
inline QString knexModuleDir()
{
    return QFileInfo(QFileInfo(QStringLiteral(VWB_KNEX_CLI)).absolutePath()).absolutePath();
}

/// What `knex migrate:list` prints (knex/bin/utils/migrationsLister.js), and `vwb migrate status`
/// prints the same way: "Found N Completed Migration file/files." and N lines, or "No Completed
/// Migration files Found.", then the same for Pending. A name is the first word of its line (vwb
/// adds batch and time after it).
struct ListedMigrations
{
    QStringList completed;
    QStringList pending;
    QString problem; // empty when both sections were found, each with as many names as it announced
};

inline ListedMigrations parseMigrationList(const QString &output)
{
    static const QRegularExpression header(QStringLiteral("^Found (\\d+) (Completed|Pending) Migration file/files\\.$"));
    ListedMigrations listed;
    bool completedSeen = false, pendingSeen = false;
    const QStringList lines = output.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line == QLatin1String("No Completed Migration files Found.")) {
            completedSeen = true;
            continue;
        }
        if (line == QLatin1String("No Pending Migration files Found.")) {
            pendingSeen = true;
            continue;
        }
        const QRegularExpressionMatch m = header.match(line);
        if (!m.hasMatch())
            continue;
        const bool completed = m.captured(2) == QLatin1String("Completed");
        (completed ? completedSeen : pendingSeen) = true;
        QStringList &names = completed ? listed.completed : listed.pending;
        const int count = m.captured(1).toInt();
        for (int k = 0; k < count; ++k) {
            if (++i >= lines.size() || lines.at(i).trimmed().isEmpty()) {
                listed.problem = QStringLiteral("\"%1\" is followed by fewer names").arg(line);
                return listed;
            }
            names << lines.at(i).trimmed().section(QLatin1Char(' '), 0, 0);
        }
    }
    if (!completedSeen || !pendingSeen)
        listed.problem = QStringLiteral("no %1 section").arg(completedSeen ? QStringLiteral("Pending") : QStringLiteral("Completed"));
    return listed;
}
} // namespace vwb::test::knex
