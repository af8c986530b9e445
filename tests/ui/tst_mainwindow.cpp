// tests/ui/tst_mainwindow.cpp — the GUI shell offscreen, without a server.
#include "connection/ProfileStore.h"
#include "connection/SecretStore.h"
#include "dialogs/ConnectionDialog.h"
#include "dialogs/ProviderDialog.h"
#include "dialogs/ShortcutsDialog.h"
#include "dialogs/UnlockDialog.h"
#include "mainwindow/MainWindow.h"
#include "widgets/ConnectionOverview.h"
#include "widgets/EnvironmentBadge.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QListWidget>
#include <QMenu>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QFile>
#include <QSignalSpy>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QTableWidget>
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
    void viewMenuReachesEveryPanelAndBringsTheJobsDockBack();
    void theWindowLayoutIsKeptBetweenRuns();
    void anUnusableDefaultSelectsNoProfile();

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


void TestMainWindow::viewMenuReachesEveryPanelAndBringsTheJobsDockBack()
{
    MainWindow window(options());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *view = window.findChild<QMenu *>(QStringLiteral("viewMenu"));
    QVERIFY(view);
    auto *nav = window.findChild<QListWidget *>(QStringLiteral("navigation"));
    QVERIFY(nav && nav->count() >= 10);
    // Ctrl+N shows the Nth panel; Ctrl+0 the tenth.
    QTest::keyClick(&window, Qt::Key_4, Qt::ControlModifier);
    QCOMPARE(nav->currentRow(), 3);
    QTest::keyClick(&window, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(nav->currentRow(), 9);
    QStringList titles;
    for (QAction *a : view->actions())
        if (!a->isSeparator())
            titles << a->text();
    QCOMPARE(titles.size(), nav->count() + 1);
    QCOMPARE(titles.last(), QStringLiteral("Jobs dock"));
    // The Jobs dock, closed, comes back from the menu (and with Ctrl+J).
    auto *dock = window.findChild<QDockWidget *>();
    QVERIFY(dock);
    dock->close();
    QVERIFY(dock->isHidden());
    QTest::keyClick(&window, Qt::Key_J, Qt::ControlModifier);
    QTRY_VERIFY(dock->isVisible());

    // Help lists them, read from the window's own actions and shortcuts.
    ShortcutsDialog help(&window);
    QStringList listed;
    for (int row = 0; row < help.table()->rowCount(); ++row)
        listed << help.table()->item(row, 0)->text() + QLatin1Char(' ') + help.table()->item(row, 1)->text();
    const QString all = listed.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QStringLiteral("%1 Jobs dock").arg(QKeySequence(Qt::CTRL | Qt::Key_J).toString(QKeySequence::NativeText))),
             qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("grade the selected result 2")) && all.contains(QLatin1String("Copy as CSV")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String(" Search")), qPrintable(all)); // a panel's Ctrl+digit
}


void TestMainWindow::theWindowLayoutIsKeptBetweenRuns()
{
    MainWindow::Options o = options();
    o.layoutPath = m_dir->filePath(QStringLiteral("window.ini"));
    QList<int> sizes;
    QSize kept;
    {
        MainWindow window(o);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.resize(window.size() - QSize(40, 30));
        kept = window.size();
        auto *splitter = window.findChild<QSplitter *>(QStringLiteral("navigationSplitter"));
        QVERIFY(splitter);
        splitter->setSizes({240, 700});
        sizes = splitter->sizes();
        window.close();
    }
    QVERIFY(QSettings(o.layoutPath, QSettings::IniFormat).contains(QStringLiteral("window/geometry")));
    MainWindow again(o);
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.findChild<QSplitter *>(QStringLiteral("navigationSplitter"))->sizes(), sizes);
    // The size comes back where the screen has room for it; never wider than the screen when the
    // window can be narrower (offscreen's screen is 800 px, less than the window's minimum).
    // Wholly on the screen where it fits there, wherever it was kept.
    if (again.frameGeometry().width() <= again.screen()->availableGeometry().width())
        QVERIFY2(again.screen()->availableGeometry().left() <= again.frameGeometry().left()
                     && again.frameGeometry().right() <= again.screen()->availableGeometry().right(),
                 qPrintable(QStringLiteral("%1,%2").arg(again.frameGeometry().left()).arg(again.frameGeometry().right())));
    const QSize room = again.screen()->availableGeometry().size();
    if (kept.width() <= room.width() && kept.height() <= room.height())
        QCOMPARE(again.size(), kept);
    else
        QVERIFY2(again.width() <= std::max(room.width(), again.minimumSizeHint().width()),
                 qPrintable(QStringLiteral("%1 px on a %2 px screen").arg(again.width()).arg(room.width())));
}

void TestMainWindow::anUnusableDefaultSelectsNoProfile()
{
    // NODE_ENV picks a production profile whose URL is malformed: nothing else stands in for it.
    qputenv("NODE_ENV", "production");
    qputenv("DATABASE_URL", "postgres://app:p%zz@prod.example.com/forum");
    MainWindow window(options());
    QCOMPARE(window.profileBox()->currentIndex(), -1);
    QCOMPARE(window.badge()->kind(), EnvironmentBadge::Kind::None);
    QCOMPARE(window.overview()->headline()->text(), QStringLiteral("No default profile — not connected"));
    qunsetenv("NODE_ENV");
    qunsetenv("DATABASE_URL");

    // A project folder opened later whose .env cannot be read: the same, named.
    window.selectProfile(QStringLiteral("sandbox"));
    QCOMPARE(window.badge()->kind(), EnvironmentBadge::Kind::Sandbox);
    QTemporaryDir project;
    QFile env(project.filePath(QStringLiteral(".env")));
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("POSTGRES_HOST=db\nPOSTGRES_DB=\"forum\n");
    env.close();
    window.useProjectFolder(project.path());
    QCOMPARE(window.profileBox()->currentIndex(), -1);
    QCOMPARE(window.badge()->kind(), EnvironmentBadge::Kind::None);
    QCOMPARE(window.overview()->headline()->text(), QStringLiteral("No default profile — not connected"));
    QVERIFY2(window.overview()->body()->text().contains(QLatin1String("/.env cannot be used: line 2: unterminated double quote")),
             qPrintable(window.overview()->body()->text()));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
