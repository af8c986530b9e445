// tests/db/tst_localcluster.cpp — the sandbox cluster: create, reuse, stop, and its clear errors.
#include "connection/PgConnection.h"
#include "sandbox/LocalCluster.h"
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <unistd.h>

using namespace vwb;

class TestLocalCluster : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void startCreatesARunningClusterWithPgvector();
    void secondStartReusesTheRunningCluster();
    void stopThenStartKeepsTheData();
    void stalePidFileIsRemovedAndSaidSo();
    void explicitPortClashIsNamed();
    void missingBinariesAreNamed();
    void missingPgvectorNamesTheInstallCommand();
    void removeDeletesEverything();

private:
    QTemporaryDir m_home;
    std::unique_ptr<LocalCluster> m_cluster;
};

void TestLocalCluster::initTestCase()
{
    QVERIFY(m_home.isValid());
    m_cluster = std::make_unique<LocalCluster>(m_home.filePath(QStringLiteral("sandbox")));
}

void TestLocalCluster::cleanupTestCase()
{
    if (m_cluster)
        (void)m_cluster->remove();
}

void TestLocalCluster::startCreatesARunningClusterWithPgvector()
{
    QVERIFY(!m_cluster->status().initialized);
    LocalCluster::StartOptions options;
    options.ephemeral = true;
    auto started = m_cluster->start(options);
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message + started.error().detail));
    QVERIFY(started.value().running);
    QVERIFY(started.value().port > 0);
    QVERIFY(started.value().notes.join(QLatin1Char(' ')).contains(QLatin1String("created")));
    QVERIFY(started.value().url.startsWith(QLatin1String("postgresql://postgres@127.0.0.1:")));
    if (::geteuid() == 0) // the server cannot live under root's home: it says where it went instead
        QVERIFY(started.value().dataDir.startsWith(QLatin1String("/var/lib/vector-workbench/")));
    else
        QVERIFY(started.value().dataDir.startsWith(m_home.path()));

    auto conn = PgConnection::open(m_cluster->profile());
    QVERIFY2(conn.ok(), qPrintable(conn.ok() ? QString() : conn.error().message));
    auto ext = conn.value()->exec(QStringLiteral("SELECT extversion FROM pg_extension WHERE extname = 'vector'"));
    QVERIFY(ext.ok());
    QVERIFY2(!ext.value().scalar().isEmpty(), "the sandbox database must have pgvector");
    QVERIFY2(conn.value()->server().tls, "the sandbox offers TLS with its own certificate");
}

void TestLocalCluster::secondStartReusesTheRunningCluster()
{
    const ClusterStatus before = m_cluster->status();
    QVERIFY(before.running);
    auto again = m_cluster->start();
    QVERIFY(again.ok());
    QCOMPARE(again.value().pid, before.pid);
    QCOMPARE(again.value().port, before.port);
    QVERIFY(again.value().notes.join(QLatin1Char(' ')).contains(QLatin1String("reused")));
}

void TestLocalCluster::stopThenStartKeepsTheData()
{
    {
        auto conn = PgConnection::open(m_cluster->profile());
        QVERIFY(conn.ok());
        QVERIFY(conn.value()->exec(QStringLiteral("CREATE TABLE kept(v vector(3))")).ok());
        QVERIFY(conn.value()->exec(QStringLiteral("INSERT INTO kept VALUES ($1)"), {QStringLiteral("[1,2,3]")}).ok());
    }
    QVERIFY(m_cluster->stop().ok());
    QVERIFY(!m_cluster->status().running);
    QVERIFY(m_cluster->status().initialized);
    auto started = m_cluster->start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
    auto conn = PgConnection::open(m_cluster->profile());
    QVERIFY(conn.ok());
    auto r = conn.value()->exec(QStringLiteral("SELECT v::text FROM kept"));
    QVERIFY(r.ok());
    QCOMPARE(r.value().scalar(), QStringLiteral("[1,2,3]"));
}

