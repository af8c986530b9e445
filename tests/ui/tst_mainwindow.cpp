// tests/ui/tst_mainwindow.cpp — the GUI shell offscreen, without a server.
#include "connection/ProfileStore.h"
#include "connection/SecretStore.h"
#include "dialogs/ConnectionDialog.h"
#include "dialogs/ProviderDialog.h"
#include "dialogs/UnlockDialog.h"
#include "mainwindow/MainWindow.h"
#include "widgets/ConnectionOverview.h"
#include "widgets/EnvironmentBadge.h"
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vwb;
using namespace vwb::ui;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void firstRunOffersTheSandbox();
    void profileSwitchUpdatesTheBadge();
    void productionBadgeIsRedAndLocked();
    void unlockNeedsTheExactDatabaseName();
    void connectionDialogFillsFieldsFromAUrl();
    void connectionDialogRefusesProductionWithoutTls();
    void providerSettingsAreSavedPerProfileWithoutTheKey();
    void providerTestEmbedsOffTheUiThread();

private:
    MainWindow::Options options() const;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    for (const char *k : {"DATABASE_URL", "POSTGRES_HOST", "POSTGRES_DB", "NODE_ENV", "PGHOST", "PGSERVICE"})
        qunsetenv(k);
}

void TestMainWindow::cleanup()
{
    for (const char *k : {"DATABASE_URL", "POSTGRES_HOST", "NODE_ENV"})
        qunsetenv(k);
}

MainWindow::Options TestMainWindow::options() const
{
    MainWindow::Options o;
    o.catalog.settingsPath = m_dir->filePath(QStringLiteral("profiles.ini"));
    o.sandboxBaseDir = m_dir->filePath(QStringLiteral("sandbox"));
    o.autoConnect = false;
    return o;
}

void TestMainWindow::firstRunOffersTheSandbox()
{
    MainWindow window(options());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.profileBox()->count(), 1);
    QCOMPARE(window.profileBox()->currentData().toString(), QStringLiteral("sandbox"));
    QCOMPARE(window.overview()->headline()->text(), QStringLiteral("Welcome to Vector Workbench"));
    const auto buttons = window.overview()->findChildren<QPushButton *>();
    const bool offersSandbox = std::any_of(
        buttons.begin(), buttons.end(), [](QPushButton *b) { return b->text() == QLatin1String("Start the sandbox") && b->isVisible(); });
    QVERIFY(offersSandbox);
}

void TestMainWindow::profileSwitchUpdatesTheBadge()
{
    qputenv("POSTGRES_HOST", "localhost");
    qputenv("DATABASE_URL", "postgres://app@prod.example.com/forum");
    MainWindow window(options());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QComboBox *box = window.profileBox();
    QCOMPARE(box->count(), 3);
    QCOMPARE(box->currentData().toString(), QStringLiteral("development")); // NODE_ENV unset
    QCOMPARE(window.badge()->kind(), EnvironmentBadge::Kind::Development);

    box->setCurrentIndex(box->findData(QStringLiteral("production")));
    QCOMPARE(window.badge()->kind(), EnvironmentBadge::Kind::Production);
    QCOMPARE(window.badge()->text(), QStringLiteral("PRODUCTION · READ-ONLY"));
    QVERIFY(window.badge()->showsLock());
    QVERIFY(window.badge()->isLocked());

    box->setCurrentIndex(box->findData(QStringLiteral("sandbox")));
    QCOMPARE(window.badge()->kind(), EnvironmentBadge::Kind::Sandbox);
    QCOMPARE(window.badge()->text(), QStringLiteral("SANDBOX"));
    QVERIFY(!window.badge()->showsLock());
}

void TestMainWindow::productionBadgeIsRedAndLocked()
{
    ConnectionProfile prod;
    prod.name = QStringLiteral("production");
    prod.production = true;
    EnvironmentBadge badge;
    badge.setProfile(prod, false);
    badge.resize(badge.sizeHint());
    const QImage image = badge.grab().toImage();
    const QColor middle = image.pixelColor(image.width() - 4, image.height() / 2);
    QVERIFY2(middle.red() > 150 && middle.green() < 80 && middle.blue() < 80, qPrintable(middle.name()));
    badge.setUnlocked(true);
    QCOMPARE(badge.text(), QStringLiteral("PRODUCTION · WRITES UNLOCKED"));
    QVERIFY(!badge.isLocked());
}

void TestMainWindow::unlockNeedsTheExactDatabaseName()
{
    UnlockDialog dialog(QStringLiteral("production"), QStringLiteral("forum_prod"));
    QVERIFY(!dialog.unlockButton()->isEnabled());
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("forum"));
    QVERIFY(!dialog.unlockButton()->isEnabled());
    QTest::keyClicks(dialog.nameEdit(), QStringLiteral("_prod"));
    QVERIFY(dialog.unlockButton()->isEnabled());
    QTest::keyClick(dialog.nameEdit(), Qt::Key_Backspace);
    QVERIFY(!dialog.unlockButton()->isEnabled());
}

