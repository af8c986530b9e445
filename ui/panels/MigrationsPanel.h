// ui/panels/MigrationsPanel.h
#pragma once

#include "migrations/KnexLedger.h"
#include "migrations/MigrationPlan.h"
#include "session/Session.h"
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProcess;
class QPushButton;
class QTableView;

namespace vwb::ui {
class MigrationTableModel;

/// Knex migration status of the connected database, and the actions on it. Every action shows
/// what it will run first; writes on production need the session unlock.
class MigrationsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit MigrationsPanel(vwb::Session *session, QWidget *parent = nullptr);

    void setFolder(const QString &dir);
    QString folder() const;
    void setProjectDir(const QString &dir); // where the external Knex command runs
    void refresh();
    /// Plans `request` off the UI thread, then asks for confirmation in a PlanPreviewDialog.
    void requestAction(const vwb::MigrationRequest &request);
    void requestUnlock();
    /// Reads the project's knexfile, shows the Knex migration files the improvements make, and
    /// writes them once confirmed (nothing touches the database).
    void requestKnexExport(const QString &projectDir, const QStringList &only = {});
    /// requestKnexExport() on the project this window was opened with, or one the user picks.
    void askKnexExport(const QStringList &only = {});

    MigrationTableModel *model() const { return m_model; }
    QLabel *lockLabel() const { return m_lock; }
    QPlainTextEdit *log() const { return m_log; }
    QPushButton *latestButton() const { return m_latest; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *exportButton() const { return m_export; }
    QPushButton *runCommandButton() const { return m_runCommand; }
    const vwb::LedgerConfig &ledger() const { return m_ledger; }

signals:
    void refreshed();
    void actionFinished(bool ok, const QString &message);

private:
    void showStatus(const vwb::MigrationStatus &status);
    void runPlan(const vwb::MigrationPlan &plan);
    void runExternal();
    void appendLog(const QString &line);
    void updateEnabled();
    bool writesAllowed() const;

    vwb::Session *m_session;
    vwb::Session::TaskId m_runTask = 0;
    MigrationTableModel *m_model = nullptr;
    QLineEdit *m_folder = nullptr;
    QLabel *m_lock = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_problems = nullptr;
    QLabel *m_guard = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_latest = nullptr;
    QPushButton *m_rollback = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_unlock = nullptr;
    QPushButton *m_export = nullptr;
    QLineEdit *m_command = nullptr;
    QPushButton *m_runCommand = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QProcess *m_process = nullptr;
    QString m_projectDir;
    bool m_busy = false;
    bool m_hasStatus = false;
    vwb::LedgerConfig m_ledger; // the folder's, as of the last refresh
    int m_knexMigrations = 0;   // a Knex project manages the database: the own migrations are not applied
};
} // namespace vwb::ui
