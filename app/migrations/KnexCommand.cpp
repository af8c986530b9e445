// app/migrations/KnexCommand.cpp
#include "migrations/KnexCommand.h"

#include "core/ShellWords.h"

#include <QFileInfo>
#include <QElapsedTimer>
#include <QProcess>

namespace vwb {
namespace {

QString prefix(const KnexProject &project, const QString &command)
{
    if (!command.trimmed().isEmpty())
        return command.trimmed();
    const QString local = project.dir + QStringLiteral("/node_modules/.bin/knex");
    return QFileInfo(local).isExecutable() ? shellWord(local) : QStringLiteral("npx --no knex");
}

QStringList fullArgs(const KnexProject &project, const QStringList &args)
{
    QStringList all = args;
    if (!project.knexfile.isEmpty())
        all << QStringLiteral("--knexfile") << project.knexfile;
    if (!project.environment.isEmpty())
        all << QStringLiteral("--env") << project.environment;
    return all;
}
} // namespace

QString projectKnexCommand(const KnexProject &project, const QStringList &args, const QString &command)
{
    return prefix(project, command) + QLatin1Char(' ') + shellCommand(fullArgs(project, args));
}

Result<int> runProjectKnex(const KnexProject &project, const QStringList &args, const QMap<QString, QString> &env,
                           const std::function<void(const QString &)> &log, const QString &command, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment processEnv;
    for (auto it = env.cbegin(); it != env.cend(); ++it)
        processEnv.insert(it.key(), it.value());
    p.setProcessEnvironment(processEnv);
    p.setWorkingDirectory(project.knexfile.isEmpty() ? project.dir : QFileInfo(project.knexfile).absolutePath());
    p.setProcessChannelMode(QProcess::MergedChannels);
    const QString line = projectKnexCommand(project, args, command);
    if (log)
        log(QStringLiteral("$ ") + line);
    p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), line});
    if (!p.waitForStarted(10000))
        return Error::io(QStringLiteral("Could not start the project's Knex: %1").arg(p.errorString()));
    p.closeWriteChannel();
    QByteArray pending;
    QElapsedTimer clock;
    clock.start();
    auto drain = [&](bool all) {
        pending += p.readAll();
        qsizetype nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
            if (log)
                log(QString::fromUtf8(pending.left(nl)));
            pending.remove(0, nl + 1);
        }
        if (all && !pending.isEmpty() && log)
            log(QString::fromUtf8(pending));
    };
    while (!p.waitForFinished(200)) {
        drain(false);
        if (p.state() == QProcess::NotRunning)
            break;
        if (clock.elapsed() > timeoutMs) {
            p.kill();
            p.waitForFinished(5000);
            return Error{
                Error::Kind::Timeout, QStringLiteral("The project's Knex ran past %1 s and was stopped").arg(timeoutMs / 1000), {}, line};
        }
    }
    drain(true);
    if (p.exitStatus() != QProcess::NormalExit)
        return Error::io(QStringLiteral("The project's Knex stopped abnormally (%1)").arg(line));
    return p.exitCode();
}
} // namespace vwb
