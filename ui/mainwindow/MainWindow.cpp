// ui/mainwindow/MainWindow.cpp
#include "mainwindow/MainWindow.h"

#include "connection/ProfileStore.h"
#include "connection/SecretStore.h"
#include "connection/SessionUnlocks.h"
#include "dialogs/AboutDialog.h"
#include "dialogs/ConnectionDialog.h"
#include "dialogs/ModelChangeDialog.h"
#include "dialogs/ProviderDialog.h"
#include "dialogs/SettingsDialog.h"
#include "dialogs/ShortcutsDialog.h"
#include "dialogs/UnlockDialog.h"
#include "embeddings/ProviderSettings.h"
#include "panels/AuditPanel.h"
#include "panels/BrowserPanel.h"
#include "panels/EvaluatePanel.h"
#include "panels/HealthPanel.h"
#include "panels/MaintenancePanel.h"
#include "panels/MigrationsPanel.h"
#include "panels/PlansPanel.h"
#include "panels/QueryPanel.h"
#include "panels/SearchPanel.h"
#include "panels/SizesPanel.h"
#include "sandbox/LocalCluster.h"
#include "session/ConnectionController.h"
#include "session/LiveSession.h"
#include "mainwindow/WindowLayout.h"
#include "widgets/ConnectionOverview.h"
#include "widgets/DatabaseSummary.h"
#include "widgets/EnvironmentBadge.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/JobsDock.h"
#include <QAction>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

