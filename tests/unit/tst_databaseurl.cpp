// tests/unit/tst_databaseurl.cpp
#include "connection/DatabaseUrl.h"

#include <QTest>
#include <algorithm>
#include <libpq-fe.h>

using vwb::ConnectionParams;

namespace {

using Extra = QMap<QString, QString>;

ConnectionParams params(const QString &host, const QString &port, const QString &dbname, const QString &user = {},
                        const QString &password = {}, const QString &sslmode = {}, const Extra &extra = {})
{
    ConnectionParams p;
    p.host = host;
    p.port = port;
    p.dbname = dbname;
    p.user = user;
    p.password = password;
    p.sslmode = sslmode;
    p.extra = extra;
    return p;
}

QStringList flattened(const Extra &extra)
{
    QStringList out;
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        out << it.key() + QLatin1Char('=') + it.value();
    return out;
}

void compareParams(const ConnectionParams &actual, const ConnectionParams &expected)
{
    QCOMPARE(actual.host, expected.host);
    QCOMPARE(actual.port, expected.port);
    QCOMPARE(actual.dbname, expected.dbname);
    QCOMPARE(actual.user, expected.user);
    QCOMPARE(actual.password, expected.password);
    QCOMPARE(actual.sslmode, expected.sslmode);
    QCOMPARE(flattened(actual.extra), flattened(expected.extra));
}

const QString Secret = QStringLiteral("hunter2"); // every error row that carries a password uses this one

} // namespace

class TestDatabaseUrl : public QObject
{
    Q_OBJECT

private slots:
    void parsesConnectionUrls_data();
    void parsesConnectionUrls();
    void rejectsMalformedUrlsWithoutShowingThePassword_data();
    void rejectsMalformedUrlsWithoutShowingThePassword();
    void writesEncodedUrls_data();
    void writesEncodedUrls();
    void roundTripsThroughUrl_data();
    void roundTripsThroughUrl();
    void leavesPasswordOutUnlessAsked();
};

