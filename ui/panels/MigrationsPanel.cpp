// ui/panels/MigrationsPanel.cpp
#include "panels/MigrationsPanel.h"

#include "connection/PgConnection.h"
#include "dialogs/PlanPreviewDialog.h"
#include "mainwindow/ConnectionController.h"
#include "migrations/MigrationRunner.h"
#include "models/MigrationTableModel.h"
#include "widgets/ErrorDisplay.h"
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
} // namespace

MigrationsPanel::MigrationsPanel(ConnectionController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller)
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
    m_unlock = new QPushButton(tr("Unlock…"));
    m_lock = new QLabel;
    m_lock->setObjectName(QStringLiteral("lockIndicator"));
    actions->addWidget(m_latest);
    actions->addWidget(m_rollback);
    actions->addWidget(m_unlock);
    actions->addSpacing(16);
    actions->addWidget(m_lock);
    actions->addStretch();
    layout->addLayout(actions);
    m_guard = new QLabel;
    m_guard->setStyleSheet(QStringLiteral("QLabel { color: #c62828; font-weight: bold; }"));
    layout->addWidget(m_guard);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_problems = new QLabel;
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("QLabel { color: #e65100; }"));
    layout->addWidget(m_problems);

    auto *split = new QSplitter(Qt::Vertical);
    m_model = new MigrationTableModel(this);
    m_table = new QTableView;
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
    connect(m_runCommand, &QPushButton::clicked, this, &MigrationsPanel::runExternal);
    connect(m_controller, &ConnectionController::connected, this, &MigrationsPanel::refresh);
    connect(m_controller, &ConnectionController::stateChanged, this, [this] { updateEnabled(); });
    connect(m_controller, &ConnectionController::unlockFinished, this, [this] { updateEnabled(); });
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
    return !m_controller->profile().production || m_controller->writesUnlocked();
}

void MigrationsPanel::updateEnabled()
{
    const bool connected = m_controller->state() == ConnectionController::State::Connected;
    const bool canWrite = connected && writesAllowed() && !m_busy && m_hasStatus;
    m_latest->setEnabled(canWrite);
    m_rollback->setEnabled(canWrite);
    m_unlock->setEnabled(canWrite);
    m_guard->setText(connected && !writesAllowed()
                         ? tr("Production is read-only in this session: unlock writes to migrate.")
                         : QString());
    m_guard->setVisible(!m_guard->text().isEmpty());
}

void MigrationsPanel::refresh()
{
    if (m_controller->state() != ConnectionController::State::Connected)
        return;
    const QString dir = folder();
    m_controller->connection().run<MigrationStatus>(
        this,
        [dir](PgConnection &conn) -> Result<MigrationStatus> {
            auto files = scanMigrations(dir);
            if (!files.ok())
                return files.error();
            return MigrationRunner(conn).status(files.value());
        },
        [this](Result<MigrationStatus> status) {
            if (!status.ok()) {
                m_hasStatus = false;
                m_summary->setText(QStringLiteral("<span style='color:#c62828'>%1</span>")
                                       .arg(errorText(status.error()).toHtmlEscaped()));
                m_model->setStatus({});
                m_lock->clear();
                m_problems->clear();
            } else {
                m_hasStatus = true;
                showStatus(status.value());
            }
            updateEnabled();
            emit refreshed();
        });
}

void MigrationsPanel::showStatus(const MigrationStatus &s)
{
    m_model->setStatus(s);
    static const QHash<LockState, QString> colors{{LockState::Absent, QStringLiteral("#757575")},
                                                  {LockState::Free, QStringLiteral("#2e7d32")},
                                                  {LockState::Locked, QStringLiteral("#c62828")},
                                                  {LockState::Malformed, QStringLiteral("#c62828")}};
    QString lockText = tr("Lock: %1").arg(MigrationStatus::lockName(s.lock));
    if (!s.lockDetail.isEmpty())
        lockText += QStringLiteral(" (%1)").arg(s.lockDetail);
    m_lock->setText(QStringLiteral("<span style='color:%1; font-weight:bold'>● %2</span>")
                        .arg(colors.value(s.lock), lockText.toHtmlEscaped()));
    QString summary = tr("%1 applied, %2 pending, %3 missing")
                          .arg(s.count(MigrationState::Applied))
                          .arg(s.count(MigrationState::Pending) + s.count(MigrationState::PendingOutOfOrder))
                          .arg(s.count(MigrationState::Missing));
    if (!s.ledgerExists)
        summary += tr(" — no knex_migrations table yet; the first migration creates it");
    if (!s.nextRollback.isEmpty())
        summary += tr(". Rolling back would undo batch %1 (%n migration(s), newest first)", nullptr,
                      int(s.nextRollback.size()))
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
    m_controller->connection().run<MigrationPlan>(
        this,
        [dir, request](PgConnection &conn) -> Result<MigrationPlan> {
            auto files = scanMigrations(dir);
            if (!files.ok())
                return files.error();
            auto status = MigrationRunner(conn).status(files.value());
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
            auto *dialog = new PlanPreviewDialog(
                tr("migrate %1").arg(actionName(p.request.action)),
                tr("%1 on <b>%2</b>. These statements will run, in this order:")
                    .arg(p.isUp() ? tr("Apply %n migration(s)", nullptr, int(p.steps.size()))
                                  : tr("Roll back %n migration(s)", nullptr, int(p.steps.size())),
                         m_controller->profile().params.displayTarget().toHtmlEscaped()),
                p.describe({}), this);
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
    m_controller->connection().run<RunResult>(
        this,
        [plan](PgConnection &conn) -> Result<RunResult> {
            RunResult out;
            auto outcome = MigrationRunner(conn).run(plan, [&out](const QString &line) { out.log << line; });
            if (!outcome.ok())
                return outcome.error();
            out.outcome = outcome.value();
            return out;
        },
        [this, plan](Result<RunResult> result) {
            m_busy = false;
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
                                        : o.up ? tr("Batch %1 run: %2 migrations").arg(o.batch).arg(o.names.size())
                                               : tr("Batch %1 rolled back: %2 migrations").arg(o.batch).arg(o.names.size());
                appendLog(message);
                emit actionFinished(true, message);
            }
            refresh();
        });
}

void MigrationsPanel::requestUnlock()
{
    const auto answer = QMessageBox::warning(
        this, tr("Release the migration lock"),
        tr("Release knex_migrations_lock on %1?\n\nOnly do this when no Knex or workbench migration is running: the "
           "lock is what stops two runs from migrating at once.")
            .arg(m_controller->profile().params.displayTarget()),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    m_controller->connection().run<bool>(
        this,
        [](PgConnection &conn) -> Result<bool> {
            if (auto freed = MigrationRunner(conn).forceUnlock(); !freed.ok())
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
            refresh();
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
