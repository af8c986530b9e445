// tests/ui/tst_settings.cpp — Settings (preferences kept, applied, API keys never in a file) and About.
#include "connection/SecretStore.h"
#include "core/BuildInfo.h"
#include "dialogs/AboutDialog.h"
#include "dialogs/SettingsDialog.h"
#include "embeddings/ProviderSettings.h"
#include "mainwindow/MainWindow.h"
#include "panels/PlansPanel.h"
#include "panels/SearchPanel.h"
#include "panels/SizesPanel.h"
#include "search/SearchMetric.h"
#include "session/VersionReport.h"
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <thread>
#include <libpq-fe.h>

using namespace vwb;
using namespace vwb::ui;

namespace {
/// A keychain that is not there (no Secret Service): every call fails.
class MissingKeychain : public SecretStore
{
public:
    Result<QString> read(const QString &) override
    {
        return Error::io(QStringLiteral("The OS keychain is not available: no Secret Service"));
    }
    Result<void> write(const QString &, const QString &) override
    {
        return Error::io(QStringLiteral("The OS keychain is not available: no Secret Service"));
    }
    Result<void> remove(const QString &) override { return {}; }
    QString description() const override { return QStringLiteral("nothing"); }
};

/// A keychain that keeps what it is given but cannot delete (a locked keyring).
class LockedKeychain : public MemorySecretStore
{
public:
    Result<void> remove(const QString &) override { return Error::io(QStringLiteral("The OS keychain is locked")); }
};

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

constexpr auto Key = "sk-test-0123456789abcdef";
} // namespace

