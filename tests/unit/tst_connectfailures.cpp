// tests/unit/tst_connectfailures.cpp — a failed connect says what went wrong, in one line, quickly.
// Only loopback peers: a refused port, a silent listener, a listener that is not PostgreSQL.
#include "connection/PgConnection.h"
#include <QElapsedTimer>
#include <QTest>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace vwb;

class TestConnectFailures : public QObject
{
    Q_OBJECT
private slots:
    void libpqMessagesBecomeOneLineCauses_data();
    void libpqMessagesBecomeOneLineCauses();
    void refusedPortIsNamedAtOnce();
    void silentListenerTimesOutOnTheDeadline();
    void foreignServerIsNamed();
};

namespace {
/// A loopback listener; returns its fd and port. The kernel completes TCP handshakes for it
/// whether or not anybody calls accept().
int listenLoopback(int *port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr);
    ::listen(fd, 4);
    ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len);
    *port = ntohs(addr.sin_port);
    return fd;
}

ConnectionProfile loopback(int port)
{
    ConnectionProfile p;
    p.name = QStringLiteral("t");
    p.params.host = QStringLiteral("127.0.0.1");
    p.params.port = QString::number(port);
    p.params.user = QStringLiteral("u");
    p.params.dbname = QStringLiteral("d");
    return p;
}
} // namespace

void TestConnectFailures::libpqMessagesBecomeOneLineCauses_data()
{
    QTest::addColumn<QString>("libpq");
    QTest::addColumn<QString>("sqlState");
    QTest::addColumn<QString>("startsWith");
    const QString at = QStringLiteral("connection to server at \"db\" (10.0.0.5), port 5432 failed: ");
    QTest::newRow("wrong password") << at + "FATAL:  password authentication failed for user \"app\"\n"
                                    << "28P01"
                                    << "Wrong password for user \"app\"";
    QTest::newRow("database missing") << at + "FATAL:  database \"forum\" does not exist\n"
                                      << "3D000"
                                      << "Database \"forum\" does not exist";
    QTest::newRow("role missing") << at + "FATAL:  role \"bob\" does not exist\n"
                                  << "28000"
                                  << "User \"bob\" does not exist";
    QTest::newRow("tls required by pg_hba")
        << at + "FATAL:  no pg_hba.conf entry for host \"1.2.3.4\", user \"app\", database \"forum\", no encryption\n"
        << "28000"
        << "The server requires TLS";
    QTest::newRow("pg_hba rejects") << at
                                           + "FATAL:  no pg_hba.conf entry for host \"1.2.3.4\", user \"app\", "
                                             "database \"forum\", SSL encryption\n"
                                    << "28000"
                                    << "The server's pg_hba.conf rejects";
    QTest::newRow("server without tls") << at + "server does not support SSL, but SSL was required\n"
                                        << "08001"
                                        << "TLS was required but";
    QTest::newRow("certificate") << at + "SSL error: certificate verify failed\n"
                                 << "08001"
                                 << "The server's TLS certificate could not be verified";
    QTest::newRow("no root cert") << "root certificate file \"/root/.postgresql/root.crt\" does not exist\n"
                                  << "08001"
                                  << "The server's TLS certificate could not be verified";
    QTest::newRow("refused") << at + "Connection refused\n\tIs the server running on that host?\n"
                             << "08001"
                             << "Nothing is listening at";
    QTest::newRow("unknown host") << "could not translate host name \"db\" to address: Name or service not known\n"
                                  << "08001"
                                  << "Unknown host name \"db\"";
    QTest::newRow("socket missing") << "connection to server on socket \"/tmp/.s.PGSQL.5432\" failed: No such file or directory\n"
                                    << "08001"
                                    << "No server socket in db";
    QTest::newRow("timeout") << at + "timeout expired\n"
                             << "08001"
                             << "No answer from";
    QTest::newRow("no route") << at + "No route to host\n"
                              << "08001"
                              << "Host unreachable";
    QTest::newRow("full") << at + "FATAL:  sorry, too many clients already: too many connections\n"
                          << "53300"
                          << "The server has no free connection slots";
    QTest::newRow("starting up") << at + "FATAL:  the database system is starting up\n"
                                 << "57P03"
                                 << "The server is starting up";
    QTest::newRow("not postgres") << at + "received invalid response to SSL negotiation: H\n"
                                  << "08P01"
                                  << "Something other than PostgreSQL answered";
    QTest::newRow("anything else") << "some new failure\nsecond line\n"
                                   << ""
                                   << "some new failure";
}

void TestConnectFailures::libpqMessagesBecomeOneLineCauses()
{
    QFETCH(QString, libpq);
    QFETCH(QString, sqlState);
    QFETCH(QString, startsWith);
    ConnectionParams params;
    params.host = QStringLiteral("db");
    params.user = QStringLiteral("app");
    const Error e = PgConnection::classifyConnectFailure(libpq, params);
    QCOMPARE(e.kind, Error::Kind::Connection);
    QCOMPARE(e.sqlState, sqlState);
    QVERIFY2(e.message.startsWith(startsWith), qPrintable(e.message));
    QVERIFY(!e.message.contains(QLatin1Char('\n')));
}

void TestConnectFailures::refusedPortIsNamedAtOnce()
{
    int port = 0;
    ::close(listenLoopback(&port)); // a port that was just free and now has no listener
    QElapsedTimer clock;
    clock.start();
    auto conn = PgConnection::open(loopback(port));
    QVERIFY(!conn.ok());
    QVERIFY(clock.elapsed() < 2000);
    QVERIFY2(conn.error().message.contains(QLatin1String("connection refused")), qPrintable(conn.error().message));
}

void TestConnectFailures::silentListenerTimesOutOnTheDeadline()
{
    int port = 0;
    const int fd = listenLoopback(&port);
    QElapsedTimer clock;
    clock.start();
    auto conn = PgConnection::open(loopback(port), {1000, QStringLiteral("t")});
    const qint64 ms = clock.elapsed();
    ::close(fd);
    QVERIFY(!conn.ok());
    QVERIFY2(ms >= 900 && ms < 3000, qPrintable(QString::number(ms)));
    QVERIFY2(conn.error().message.startsWith(QLatin1String("No answer from")), qPrintable(conn.error().message));
}

void TestConnectFailures::foreignServerIsNamed()
{
    int port = 0;
    const int fd = listenLoopback(&port);
    std::thread http([fd] { // answers whatever comes with an HTTP error, as a web server would
        const int client = ::accept(fd, nullptr, nullptr);
        char buf[64];
        (void)::read(client, buf, sizeof buf);
        const char reply[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
        (void)::write(client, reply, sizeof reply - 1);
        ::close(client);
    });
    auto conn = PgConnection::open(loopback(port), {3000, QStringLiteral("t")});
    http.join();
    ::close(fd);
    QVERIFY(!conn.ok());
    QVERIFY2(conn.error().message.startsWith(QLatin1String("Something other than PostgreSQL")), qPrintable(conn.error().message));
}

QTEST_GUILESS_MAIN(TestConnectFailures)
#include "tst_connectfailures.moc"