void TestDatabaseUrl::parsesConnectionUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<ConnectionParams>("expected");

    QTest::newRow("simple url") << "postgresql://alice:secret@db.example.com:5432/app"
                                << params("db.example.com", "5432", "app", "alice", "secret");
    QTest::newRow("postgres scheme") << "postgres://alice@db/app" << params("db", "", "app", "alice");
    QTest::newRow("scheme is case-insensitive") << "PostgreSQL://db/app" << params("db", "", "app");
    QTest::newRow("no user") << "postgresql://db.example.com/app" << params("db.example.com", "", "app");
    QTest::newRow("user without password") << "postgresql://alice@db/app" << params("db", "", "app", "alice");
    QTest::newRow("empty password") << "postgresql://alice:@db/app" << params("db", "", "app", "alice", "");
    QTest::newRow("password without user") << "postgresql://:secret@db/app" << params("db", "", "app", "", "secret");
    QTest::newRow("percent-encoded password with @ : / ?")
        << "postgresql://alice:p%40ss%3Aw%2Fo%3Frd%25@db/app" << params("db", "", "app", "alice", "p@ss:w/o?rd%");
    QTest::newRow("raw # and ! in password stay literal")
        << "postgresql://alice:pa#ss!@db/app" << params("db", "", "app", "alice", "pa#ss!");
    QTest::newRow("ipv4 host") << "postgresql://u@192.168.1.10:6543/app" << params("192.168.1.10", "6543", "app", "u");
    QTest::newRow("ipv6 host with port") << "postgresql://[2001:db8::1]:5433/app" << params("2001:db8::1", "5433", "app");
    QTest::newRow("ipv6 host without port") << "postgresql://[::1]/app" << params("::1", "", "app");
    QTest::newRow("ipv6 zone id, RFC 6874") << "postgresql://[fe80::1%25eth0]:5432/app" << params("fe80::1%eth0", "5432", "app");
    QTest::newRow("brackets hold whatever libpq takes") << "postgresql://[db.example.com]/app" << params("db.example.com", "", "app");
    QTest::newRow("socket directory as encoded host")
        << "postgresql://%2Fvar%2Frun%2Fpostgresql/app" << params("/var/run/postgresql", "", "app");
    QTest::newRow("socket directory in query") << "postgresql:///app?host=/tmp" << params("/tmp", "", "app");
    QTest::newRow("encoded socket directory and port in query")
        << "postgresql://alice@/app?host=%2Fvar%2Flib%2Fpostgresql&port=5433" << params("/var/lib/postgresql", "5433", "app", "alice");
    QTest::newRow("multiple hosts with ports") << "postgresql://h1:5432,h2:5433/app" << params("h1,h2", "5432,5433", "app");
    QTest::newRow("multiple hosts, first port missing") << "postgresql://h1,h2:5433/app" << params("h1,h2", ",5433", "app");
    QTest::newRow("multiple hosts without ports") << "postgresql://h1,h2,h3/app" << params("h1,h2,h3", "", "app");
    QTest::newRow("multiple hosts with ipv6") << "postgresql://[::1]:5432,db:5433/app" << params("::1,db", "5432,5433", "app");
    for (const char *mode : {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})
        QTest::addRow("sslmode=%s", mode) << QStringLiteral("postgresql://db/app?sslmode=") + QLatin1String(mode)
                                          << params("db", "", "app", "", "", QLatin1String(mode));
    QTest::newRow("ssl=true means require") << "postgresql://db/app?ssl=true" << params("db", "", "app", "", "", "require");
    QTest::newRow("ssl=1 means require") << "postgresql://db/app?ssl=1" << params("db", "", "app", "", "", "require");
    QTest::newRow("ssl=false means disable") << "postgresql://db/app?ssl=false" << params("db", "", "app", "", "", "disable");
    QTest::newRow("ssl=0 means disable") << "postgresql://db/app?ssl=0" << params("db", "", "app", "", "", "disable");
    QTest::newRow("sslmode wins over ssl") << "postgresql://db/app?sslmode=verify-full&ssl=false"
                                           << params("db", "", "app", "", "", "verify-full");
    QTest::newRow("application_name") << "postgresql://db/app?application_name=vector%20workbench"
                                      << params("db", "", "app", "", "", "", Extra{{"application_name", "vector workbench"}});
    QTest::newRow("connect_timeout") << "postgresql://db/app?connect_timeout=10"
                                     << params("db", "", "app", "", "", "", Extra{{"connect_timeout", "10"}});
    QTest::newRow("options with encoded spaces and =") << "postgresql://db/app?options=-c%20search_path%3Dx"
                                                       << params("db", "", "app", "", "", "", Extra{{"options", "-c search_path=x"}});
    QTest::newRow("several libpq keywords")
        << "postgresql://db/app?sslmode=verify-full&sslrootcert=/etc/ssl/root.crt&target_session_attrs=read-write"
           "&keepalives_idle=30&"
        << params("db", "", "app", "", "", "verify-full",
                  Extra{{"sslrootcert", "/etc/ssl/root.crt"}, {"target_session_attrs", "read-write"}, {"keepalives_idle", "30"}});
    {
        // Whatever this libpq knows (PostgreSQL 16 added load_balance_hosts and require_auth).
        QStringList keywords;
        PQconninfoOption *defaults = PQconndefaults();
        for (const PQconninfoOption *o = defaults; o && o->keyword; ++o)
            keywords << QString::fromUtf8(o->keyword);
        PQconninfoFree(defaults);
        for (const char *own : {"host", "port", "dbname", "user", "password", "sslmode"})
            keywords.removeAll(QLatin1String(own));
        QVERIFY(keywords.contains(QStringLiteral("target_session_attrs")));
        QStringList query;
        Extra extra;
        for (const QString &keyword : keywords) {
            query << keyword + QStringLiteral("=1");
            extra.insert(keyword, QStringLiteral("1"));
        }
        QTest::newRow("every libpq keyword goes to extra")
            << QStringLiteral("postgresql://db/app?") + query.join(u'&') << params("db", "", "app", "", "", "", extra);
    }
    QTest::newRow("later duplicate query key wins") << "postgresql://db/app?application_name=a&application_name=b"
                                                    << params("db", "", "app", "", "", "", Extra{{"application_name", "b"}});
    QTest::newRow("query overrides the parts before it")
        << "postgresql://a:x@h1:1/db1?user=b&password=p%26w&host=h2&port=2&dbname=db2" << params("h2", "2", "db2", "b", "p&w");
    QTest::newRow("empty database name") << "postgresql://db/" << params("db", "", "");
    QTest::newRow("no path") << "postgresql://db" << params("db", "", "");
    QTest::newRow("query without path") << "postgresql://db?sslmode=require" << params("db", "", "", "", "", "require");
    QTest::newRow("database name with encoded characters") << "postgresql://db/my%20db%2F2024%3F" << params("db", "", "my db/2024?");
    QTest::newRow("unicode user, encoded") << "postgresql://j%C3%BCrgen@db/%E6%95%B0%E6%8D%AE"
                                           << params("db", "", "数据", QStringLiteral("jürgen"));
    QTest::newRow("unicode user, raw") << QStringLiteral("postgresql://jürgen@db/app")
                                       << params("db", "", "app", QStringLiteral("jürgen"));
    QTest::newRow("empty port after colon") << "postgresql://db:/app" << params("db", "", "app");
    QTest::newRow("port only") << "postgresql://:5433/app" << params("", "5433", "app");
    QTest::newRow("nothing but the scheme") << "postgresql://" << ConnectionParams{};
    QTest::newRow("surrounding whitespace is trimmed") << "  postgresql://db/app\n" << params("db", "", "app");
}

