// tests/support/CliRun.h — running the built `vwb` as a user would, with its exit code, output and
// (for --json) the parsed object.
#pragma once

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>

namespace vwb::test {

struct CliRun
{
    int code = -1; // -1: it did not finish in time
    QJsonObject json;
    QString out, err;
};

/// Starts `vwb <command> [--url URL] <rest…>` in `p` with `env` added to the test's environment.
inline void startVwb(QProcess &p, const QStringList &args, const QString &url = {}, const QHash<QString, QString> &env = {})
{
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (auto it = env.constBegin(); it != env.constEnd(); ++it)
        e.insert(it.key(), it.value());
    p.setProcessEnvironment(e);
    QStringList all{args.value(0)};
    if (!url.isEmpty())
        all << QStringLiteral("--url") << url;
    p.start(QStringLiteral(VWB_CLI), all + args.mid(1));
}

/// Runs `vwb <command> [--url URL] <rest…>` to its end (startVwb).
inline CliRun runVwb(const QStringList &args, const QString &url = {}, const QHash<QString, QString> &env = {})
{
    QProcess p;
    startVwb(p, args, url, env);
    CliRun r;
    if (!p.waitForFinished(90000))
        return r;
    r.code = p.exitCode();
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    r.json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    return r;
}
} // namespace vwb::test