void TestLocalCluster::stalePidFileIsRemovedAndSaidSo()
{
    QVERIFY(m_cluster->stop().ok());
    // A pid file naming a live process that is not PostgreSQL (this test) is what a crash plus
    // pid reuse leaves behind; the server itself would refuse to start over it.
    const QString pidPath = m_cluster->status().dataDir + QStringLiteral("/postmaster.pid");
    QFile pid(pidPath);
    QVERIFY(pid.open(QIODevice::WriteOnly));
    pid.write(QByteArray::number(qint64(::getpid())) + "\n" + m_cluster->status().dataDir.toUtf8() + "\n");
    pid.close();
    QVERIFY(!m_cluster->status().running);
    auto started = m_cluster->start();
    QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
    QVERIFY(started.value().running);
    QVERIFY2(started.value().notes.join(QLatin1Char(' ')).contains(QLatin1String("stale postmaster.pid")),
             qPrintable(started.value().notes.join(QLatin1Char('|'))));
}

void TestLocalCluster::explicitPortClashIsNamed()
{
    QVERIFY(m_cluster->stop().ok());
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    LocalCluster::StartOptions options;
    options.port = squatter.serverPort();
    auto started = m_cluster->start(options);
    QVERIFY(!started.ok());
    QVERIFY2(started.error().message.contains(QStringLiteral("Port %1 is already in use").arg(options.port)),
             qPrintable(started.error().message));
    squatter.close();
    auto retried = m_cluster->start(options); // the port is free again
    QVERIFY2(retried.ok(), qPrintable(retried.ok() ? QString() : retried.error().message));
    QCOMPARE(retried.value().port, int(options.port));
}

void TestLocalCluster::missingBinariesAreNamed()
{
    QTemporaryDir empty;
    qputenv("VWB_PG_BINDIR", empty.path().toUtf8());
    auto found = PgInstallation::find();
    qunsetenv("VWB_PG_BINDIR");
    QVERIFY(!found.ok());
    QVERIFY(found.error().message.startsWith(QLatin1String("No PostgreSQL server binaries found")));
    QVERIFY(found.error().message.contains(QLatin1String("setup-debian.sh")));
}

void TestLocalCluster::missingPgvectorNamesTheInstallCommand()
{
    // A server installation exactly like the real one, except that its share directory has no
    // pgvector: binaries linked in, pg_config answering with the empty share directory.
    auto real = PgInstallation::find();
    QVERIFY(real.ok());
    QTemporaryDir fake;
    for (const char *tool : {"initdb", "pg_ctl", "postgres"})
        QVERIFY(QFile::link(real.value().binDir + QLatin1Char('/') + QLatin1String(tool), fake.filePath(QLatin1String(tool))));
    QFile pgConfig(fake.filePath(QStringLiteral("pg_config")));
    QVERIFY(pgConfig.open(QIODevice::WriteOnly));
    pgConfig.write(QStringLiteral("#!/bin/sh\necho %1\n").arg(fake.filePath(QStringLiteral("share"))).toUtf8());
    pgConfig.close();
    pgConfig.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("VWB_PG_BINDIR", fake.path().toUtf8());
    QTemporaryDir home;
    auto started = LocalCluster(home.filePath(QStringLiteral("sandbox"))).start();
    qunsetenv("VWB_PG_BINDIR");
    QVERIFY(!started.ok());
    QVERIFY2(started.error().message.startsWith(QLatin1String("pgvector is not installed")), qPrintable(started.error().message));
    QVERIFY(started.error().message.contains(QLatin1String("sudo bash packaging/setup-debian.sh")));
}

void TestLocalCluster::removeDeletesEverything()
{
    const ClusterStatus before = m_cluster->status();
    QVERIFY(m_cluster->remove().ok());
    const ClusterStatus after = m_cluster->status();
    QVERIFY(!after.running);
    QVERIFY(!after.initialized);
    QVERIFY(!QFile::exists(before.dataDir));
    QVERIFY(!QFile::exists(before.socketDir));
    QVERIFY(!QFile::exists(before.baseDir));
}

QTEST_GUILESS_MAIN(TestLocalCluster)
#include "tst_localcluster.moc"