void TestDatabaseUrl::parsesConnectionUrls()
{
    QFETCH(QString, url);
    QFETCH(ConnectionParams, expected);
    const auto parsed = vwb::parseDatabaseUrl(url);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    compareParams(parsed.value(), expected);
}

void TestDatabaseUrl::rejectsMalformedUrlsWithoutShowingThePassword_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("empty string") << ""
                                  << "empty";
    QTest::newRow("only whitespace") << "  \t"
                                     << "empty";
    QTest::newRow("other scheme") << "mysql://u:hunter2@h/db"
                                  << "\"mysql://\": use postgresql:// or postgres://";
    QTest::newRow("scheme ending in a line break") << "z\n://h/db" // found by fuzz_connectionstrings
                                                   << "Not a database URL";
    QTest::newRow("jdbc prefix") << "jdbc:postgresql://h/db"
                                 << "\"jdbc:postgresql://\"";
    QTest::newRow("no scheme") << "u:hunter2@db.example.com:5432/app"
                               << "Not a database URL";
    QTest::newRow("one slash after scheme") << "postgresql:/db"
                                            << "two slashes";
    QTest::newRow("keyword/value string") << "host=db dbname=app"
                                          << "Not a database URL";
    QTest::newRow("bad percent-encoding") << "postgresql://h/%zzdb"
                                          << "invalid percent-encoded token: \"%zzdb\"";
    QTest::newRow("truncated percent-encoding") << "postgresql://al%4@h/db"
                                                << "invalid percent-encoded token: \"al%4\"";
    QTest::newRow("truncated percent-encoding at end") << "postgresql://h/db%"
                                                       << "invalid percent-encoded token: \"db%\"";
    QTest::newRow("bad percent-encoding in password") << "postgresql://u:hunter2%zz@h/db"
                                                      << "invalid percent-encoded token: \"…\"";
    QTest::newRow("bad percent-encoding in password query") << "postgresql://h/db?password=hunter2%4"
                                                            << "invalid percent-encoded token: \"…\"";
    QTest::newRow("ipv6 zone id, bare %") << "postgresql://[fe80::1%eth0]/app"
                                          << "invalid percent-encoded token";
    QTest::newRow("encoded NUL") << "postgresql://h/db%00"
                                 << "forbidden value %00";
    QTest::newRow("encoded bytes not UTF-8") << "postgresql://h/%FF%FE"
                                             << "not valid UTF-8";
    QTest::newRow("non-numeric port") << "postgresql://u:hunter2@h:abc/db"
                                      << "port \"abc\"";
    QTest::newRow("port zero") << "postgresql://h:0/db"
                               << "port \"0\"";
    QTest::newRow("port too large") << "postgresql://h:65536/db"
                                    << "port \"65536\"";
    QTest::newRow("negative port") << "postgresql://h:-1/db"
                                   << "port \"-1\"";
    QTest::newRow("bad port in host list") << "postgresql://h1:5432,h2:x5/db"
                                           << "port \"x5\"";
    QTest::newRow("bad port in query") << "postgresql://h/db?port=5432,99999"
                                       << "port \"99999\"";
    QTest::newRow("unterminated [") << "postgresql://u:hunter2@[::1:5432/db"
                                    << "looking for matching \"]\"";
    QTest::newRow("empty brackets") << "postgresql://[]:5432/db"
                                    << "IPv6 host address may not be empty";
    QTest::newRow("text after ]") << "postgresql://[::1]x/db"
                                  << "unexpected character \"x\"";
    QTest::newRow("bad sslmode") << "postgresql://h/db?sslmode=required"
                                 << "\"required\" in the database URL: use one of disable, allow, prefer, require, "
                                    "verify-ca, verify-full";
    QTest::newRow("bad ssl value") << "postgresql://h/db?ssl=yes"
                                   << "ssl \"yes\"";
    QTest::newRow("unknown query key") << "postgresql://u:hunter2@h/db?schema=public"
                                       << "invalid URI query parameter: \"schema\"";
    QTest::newRow("query item without =") << "postgresql://h/db?sslmode"
                                          << "missing key/value separator \"=\"";
    QTest::newRow("password item without =") << "postgresql://h/db?password"
                                             << "missing key/value separator \"=\"";
    QTest::newRow("second = in a value") << "postgresql://h/db?password=hunter2=x"
                                         << "extra key/value separator \"=\"";
    QTest::newRow("non-integer connect_timeout") << "postgresql://h/db?connect_timeout=ten"
                                                 << "connect_timeout \"ten\" in the database URL: must be an integer";
    QTest::newRow("whitespace inside") << "postgresql://u:hunter2@h/my db"
                                       << "whitespace at position 28";
    QTest::newRow("tab inside") << "postgresql://h/db?\tsslmode=require"
                                << "whitespace";
    QTest::newRow("unencoded @ in password") << "postgresql://u:hunt@er2@h/db"
                                             << "%40";
    QTest::newRow("unencoded / in password") << "postgresql://u:hun/ter2@h/db"
                                             << "%2F";
    QTest::newRow("unencoded ? in password") << "postgresql://u:hun?ter2@h/db"
                                             << "%3F";
    // Values are percent-decoded before they are quoted back (fuzz_connectionstrings, 2.6 million inputs):
    QTest::newRow("line break in the port") << "postgresql://:%0AE>"
                                            << "Invalid port \"\\x0aE>\"";
    QTest::newRow("escape in sslmode") << "postgresql://h/db?sslmode=%1B[2J"
                                       << "Invalid sslmode \"\\x1b[2J\"";
    QTest::newRow("carriage return in an integer") << "postgresql://h/db?connect_timeout=1%0D"
                                                   << "connect_timeout \"1\\x0d\"";
}

