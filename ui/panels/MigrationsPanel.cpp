// ui/panels/MigrationsPanel.cpp
#include "panels/MigrationsPanel.h"

#include "connection/PgConnection.h"
#include "dialogs/PlanPreviewDialog.h"
#include "migrations/KnexCommand.h"
#include "migrations/KnexExport.h"
#include "migrations/MigrationRunner.h"
#include "models/MigrationTableModel.h"
#include "session/Session.h"
#include "theme/Theme.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/TableExportMenu.h"
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTime>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {

struct PlannedAction
{
    MigrationPlan plan;
    LedgerConfig ledger;
};

struct RunResult
{
    MigrationOutcome outcome;
    QStringList log;
};

struct FolderStatus
{
    MigrationStatus status;
    LedgerConfig ledger;
};

struct PlannedExport
{
    KnexProject project;
    QList<KnexExportFile> files;
};

/// The folder's migrations and the ledger they are recorded in (MigrationRunner::ledgerFor).
Result<FolderStatus> folderStatus(PgConnection &conn, const QString &dir)
{
    auto files = scanMigrations(dir);
    if (!files.ok())
        return files.error();
    const LedgerConfig ledger = MigrationRunner::ledgerFor(files.value());
    auto status = MigrationRunner(conn, ledger).status(files.value());
    if (!status.ok())
        return status.error();
    return FolderStatus{status.value(), ledger};
}
} // namespace

MigrationsPanel::MigrationsPanel(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    auto *folderRow = new QHBoxLayout;
    folderRow->addWidget(new QLabel(tr("Folder")));
    m_folder = new QLineEdit(defaultMigrationsDir());
    folderRow->addWidget(m_folder, 1);
    auto *browse = new QPushButton(tr("Browse…"));
    auto *refreshButton = new QPushButton(tr("Refresh"));
    folderRow->addWidget(browse);
    folderRow->addWidget(refreshButton);
    layout->addLayout(folderRow);

    auto *actions = new QHBoxLayout;
    m_latest = new QPushButton(tr("Migrate to latest…"));
    m_rollback = new QPushButton(tr("Roll back last batch…"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setToolTip(tr("Cancel the migration running now: its transaction rolls back and the lock is freed"));
    m_cancel->setEnabled(false);
    m_unlock = new QPushButton(tr("Unlock…"));
    m_export = new QPushButton(tr("Write as Knex migrations…"));
    m_export->setToolTip(tr("The workbench's schema improvements as Knex migration files in a Node project's migrations "
                            "folder, for the team to review and commit; the project's own Knex applies them."));
    m_lock = new QLabel;
    m_lock->setObjectName(QStringLiteral("lockIndicator"));
    actions->addWidget(m_latest);
    actions->addWidget(m_rollback);
    actions->addWidget(m_cancel);
    actions->addWidget(m_unlock);
    actions->addWidget(m_export);
    actions->addSpacing(16);
    actions->addWidget(m_lock);
    actions->addStretch();
    layout->addLayout(actions);
    m_guard = new QLabel;
    Theme::setTone(m_guard, Tone::Error, true);
    layout->addWidget(m_guard);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_problems = new QLabel;
    m_problems->setWordWrap(true);
    Theme::setTone(m_problems, Tone::Warning);
    layout->addWidget(m_problems);

    auto *split = new QSplitter(Qt::Vertical);
    split->setObjectName(QStringLiteral("migrationsSplitter")); // its sizes are kept (WindowLayout)
    m_model = new MigrationTableModel(this);
    m_table = new QTableView;
    addTableExport(m_table, QStringLiteral("migrations")); // right-click: copy as CSV/TSV/JSON, save
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(MigrationTableModel::Name, QHeaderView::Stretch);
    for (int column : {MigrationTableModel::Status, MigrationTableModel::Batch, MigrationTableModel::AppliedAt})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_table->setWordWrap(false);
    split->addWidget(m_table);
    auto *bottom = new QWidget;
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    auto *commandRow = new QHBoxLayout;
    commandRow->addWidget(new QLabel(tr("Knex command")));
    m_command = new QLineEdit(QStringLiteral("npx knex migrate:latest"));
    m_command->setToolTip(tr("JavaScript/TypeScript migrations run only through Knex itself: this command runs in "
                             "the project folder and its output appears below."));
    commandRow->addWidget(m_command, 1);
    m_runCommand = new QPushButton(tr("Run"));
    commandRow->addWidget(m_runCommand);
    bottomLayout->addLayout(commandRow);
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setMaximumBlockCount(5000);
    bottomLayout->addWidget(m_log);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Migrations folder"), folder());
        if (!dir.isEmpty())
            setFolder(dir);
    });
    connect(refreshButton, &QPushButton::clicked, this, &MigrationsPanel::refresh);
    connect(m_folder, &QLineEdit::editingFinished, this, &MigrationsPanel::refresh);
    connect(m_latest, &QPushButton::clicked, this, [this] { requestAction({MigrationAction::Latest, {}}); });
    connect(m_rollback, &QPushButton::clicked, this, [this] { requestAction({MigrationAction::Rollback, {}}); });
    connect(m_unlock, &QPushButton::clicked, this, &MigrationsPanel::requestUnlock);
    connect(m_export, &QPushButton::clicked, this, [this] { askKnexExport(); });
    connect(m_runCommand, &QPushButton::clicked, this, &MigrationsPanel::runExternal);
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_session->cancel(m_runTask); });
    connect(m_session, &Session::connected, this, &MigrationsPanel::refresh);
    connect(m_session, &Session::disconnected, this, [this] { updateEnabled(); });
    connect(m_session, &Session::writesUnlockedChanged, this, [this] { updateEnabled(); });
    connect(m_session, &Session::dataChanged, this, [this](const DataChange &change) {
        if (change.kind == DataChange::Kind::Schema)
            refresh(); // the ledger may have moved too
    });
    updateEnabled();
}