void TestMainWindow::connectionDialogFillsFieldsFromAUrl()
{
    ProfileStore store(m_dir->filePath(QStringLiteral("profiles.ini")));
    MemorySecretStore secrets;
    ConnectionDialog dialog(&store, &secrets);
    dialog.urlEdit()->setText(QStringLiteral("postgresql://ana:p%40ss@[::1]:6543/forum?sslmode=verify-full"));
    emit dialog.urlEdit()->editingFinished();
    const ConnectionProfile p = dialog.profile();
    QCOMPARE(p.params.host, QStringLiteral("::1"));
    QCOMPARE(p.params.port, QStringLiteral("6543"));
    QCOMPARE(p.params.user, QStringLiteral("ana"));
    QCOMPARE(p.params.password, QStringLiteral("p@ss"));
    QCOMPARE(p.params.sslmode, QStringLiteral("verify-full"));
}

void TestMainWindow::connectionDialogRefusesProductionWithoutTls()
{
    ProfileStore store(m_dir->filePath(QStringLiteral("profiles.ini")));
    MemorySecretStore secrets;
    ConnectionDialog dialog(&store, &secrets);
    dialog.nameEdit()->setText(QStringLiteral("prod"));
    dialog.urlEdit()->setText(QStringLiteral("postgres://u@h/db?sslmode=disable"));
    emit dialog.urlEdit()->editingFinished();
    dialog.findChild<QCheckBox *>()->setChecked(true);
    QTest::mouseClick(dialog.saveButton(), Qt::LeftButton);
    QVERIFY2(dialog.statusLabel()->text().contains(QLatin1String("requires TLS")), qPrintable(dialog.statusLabel()->text()));
    QVERIFY(store.load().isEmpty());
}

void TestMainWindow::providerSettingsAreSavedPerProfileWithoutTheKey()
{
    qputenv("XDG_CONFIG_HOME", m_dir->filePath(QStringLiteral("config")).toUtf8());
    qputenv("VWB_TEST_OPENAI_KEY", "sk-secret-never-saved");
    {
        ProviderDialog dialog(QStringLiteral("staging"), 768);
        dialog.findChild<QComboBox *>()->setCurrentIndex(1); // openai
        const auto edits = dialog.findChildren<QLineEdit *>();
        edits.at(0)->setText(QStringLiteral("http://127.0.0.1:9/v1"));
        edits.at(1)->setText(QStringLiteral("nomic-embed-text"));
        edits.at(2)->setText(QStringLiteral("VWB_TEST_OPENAI_KEY"));
        const ProviderSettings s = dialog.settings();
        QCOMPARE(s.expectedDimensions, 768);
        QCOMPARE(s.dimensions, 0); // a model that cannot be asked for a size
        QVERIFY(s.save(ProviderSettings::defaultPath(), QStringLiteral("staging")).ok());
    }
    const ProviderSettings loaded = ProviderSettings::load(ProviderSettings::defaultPath(), QStringLiteral("staging"));
    QCOMPARE(loaded.provider, QStringLiteral("openai"));
    QCOMPARE(loaded.model, QStringLiteral("nomic-embed-text"));
    QFile ini(ProviderSettings::defaultPath());
    QVERIFY(ini.open(QIODevice::ReadOnly));
    QVERIFY(!ini.readAll().contains("sk-secret"));
    QCOMPARE(ProviderSettings::load(ProviderSettings::defaultPath(), QStringLiteral("other")).provider, QStringLiteral("lexical"));
    qunsetenv("XDG_CONFIG_HOME");
}

void TestMainWindow::providerTestEmbedsOffTheUiThread()
{
    qputenv("XDG_CONFIG_HOME", m_dir->filePath(QStringLiteral("config2")).toUtf8());
    ProviderDialog dialog(QStringLiteral("p"), 64);
    QSignalSpy tested(&dialog, &ProviderDialog::tested);
    const auto buttons = dialog.findChildren<QPushButton *>();
    const auto test = std::find_if(buttons.begin(), buttons.end(), [](QPushButton *b) { return b->text() == QLatin1String("Test"); });
    QVERIFY(test != buttons.end());
    QTest::mouseClick(*test, Qt::LeftButton);
    QVERIFY(tested.wait(10000));
    QCOMPARE(tested.first().at(0).toBool(), true);
    QVERIFY(tested.first().at(1).toString().startsWith(QLatin1String("OK: 64 dimensions")));
    qunsetenv("XDG_CONFIG_HOME");
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