void TestDatabaseUrl::rejectsMalformedUrlsWithoutShowingThePassword()
{
    QFETCH(QString, url);
    QFETCH(QString, messagePart);
    const auto parsed = vwb::parseDatabaseUrl(url);
    QVERIFY(!parsed.ok());
    const vwb::Error &error = parsed.error();
    QCOMPARE(error.kind, vwb::Error::Kind::Invalid);
    QVERIFY2(error.message.contains(messagePart), qPrintable(error.message));
    QVERIFY2(!error.message.contains(Secret), qPrintable(error.message));
    QVERIFY2(std::none_of(error.message.cbegin(), error.message.cend(), [](QChar c) { return c.category() == QChar::Other_Control; }),
             qPrintable(error.message)); // one line, nothing that acts on a terminal
}

void TestDatabaseUrl::writesEncodedUrls_data()
{
    QTest::addColumn<ConnectionParams>("params");
    QTest::addColumn<QString>("expected");

    QTest::newRow("full url with sslmode") << params("db.example.com", "5432", "app", "alice", "secret", "require")
                                           << "postgresql://alice:secret@db.example.com:5432/app?sslmode=require";
    QTest::newRow("reserved characters encoded")
        << params("db", "", "my db", "al ice", "p@ss:w/o?r#d&=%") << "postgresql://al%20ice:p%40ss%3Aw%2Fo%3Fr%23d%26%3D%25@db/my%20db";
    QTest::newRow("ipv6 in brackets") << params("::1", "5433", "app") << "postgresql://[::1]:5433/app";
    QTest::newRow("ipv6 zone id") << params("fe80::1%eth0", "", "app") << "postgresql://[fe80::1%25eth0]/app";
    QTest::newRow("socket directory in query") << params("/var/run/postgresql", "5433", "app", "alice")
                                               << "postgresql://alice@/app?host=/var/run/postgresql&port=5433";
    QTest::newRow("multiple hosts, partial ports") << params("h1,h2", ",5433", "app") << "postgresql://h1,h2:5433/app";
    QTest::newRow("one port for every host") << params("h1,h2", "5433", "app") << "postgresql://h1,h2/app?port=5433";
    QTest::newRow("extra keywords in key order")
        << params("db", "", "", "", "", "verify-full", Extra{{"options", "-c search_path=x"}, {"application_name", "vector workbench"}})
        << "postgresql://db/?sslmode=verify-full&application_name=vector%20workbench&options=-c%20search_path%3Dx";
    QTest::newRow("unicode user") << params("db", "", "app", QStringLiteral("jürgen")) << "postgresql://j%C3%BCrgen@db/app";
    QTest::newRow("nothing") << ConnectionParams{} << "postgresql://";
}