namespace vwb::ui {

MainWindow::MainWindow(Options options, QWidget *parent) : QMainWindow(parent), m_options(std::move(options))
{
    setWindowTitle(tr("Vector Workbench"));
    if (m_options.sandboxBaseDir.isEmpty())
        m_options.sandboxBaseDir = LocalCluster::defaultBaseDir();
    m_controller = new ConnectionController(this);
    m_controller->setSandboxBaseDir(m_options.sandboxBaseDir);
    m_session = new LiveSession(m_controller, this);
    buildUi();
    if (!m_options.preferencesPath.isEmpty()) {
        m_preferences = Preferences::load(m_options.preferencesPath);
        Theme::apply(m_preferences.theme);
    }
    applyPreferences(m_preferences);

    connect(m_controller, &ConnectionController::stateChanged, this, [this](ConnectionController::State state) {
        static const QHash<ConnectionController::State, QString> names{
            {ConnectionController::State::Idle, tr("Not connected")},
            {ConnectionController::State::StartingSandbox, tr("Starting the sandbox…")},
            {ConnectionController::State::Connecting, tr("Connecting…")},
            {ConnectionController::State::Connected, tr("Connected")},
            {ConnectionController::State::Failed, tr("Connection failed")}};
        m_stateLabel->setText(names.value(state));
        if (state == ConnectionController::State::StartingSandbox || state == ConnectionController::State::Connecting)
            m_overview->showProfile(m_controller->profile(), names.value(state));
        updateStatusBar();
    });
    const auto showReport = [this](const ServerReport &report) {
        m_overview->showReport(m_controller->profile(), report);
        m_badge->setProfile(m_controller->profile(), m_controller->writesUnlocked());
        updateStatusBar();
    };
    connect(m_controller, &ConnectionController::connected, this, [this] {
        // A key kept in the keychain is read here, on the UI thread, once: the searches and
        // backfills that embed off this thread find it in the session's memory.
        // Whatever the saved provider: the Search panel can pick another one that needs the key.
        const ProviderSettings s = ProviderSettings::load(ProviderSettings::defaultPath(), m_controller->profile().name);
        if (s.keySource == ProviderSettings::KeySource::Keychain)
            if (auto key = s.storedKey(m_options.secrets); !key.ok())
                statusBar()->showMessage(errorText(key.error()), 10000);
    });
    connect(m_controller, &ConnectionController::connected, this, showReport);
    connect(m_controller, &ConnectionController::reportRefreshed, this, showReport);
    connect(m_controller, &ConnectionController::failed, this, [this](const Error &error) {
        m_overview->showError(m_controller->profile(), error);
        statusBar()->showMessage(errorText(error), 10000);
        updateStatusBar();
    });
    connect(m_controller, &ConnectionController::passwordNeeded, this, &MainWindow::askPassword, Qt::QueuedConnection);
    connect(m_controller, &ConnectionController::unlockFinished, this, [this](bool ok, const QString &message) {
        Q_UNUSED(ok); // the dialog only accepts the exact name; the message says the rest
        m_badge->setUnlocked(m_controller->writesUnlocked());
        statusBar()->showMessage(message, 8000);
        updateStatusBar();
    });
    connect(m_overview, &ConnectionOverview::startSandboxRequested, this, [this] {
        selectProfile(QStringLiteral("sandbox"));
        connectCurrent();
    });
    connect(m_overview, &ConnectionOverview::addConnectionRequested, this, &MainWindow::addConnection);
    connect(m_overview, &ConnectionOverview::retryRequested, this, &MainWindow::connectCurrent);

    if (!m_options.catalog.projectDir.isEmpty()) {
        m_migrations->setProjectDir(m_options.catalog.projectDir);
        if (QFileInfo::exists(m_options.catalog.projectDir + QStringLiteral("/db/migrations")))
            m_migrations->setFolder(m_options.catalog.projectDir + QStringLiteral("/db/migrations"));
    }
    reloadProfiles(m_options.profile);
    if (m_options.profile.isEmpty() && !m_catalog.defaultError.isEmpty()) {
        // NODE_ENV's profile is unusable: say so, and connect to nothing in its place
        m_overview->showError(ConnectionProfile{}, Error::invalid(m_catalog.defaultError));
    } else if (isFirstRun() && m_options.profile.isEmpty()) {
        m_overview->showWelcome(LocalCluster(m_options.sandboxBaseDir).status().dataDir);
    } else if (m_options.autoConnect) {
        connectCurrent();
    }
}

MainWindow::~MainWindow() = default;

ModelChangeDialog *MainWindow::showModelChange()
{
    if (!m_modelChange) {
        m_modelChange = new ModelChangeDialog(m_session, this);
        connect(m_modelChange, &ModelChangeDialog::evaluateRequested, this,
                [this](const QString &set, const EvalConfig &inUse, const EvalConfig &candidate) {
                    showPanel(tr("Evaluate"));
                    m_evaluate->selectSet(set);
                    m_evaluate->compareConfigs(inUse, candidate);
                });
        connect(m_evaluate, &EvaluatePanel::configsCompared, m_modelChange, &ModelChangeDialog::showEvaluation);
        connect(m_modelChange, &ModelChangeDialog::switched, this, [this] {
            m_search->useColumnInUse();
            m_evaluate->showColumns();
        });
    } else {
        m_modelChange->refresh();
    }
    m_modelChange->show();
    m_modelChange->raise();
    m_modelChange->activateWindow();
    return m_modelChange;
}

bool MainWindow::isFirstRun() const
{
    const LocalCluster sandbox(m_options.sandboxBaseDir);
    return m_catalog.profiles.size() == 1 && !sandbox.status().initialized;
}

void MainWindow::buildUi()
{
    auto *toolbar = addToolBar(tr("Connection"));
    toolbar->setObjectName(QStringLiteral("connectionToolbar"));
    toolbar->setMovable(false);
    toolbar->addWidget(new QLabel(tr(" Profile ")));
    m_profileBox = new QComboBox;
    m_profileBox->setMinimumContentsLength(18);
    m_profileBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    toolbar->addWidget(m_profileBox);
    toolbar->addSeparator();
    m_badge = new EnvironmentBadge;
    toolbar->addWidget(m_badge);
    toolbar->addSeparator();
    QAction *reconnect = toolbar->addAction(tr("Reconnect"), this, &MainWindow::connectCurrent);
    m_unlockAction = toolbar->addAction(tr("Unlock writes…"), this, &MainWindow::askUnlock);
    m_lockAction = toolbar->addAction(tr("Lock writes"), this, [this] {
        m_controller->lockWrites();
        m_badge->setUnlocked(false);
    });
    toolbar->addAction(tr("New connection…"), this, &MainWindow::addConnection);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("New connection…"), this, &MainWindow::addConnection);
    file->addAction(tr("Open project folder (.env)…"), this, &MainWindow::openProjectFolder);
    file->addAction(reconnect);
    file->addSeparator();
    file->addAction(tr("Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu *tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("Change embedding model…"), this, &MainWindow::showModelChange);
    tools->addSeparator();
    tools->addAction(tr("Settings…"), QKeySequence(Qt::CTRL | Qt::Key_Comma), this, &MainWindow::showSettings);

    // A red stripe across the window while a production profile is selected: unmistakable even
    // when the badge is out of sight.
    m_productionStripe = new QFrame;
    m_productionStripe->setObjectName(QStringLiteral("productionStripe"));
    m_productionStripe->setFixedHeight(4);
    m_productionStripe->setStyleSheet(QStringLiteral("background: #d32f2f;"));
    m_productionStripe->hide();
    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(0);
    centralLayout->addWidget(m_productionStripe);
    auto *splitter = new QSplitter;
    splitter->setObjectName(QStringLiteral("navigationSplitter")); // its sizes are kept (WindowLayout)
    centralLayout->addWidget(splitter, 1);
    m_nav = new QListWidget;
    m_nav->setObjectName(QStringLiteral("navigation"));
    m_pages = new QStackedWidget;
    splitter->addWidget(m_nav);
    splitter->addWidget(m_pages);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({180, 920});
    setCentralWidget(central);
    connect(m_nav, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    m_overview = new ConnectionOverview;
    addPanel(tr("Connection"), m_overview);
    m_runner = new JobRunner(this);
    m_session->setJobRunner(m_runner);
    m_browser = new BrowserPanel(m_session);
    addPanel(tr("Browse"), m_browser);
    m_search = new SearchPanel(m_session);
    addPanel(tr("Search"), m_search);
    m_summary = new DatabaseSummary(m_session);
    m_overview->addSection(m_summary);
    connect(m_summary, &DatabaseSummary::browseRequested, this, [this](const QString &table) {
        m_browser->setType(table);
        showPanel(tr("Browse"));
    });
    connect(m_summary, &DatabaseSummary::searchRequested, this, [this](const QString &table) {
        m_search->selectTable(table);
        showPanel(tr("Search"));
    });
    connect(m_browser, &BrowserPanel::findSimilarRequested, this, [this](const QString &table, const RowKey &id, const QString &column) {
        showPanel(tr("Search"));
        // A search from a row shows its neighbours: no threshold left over from an earlier search hides them.
        m_search->setThresholdValue(qQNaN());
        m_search->searchLike(table, id, column);
        statusBar()->showMessage(tr("Searching like %1 #%2 (from Browse), threshold off").arg(table, id), 8000);
    });
    m_evaluate = new EvaluatePanel(m_session);
    addPanel(tr("Evaluate"), m_evaluate);
    connect(m_evaluate, &EvaluatePanel::thresholdChosen, this, [this](double similarity) {
        showPanel(tr("Search"));
        m_search->setThresholdValue(similarity);
    });
    connect(m_evaluate, &EvaluatePanel::modelChangeRequested, this, &MainWindow::showModelChange);
    m_migrations = new MigrationsPanel(m_session);
    addPanel(tr("Migrations"), m_migrations);
    m_jobs = new JobsDock(m_runner, this);
    addDockWidget(Qt::BottomDockWidgetArea, m_jobs);
    m_jobs->hide(); // shows itself when a job starts
    // The first time it shows, it takes a quarter of the window's height, not half: the panel above
    // (a plan tree, a results table) stays usable. Later the user's own size stands.
    connect(m_jobs, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (!visible || std::exchange(m_jobsSized, true))
            return;
        resizeDocks({m_jobs}, {std::max(150, height() / 4)}, Qt::Vertical);
    });
    m_maintenance = new MaintenancePanel(m_session);
    addPanel(tr("Maintenance"), m_maintenance);
    m_health = new HealthPanel(m_session);
    addPanel(tr("Health"), m_health);
    m_plans = new PlansPanel(m_session);
    addPanel(tr("Plans"), m_plans);
    m_query = new QueryPanel(m_session);
    addPanel(tr("Query"), m_query);
    connect(m_query, &QueryPanel::explainRequested, this, [this](const QString &sql, bool analyze) {
        m_plans->setInput(sql);
        showPanel(tr("Plans"));
        m_plans->explain(analyze);
    });
    m_sizes = new SizesPanel(m_session);
    addPanel(tr("Sizes"), m_sizes);
    m_audit = new AuditPanel(m_session);
    addPanel(tr("Audit log"), m_audit);
    connect(m_health, &HealthPanel::fixRequested, this, [this](const HealthFinding &f) {
        if (f.action == HealthFinding::Action::ApplyMigrations) {
            showPanel(tr("Migrations"));
            m_migrations->requestAction({MigrationAction::To, f.actionTarget});
        } else if (f.action == HealthFinding::Action::ExportKnexMigration) {
            showPanel(tr("Migrations"));
            m_migrations->askKnexExport({f.actionTarget});
        } else if (!m_maintenance->askFix(f)) {
            showError(this, Error::invalid(tr("The Maintenance panel has not read the schema yet (or no longer finds %1): "
                                              "check again in a moment")
                                               .arg(f.actionTarget)));
        }
    });

    connect(m_search, &SearchPanel::recordRequested, this, [this](const QString &table, const RowKey &key) {
        showPanel(tr("Browse"));
        m_browser->setType(table);
        m_browser->openRecord(key);
    });
    connect(m_search, &SearchPanel::backfillRequested, this, [this](const QString &table) {
        HealthFinding backfill;
        backfill.action = HealthFinding::Action::Backfill;
        backfill.actionTarget = table;
        showPanel(tr("Maintenance"));
        if (!m_maintenance->askFix(backfill))
            showError(this, Error::invalid(tr("The Maintenance panel does not know %1 yet: check again in a moment").arg(table)));
    });

    buildViewMenu();

    m_stateLabel = new QLabel(tr("Not connected"));
    m_serverLabel = new QLabel;
    m_vectorLabel = new QLabel;
    m_latencyLabel = new QLabel;
    statusBar()->addPermanentWidget(m_stateLabel);
    statusBar()->addPermanentWidget(m_serverLabel);
    statusBar()->addPermanentWidget(m_vectorLabel);
    statusBar()->addPermanentWidget(m_latencyLabel);

    connect(m_profileBox, &QComboBox::currentIndexChanged, this, &MainWindow::profileChosen);
    resize(1280, 800);
    m_jobsSized = restoreWindowLayout(this, m_options.layoutPath); // as the user left it, their dock size too
}

void MainWindow::addPanel(const QString &title, QWidget *panel)
{
    m_pages->addWidget(panel);
    m_nav->addItem(title);
    if (m_nav->currentRow() < 0)
        m_nav->setCurrentRow(0);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveWindowLayout(this, m_options.layoutPath);
    QMainWindow::closeEvent(event);
}

void MainWindow::buildViewMenu()
{
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->setObjectName(QStringLiteral("viewMenu"));
    for (int row = 0; row < m_nav->count(); ++row) {
        const QString title = m_nav->item(row)->text();
        QAction *go = view->addAction(title, this, [this, row] { m_nav->setCurrentRow(row); });
        if (row < 10) // Ctrl+1 … Ctrl+9, Ctrl+0; then Ctrl+Shift+1 …
            go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_0 + (row + 1) % 10)));
        else if (row < 19)
            go->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key(Qt::Key_1 + row - 10)));
        m_nav->item(row)->setToolTip(go->shortcut().toString(QKeySequence::NativeText));
    }
    view->addSeparator();
    QAction *jobs = m_jobs->toggleViewAction();
    jobs->setText(tr("Jobs dock"));
    jobs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
    view->addAction(jobs);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("Keyboard shortcuts…"), QKeySequence::HelpContents, this, [this] {
        auto *dialog = new ShortcutsDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });
    help->addSeparator();
    help->addAction(tr("About Vector Workbench"), this, &MainWindow::showAbout);
}