void MigrationsPanel::setFolder(const QString &dir)
{
    m_folder->setText(dir);
    refresh();
}

QString MigrationsPanel::folder() const
{
    return m_folder->text().trimmed();
}

void MigrationsPanel::setProjectDir(const QString &dir)
{
    m_projectDir = dir;
}

bool MigrationsPanel::writesAllowed() const
{
    return m_session->writesAllowed();
}

void MigrationsPanel::updateEnabled()
{
    const bool connected = m_session->isConnected();
    const bool canWrite = connected && writesAllowed() && !m_busy && m_hasStatus;
    const bool ownLedger = !m_ledger.isKnexLedger();
    m_latest->setEnabled(canWrite && ownLedger && m_knexMigrations == 0);
    m_rollback->setEnabled(canWrite && ownLedger);
    m_unlock->setEnabled(canWrite);
    m_export->setEnabled(!m_busy);
    // The project's Knex command writes to the database the environment names: production needs the unlock.
    const bool running = m_process && m_process->state() != QProcess::NotRunning;
    m_runCommand->setEnabled(running || !connected || writesAllowed());
    m_runCommand->setToolTip(m_runCommand->isEnabled() ? QString()
                                                       : tr("Production is read-only in this session: unlock writes to run "
                                                            "the project's Knex"));
    const QString knexOnly = tr("Knex's migrations run through Knex itself: use the command below");
    m_latest->setToolTip(!ownLedger             ? knexOnly
                         : m_knexMigrations > 0 ? tr("A Knex project manages this database: write the changes as Knex "
                                                     "migrations instead")
                                                : QString());
    m_rollback->setToolTip(!ownLedger ? knexOnly : m_summary->toolTip());
    m_guard->setText(connected && !writesAllowed() ? tr("Production is read-only in this session: unlock writes to migrate.") : QString());
    m_guard->setVisible(!m_guard->text().isEmpty());
}

