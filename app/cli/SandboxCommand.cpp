// app/cli/SandboxCommand.cpp — vwb sandbox
#include "cli/CliSupport.h"

#include "sandbox/LocalCluster.h"
#include <QJsonArray>
#include <QJsonObject>

namespace vwb::cli {
namespace {

QJsonObject statusJson(const ClusterStatus &s)
{
    return QJsonObject{{QStringLiteral("initialized"), s.initialized},
                       {QStringLiteral("running"), s.running},
                       {QStringLiteral("pid"), s.running ? QJsonValue(s.pid) : QJsonValue()},
                       {QStringLiteral("port"), s.port > 0 ? QJsonValue(s.port) : QJsonValue()},
                       {QStringLiteral("url"), s.url.isEmpty() ? QJsonValue() : QJsonValue(s.url)},
                       {QStringLiteral("database"), s.database},
                       {QStringLiteral("data_dir"), s.dataDir},
                       {QStringLiteral("state_dir"), s.baseDir},
                       {QStringLiteral("socket_dir"), s.socketDir},
                       {QStringLiteral("log_file"), s.logFile},
                       {QStringLiteral("run_as"), s.runAs},
                       {QStringLiteral("notes"), QJsonArray::fromStringList(s.notes)}};
}

void printStatus(const ClusterStatus &s)
{
    printLine(QStringLiteral("sandbox %1")
                  .arg(s.running       ? QStringLiteral("running (pid %1)").arg(s.pid)
                       : s.initialized ? QStringLiteral("stopped")
                                       : QStringLiteral("not created yet")));
    auto row = [](const char *label, const QString &value) {
        printLine(QStringLiteral("  %1 %2").arg(QString::fromLatin1(label).leftJustified(10), value));
    };
    if (!s.url.isEmpty())
        row("url", s.url);
    row("data", s.dataDir);
    row("socket", s.socketDir);
    row("log", s.logFile);
    row("runs as", s.runAs);
    for (const QString &n : s.notes)
        printLine(QStringLiteral("note: ") + n);
}
} // namespace

int runSandbox(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("sandbox"),
                      QStringLiteral("The private PostgreSQL + pgvector cluster under $XDG_DATA_HOME/"
                                     "vector-workbench/sandbox.\n"
                                     "  vwb sandbox start [--port N] [--ephemeral]   create on first use, reuse after\n"
                                     "  vwb sandbox stop | status | url | remove"));
    const QCommandLineOption portOpt(QStringLiteral("port"), QStringLiteral("TCP port (default: a free one)."), QStringLiteral("port"));
    const QCommandLineOption ephemeralOpt(QStringLiteral("ephemeral"),
                                          QStringLiteral("fsync off when creating: for tests, not for data."));
    cmd.addOption(portOpt);
    cmd.addOption(ephemeralOpt);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QStringList pos = cmd.parser().positionalArguments();
    if (pos.size() != 1)
        return cmd.usageError(QStringLiteral("give one action: start, stop, status, url or remove"));
    const QString action = pos.first();
    LocalCluster cluster;
    const bool json = cmd.json();

    if (action == QLatin1String("start")) {
        LocalCluster::StartOptions options;
        options.ephemeral = cmd.parser().isSet(ephemeralOpt);
        if (cmd.parser().isSet(portOpt)) {
            bool ok = false;
            options.port = cmd.parser().value(portOpt).toInt(&ok);
            if (!ok || options.port < 1 || options.port > 65535)
                return cmd.usageError(QStringLiteral("--port must be 1-65535"));
        }
        auto started = cluster.start(options);
        if (!started.ok())
            return reportError(started.error(), json);
        json ? printJson(statusJson(started.value())) : printStatus(started.value());
        return Ok;
    }
    if (action == QLatin1String("stop") || action == QLatin1String("remove")) {
        auto done = action == QLatin1String("stop") ? cluster.stop() : cluster.remove();
        if (!done.ok())
            return reportError(done.error(), json);
        json ? printJson(statusJson(cluster.status())) : printStatus(cluster.status());
        return Ok;
    }
    if (action == QLatin1String("status")) {
        json ? printJson(statusJson(cluster.status())) : printStatus(cluster.status());
        return Ok;
    }
    if (action == QLatin1String("url")) {
        const ClusterStatus s = cluster.status();
        if (s.url.isEmpty())
            return reportError(Error::invalid(QStringLiteral("The sandbox does not exist yet: vwb sandbox start")), json);
        json ? printJson(QJsonObject{{QStringLiteral("url"), s.url}, {QStringLiteral("running"), s.running}}) : printLine(s.url);
        return Ok;
    }
    return cmd.usageError(QStringLiteral("unknown action \"%1\" (start, stop, status, url, remove)").arg(action));
}
} // namespace vwb::cli
