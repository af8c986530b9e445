// tests/unit/tst_environmentprofiles.cpp — profiles from a Node service's environment.
#include "connection/EnvironmentProfiles.h"
#include "connection/ProfileCatalog.h"
#include "sandbox/LocalCluster.h"
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace vwb;
Q_DECLARE_METATYPE(vwb::Environment)

class TestEnvironmentProfiles : public QObject
{
    Q_OBJECT
private slots:
    void profilesFromVariables_data();
    void profilesFromVariables();
    void nodeEnvPicksTheDefaultLikeAKnexfile_data();
    void nodeEnvPicksTheDefaultLikeAKnexfile();
    void productionDefaultsToTlsThatDoesNotVerifyAndWarns();
    void productionVerifyFullHasNoWarning();
    void productionWithSslDisabledIsRefused();
    void serviceFileSectionsBecomeProfiles();
    void dotEnvFillsWhatTheProcessLacksButNeverOverrides();
    void missingDotEnvIsANoteNotAFailure();
    void anUnusableProjectPicksNoDefault_data();
    void anUnusableProjectPicksNoDefault();
    void catalogAlwaysHasTheSandboxFirst();
};

void TestEnvironmentProfiles::profilesFromVariables_data()
{
    QTest::addColumn<Environment>("env");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QString>("firstTarget");
    QTest::addColumn<QString>("noteContains");

    QTest::newRow("nothing set") << Environment{} << QStringList{} << QString() << QString();
    QTest::newRow("development from POSTGRES_*") << Environment{{"POSTGRES_HOST", "db.local"},
                                                                {"POSTGRES_PORT", "5433"},
                                                                {"POSTGRES_DB", "forum"},
                                                                {"POSTGRES_USER", "app"},
                                                                {"POSTGRES_PASSWORD", "s3cret"}}
                                                 << QStringList{"development"} << "app@db.local:5433/forum" << QString();
    QTest::newRow("development with only a database")
        << Environment{{"POSTGRES_DB", "forum"}} << QStringList{"development"} << "(default host)/forum" << QString();
    QTest::newRow("bad POSTGRES_PORT is skipped with a note")
        << Environment{{"POSTGRES_HOST", "h"}, {"POSTGRES_PORT", "fivefour"}} << QStringList{} << QString()
        << "POSTGRES_PORT \"fivefour\" is not a port number";
    QTest::newRow("production from DATABASE_URL") << Environment{{"DATABASE_URL", "postgresql://u:p@prod.example.com:6543/main"}}
                                                  << QStringList{"production"} << "u@prod.example.com:6543/main" << QString();
    QTest::newRow("malformed DATABASE_URL is a note")
        << Environment{{"DATABASE_URL", "mysql://u@h/db"}} << QStringList{} << QString() << "DATABASE_URL ignored";
    QTest::newRow("both, in knexfile order") << Environment{{"POSTGRES_HOST", "localhost"}, {"DATABASE_URL", "postgres://u@h/db"}}
                                             << QStringList{"development", "production"} << "localhost" << QString();
    QTest::newRow("libpq PG* variables") << Environment{{"PGHOST", "/var/run/postgresql"}, {"PGDATABASE", "forum"}, {"PGUSER", "me"}}
                                         << QStringList{"pg-env"} << "me@/var/run/postgresql/forum" << QString();
    QTest::newRow("PGSERVICE alone") << Environment{{"PGSERVICE", "analytics"}} << QStringList{"pg-env"} << "service=analytics"
                                     << QString();
}

void TestEnvironmentProfiles::profilesFromVariables()
{
    QFETCH(Environment, env);
    QFETCH(QStringList, names);
    QFETCH(QString, firstTarget);
    QFETCH(QString, noteContains);
    QStringList notes;
    const QList<ConnectionProfile> profiles = profilesFromEnvironment(env, QStringLiteral("test"), &notes);
    QStringList got;
    for (const auto &p : profiles)
        got << p.name;
    QCOMPARE(got, names);
    if (!profiles.isEmpty())
        QCOMPARE(profiles.first().params.displayTarget(), firstTarget);
    if (noteContains.isEmpty())
        QVERIFY2(notes.isEmpty(), qPrintable(notes.join(QLatin1Char('|'))));
    else
        QVERIFY2(notes.join(QLatin1Char('|')).contains(noteContains), qPrintable(notes.join(QLatin1Char('|'))));
}