void MigrationsPanel::refresh()
{
    if (!m_session->isConnected())
        return;
    const QString dir = folder();
    m_session->runOnServer<FolderStatus>(
        QStringLiteral("main"), this, [dir](PgConnection &conn) { return folderStatus(conn, dir); },
        [this](Result<FolderStatus> status) {
            if (!status.ok()) {
                m_hasStatus = false;
                m_summary->setText(Theme::span(Tone::Error, errorText(status.error()).toHtmlEscaped()));
                m_model->setStatus({});
                m_lock->clear();
                m_problems->clear();
            } else {
                m_hasStatus = true;
                m_ledger = status.value().ledger;
                m_knexMigrations = m_ledger.isKnexLedger() ? 0 : status.value().status.knexMigrations;
                showStatus(status.value().status);
            }
            updateEnabled();
            emit refreshed();
        });
}

void MigrationsPanel::showStatus(const MigrationStatus &s)
{
    m_model->setStatus(s);
    const Tone lockTone = s.lock == LockState::Absent ? Tone::Muted : s.lock == LockState::Free ? Tone::Ok : Tone::Error;
    QString lockText = tr("Lock: %1").arg(MigrationStatus::lockName(s.lock));
    if (!s.lockDetail.isEmpty())
        lockText += QStringLiteral(" (%1)").arg(s.lockDetail);
    m_lock->setText(QStringLiteral("<b>%1</b>").arg(Theme::span(lockTone, QStringLiteral("● ") + lockText.toHtmlEscaped())));
    QString summary = tr("%1 applied, %2 pending, %3 missing")
                          .arg(s.count(MigrationState::Applied))
                          .arg(s.count(MigrationState::Pending) + s.count(MigrationState::PendingOutOfOrder))
                          .arg(s.count(MigrationState::Missing));
    summary += tr(" — ledger %1").arg(m_ledger.tableName);
    if (m_ledger.isKnexLedger())
        summary += tr(" (Knex's: read here, run by Knex)");
    else if (!s.ledgerExists)
        summary += tr(", created by the first migration");
    if (s.knexMigrations > 0)
        summary += tr(". A Knex project manages this database (%n migration(s) in knex_migrations): its changes go to "
                      "the project as Knex migrations",
                      nullptr, s.knexMigrations);
    if (!s.nextRollback.isEmpty())
        summary += tr(". Rolling back would undo batch %1 (%n migration(s), newest first)", nullptr, int(s.nextRollback.size()))
                       .arg(s.lastBatch);
    m_summary->setText(summary.toHtmlEscaped());
    m_summary->setToolTip(s.nextRollback.join(QLatin1Char('\n')));
    m_rollback->setToolTip(m_summary->toolTip());
    m_problems->setText(s.problems.isEmpty() ? QString() : QStringLiteral("⚠ ") + s.problems.join(QStringLiteral("\n⚠ ")));
}

void MigrationsPanel::requestAction(const MigrationRequest &request)
{
    const QString dir = folder();
    m_busy = true;
    updateEnabled();
    m_session->runOnServer<MigrationPlan>(
        QStringLiteral("main"), this,
        [dir, request](PgConnection &conn) -> Result<MigrationPlan> {
            auto files = scanMigrations(dir);
            if (!files.ok())
                return files.error();
            auto status = MigrationRunner(conn, MigrationRunner::ledgerFor(files.value())).status(files.value());
            if (!status.ok())
                return status.error();
            return planMigrations(status.value(), files.value(), request);
        },
        [this](Result<MigrationPlan> plan) {
            m_busy = false;
            updateEnabled();
            if (!plan.ok()) {
                appendLog(QStringLiteral("error: ") + plan.error().message);
                emit actionFinished(false, plan.error().message);
                return;
            }
            if (plan.value().steps.isEmpty()) {
                appendLog(plan.value().nothingToDoMessage());
                emit actionFinished(true, plan.value().nothingToDoMessage());
                return;
            }
            const MigrationPlan p = plan.value();
            auto *dialog = new PlanPreviewDialog(tr("migrate %1").arg(actionName(p.request.action)),
                                                 tr("%1 on <b>%2</b>. These statements will run, in this order:")
                                                     .arg(p.isUp() ? tr("Apply %n migration(s)", nullptr, int(p.steps.size()))
                                                                   : tr("Roll back %n migration(s)", nullptr, int(p.steps.size())),
                                                          m_session->profile().params.displayTarget().toHtmlEscaped()),
                                                 p.describe(m_ledger), this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::accepted, this, [this, p] { runPlan(p); });
            dialog->open();
        });
}