SettingsDialog *MainWindow::showSettings()
{
    const bool connected = m_controller->state() == ConnectionController::State::Connected;
    static KeychainSecretStore keychain;
    vwb::SecretStore *secrets = m_options.secrets ? m_options.secrets : &keychain;
    auto *dialog = new SettingsDialog(m_preferences, connected ? m_controller->profile().name : QString(), secrets, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &SettingsDialog::providerRequested, this,
            [this, dialog] { connect(m_search->configureProvider(), &QDialog::accepted, dialog, &SettingsDialog::showKeyState); });
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const Preferences chosen = dialog->preferences();
        if (chosen.theme != m_preferences.theme)
            Theme::apply(chosen.theme);
        const Preferences before = m_preferences;
        applyPreferences(chosen, &before); // what changed only: a search's own knobs stay as they are
        if (!m_options.preferencesPath.isEmpty())
            if (auto saved = chosen.save(m_options.preferencesPath); !saved.ok())
                showError(this, saved.error());
    });
    dialog->open();
    return dialog;
}

AboutDialog *MainWindow::showAbout()
{
    const bool connected = m_controller->state() == ConnectionController::State::Connected;
    auto *dialog = new AboutDialog(connected ? m_controller->report() : std::nullopt, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::applyPreferences(const Preferences &p, const Preferences *previous)
{
    m_preferences = p;
    if (!previous || p.searchMetric != previous->searchMetric || p.searchLimit != previous->searchLimit
        || p.searchThreshold != previous->searchThreshold)
        m_search->applyDefaults(p.searchMetric, p.searchLimit, p.searchThreshold);
    if (!previous || p.sizeSampleMinutes != previous->sizeSampleMinutes)
        m_sizes->setIntervalMinutes(p.sizeSampleMinutes);
    if (!previous || p.explainTimeoutMs != previous->explainTimeoutMs)
        m_plans->setTimeoutMs(p.explainTimeoutMs);
}

bool MainWindow::showPanel(const QString &title)
{
    const auto found = m_nav->findItems(title, Qt::MatchFixedString);
    if (found.isEmpty())
        return false;
    m_nav->setCurrentItem(found.first());
    return true;
}

void MainWindow::reloadProfiles(const QString &wanted)
{
    CatalogOptions options = m_options.catalog;
    options.sandbox = LocalCluster(m_options.sandboxBaseDir).profile();
    m_catalog = ProfileCatalog::load(processEnvironment(), options);
    QString select = wanted.isEmpty() ? m_catalog.defaultName : wanted;
    if (select.isEmpty() && m_controller->state() == ConnectionController::State::Connected)
        select = m_controller->profile().name; // no default to move to: stay on what is connected
    const QSignalBlocker block(m_profileBox);
    m_profileBox->clear();
    for (const ConnectionProfile &p : m_catalog.profiles) {
        m_profileBox->addItem(p.production ? QStringLiteral("%1  (production)").arg(p.name) : p.name, p.name);
        m_profileBox->setItemData(m_profileBox->count() - 1, p.origin, Qt::ToolTipRole);
    }
    // No default (NODE_ENV's profile or the project's .env is unusable): nothing is selected, so
    // nothing else is connected to in its place.
    const int index = select.isEmpty() ? -1 : qMax(0, m_profileBox->findData(select));
    m_profileBox->setCurrentIndex(index);
    if (auto p = m_catalog.find(m_profileBox->currentData().toString()))
        m_badge->setProfile(*p, SessionUnlocks::isUnlocked(p->name));
    else
        m_badge->clear();
    updateStatusBar();
}

void MainWindow::selectProfile(const QString &name)
{
    const int index = m_profileBox->findData(name);
    if (index >= 0)
        m_profileBox->setCurrentIndex(index);
}

void MainWindow::profileChosen(int index)
{
    const auto profile = m_catalog.find(m_profileBox->itemData(index).toString());
    if (!profile)
        return;
    m_badge->setProfile(*profile, SessionUnlocks::isUnlocked(profile->name));
    ProfileStore(m_options.catalog.settingsPath.isEmpty() ? ProfileStore::defaultPath() : m_options.catalog.settingsPath)
        .setLastUsed(profile->name);
    m_overview->showProfile(*profile, tr("not connected"));
    updateStatusBar();
    if (m_options.autoConnect)
        connectCurrent();
}

void MainWindow::connectCurrent()
{
    const auto profile = m_catalog.find(m_profileBox->currentData().toString());
    if (!profile)
        return;
    if (auto valid = profile->validate(); !valid.ok()) {
        m_overview->showError(*profile, valid.error());
        return;
    }
    m_controller->connectTo(*profile);
}

void MainWindow::updateStatusBar()
{
    const auto &report = m_controller->report();
    const bool production = m_badge->kind() == EnvironmentBadge::Kind::Production;
    m_productionStripe->setVisible(production);
    setWindowTitle(m_profileBox->currentData().toString().isEmpty()
                       ? tr("Vector Workbench")
                       : tr("%1 — %2 — Vector Workbench").arg(m_profileBox->currentData().toString(), m_badge->text()));
    const bool connected = m_controller->state() == ConnectionController::State::Connected && report;
    m_unlockAction->setVisible(production);
    m_lockAction->setVisible(production);
    m_unlockAction->setEnabled(production && connected && !m_controller->writesUnlocked());
    m_lockAction->setEnabled(production && m_controller->writesUnlocked());
    if (!connected) {
        m_serverLabel->clear();
        m_vectorLabel->clear();
        m_latencyLabel->clear();
        return;
    }
    m_serverLabel->setText(tr("PostgreSQL %1").arg(report->server.version.section(QLatin1Char(' '), 0, 0)));
    m_serverLabel->setToolTip(report->server.version);
    m_vectorLabel->setText(report->pgvectorVersion.isEmpty() ? tr("pgvector missing") : tr("pgvector %1").arg(report->pgvectorVersion));
    m_latencyLabel->setText(tr("%1 ms").arg(report->latencyMs, 0, 'f', 2));
    m_latencyLabel->setToolTip(tr("Median round trip of SELECT 1"));
}

void MainWindow::askUnlock()
{
    const ConnectionProfile &p = m_controller->profile();
    const QString db = m_controller->report() ? m_controller->report()->server.database : p.params.dbname;
    UnlockDialog dialog(p.name, db, this);
    if (dialog.exec() == QDialog::Accepted)
        m_controller->unlockWrites(dialog.typedName());
}

void MainWindow::askPassword(const ConnectionProfile &profile)
{
    bool ok = false;
    const QString password = QInputDialog::getText(
        this, tr("Password"), tr("Password for %1 (kept for this session only):").arg(profile.params.displayTarget()),
        QLineEdit::Password, QString(), &ok);
    if (!ok || password.isEmpty())
        return;
    ConnectionProfile withPassword = profile;
    withPassword.params.password = password;
    (void)MemorySecretStore::session().write(ProfileStore::secretKey(profile.name), password);
    m_controller->connectTo(withPassword);
}

void MainWindow::addConnection()
{
    ProfileStore store(m_options.catalog.settingsPath.isEmpty() ? ProfileStore::defaultPath() : m_options.catalog.settingsPath);
    KeychainSecretStore keychain;
    ConnectionDialog dialog(&store, &keychain, this);
    if (dialog.exec() != QDialog::Accepted || dialog.savedName().isEmpty())
        return;
    reloadProfiles(dialog.savedName());
    if (m_options.autoConnect)
        connectCurrent();
}

void MainWindow::openProjectFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Node project folder with a .env"));
    if (!dir.isEmpty())
        useProjectFolder(dir);
}

void MainWindow::useProjectFolder(const QString &dir)
{
    m_options.catalog.projectDir = dir;
    m_migrations->setProjectDir(dir);
    if (QFileInfo::exists(dir + QStringLiteral("/db/migrations"))) // the reference knexfile's folder
        m_migrations->setFolder(dir + QStringLiteral("/db/migrations"));
    reloadProfiles(QString());               // the new .env may name another default (NODE_ENV)
    if (!m_catalog.defaultError.isEmpty()) { // an unreadable .env: its database is unknown, so none other
        m_overview->showError(ConnectionProfile{}, Error::invalid(m_catalog.defaultError));
        showPanel(tr("Connection"));
        return;
    }
    statusBar()->showMessage(m_catalog.dotEnvPath.isEmpty() ? tr("No .env in %1").arg(dir) : tr("Read %1").arg(m_catalog.dotEnvPath),
                             8000);
    if (m_options.autoConnect)
        connectCurrent();
}
} // namespace vwb::ui
