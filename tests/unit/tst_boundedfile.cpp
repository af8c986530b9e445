// tests/unit/tst_boundedfile.cpp — files the workbench reads whole (.env, service files, plans,
// imports): regular files only, under a size cap, each refusal naming the file and why, and no
// read that blocks on a FIFO or runs on with /dev/zero; a long .env parses in linear time.
#include "connection/DotEnv.h"
#include "connection/EnvironmentProfiles.h"
#include "core/BoundedFile.h"
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace vwb;

class TestBoundedFile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        std::signal(SIGPIPE, SIG_IGN); // a pipe's writer whose reader stopped gets EPIPE, not death
    }
    void aRegularFileIsRead();
    void whatIsNotARegularFileIsRefusedUnread_data();
    void whatIsNotARegularFileIsRefusedUnread();
    void aFileOverItsCapIsRefused();
    void aStreamIsReadToItsEndOrItsCap_data();
    void aStreamIsReadToItsEndOrItsCap();
    void aDotEnvThatIsAFifoOrADeviceIsAnErrorNotAHang();
    void aServiceFileThatIsADeviceIsANote();
    void aLongDotEnvParsesInLinearTime();

private:
    QString write(const QString &name, const QByteArray &bytes)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            return {};
        return f.fileName();
    }
    QString fifo(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        return ::mkfifo(QFile::encodeName(path).constData(), 0600) == 0 ? path : QString();
    }
    QTemporaryDir m_dir;
};

void TestBoundedFile::aRegularFileIsRead()
{
    const QString path = write(QStringLiteral("plain"), "KEY=value\n");
    auto bytes = readRegularFile(path, 100, QStringLiteral("the file"));
    QVERIFY(bytes.ok());
    QCOMPARE(bytes.value(), QByteArray("KEY=value\n"));
    // through a symbolic link too
    QVERIFY(QFile::link(path, m_dir.filePath(QStringLiteral("link"))));
    QVERIFY(readRegularFile(m_dir.filePath(QStringLiteral("link")), 100, QStringLiteral("the file")).ok());
}

void TestBoundedFile::whatIsNotARegularFileIsRefusedUnread_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("kind");
    QTest::newRow("/dev/zero") << QStringLiteral("/dev/zero") << QStringLiteral("is a device");
    QTest::newRow("/dev/urandom") << QStringLiteral("/dev/urandom") << QStringLiteral("is a device");
    QTest::newRow("a FIFO") << fifo(QStringLiteral("pipe")) << QStringLiteral("is a FIFO");
    QTest::newRow("a directory") << m_dir.path() << QStringLiteral("is a directory");
    QTest::newRow("missing") << m_dir.filePath(QStringLiteral("nothing")) << QStringLiteral("No such file");
}

void TestBoundedFile::whatIsNotARegularFileIsRefusedUnread()
{
    QFETCH(QString, path);
    QFETCH(QString, kind);
    QVERIFY(!path.isEmpty());
    auto bytes = readRegularFile(path, 1024 * 1024, QStringLiteral("the .env file"));
    QVERIFY(!bytes.ok());
    QVERIFY2(bytes.error().message.contains(kind) && bytes.error().message.contains(path)
                 && bytes.error().message.contains(QLatin1String("the .env file")),
             qPrintable(bytes.error().message));
}

void TestBoundedFile::aFileOverItsCapIsRefused()
{
    const QString path = write(QStringLiteral("big"), QByteArray(2048, 'x'));
    auto bytes = readRegularFile(path, 1024, QStringLiteral("the service file"));
    QVERIFY(!bytes.ok());
    QVERIFY2(bytes.error().message.contains(QLatin1String("2048 bytes, more than the 1 kB it may")), qPrintable(bytes.error().message));
    QVERIFY(readRegularFile(path, 2048, QStringLiteral("the service file")).ok()); // exactly the cap is fine
}

void TestBoundedFile::aStreamIsReadToItsEndOrItsCap_data()
{
    QTest::addColumn<int>("bytes");
    QTest::addColumn<bool>("fits");
    QTest::newRow("under the cap, in many pieces") << 300000 << true;
    QTest::newRow("exactly the cap") << 400000 << true;
    QTest::newRow("over the cap") << 400001 << false;
}

void TestBoundedFile::aStreamIsReadToItsEndOrItsCap()
{
    // A pipe, as standard input is: a writer sends 1 kB pieces, so no single read holds it all.
    QFETCH(int, bytes);
    QFETCH(bool, fits);
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    std::thread writer([fd = fds[1], bytes] {
        const QByteArray piece(1024, 'x');
        for (int sent = 0; sent < bytes;) {
            const ssize_t n = ::write(fd, piece.constData(), size_t(qMin(qsizetype(bytes - sent), piece.size())));
            if (n <= 0)
                break;
            sent += int(n);
        }
        ::close(fd);
    });
    auto read = readStream(fds[0], 400000, QStringLiteral("Standard input"));
    ::close(fds[0]); // a writer still sending past the cap gets EPIPE and stops
    writer.join();
    QCOMPARE(read.ok(), fits);
    if (fits)
        QCOMPARE(read.value().size(), bytes);
    else
        QCOMPARE(read.error().message, QStringLiteral("Standard input holds more than the 390 kB it may"));
}

void TestBoundedFile::aDotEnvThatIsAFifoOrADeviceIsAnErrorNotAHang()
{
    for (const QString &target : {fifo(QStringLiteral("env-pipe")), QStringLiteral("/dev/zero")}) {
        QTemporaryDir project;
        QVERIFY(QFile::link(target, project.filePath(QStringLiteral(".env"))));
        const ProjectEnvironment env = loadProjectEnvironment({}, project.path());
        QVERIFY(env.dotEnvPath.isEmpty());
        QVERIFY2(env.error.contains(QLatin1String("only a regular file is read")), qPrintable(env.error));
    }
}

void TestBoundedFile::aServiceFileThatIsADeviceIsANote()
{
    QStringList notes;
    const auto profiles = profilesFromServiceFiles({{QStringLiteral("PGSERVICEFILE"), QStringLiteral("/dev/zero")},
                                                    {QStringLiteral("PGSYSCONFDIR"), m_dir.filePath(QStringLiteral("none"))}},
                                                   &notes);
    QVERIFY(profiles.isEmpty());
    QVERIFY2(notes.join(QLatin1Char('\n')).contains(QLatin1String("/dev/zero ignored: the service file /dev/zero is a device")),
             qPrintable(notes.join('\n')));
}

void TestBoundedFile::aLongDotEnvParsesInLinearTime()
{
    // 200,000 unquoted values and no "#": the comment search once ran to the end of the text for
    // every line (100,000 lines took over a minute); linear, this takes well under a second.
    QString text;
    for (int i = 0; i < 200000; ++i)
        text += QStringLiteral("KEY_%1=value %1\n").arg(i);
    auto env = parseDotEnv(text);
    QVERIFY(env.ok());
    QCOMPARE(env.value().values.size(), 200000);
    QCOMPARE(env.value().values.value(QStringLiteral("KEY_199999")), QStringLiteral("value 199999"));
}

QTEST_GUILESS_MAIN(TestBoundedFile)
#include "tst_boundedfile.moc"