void TestEnvironmentProfiles::nodeEnvPicksTheDefaultLikeAKnexfile_data()
{
    QTest::addColumn<QString>("nodeEnv");
    QTest::addColumn<QStringList>("available");
    QTest::addColumn<QString>("expected");
    const QStringList both{"sandbox", "development", "production"};
    QTest::newRow("unset means development") << QString() << both << "development";
    QTest::newRow("production") << "production" << both << "production";
    QTest::newRow("development") << "development" << both << "development";
    QTest::newRow("unknown entry falls back") << "staging" << both << "sandbox";
    QTest::newRow("production asked but absent") << "production" << QStringList{"sandbox", "development"} << "sandbox";
}

void TestEnvironmentProfiles::nodeEnvPicksTheDefaultLikeAKnexfile()
{
    QFETCH(QString, nodeEnv);
    QFETCH(QStringList, available);
    QFETCH(QString, expected);
    Environment env;
    if (!nodeEnv.isEmpty())
        env.insert(QStringLiteral("NODE_ENV"), nodeEnv);
    QCOMPARE(defaultProfileName(env, available, QStringLiteral("sandbox")), expected);
}

void TestEnvironmentProfiles::productionDefaultsToTlsThatDoesNotVerifyAndWarns()
{
    QStringList notes;
    const auto profiles = profilesFromEnvironment({{"DATABASE_URL", "postgres://u@h/db"}}, {}, &notes);
    QCOMPARE(profiles.size(), 1);
    const ConnectionProfile &p = profiles.first();
    QVERIFY(p.production);
    QCOMPARE(p.effectiveSslMode(), QStringLiteral("require"));
    QVERIFY(p.validate().ok());
    QCOMPARE(p.warnings().size(), 1);
    QVERIFY(p.warnings().first().contains(QLatin1String("rejectUnauthorized: false")));
}

void TestEnvironmentProfiles::productionVerifyFullHasNoWarning()
{
    QStringList notes;
    const auto profiles = profilesFromEnvironment({{"DATABASE_URL", "postgres://u@h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem"}}, {},
                                                  &notes);
    QCOMPARE(profiles.first().effectiveSslMode(), QStringLiteral("verify-full"));
    QVERIFY(profiles.first().warnings().isEmpty());
}

void TestEnvironmentProfiles::productionWithSslDisabledIsRefused()
{
    QStringList notes;
    const auto profiles = profilesFromEnvironment({{"DATABASE_URL", "postgres://u@h/db?sslmode=disable"}}, {}, &notes);
    QCOMPARE(profiles.size(), 1);
    const auto valid = profiles.first().validate();
    QVERIFY(!valid.ok());
    QVERIFY(valid.error().message.contains(QLatin1String("requires TLS")));
}

void TestEnvironmentProfiles::serviceFileSectionsBecomeProfiles()
{
    QStringList warnings;
    const auto services = parseServiceFile(QStringLiteral("# comment\n[analytics]\nhost=db1\nport = 5433\n\n"
                                                          "[reporting]\ndbname=rep\nsslmode=verify-full\n"
                                                          "stray line\npassword PWx9Q\nPWx9Q-alone\n"),
                                           &warnings);
    QCOMPARE(services.keys(), (QStringList{"analytics", "reporting"}));
    QCOMPARE(services.value("analytics").value("port"), QStringLiteral("5433"));
    QCOMPARE(warnings.size(), 3);
    QVERIFY(warnings.first().startsWith(QLatin1String("line 9")));
    // a line without '=' is never echoed: it may be a password
    QVERIFY2(warnings.at(1).startsWith(QLatin1String("line 10: no '=' after password")), qPrintable(warnings.at(1)));
    QVERIFY2(!warnings.join(QLatin1Char('|')).contains(QLatin1String("PWx9Q")), qPrintable(warnings.join(QLatin1Char('|'))));

    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("services.conf")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[analytics]\nhost=db1\n");
    file.close();
    QStringList notes;
    const auto profiles = profilesFromServiceFiles(
        {{"PGSERVICEFILE", file.fileName()}, {"PGSYSCONFDIR", dir.filePath(QStringLiteral("none"))}}, &notes);
    QCOMPARE(profiles.size(), 1);
    QCOMPARE(profiles.first().name, QStringLiteral("service:analytics"));
    QCOMPARE(profiles.first().params.extra.value(QStringLiteral("service")), QStringLiteral("analytics"));
}

