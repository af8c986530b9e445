// ui/mainwindow/MainWindow.h
#pragma once

#include "connection/ProfileCatalog.h"
#include "core/JobRunner.h"
#include "settings/Preferences.h"
#include <QMainWindow>

class QAction;
class QComboBox;
class QFrame;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace vwb {
class SecretStore;
class ConnectionController;
class LiveSession;
} // namespace vwb

namespace vwb::ui {
class ConnectionOverview;
class DatabaseSummary;
class EnvironmentBadge;
class MigrationsPanel;
class BrowserPanel;
class EvaluatePanel;
class SearchPanel;
class MaintenancePanel;
class HealthPanel;
class PlansPanel;
class QueryPanel;
class SizesPanel;
class AuditPanel;
class JobsDock;
class ModelChangeDialog;
class SettingsDialog;
class AboutDialog;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        vwb::CatalogOptions catalog;         // its sandbox is filled from sandboxBaseDir
        QString sandboxBaseDir;              // empty: LocalCluster::defaultBaseDir()
        QString profile;                     // connect to this profile at start; empty: the catalog's default
        bool autoConnect = true;             // false: only show what would be connected to (tests)
        QString layoutPath;                  // ini file keeping the window's size, docks and splitters; empty: none kept
        QString preferencesPath;             // the Settings dialog's file (Preferences); empty: defaults, not kept
        vwb::SecretStore *secrets = nullptr; // where Settings keeps API keys; null: the OS keychain
    };

    explicit MainWindow(Options options, QWidget *parent = nullptr);
    ~MainWindow() override;

protected:
    void closeEvent(QCloseEvent *event) override; // keeps the window's layout (Options::layoutPath)

public:
    /// Adds a panel to the navigation sidebar; later features register theirs here.
    void addPanel(const QString &title, QWidget *panel);
    void selectProfile(const QString &name);
    /// Shows the sidebar panel with this title; false when there is none.
    bool showPanel(const QString &title);
    /// Reads the profiles of a Node project folder (its .env); File ▸ Open project folder asks for it.
    void useProjectFolder(const QString &dir);

    EnvironmentBadge *badge() const { return m_badge; }
    QComboBox *profileBox() const { return m_profileBox; }
    vwb::ConnectionController *controller() const { return m_controller; }
    vwb::LiveSession *session() const { return m_session; }
    ConnectionOverview *overview() const { return m_overview; }
    DatabaseSummary *summary() const { return m_summary; }
    MigrationsPanel *migrations() const { return m_migrations; }
    BrowserPanel *browser() const { return m_browser; }
    SearchPanel *search() const { return m_search; }
    EvaluatePanel *evaluate() const { return m_evaluate; }
    MaintenancePanel *maintenance() const { return m_maintenance; }
    HealthPanel *health() const { return m_health; }
    PlansPanel *plans() const { return m_plans; }
    QueryPanel *query() const { return m_query; }
    SizesPanel *sizes() const { return m_sizes; }
    AuditPanel *audit() const { return m_audit; }
    JobsDock *jobs() const { return m_jobs; }
    vwb::JobRunner *jobRunner() const { return m_runner; }
    QLabel *serverLabel() const { return m_serverLabel; }
    QLabel *vectorLabel() const { return m_vectorLabel; }
    const vwb::ProfileCatalog &catalog() const { return m_catalog; }
    /// Opens (or brings up) the guided model change: Tools menu, and Evaluate's "Change model…".
    ModelChangeDialog *showModelChange();
    /// Tools > Settings (Ctrl+,): OK applies the preferences to the panels and the theme, and keeps them.
    SettingsDialog *showSettings();
    /// Help > About, with the connected server's versions.
    AboutDialog *showAbout();
    /// Gives the panels `preferences`: all of them, or only what differs from `previous`.
    void applyPreferences(const Preferences &preferences, const Preferences *previous = nullptr);

private:
    void buildUi();
    /// View: every panel (Ctrl+1 … Ctrl+9, Ctrl+0 for the tenth) and the Jobs dock (Ctrl+J), which
    /// can be brought back this way once closed.
    void buildViewMenu();
    /// Reads the catalog again and selects `wanted`, or the catalog's default when it is empty.
    void reloadProfiles(const QString &wanted);
    void profileChosen(int index);
    void connectCurrent();
    void updateStatusBar();
    void askUnlock();
    void askPassword(const vwb::ConnectionProfile &profile);
    void addConnection();
    void openProjectFolder();
    bool isFirstRun() const;

    Options m_options;
    Preferences m_preferences;
    bool m_jobsSized = false; // the Jobs dock has its height (first shown, or kept from last time)
    vwb::ProfileCatalog m_catalog;
    vwb::ConnectionController *m_controller = nullptr;
    vwb::LiveSession *m_session = nullptr;
    QComboBox *m_profileBox = nullptr;
    EnvironmentBadge *m_badge = nullptr;
    QAction *m_unlockAction = nullptr;
    QAction *m_lockAction = nullptr;
    QFrame *m_productionStripe = nullptr;
    QListWidget *m_nav = nullptr;
    QStackedWidget *m_pages = nullptr;
    DatabaseSummary *m_summary = nullptr;
    ConnectionOverview *m_overview = nullptr;
    MigrationsPanel *m_migrations = nullptr;
    BrowserPanel *m_browser = nullptr;
    SearchPanel *m_search = nullptr;
    EvaluatePanel *m_evaluate = nullptr;
    MaintenancePanel *m_maintenance = nullptr;
    HealthPanel *m_health = nullptr;
    PlansPanel *m_plans = nullptr;
    QueryPanel *m_query = nullptr;
    SizesPanel *m_sizes = nullptr;
    AuditPanel *m_audit = nullptr;
    JobsDock *m_jobs = nullptr;
    ModelChangeDialog *m_modelChange = nullptr; // made when first asked for
    vwb::JobRunner *m_runner = nullptr;
    QLabel *m_stateLabel = nullptr;
    QLabel *m_serverLabel = nullptr;
    QLabel *m_vectorLabel = nullptr;
    QLabel *m_latencyLabel = nullptr;
};
} // namespace vwb::ui
