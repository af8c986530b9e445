// tests/unit/tst_cli.cpp — vwb's command-line contract: --help everywhere, exit 2 on usage errors.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void usageErrorsExitWithTwo_data();
    void usageErrorsExitWithTwo();
    void helpExitsWithZeroOnEveryCommand_data();
    void helpExitsWithZeroOnEveryCommand();
    void profilesJsonListsTheSandboxAndEnvironmentProfiles();
    void aMalformedDatabaseUrlIsAnErrorNotTheSandbox();
    void anUnreadableProjectDotEnvIsAnErrorNotTheSandbox();
    void savedProfilePasswordStaysOutOfTheSettingsFile();

private:
    struct Run
    {
        int code;
        QString out;
        QString err;
    };
    Run vwb(const QStringList &args, const QProcessEnvironment &env = {});
    QTemporaryDir m_home;
};

void TestCli::initTestCase()
{
    QVERIFY(m_home.isValid());
}

TestCli::Run TestCli::vwb(const QStringList &args, const QProcessEnvironment &extra)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
    for (const char *k : {"DATABASE_URL", "POSTGRES_HOST", "POSTGRES_DB", "NODE_ENV", "PGHOST", "PGSERVICE"})
        env.remove(QString::fromLatin1(k));
    for (const QString &k : extra.keys())
        env.insert(k, extra.value(k));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(VWB_CLI), args);
    if (!p.waitForFinished(30000))
        return {-1, {}, QStringLiteral("timed out")};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

void TestCli::usageErrorsExitWithTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("stderrContains");
    QTest::newRow("no command") << QStringList{} << "Usage: vwb <command>";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command \"frobnicate\"";
    QTest::newRow("unknown option") << QStringList{"check", "--bogus"} << "Unknown option 'bogus'";
    QTest::newRow("profile and url") << QStringList{"check", "--profile", "a", "--url", "postgres://h/db"} << "not both";
    QTest::newRow("malformed url") << QStringList{"check", "--url", "mysql://h/db"} << "mysql";
    QTest::newRow("unknown profile") << QStringList{"check", "--profile", "nope"} << "no profile named \"nope\"";
    // What a message quotes is shown, not sent: an escape code or a carriage return cannot act on the terminal.
    QTest::newRow("escape in a name") << QStringList{"check", "--profile", "n\x1b[2J\rok"} << "no profile named \"n\\x1b[2J\\x0dok\"";
    QTest::newRow("bad timeout") << QStringList{"check", "--timeout", "soon"} << "--timeout";
    QTest::newRow("sandbox without action") << QStringList{"sandbox"} << "give one action";
    QTest::newRow("sandbox bad action") << QStringList{"sandbox", "explode"} << "unknown action";
    QTest::newRow("sandbox bad port") << QStringList{"sandbox", "start", "--port", "70000"} << "--port";
    QTest::newRow("profiles save without url") << QStringList{"profiles", "save", "x"} << "needs --url";
    QTest::newRow("profiles bad action") << QStringList{"profiles", "rename"} << "unknown action";
    QTest::newRow("explain two statements") << QStringList{"explain", "SELECT 1; SELECT 2"} << "one statement";
    QTest::newRow("backfill bad workers") << QStringList{"backfill", "--workers", "0"} << "--workers must be 1-8";
    QTest::newRow("index bad action") << QStringList{"index", "rebuild"} << "list, create, drop or repair";
    QTest::newRow("index repair without name") << QStringList{"index", "repair"} << "repair needs the index name";
    QTest::newRow("then-vacuum without table") << QStringList{"reindex", "--then-vacuum", "--index", "i"} << "needs --table";
}

void TestCli::usageErrorsExitWithTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, stderrContains);
    const Run r = vwb(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(stderrContains), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QChar(0x1b)) && !r.err.contains(QLatin1Char('\r')), qPrintable(r.err));
}

void TestCli::helpExitsWithZeroOnEveryCommand_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("top") << QStringList{"--help"};
    QTest::newRow("profiles") << QStringList{"profiles", "--help"};
    QTest::newRow("check") << QStringList{"check", "--help"};
    QTest::newRow("sandbox") << QStringList{"sandbox", "--help"};
    QTest::newRow("explain") << QStringList{"explain", "--help"};
    QTest::newRow("index") << QStringList{"index", "--help"};
}

void TestCli::helpExitsWithZeroOnEveryCommand()
{
    QFETCH(QStringList, args);
    const Run r = vwb(args);
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.contains(QLatin1String("Usage: vwb")));
    if (args.size() > 1)
        QVERIFY2(r.out.contains(QLatin1String("--json")), qPrintable(r.out));
    else
        QVERIFY2(r.out.contains(QStringLiteral("(LangChain, LlamaIndex, pgai…)")), qPrintable(r.out));
    // UTF-8 decoded twice shows C1 control characters: "…" (E2 80 A6) read as Latin-1 holds U+0080.
    for (const QChar c : r.out)
        QVERIFY2(c.unicode() < 0x80 || c.unicode() > 0x9f, qPrintable(r.out));
}

