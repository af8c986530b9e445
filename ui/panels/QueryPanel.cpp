// ui/panels/QueryPanel.cpp
#include "panels/QueryPanel.h"

#include "core/DataChange.h"
#include "models/ConsoleResultModel.h"
#include "theme/Theme.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/TableExportMenu.h"
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {
constexpr auto Lane = "console"; // its own connection: an open result lives there between batches
constexpr auto HistoryKey = "console/history";

QString oneLine(const QString &sql)
{
    const QString line = sql.simplified();
    return line.size() > 90 ? line.left(89) + QStringLiteral("…") : line;
}
} // namespace

QueryPanel::QueryPanel(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    auto *buttons = new QHBoxLayout;
    m_run = new QPushButton(tr("Run"));
    m_run->setToolTip(tr("Run the selected text, or all of it (Ctrl+Enter)"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the statement running now; its transaction rolls back"));
    m_cancel->setEnabled(false);
    m_explain = new QPushButton(tr("EXPLAIN"));
    m_explain->setToolTip(tr("The plan of the same text in the Plans panel; nothing runs (Ctrl+Shift+E)"));
    m_analyze = new QPushButton(tr("EXPLAIN ANALYZE"));
    m_analyze->setToolTip(tr("Runs it in the Plans panel inside a transaction that is rolled back, and shows the plan with its timings"));
    m_timeout = new QSpinBox;
    m_timeout->setRange(0, 3600);
    m_timeout->setValue(30);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setSpecialValueText(tr("none"));
    m_timeout->setToolTip(tr("statement_timeout for the statement and each batch of its rows"));
    m_history = new QComboBox;
    m_history->setObjectName(QStringLiteral("queryHistory"));
    m_history->setToolTip(tr("Statements run before, newest first: choose one to put it back in the editor"));
    m_history->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_history->setMinimumContentsLength(20);
    buttons->addWidget(m_run);
    buttons->addWidget(m_cancel);
    buttons->addSpacing(12);
    buttons->addWidget(m_explain);
    buttons->addWidget(m_analyze);
    buttons->addSpacing(12);
    buttons->addWidget(new QLabel(tr("timeout")));
    buttons->addWidget(m_timeout);
    buttons->addWidget(m_history, 1);
    layout->addLayout(buttons);
    m_mode = new QLabel;
    m_mode->setObjectName(QStringLiteral("queryMode"));
    m_mode->setWordWrap(true);
    layout->addWidget(m_mode);

    auto *split = new QSplitter(Qt::Vertical);
    split->setObjectName(QStringLiteral("querySplitter")); // its sizes are kept (WindowLayout)
    m_editor = new QPlainTextEdit;
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlaceholderText(tr("SELECT … — one statement; Ctrl+Enter runs it (the selection, when there is one)"));
    split->addWidget(m_editor);
    auto *results = new QWidget;
    auto *resultsLayout = new QVBoxLayout(results);
    resultsLayout->setContentsMargins(0, 0, 0, 0);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("queryStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    resultsLayout->addWidget(m_status);
    m_model = new ConsoleResultModel(this);
    m_view = new QTableView;
    m_view->setModel(m_model);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setDefaultSectionSize(22);
    m_view->horizontalHeader()->setDefaultSectionSize(140);
    m_view->horizontalHeader()->setStretchLastSection(true);
    addTableExport(m_view, QStringLiteral("query-results")); // right-click: copy as CSV/TSV/JSON, save
    resultsLayout->addWidget(m_view, 1);
    split->addWidget(results);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setSizes({160, 480});
    layout->addWidget(split, 1);

    connect(m_run, &QPushButton::clicked, this, &QueryPanel::run);
    connect(m_cancel, &QPushButton::clicked, this, &QueryPanel::cancel);
    connect(m_explain, &QPushButton::clicked, this, [this] { emit explainRequested(statement(), false); });
    connect(m_analyze, &QPushButton::clicked, this, [this] { emit explainRequested(statement(), true); });
    for (const QKeySequence &keys : {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)}) {
        auto *shortcut = new QShortcut(keys, this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        shortcut->setWhatsThis(tr("Query: run the statement (the selection, or all the text)"));
        connect(shortcut, &QShortcut::activated, this, &QueryPanel::run);
    }
    auto *explainKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this);
    explainKey->setContext(Qt::WidgetWithChildrenShortcut);
    explainKey->setWhatsThis(tr("Query: EXPLAIN the statement in the Plans panel"));
    connect(explainKey, &QShortcut::activated, m_explain, &QPushButton::click);
    connect(m_model, &ConsoleResultModel::moreWanted, this, &QueryPanel::fetchMore);
    connect(m_history, &QComboBox::activated, this, [this](int row) {
        if (row > 0) // row 0 is the combo's title
            m_editor->setPlainText(m_history->itemData(row).toString());
    });
    const QStringList history = QSettings().value(QLatin1String(HistoryKey)).toStringList();
    m_history->addItem(tr("History (%L1)").arg(history.size()));
    for (const QString &sql : history)
        m_history->addItem(oneLine(sql), sql);
    connect(m_session, &Session::connected, this, &QueryPanel::showMode);
    connect(m_session, &Session::disconnected, this, [this] {
        m_state = {}; // the connection it lived on is gone
        m_model->stop();
        showMode();
    });
    connect(m_session, &Session::writesUnlockedChanged, this, &QueryPanel::showMode);
    showMode();
}

void QueryPanel::setText(const QString &sql)
{
    m_editor->setPlainText(sql);
}

QString QueryPanel::statement() const
{
    const QString selected = m_editor->textCursor().selectedText();
    // A selection spanning lines comes back with U+2029 between them.
    return selected.trimmed().isEmpty() ? m_editor->toPlainText() : QString(selected).replace(QChar(0x2029), QLatin1Char('\n'));
}

void QueryPanel::showMode()
{
    if (!m_session->isConnected()) {
        m_mode->setText(tr("Not connected"));
        Theme::clearTone(m_mode);
    } else if (!m_session->writesAllowed()) {
        m_mode->setText(tr("READ ONLY — %1 is production and locked: queries that change nothing run; unlock writes (the lock "
                           "in the toolbar) to run anything else")
                            .arg(m_session->profile().name));
        Theme::setTone(m_mode, Tone::Error, true);
    } else {
        m_mode->setText(m_session->profile().production
                            ? tr("Production, writes unlocked: a statement that writes commits at once and goes in the audit log")
                            : tr("A statement that writes commits at once and goes in the audit log; a query's rows come as you "
                                 "scroll"));
        if (m_session->profile().production)
            Theme::setTone(m_mode, Tone::Warning);
        else
            Theme::clearTone(m_mode);
    }
}

void QueryPanel::remember(const QString &sql)
{
    QStringList history = QSettings().value(QLatin1String(HistoryKey)).toStringList();
    history.removeAll(sql);
    history.prepend(sql);
    while (history.size() > HistorySize)
        history.removeLast();
    QSettings().setValue(QLatin1String(HistoryKey), history);
    const QSignalBlocker block(m_history);
    while (m_history->count() > 1)
        m_history->removeItem(1);
    m_history->setItemText(0, tr("History (%L1)").arg(history.size()));
    for (const QString &s : std::as_const(history))
        m_history->addItem(oneLine(s), s);
    m_history->setCurrentIndex(0);
}

void QueryPanel::closeOpen()
{
    if (!m_state.open)
        return;
    // Queued on the console's lane: it ends the open result before anything run after it.
    m_session->run<void>(
        QLatin1String(Lane), nullptr, [state = m_state](DatabaseServices &s) { return s.consoleClose(state); }, [](Result<void>) {});
    m_state = {};
}

void QueryPanel::run()
{
    if (m_running)
        return;
    const QString sql = statement().trimmed();
    if (!m_session->isConnected()) {
        fail(Error::invalid(tr("Not connected: connect to a database to run a statement")));
        return;
    }
    if (sql.isEmpty()) {
        fail(Error::invalid(tr("Type a statement to run")));
        return;
    }
    remember(sql);
    closeOpen();
    m_model->clear();
    ConsoleOptions options;
    options.timeoutMs = m_timeout->value() * 1000;
    options.batchRows = BatchRows;
    setRunning(true);
    Theme::clearTone(m_status);
    m_status->setText(tr("Running…"));
    m_clock.start();
    m_task = m_session->run<ConsoleBatch>(
        QLatin1String(Lane), this, [sql, options](DatabaseServices &s) { return s.consoleStart(sql, options); },
        [this](Result<ConsoleBatch> batch) {
            setRunning(false);
            if (!batch.ok()) {
                fail(batch.error());
                emit finished(false);
                return;
            }
            m_firstMs = m_clock.elapsed();
            m_state = batch.value().state;
            m_model->reset(batch.value().columns, batch.value().columnTypes);
            m_model->append(batch.value().rows, batch.value().done());
            m_view->resizeColumnsToContents();
            for (int c = 0; c < m_model->columnCount(); ++c) // a long text column leaves room for the rest
                m_view->setColumnWidth(c, qMin(m_view->columnWidth(c), 360));
            showOutcome(batch.value());
            if (batch.value().change) // it may have written anything: the other panels read again
                m_session->announce(*batch.value().change);
            emit finished(true);
        });
}

void QueryPanel::fetchMore()
{
    if (!m_state.open || m_running) {
        m_model->stop();
        return;
    }
    setRunning(true);
    m_status->setText(tr("%L1 rows so far, fetching more…").arg(m_model->rowCount()));
    m_task = m_session->run<ConsoleBatch>(
        QLatin1String(Lane), this, [state = m_state](DatabaseServices &s) { return s.consoleNext(state); },
        [this](Result<ConsoleBatch> batch) {
            setRunning(false);
            if (!batch.ok()) {
                m_state = {};
                m_model->stop();
                fail(batch.error());
                return;
            }
            m_state = batch.value().state;
            m_model->append(batch.value().rows, batch.value().done());
            showOutcome(batch.value());
            emit batchShown();
        });
}

void QueryPanel::cancel()
{
    if (m_running)
        m_session->cancel(m_task);
}

void QueryPanel::setRunning(bool running)
{
    m_running = running;
    m_run->setEnabled(!running);
    m_cancel->setEnabled(running);
}

void QueryPanel::showOutcome(const ConsoleBatch &batch)
{
    QStringList parts;
    if (!batch.done())
        parts << tr("%L1 rows so far — more as you scroll (the rest wait on the server)").arg(m_model->rowCount());
    else if (batch.commandTag.startsWith(QLatin1String("SELECT")) || !batch.columns.isEmpty())
        parts << tr("%L1 rows").arg(batch.rowsSoFar());
    if (batch.done() && !batch.commandTag.isEmpty() && !batch.commandTag.startsWith(QLatin1String("SELECT")))
        parts << (batch.readOnly() ? batch.commandTag : tr("%1, committed").arg(batch.commandTag));
    if (m_model->isCapped())
        parts << tr("the first %L1 rows are held: the rest stay on the server (add a LIMIT, or narrow the query)")
                     .arg(ConsoleResultModel::MaxRows);
    parts << (batch.columns.isEmpty() ? tr("in %L1 ms") : tr("first rows in %L1 ms")).arg(m_firstMs);
    if (batch.readOnly())
        parts << tr("read-only transaction");
    for (const QString &notice : batch.notices)
        parts << notice.trimmed();
    Theme::clearTone(m_status);
    m_status->setText(parts.join(QStringLiteral(" · ")));
}

void QueryPanel::fail(const Error &error)
{
    Theme::setTone(m_status, Tone::Error);
    m_status->setText(error.isCanceled() ? tr("Canceled: the statement was stopped and its transaction rolled back") : errorText(error));
}
} // namespace vwb::ui