void MigrationsPanel::runPlan(const MigrationPlan &plan)
{
    m_busy = true;
    updateEnabled();
    appendLog(tr("running migrate %1 …").arg(actionName(plan.request.action)));
    m_cancel->setEnabled(true);
    m_runTask = m_session->runOnServer<RunResult>(
        QStringLiteral("main"), this,
        [plan, ledger = m_ledger](PgConnection &conn) -> Result<RunResult> {
            RunResult out;
            auto outcome = MigrationRunner(conn, ledger).run(plan, [&out](const QString &line) { out.log << line; });
            if (!outcome.ok())
                return outcome.error();
            out.outcome = outcome.value();
            return out;
        },
        [this, plan](Result<RunResult> result) {
            m_busy = false;
            m_cancel->setEnabled(false);
            if (result.ok() || !result.error().isCanceled()) // a canceled batch rolls back whole
                m_session->announce({DataChange::Kind::Schema, {}});
            if (!result.ok()) {
                appendLog(QStringLiteral("error: %1").arg(errorText(result.error())));
                if (!result.error().detail.isEmpty())
                    appendLog(QStringLiteral("       %1").arg(result.error().detail));
                emit actionFinished(false, result.error().message);
            } else {
                for (const QString &line : result.value().log)
                    appendLog(line);
                const MigrationOutcome &o = result.value().outcome;
                const QString message = o.names.isEmpty() ? plan.nothingToDoMessage()
                                        : o.up            ? tr("Batch %1 run: %2 migrations").arg(o.batch).arg(o.names.size())
                                                          : tr("Batch %1 rolled back: %2 migrations").arg(o.batch).arg(o.names.size());
                appendLog(message);
                emit actionFinished(true, message);
            }
            refresh();
        });
}