class TestSettings : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        qputenv("XDG_CONFIG_HOME", m_dir->path().toUtf8()); // embeddings.ini, preferences.ini go here
        (void)MemorySecretStore::session().remove(ProviderSettings::secretKey(QStringLiteral("dev")));
        ProviderSettings openai;
        openai.provider = QStringLiteral("openai");
        openai.model = QStringLiteral("text-embedding-3-small");
        QVERIFY(openai.save(ProviderSettings::defaultPath(), QStringLiteral("dev")).ok());
    }

    void preferencesAreKeptAndBadValuesKeepDefaults()
    {
        const QString path = m_dir->filePath(QStringLiteral("prefs.ini"));
        QCOMPARE(Preferences::load(path), Preferences{}); // no file: the defaults
        Preferences p;
        p.theme = Theme::Mode::Dark;
        p.searchMetric = QStringLiteral("cosine");
        p.searchLimit = 25;
        p.searchThreshold = 0.35;
        p.sizeSampleMinutes = 5;
        p.explainTimeoutMs = 7000;
        QVERIFY(p.save(path).ok());
        QCOMPARE(Preferences::load(path), p);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("[search]\nmetric=manhattan\nlimit=0\nthreshold=7\n[sizes]\nsampleMinutes=abc\n[plans]\nexplainTimeoutMs=-5\n"
                "[appearance]\ntheme=purple\n");
        f.close();
        QCOMPARE(Preferences::load(path), Preferences{});
    }

    void theDialogReturnsWhatWasChosen()
    {
        Preferences start;
        start.searchLimit = 12;
        MemorySecretStore secrets;
        SettingsDialog dialog(start, {}, &secrets);
        QCOMPARE(dialog.preferences(), start);
        dialog.themeBox()->setCurrentIndex(dialog.themeBox()->findData(QStringLiteral("dark")));
        dialog.findChild<QSpinBox *>(QStringLiteral("searchLimit"))->setValue(40);
        QCOMPARE(dialog.preferences().theme, Theme::Mode::Dark);
        QCOMPARE(dialog.preferences().searchLimit, 40);
        QVERIFY(!dialog.keyEdit()->isEnabled()); // no profile connected: no key to keep
    }

    void anApiKeyGoesToTheKeychainNeverToAFile()
    {
        MemorySecretStore keychain;
        SettingsDialog dialog(Preferences{}, QStringLiteral("dev"), &keychain);
        QVERIFY(dialog.keyEdit()->isEnabled());
        QVERIFY(!dialog.saveKeyButton()->isEnabled());
        dialog.keyEdit()->setText(QLatin1String(Key));
        QVERIFY(dialog.saveKeyButton()->isEnabled());
        dialog.saveKeyButton()->click();
        QCOMPARE(keychain.read(ProviderSettings::secretKey(QStringLiteral("dev"))).value(), QLatin1String(Key));
        QVERIFY(dialog.keyEdit()->text().isEmpty());
        QVERIFY2(dialog.keyStatus()->text().contains(keychain.description()), qPrintable(dialog.keyStatus()->text()));
        const ProviderSettings saved = ProviderSettings::load(ProviderSettings::defaultPath(), QStringLiteral("dev"));
        QCOMPARE(saved.keySource, ProviderSettings::KeySource::Keychain);
        QCOMPARE(saved.storedKey().value(), QLatin1String(Key)); // what a search's provider is made with
        // No file under the configuration folder holds the key.
        for (const QString &name : QDir(m_dir->filePath(QStringLiteral("vector-workbench"))).entryList(QDir::Files))
            QVERIFY2(!fileBytes(m_dir->filePath(QStringLiteral("vector-workbench/") + name)).contains(Key), qPrintable(name));

        // Read back from the keychain (as at connect), on this thread only.
        (void)MemorySecretStore::session().remove(ProviderSettings::secretKey(QStringLiteral("dev")));
        Result<QString> offThread = QString();
        std::thread worker([&] { offThread = saved.storedKey(&keychain); });
        worker.join();
        QVERIFY(!offThread.ok());
        QVERIFY2(offThread.error().message.contains(QLatin1String("keychain")), qPrintable(offThread.error().message));
        QCOMPARE(saved.storedKey(&keychain).value(), QLatin1String(Key));
        QCOMPARE(MemorySecretStore::session().read(ProviderSettings::secretKey(QStringLiteral("dev"))).value(), QLatin1String(Key));

        dialog.forgetKeyButton()->click();
        QVERIFY(keychain.read(ProviderSettings::secretKey(QStringLiteral("dev"))).value().isEmpty());
        QCOMPARE(ProviderSettings::load(ProviderSettings::defaultPath(), QStringLiteral("dev")).keySource,
                 ProviderSettings::KeySource::Environment);
        QVERIFY(MemorySecretStore::session().read(ProviderSettings::secretKey(QStringLiteral("dev"))).value().isEmpty());
        QVERIFY(!dialog.forgetKeyButton()->isEnabled());
    }

    void withoutAKeychainTheKeyIsKeptForTheSessionOnly()
    {
        MissingKeychain keychain;
        SettingsDialog dialog(Preferences{}, QStringLiteral("dev"), &keychain);
        dialog.keyEdit()->setText(QLatin1String(Key));
        dialog.saveKeyButton()->click();
        QVERIFY2(dialog.keyStatus()->text().contains(QLatin1String("this session only")), qPrintable(dialog.keyStatus()->text()));
        QVERIFY(dialog.keyStatus()->text().contains(QLatin1String("not available")));
        const ProviderSettings saved = ProviderSettings::load(ProviderSettings::defaultPath(), QStringLiteral("dev"));
        QCOMPARE(saved.keySource, ProviderSettings::KeySource::Session);
        QCOMPARE(saved.storedKey().value(), QLatin1String(Key));
        QVERIFY(!fileBytes(ProviderSettings::defaultPath()).contains(Key));
    }

    void aKeyThatCannotBeForgottenIsSaidSoAndStaysInUse()
    {
        LockedKeychain keychain;
        SettingsDialog dialog(Preferences{}, QStringLiteral("dev"), &keychain);
        dialog.keyEdit()->setText(QLatin1String(Key));
        dialog.saveKeyButton()->click();
        dialog.forgetKeyButton()->click();
        QVERIFY2(dialog.keyStatus()->text().startsWith(QLatin1String("Not forgotten")), qPrintable(dialog.keyStatus()->text()));
        QCOMPARE(ProviderSettings::load(ProviderSettings::defaultPath(), QStringLiteral("dev")).keySource,
                 ProviderSettings::KeySource::Keychain);
        QCOMPARE(keychain.read(ProviderSettings::secretKey(QStringLiteral("dev"))).value(), QLatin1String(Key));
    }

    void theWindowStartsWithThePreferencesAndAppliesNewOnes()
    {
        Preferences p;
        p.searchMetric = QStringLiteral("cosine");
        p.searchLimit = 25;
        p.searchThreshold = 0.4;
        p.sizeSampleMinutes = 5;
        p.explainTimeoutMs = 7000;
        const QString path = m_dir->filePath(QStringLiteral("prefs.ini"));
        QVERIFY(p.save(path).ok());
        MainWindow::Options o;
        o.catalog.settingsPath = m_dir->filePath(QStringLiteral("profiles.ini"));
        o.sandboxBaseDir = m_dir->filePath(QStringLiteral("sandbox"));
        o.autoConnect = false;
        o.preferencesPath = path;
        MemorySecretStore keychain;
        o.secrets = &keychain;
        MainWindow window(o);
        QCOMPARE(window.search()->limitSlider()->value(), 25);
        QCOMPARE(SearchMetric(window.search()->metricBox()->currentData().toInt()), SearchMetric::Cosine);
        QCOMPARE(window.search()->thresholdValue(), 0.4);
        QCOMPARE(window.sizes()->intervalMinutes(), 5);
        QCOMPARE(window.plans()->timeoutMs(), 7000);

        SettingsDialog *dialog = window.showSettings();
        QCOMPARE(dialog->preferences(), p);
        dialog->findChild<QSpinBox *>(QStringLiteral("searchLimit"))->setValue(7);
        dialog->findChild<QDoubleSpinBox *>(QStringLiteral("searchThreshold"))->setValue(0); // threshold off
        dialog->themeBox()->setCurrentIndex(dialog->themeBox()->findData(QStringLiteral("dark")));
        dialog->accept();
        QCOMPARE(window.search()->limitSlider()->value(), 7);
        QVERIFY(std::isnan(window.search()->thresholdValue()));
        QVERIFY(Theme::isDark());
        QCOMPARE(Preferences::load(path).searchLimit, 7); // kept for the next start
        QCOMPARE(Preferences::load(path).theme, Theme::Mode::Dark);
        // OK again with only the theme changed: the knobs the user moved since stay where they are.
        window.search()->limitSlider()->setValue(33);
        window.plans()->setTimeoutMs(1234);
        dialog = window.showSettings();
        dialog->themeBox()->setCurrentIndex(dialog->themeBox()->findData(QStringLiteral("light")));
        dialog->accept();
        QVERIFY(!Theme::isDark());
        QCOMPARE(window.search()->limitSlider()->value(), 33);
        QCOMPARE(window.plans()->timeoutMs(), 1234);
    }

    void aboutSaysTheVersionsAndCopiesThem()
    {
        QCOMPARE(BuildInfo::appVersion(), QStringLiteral(VWB_PROJECT_VERSION));
        QCOMPARE(BuildInfo::libpqVersion().section(QLatin1Char('.'), 0, 0).toInt(), PQlibVersion() / 10000);
        ServerReport server;
        server.server.version = QStringLiteral("15.14");
        server.server.host = QStringLiteral("db.internal.example");
        server.pgvectorVersion = QStringLiteral("0.8.0");
        AboutDialog dialog(server);
        const QString text = dialog.reportText();
        for (const QString &expected :
             {QStringLiteral("Vector Workbench ") + QStringLiteral(VWB_PROJECT_VERSION),
              QStringLiteral("Qt ") + QString::fromLatin1(qVersion()), QStringLiteral("libpq ") + BuildInfo::libpqVersion(),
              QStringLiteral("PostgreSQL 15.14"), QStringLiteral("pgvector 0.8.0")})
            QVERIFY2(text.contains(expected), qPrintable(expected + QStringLiteral(" not in:\n") + text));
        QVERIFY(!text.contains(QLatin1String("db.internal.example"))); // a bug report names no host
        dialog.copyButton()->click();
        QCOMPARE(QApplication::clipboard()->text(), text);

        server.pgvectorVersion.clear();
        server.pgvectorAvailable = QStringLiteral("0.8.0");
        QVERIFY(versionReport(server).contains(QStringLiteral("pgvector: not installed in this database (0.8.0 available)")));
        QVERIFY(versionReport(std::nullopt).contains(QStringLiteral("Server: not connected")));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_MAIN(TestSettings)
#include "tst_settings.moc"
