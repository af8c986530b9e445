// tests/db/tst_checkcommand.cpp — `vwb check` end to end, as a script would call it.
#include "../support/TestCluster.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

class TestCheckCommand : public QObject
{
    Q_OBJECT
private slots:
    void sandboxCheckReportsPgvectorAsJson();
    void plainOutputNamesServerAndPgvector();
    void refusedUrlFailsFastWithOneLine();
    void unknownHostIsNamed();
};

namespace {
struct Run
{
    int code;
    QString out;
    QString err;
    qint64 ms;
};
Run runVwb(const QStringList &args)
{
    QProcess p;
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(VWB_CLI), args);
    p.waitForFinished(30000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()), clock.elapsed()};
}
} // namespace

void TestCheckCommand::sandboxCheckReportsPgvectorAsJson()
{
    (void)vwb::test::clusterProfile(); // fails loudly when the fixture did not start the cluster
    const Run r = runVwb({QStringLiteral("check"), QStringLiteral("--profile"), QStringLiteral("sandbox"), QStringLiteral("--json")});
    QCOMPARE(r.code, 0);
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("connected")).toBool(), true);
    QVERIFY(json.value(QStringLiteral("pgvector")).toString().startsWith(QLatin1String("0.")));
    QVERIFY(json.value(QStringLiteral("server_version_num")).toInt() >= 130000);
    QVERIFY(json.value(QStringLiteral("latency_ms")).toDouble() > 0);
    QCOMPARE(json.value(QStringLiteral("read_only")).toBool(), false);
}

void TestCheckCommand::plainOutputNamesServerAndPgvector()
{
    const Run r = runVwb({QStringLiteral("check"), QStringLiteral("--profile"), QStringLiteral("sandbox")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains(QLatin1String("server     PostgreSQL")), qPrintable(r.out));
    QVERIFY(r.out.contains(QLatin1String("pgvector   0.")));
}

void TestCheckCommand::refusedUrlFailsFastWithOneLine()
{
    const Run r = runVwb({QStringLiteral("check"), QStringLiteral("--url"), QStringLiteral("postgres://nobody@127.0.0.1:1/x")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.ms < 5000);
    QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    QVERIFY2(r.err.contains(QLatin1String("connection refused")), qPrintable(r.err));
    const Run json = runVwb(
        {QStringLiteral("check"), QStringLiteral("--url"), QStringLiteral("postgres://nobody@127.0.0.1:1/x"), QStringLiteral("--json")});
    QCOMPARE(json.code, 1);
    const QJsonObject obj = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(obj.value(QStringLiteral("connected")).toBool(), false);
    QCOMPARE(obj.value(QStringLiteral("error")).toObject().value(QStringLiteral("sqlstate")).toString(), QStringLiteral("08001"));
}

void TestCheckCommand::unknownHostIsNamed()
{
    const Run r = runVwb({QStringLiteral("check"), QStringLiteral("--url"), QStringLiteral("postgres://u@no-such-host.invalid/db"),
                          QStringLiteral("--timeout"), QStringLiteral("3")});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("no-such-host.invalid")), qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCheckCommand)
#include "tst_checkcommand.moc"