void TestCli::profilesJsonListsTheSandboxAndEnvironmentProfiles()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("postgres://app:pw@prod.example.com/forum"));
    env.insert(QStringLiteral("NODE_ENV"), QStringLiteral("production"));
    const Run r = vwb({QStringLiteral("profiles"), QStringLiteral("--json")}, env);
    QCOMPARE(r.code, 0);
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("default")).toString(), QStringLiteral("production"));
    const QJsonArray profiles = json.value(QStringLiteral("profiles")).toArray();
    QCOMPARE(profiles.size(), 2);
    QCOMPARE(profiles.at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("sandbox"));
    const QJsonObject prod = profiles.at(1).toObject();
    QCOMPARE(prod.value(QStringLiteral("production")).toBool(), true);
    QCOMPARE(prod.value(QStringLiteral("sslmode")).toString(), QStringLiteral("require"));
    QVERIFY2(!r.out.contains(QLatin1String("pw@")), "no password in the listing");
    // vwb --help names the profile a command without --profile would use: here NODE_ENV's pick.
    const Run help = vwb({QStringLiteral("--help")}, env);
    QCOMPARE(help.code, 0);
    QVERIFY2(help.out.contains(QStringLiteral("Default profile: production (production, read-only) — from DATABASE_URL")),
             qPrintable(help.out));
    const Run plain = vwb({QStringLiteral("--help")});
    QVERIFY2(plain.out.contains(QStringLiteral("Default profile: sandbox — from private cluster in ")), qPrintable(plain.out));
}

void TestCli::aMalformedDatabaseUrlIsAnErrorNotTheSandbox()
{
    QProcessEnvironment env;
    env.insert(QStringLiteral("DATABASE_URL"), QStringLiteral("postgres://app:p%zz@prod.example.com/forum"));
    env.insert(QStringLiteral("NODE_ENV"), QStringLiteral("production"));
    // no --profile: NODE_ENV's production profile is unusable, and nothing stands in for it
    for (const QStringList &args :
         {QStringList{QStringLiteral("check")}, QStringList{QStringLiteral("migrate"), QStringLiteral("status")}}) {
        const Run r = vwb(args, env);
        QVERIFY2(r.code != 0, qPrintable(args.join(' ') + r.out));
        QVERIFY2(r.err.contains(QLatin1String("NODE_ENV=production picks the production profile, but DATABASE_URL"))
                     && r.err.contains(QLatin1String("malformed")),
                 qPrintable(r.err));
        QVERIFY2(!r.out.contains(QLatin1String("sandbox")) && !r.err.contains(QLatin1String("p%zz")), qPrintable(r.out + r.err));
    }
    const Run listed = vwb({QStringLiteral("profiles"), QStringLiteral("--json")}, env);
    QCOMPARE(listed.code, 0);
    const QJsonObject json = QJsonDocument::fromJson(listed.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("default")).toString(), QString());
    QVERIFY(json.value(QStringLiteral("default_error")).toString().contains(QLatin1String("DATABASE_URL")));
    const Run help = vwb({QStringLiteral("--help")}, env);
    QVERIFY2(help.code == 0 && help.out.contains(QLatin1String("Default profile: none (NODE_ENV=production picks")), qPrintable(help.out));
}

void TestCli::anUnreadableProjectDotEnvIsAnErrorNotTheSandbox()
{
    // --project names the application whose database is meant; its .env is a device here.
    QTemporaryDir project;
    QVERIFY(QFile::link(QStringLiteral("/dev/zero"), project.filePath(QStringLiteral(".env"))));
    const Run r = vwb({QStringLiteral("check"), QStringLiteral("--project"), project.path()});
    QVERIFY2(r.code != 0, qPrintable(r.out));
    QVERIFY2(r.err.contains(project.filePath(QStringLiteral(".env")) + QStringLiteral(" cannot be used: the .env file"))
                 && r.err.contains(QLatin1String("is a device")),
             qPrintable(r.err));
    QVERIFY2(!r.out.contains(QLatin1String("Connected")), qPrintable(r.out));
    // By name, a profile is still there to use.
    const Run named = vwb({QStringLiteral("profiles"), QStringLiteral("--project"), project.path()});
    QVERIFY2(named.code == 0 && named.out.contains(QLatin1String("no default profile: ")), qPrintable(named.out));
}

void TestCli::savedProfilePasswordStaysOutOfTheSettingsFile()
{
    const Run r = vwb({QStringLiteral("profiles"), QStringLiteral("save"), QStringLiteral("staging"), QStringLiteral("--url"),
                       QStringLiteral("postgres://u:Secret-Pw-42@db.example.com/forum")});
    QCOMPARE(r.code, 0);
    QFile settings(m_home.filePath(QStringLiteral("config/vector-workbench/profiles.ini")));
    QVERIFY2(settings.open(QIODevice::ReadOnly), qPrintable(settings.fileName()));
    const QByteArray text = settings.readAll();
    QVERIFY(text.contains("db.example.com"));
    QVERIFY(!text.contains("Secret-Pw-42"));
    const Run listed = vwb({QStringLiteral("profiles")});
    QVERIFY(listed.out.contains(QLatin1String("staging")));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