void MigrationsPanel::requestUnlock()
{
    const auto answer = QMessageBox::warning(this, tr("Release the migration lock"),
                                             tr("Release %1 on %2?\n\nOnly do this when no Knex or workbench migration is running: the "
                                                "lock is what stops two runs from migrating at once.")
                                                 .arg(m_ledger.lockTableName(), m_session->profile().params.displayTarget()),
                                             QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    m_session->runOnServer<bool>(
        QStringLiteral("main"), this,
        [ledger = m_ledger](PgConnection &conn) -> Result<bool> {
            if (auto freed = MigrationRunner(conn, ledger).forceUnlock(); !freed.ok())
                return freed.error();
            return true;
        },
        [this](Result<bool> freed) {
            appendLog(freed.ok() ? tr("Successfully unlocked the migrations lock table")
                                 : QStringLiteral("error: ") + freed.error().message);
            emit actionFinished(freed.ok(), freed.ok() ? QString() : freed.error().message);
            refresh();
        });
}

void MigrationsPanel::askKnexExport(const QStringList &only)
{
    QString dir = m_projectDir;
    if (dir.isEmpty())
        dir = QFileDialog::getExistingDirectory(this, tr("The Node project (the folder of its knexfile)"));
    if (!dir.isEmpty())
        requestKnexExport(dir, only);
}

void MigrationsPanel::requestKnexExport(const QString &projectDir, const QStringList &only)
{
    m_busy = true;
    updateEnabled();
    appendLog(tr("reading %1's knexfile …").arg(projectDir));
    // Node reads the knexfile (a child process, up to seconds): on the connection's thread, not this one.
    m_session->runOnServer<PlannedExport>(
        QStringLiteral("main"), this,
        [projectDir, only](PgConnection &) -> Result<PlannedExport> {
            auto project = KnexProject::load(projectDir);
            if (!project.ok())
                return project.error();
            auto own = scanMigrations(defaultMigrationsDir());
            if (!own.ok())
                return own.error();
            auto files = planKnexExport(project.value(), own.value(), only, QDateTime::currentDateTime());
            if (!files.ok())
                return files.error();
            return PlannedExport{project.value(), files.value()};
        },
        [this](Result<PlannedExport> planned) {
            m_busy = false;
            updateEnabled();
            if (!planned.ok()) {
                appendLog(QStringLiteral("error: %1").arg(errorText(planned.error())));
                if (!planned.error().detail.isEmpty())
                    appendLog(QStringLiteral("       %1").arg(planned.error().detail));
                emit actionFinished(false, planned.error().message);
                return;
            }
            const PlannedExport p = planned.value();
            QString preview;
            int added = 0;
            for (const KnexExportFile &f : p.files) {
                if (!f.existing.isEmpty()) {
                    preview += tr("// %1 is already there as %2\n\n").arg(f.source, f.existing);
                    continue;
                }
                ++added;
                preview += QStringLiteral("// ===== %1 =====\n%2\n").arg(f.path, f.text);
            }
            if (added == 0) {
                appendLog(tr("Every improvement is already in %1").arg(p.project.migrationDirs.first()));
                emit actionFinished(true, QString());
                return;
            }
            auto *dialog = new PlanPreviewDialog(
                tr("Write as Knex migrations"),
                tr("%n file(s) for <b>%1</b> (%2), to review and commit; the project's own Knex applies them:", nullptr, added)
                    .arg(p.project.migrationDirs.first().toHtmlEscaped(), p.project.formatName()),
                preview, this);
            dialog->runButton()->setText(tr("Write"));
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::accepted, this, [this, p] {
                if (auto written = writeKnexExport(p.files); !written.ok()) {
                    appendLog(QStringLiteral("error: ") + written.error().message);
                    emit actionFinished(false, written.error().message);
                    return;
                }
                for (const KnexExportFile &f : p.files)
                    if (f.existing.isEmpty())
                        appendLog(tr("wrote %1").arg(f.path));
                m_projectDir = p.project.dir;
                m_command->setText(projectKnexCommand(p.project, {QStringLiteral("migrate:latest")}));
                appendLog(tr("Review and commit them; Run below applies them with the project's Knex."));
                setFolder(p.project.migrationDirs.first());
                emit actionFinished(true, QString());
            });
            dialog->open();
        });
}

void MigrationsPanel::runExternal()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        return;
    }
    const QString command = m_command->text().trimmed();
    if (command.isEmpty())
        return;
    if (!m_process) {
        m_process = new QProcess(this);
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        connect(m_process, &QProcess::readyRead, this, [this] {
            for (const QString &line : QString::fromLocal8Bit(m_process->readAll()).split(QLatin1Char('\n')))
                if (!line.isEmpty())
                    appendLog(line);
        });
        connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
            appendLog(status == QProcess::CrashExit ? tr("command stopped") : tr("command exited with %1").arg(code));
            m_runCommand->setText(tr("Run"));
            m_session->announce({DataChange::Kind::Schema, {}}); // Knex may have migrated: every view reads again
        });
    }
    m_process->setWorkingDirectory(m_projectDir.isEmpty() ? QFileInfo(folder()).absolutePath() : m_projectDir);
    appendLog(QStringLiteral("$ ") + command);
    m_runCommand->setText(tr("Stop"));
    m_process->start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), command});
}

void MigrationsPanel::appendLog(const QString &line)
{
    m_log->appendPlainText(QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}
} // namespace vwb::ui
