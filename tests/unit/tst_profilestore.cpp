// tests/unit/tst_profilestore.cpp — saved profiles never hold a password.
#include "connection/DatabaseUrl.h"
#include "connection/ProfileCatalog.h"
#include "connection/ProfileStore.h"
#include "core/ShownText.h"
#include "connection/SecretStore.h"
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace vwb;

class TestProfileStore : public QObject
{
    Q_OBJECT
private slots:
    void savedProfileRoundTripsWithoutItsPassword();
    void noSettingsFileEverContainsThePassword();
    void passwordWithoutAKeychainIsAskedPerSession();
    void reservedAndBlankNamesAreRefused_data();
    void reservedAndBlankNamesAreRefused();
    void saveReplacesAndRemoveDeletes();
    void aTargetShowsNoControlCharactersRaw();
    void savedPasswordIsFoundThroughTheSessionStore();
};

namespace {
ConnectionProfile sample(const QString &name, const QString &password)
{
    ConnectionProfile p;
    p.name = name;
    p.production = true;
    p.params.host = QStringLiteral("db.example.com");
    p.params.port = QStringLiteral("5432");
    p.params.dbname = QStringLiteral("forum");
    p.params.user = QStringLiteral("support");
    p.params.password = password;
    p.params.sslmode = QStringLiteral("verify-full");
    p.params.extra.insert(QStringLiteral("sslrootcert"), QStringLiteral("/etc/ssl/ca.pem"));
    return p;
}
} // namespace

void TestProfileStore::savedProfileRoundTripsWithoutItsPassword()
{
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("profiles.ini")));
    MemorySecretStore secrets;
    auto saved = store.save(sample(QStringLiteral("prod eu"), QStringLiteral("hunter2-Zq9")), &secrets);
    QVERIFY(saved.ok());
    QVERIFY(saved.value().contains(QLatin1String("memory")));
    const auto loaded = store.load();
    QCOMPARE(loaded.size(), 1);
    ConnectionProfile expected = sample(QStringLiteral("prod eu"), QString());
    QCOMPARE(loaded.first().params, expected.params);
    QVERIFY(loaded.first().production);
    QCOMPARE(secrets.read(ProfileStore::secretKey(QStringLiteral("prod eu"))).value(), QStringLiteral("hunter2-Zq9"));
}

void TestProfileStore::noSettingsFileEverContainsThePassword()
{
    QTemporaryDir dir;
    const QString password = QStringLiteral("Pw-unique-7f3a9c");
    ProfileStore store(dir.filePath(QStringLiteral("vector-workbench/profiles.ini")));
    ConnectionProfile p = sample(QStringLiteral("p1"), password);
    p.params.extra.insert(QStringLiteral("sslpassword"), password); // a secret hiding as an extra parameter
    MemorySecretStore secrets;
    QVERIFY(store.save(p, &secrets).ok());
    store.setLastUsed(QStringLiteral("p1"));
    int files = 0;
    QDirIterator it(dir.path(), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY2(!bytes.contains(password.toUtf8()), qPrintable(f.fileName()));
        QVERIFY(!bytes.contains(QUrl::toPercentEncoding(password)));
        ++files;
    }
    QVERIFY(files >= 1);
}

void TestProfileStore::passwordWithoutAKeychainIsAskedPerSession()
{
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("profiles.ini")));
    auto saved = store.save(sample(QStringLiteral("p2"), QStringLiteral("pw")), nullptr);
    QVERIFY(saved.ok());
    QVERIFY(saved.value().contains(QLatin1String("asked once per session")));
}

void TestProfileStore::reservedAndBlankNamesAreRefused_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("blank") << QStringLiteral("   ");
    QTest::newRow("sandbox") << QStringLiteral("sandbox");
    QTest::newRow("production") << QStringLiteral("production");
    QTest::newRow("development") << QStringLiteral("development");
    QTest::newRow("service prefix") << QStringLiteral("service:x");
    QTest::newRow("too long") << QString(65, QLatin1Char('n'));
    QTest::newRow("newline") << QStringLiteral("prod\nsandbox");
    QTest::newRow("tab") << QStringLiteral("a\tb");
    QTest::newRow("escape code") << QStringLiteral("x\x1b[31mred");
    QTest::newRow("bidi override") << QStringLiteral("abc\u202Edef");
}

void TestProfileStore::reservedAndBlankNamesAreRefused()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("profiles.ini")));
    auto saved = store.save(sample(name, {}), nullptr);
    QVERIFY(!saved.ok());
    QCOMPARE(saved.error().kind, Error::Kind::Invalid);
    QVERIFY(store.load().isEmpty());
}

void TestProfileStore::saveReplacesAndRemoveDeletes()
{
    QTemporaryDir dir;
    ProfileStore store(dir.filePath(QStringLiteral("profiles.ini")));
    MemorySecretStore secrets;
    QVERIFY(store.save(sample(QStringLiteral("a"), QStringLiteral("x")), &secrets).ok());
    ConnectionProfile b = sample(QStringLiteral("a"), {});
    b.params.host = QStringLiteral("other");
    QVERIFY(store.save(b, &secrets).ok());
    QCOMPARE(store.load().size(), 1);
    QCOMPARE(store.load().first().params.host, QStringLiteral("other"));
    QVERIFY(store.remove(QStringLiteral("a"), &secrets).ok());
    QVERIFY(store.load().isEmpty());
    QVERIFY(secrets.read(ProfileStore::secretKey(QStringLiteral("a"))).value().isEmpty());
    QVERIFY(!store.remove(QStringLiteral("a"), &secrets).ok());
}

void TestProfileStore::savedPasswordIsFoundThroughTheSessionStore()
{
    ConnectionProfile p = sample(QStringLiteral("typed-once"), {});
    p.source = ProfileSource::Saved;
    QVERIFY(MemorySecretStore::session().write(ProfileStore::secretKey(p.name), QStringLiteral("typed")).ok());
    resolvePassword(p, nullptr);
    QCOMPARE(p.params.password, QStringLiteral("typed"));
}

void TestProfileStore::aTargetShowsNoControlCharactersRaw()
{
    // what a DATABASE_URL with %1b[31m or %0a decodes to
    ConnectionParams p;
    p.user = QStringLiteral("app");
    p.host = QStringLiteral("db\x1b[31m.example.com");
    p.dbname = QStringLiteral("forum\nfake line");
    const QString shown = p.displayTarget();
    QCOMPARE(shown, QStringLiteral("app@db\\x1b[31m.example.com/forum\\x0afake line"));
    // Reordering (a bidi override), a line separator and C1 codes are shown too; a joiner stays.
    QCOMPARE(shownText(QString::fromUtf16(u"a\u202eb\u2028c\u009bd\u200de\tf\ng")),
             QStringLiteral("a\\x202eb\\x2028c\\x9bd\u200de\\x09f\\x0ag"));
    QCOMPARE(shownText(QStringLiteral("tab\tand\nline\r"), true), QStringLiteral("tab\tand\nline\\x0d"));
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
