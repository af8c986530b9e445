// ui/widgets/JobsDock.cpp
#include "widgets/JobsDock.h"

#include "theme/Theme.h"
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTime>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {
enum Column { Title, Progress, Step, Rate };
constexpr int IdRole = Qt::UserRole + 1;

QString eta(qint64 ms)
{
    if (ms < 0)
        return QString();
    return ms < 60000 ? QStringLiteral("%1 s left").arg(ms / 1000) : QStringLiteral("%1 min left").arg(ms / 60000);
}
} // namespace

JobsDock::JobsDock(JobRunner *runner, QWidget *parent) : QDockWidget(tr("Jobs"), parent), m_runner(runner)
{
    setObjectName(QStringLiteral("jobsDock"));
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("jobsSplitter")); // its sizes are kept (WindowLayout)
    m_tree = new QTreeWidget;
    m_tree->setHeaderLabels({tr("Job"), tr("Progress"), tr("Phase"), tr("Rate")});
    m_tree->setRootIsDecorated(false);
    m_tree->header()->setSectionResizeMode(Title, QHeaderView::Stretch);
    m_tree->header()->resizeSection(Progress, 160);
    m_tree->header()->resizeSection(Step, 240);
    split->addWidget(m_tree);
    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_log = new QPlainTextEdit;
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_cancel = new QPushButton(tr("Cancel job"));
    m_cancel->setEnabled(false);
    m_pause = new QPushButton(tr("Pause"));
    m_pause->setEnabled(false);
    m_pause->setToolTip(tr("Batch jobs stop after the batch in flight and hold nothing while paused"));
    rightLayout->addWidget(m_log);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_pause);
    buttons->addWidget(m_cancel);
    rightLayout->addLayout(buttons);
    split->addWidget(right);
    layout->addWidget(split);
    setWidget(content);

    connect(m_tree, &QTreeWidget::currentItemChanged, this, &JobsDock::showLogOfSelection);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem *item = m_tree->currentItem())
            m_runner->cancel(item->data(Title, IdRole).toULongLong());
    });
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem *item = m_tree->currentItem())
            togglePause(item->data(Title, IdRole).toULongLong());
    });
    connect(m_runner, &JobRunner::started, this, &JobsDock::addRow);
    connect(m_runner, &JobRunner::pausedChanged, this, &JobsDock::showLogOfSelection);
    connect(m_runner, &JobRunner::progressChanged, this,
            [this](JobId id, qint64 done, qint64 total, const QString &step, double rate, qint64 etaMs) {
                auto it = m_rows.find(id);
                if (it == m_rows.end())
                    return;
                auto *bar = static_cast<QProgressBar *>(m_tree->itemWidget(it->item, Progress));
                it->percent = total > 0 ? int(100 * done / total) : -1;
                bar->setRange(0, total > 0 ? 100 : 0); // busy indicator while the total is unknown
                if (total > 0)
                    bar->setValue(it->percent);
                it->item->setText(Step, step);
                it->item->setToolTip(Step, step); // the whole phase, where the column cuts it off
                it->item->setText(Rate, rate > 0 ? QStringLiteral("%1/s %2").arg(rate, 0, 'f', 0).arg(eta(etaMs)) : QString());
            });
    connect(m_runner, &JobRunner::logged, this, [this](JobId id, const QString &line) {
        auto it = m_rows.find(id);
        if (it == m_rows.end())
            return;
        it->log << QStringLiteral("%1  %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line);
        if (m_tree->currentItem() == it->item)
            m_log->appendPlainText(it->log.last());
    });
    connect(m_runner, &JobRunner::finished, this, [this](JobId id, const Error &error) {
        auto it = m_rows.find(id);
        if (it == m_rows.end())
            return;
        it->running = false;
        auto *bar = static_cast<QProgressBar *>(m_tree->itemWidget(it->item, Progress));
        const bool ok = JobRunner::succeeded(error);
        bar->setRange(0, 100);
        bar->setValue(ok ? 100 : bar->value());
        it->item->setText(Step, ok ? tr("done") : error.isCanceled() ? tr("canceled") : tr("failed: %1").arg(error.message));
        Theme::colorItem(it->item, Step, ok ? Tone::Ok : Tone::Error);
        it->log << (ok ? tr("finished") : error.message);
        showLogOfSelection();
    });
}

void JobsDock::addRow(JobId id, const QString &title)
{
    auto *item = new QTreeWidgetItem(m_tree, {title, QString(), tr("queued")});
    item->setData(Title, IdRole, QVariant::fromValue(id));
    auto *bar = new QProgressBar;
    bar->setRange(0, 0);
    bar->setTextVisible(true);
    m_tree->setItemWidget(item, Progress, bar);
    m_rows.insert(id, Row{item, {}, true, -1});
    m_tree->setCurrentItem(item);
    show();
    raise();
}

QString JobsDock::stepOf(JobId id) const
{
    return m_rows.contains(id) ? m_rows.value(id).item->text(Step) : QString();
}

int JobsDock::percentOf(JobId id) const
{
    return m_rows.value(id).percent;
}

bool JobsDock::isRunning(JobId id) const
{
    return m_rows.value(id).running;
}

void JobsDock::showLogOfSelection()
{
    QTreeWidgetItem *item = m_tree->currentItem();
    const JobId id = item ? item->data(Title, IdRole).toULongLong() : 0;
    m_log->setPlainText(m_rows.value(id).log.join(QLatin1Char('\n')));
    const bool running = item && m_rows.value(id).running;
    m_cancel->setEnabled(running);
    m_pause->setEnabled(running && m_runner->canPause(id));
    m_pause->setText(running && m_runner->isPaused(id) ? tr("Resume") : tr("Pause"));
}

void JobsDock::togglePause(JobId id)
{
    if (m_runner->isPaused(id))
        m_runner->resume(id);
    else
        m_runner->pause(id);
}
} // namespace vwb::ui