void TestDatabaseUrl::writesEncodedUrls()
{
    QFETCH(ConnectionParams, params);
    QFETCH(QString, expected);
    QCOMPARE(vwb::toDatabaseUrl(params, true), expected);
}

void TestDatabaseUrl::roundTripsThroughUrl_data()
{
    QTest::addColumn<ConnectionParams>("params");

    QTest::newRow("simple") << params("db.example.com", "5432", "app", "alice", "secret", "verify-full");
    QTest::newRow("password with every reserved character")
        << params("db", "", "app", "alice", QStringLiteral(":/?#[]@!$&'()*+,;=% \"<>\\^`{|}"));
    QTest::newRow("password without user") << params("db", "", "app", "", "secret");
    QTest::newRow("unicode everywhere") << params("db", "", QStringLiteral("données"), QStringLiteral("jürgen"),
                                                  QStringLiteral("pässwörd🔑"));
    QTest::newRow("ipv6 with port") << params("2001:db8::1", "5433", "app", "alice");
    QTest::newRow("ipv6 zone id") << params("fe80::1%eth0", "5432", "app");
    QTest::newRow("socket directory") << params("/var/run/postgresql", "5433", "app", "alice");
    QTest::newRow("multiple hosts, ipv6 and a missing port") << params("h1,::1,h3", "5432,,5434", "app");
    QTest::newRow("one port for every host") << params("h1,h2", "5433", "app");
    // What libpq takes between brackets, found by fuzz_connectionstrings: a raw @ or / in there
    // had ended the user part or the host when written back.
    QTest::newRow("a bracketed host no address looks like") << params(QStringLiteral("\uFFFD/,=@:\uFFFD\x1f]x"), "", "app");
    QTest::newRow("extras with spaces and =") << params("db", "", "app", "", "", "require",
                                                        Extra{{"options", "-c search_path=x,public"},
                                                              {"application_name", "vector workbench"},
                                                              {"sslrootcert", "/etc/ssl/root.crt"},
                                                              {"connect_timeout", "10"}});
    QTest::newRow("database name with slash and question mark") << params("db", "", "a/b?c");
    QTest::newRow("empty") << ConnectionParams{};
}

void TestDatabaseUrl::roundTripsThroughUrl()
{
    QFETCH(ConnectionParams, params);
    const QString url = vwb::toDatabaseUrl(params, true);
    const auto parsed = vwb::parseDatabaseUrl(url);
    QVERIFY2(parsed.ok(), qPrintable(url + QStringLiteral(": ") + (parsed.ok() ? QString() : parsed.error().message)));
    compareParams(parsed.value(), params);
    QVERIFY(parsed.value() == params);
}

void TestDatabaseUrl::leavesPasswordOutUnlessAsked()
{
    const ConnectionParams withUser = params("db", "", "app", "alice", Secret);
    QCOMPARE(vwb::toDatabaseUrl(withUser), QStringLiteral("postgresql://alice@db/app"));
    QCOMPARE(vwb::toDatabaseUrl(withUser, true), QStringLiteral("postgresql://alice:hunter2@db/app"));
    const ConnectionParams withoutUser = params("db", "", "app", "", Secret);
    QCOMPARE(vwb::toDatabaseUrl(withoutUser), QStringLiteral("postgresql://db/app"));
}

QTEST_GUILESS_MAIN(TestDatabaseUrl)
#include "tst_databaseurl.moc"