void TestEnvironmentProfiles::dotEnvFillsWhatTheProcessLacksButNeverOverrides()
{
    QTemporaryDir project;
    QFile env(project.filePath(QStringLiteral(".env")));
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("POSTGRES_HOST=from-file\nPOSTGRES_DB=forum\nNODE_ENV=production\n"
              "DATABASE_URL=postgresql://u:p%40ss@prod.example.com/main\n");
    env.close();
    const ProjectEnvironment merged = loadProjectEnvironment({{"POSTGRES_HOST", "from-process"}}, project.path());
    QCOMPARE(merged.dotEnvPath, env.fileName());
    QCOMPARE(merged.vars.value("POSTGRES_HOST"), QStringLiteral("from-process"));
    QCOMPARE(merged.vars.value("POSTGRES_DB"), QStringLiteral("forum"));

    QTemporaryDir config;
    CatalogOptions options;
    options.projectDir = project.path();
    options.settingsPath = config.filePath(QStringLiteral("profiles.ini"));
    options.sandbox = LocalCluster(config.filePath(QStringLiteral("sandbox"))).profile();
    const ProfileCatalog catalog = ProfileCatalog::load({{"HOME", config.path()}}, options);
    QCOMPARE(catalog.defaultName, QStringLiteral("production")); // NODE_ENV from the .env
    QCOMPARE(catalog.find(QStringLiteral("production"))->params.password, QStringLiteral("p@ss"));
}

void TestEnvironmentProfiles::missingDotEnvIsANoteNotAFailure()
{
    QTemporaryDir project;
    const ProjectEnvironment merged = loadProjectEnvironment({}, project.path());
    QVERIFY(merged.dotEnvPath.isEmpty());
    QCOMPARE(merged.notes.size(), 1);
    QVERIFY(merged.notes.first().startsWith(QLatin1String("no .env in")));
}

void TestEnvironmentProfiles::anUnusableProjectPicksNoDefault_data()
{
    QTest::addColumn<QByteArray>("dotEnv"); // empty: no project folder at all
    QTest::addColumn<QString>("error");
    QTest::newRow("malformed .env") << QByteArray("POSTGRES_HOST=db\nPOSTGRES_PORT=\"5432\nPOSTGRES_DB=forum\n")
                                    << "/.env cannot be used: line 2: unterminated double quote in the value of POSTGRES_PORT";
    QTest::newRow("no such folder") << QByteArray() << "/missing does not exist";
}

void TestEnvironmentProfiles::anUnusableProjectPicksNoDefault()
{
    // The .env may hold the profile wanted or name it (NODE_ENV): the sandbox in its place would
    // run a command against another database and exit 0.
    QFETCH(QByteArray, dotEnv);
    QFETCH(QString, error);
    QTemporaryDir config;
    CatalogOptions options;
    options.projectDir = config.filePath(QStringLiteral("missing"));
    if (!dotEnv.isEmpty()) {
        options.projectDir = config.path();
        QFile env(config.filePath(QStringLiteral(".env")));
        QVERIFY(env.open(QIODevice::WriteOnly));
        env.write(dotEnv);
    }
    options.settingsPath = config.filePath(QStringLiteral("profiles.ini"));
    options.sandbox = LocalCluster(config.filePath(QStringLiteral("sandbox"))).profile();
    const ProfileCatalog catalog = ProfileCatalog::load({{"HOME", config.path()}}, options);
    QVERIFY(catalog.defaultName.isEmpty());
    QVERIFY2(catalog.defaultError.contains(error) && catalog.defaultError.endsWith(QLatin1String("or name a profile (--profile)")),
             qPrintable(catalog.defaultError));
    QVERIFY(catalog.find(QStringLiteral("sandbox"))); // still there by name
}

void TestEnvironmentProfiles::catalogAlwaysHasTheSandboxFirst()
{
    QTemporaryDir config;
    CatalogOptions options;
    options.settingsPath = config.filePath(QStringLiteral("profiles.ini"));
    options.sandbox = LocalCluster(config.filePath(QStringLiteral("sandbox"))).profile();
    const ProfileCatalog catalog = ProfileCatalog::load({{"HOME", config.path()}}, options);
    QCOMPARE(catalog.names(), QStringList{QStringLiteral("sandbox")});
    QCOMPARE(catalog.defaultName, QStringLiteral("sandbox"));
    QCOMPARE(catalog.profiles.first().source, ProfileSource::Sandbox);
}

QTEST_GUILESS_MAIN(TestEnvironmentProfiles)
#include "tst_environmentprofiles.moc"
