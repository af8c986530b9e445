// ui/panels/PlansPanel.cpp
#include "panels/PlansPanel.h"

#include "plan/ExplainRunner.h"
#include "plan/PlanCompare.h"
#include "plan/PlanParser.h"
#include "session/Session.h"
#include "theme/Theme.h"
#include "widgets/PlanCompareView.h"
#include "widgets/PlanView.h"
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace vwb::ui {
PlansPanel::PlansPanel(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    m_input = new QPlainTextEdit;
    m_input->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_input->setPlaceholderText(tr("A statement to explain (one, without EXPLAIN) — or a plan pasted from psql, pgAdmin or a log, "
                                   "JSON or text, then \"Read as plan\""));
    m_input->setMaximumHeight(110);
    layout->addWidget(m_input);
    auto *buttons = new QHBoxLayout;
    m_explain = new QPushButton(tr("EXPLAIN"));
    m_explain->setToolTip(tr("The planner's plan and estimates; nothing runs"));
    m_analyze = new QPushButton(tr("EXPLAIN ANALYZE"));
    m_analyze->setToolTip(tr("Runs the statement with BUFFERS inside a transaction that is always rolled back"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setToolTip(tr("Cancel the EXPLAIN running now; its transaction is rolled back"));
    m_cancel->setEnabled(false);
    m_read = new QPushButton(tr("Read as plan"));
    m_keep = new QPushButton(tr("Keep as A"));
    m_keep->setToolTip(tr("Keep the plan shown as the baseline; the next plans are compared with it"));
    m_keep->setEnabled(false);
    m_timeout = new QSpinBox;
    m_timeout->setRange(0, 3600000);
    m_timeout->setSingleStep(1000);
    m_timeout->setValue(30000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setSpecialValueText(tr("server's"));
    m_timeout->setToolTip(tr("statement_timeout for the EXPLAIN (0: the server's setting)"));
    buttons->addWidget(m_explain);
    buttons->addWidget(m_analyze);
    buttons->addWidget(m_cancel);
    buttons->addWidget(new QLabel(tr("timeout")));
    buttons->addWidget(m_timeout);
    buttons->addSpacing(16);
    buttons->addWidget(m_read);
    buttons->addWidget(m_keep);
    buttons->addStretch();
    layout->addLayout(buttons);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    m_tabs = new QTabWidget;
    m_view = new PlanView;
    m_compare = new PlanCompareView;
    m_tabs->addTab(m_view, tr("Plan"));
    m_tabs->addTab(m_compare, tr("Compare A / B"));
    layout->addWidget(m_tabs, 1);

    connect(m_explain, &QPushButton::clicked, this, [this] { explain(false); });
    connect(m_analyze, &QPushButton::clicked, this, [this] { explain(true); });
    connect(m_cancel, &QPushButton::clicked, this, &PlansPanel::cancel);
    connect(m_read, &QPushButton::clicked, this, &PlansPanel::readInputAsPlan);
    connect(m_keep, &QPushButton::clicked, this, &PlansPanel::keepAsBaseline);
}

void PlansPanel::setInput(const QString &text)
{
    m_input->setPlainText(text);
}
int PlansPanel::timeoutMs() const
{
    return m_timeout->value();
}

void PlansPanel::setTimeoutMs(int ms)
{
    m_timeout->setValue(ms);
}

void PlansPanel::explain(bool analyze)
{
    if (m_running)
        return;
    if (!m_session->isConnected()) {
        fail(tr("Not connected: connect to a database to explain a statement (pasted plans can be read without one)."));
        return;
    }
    auto statement = ExplainRunner::singleStatement(m_input->toPlainText());
    if (!statement.ok()) {
        fail(statement.error().message);
        return;
    }
    ExplainOptions options;
    options.analyze = analyze;
    options.timeoutMs = m_timeout->value();
    setRunning(true);
    Theme::clearTone(m_status);
    m_status->setText(analyze ? tr("Running EXPLAIN ANALYZE (rolled back afterwards)…") : tr("Running EXPLAIN…"));
    const QString sql = statement.value();
    m_task = m_session->run<ExplainedStatement>(
        QStringLiteral("plans"), this, [sql, options](DatabaseServices &s) { return s.explain(sql, options); },
        [this, analyze](Result<ExplainedStatement> done) {
            setRunning(false);
            if (!done.ok()) {
                fail(done.error().isCanceled() ? tr("Canceled: the statement was stopped and its transaction rolled back")
                                               : done.error().message);
                return;
            }
            show(done.value().outcome.plan, done.value().hints,
                 (analyze ? tr("EXPLAIN ANALYZE at %1") : tr("EXPLAIN at %1"))
                     .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
        });
}

void PlansPanel::cancel()
{
    if (m_running)
        m_session->cancel(m_task);
}

void PlansPanel::setRunning(bool running)
{
    m_running = running;
    m_explain->setEnabled(!running);
    m_analyze->setEnabled(!running);
    m_cancel->setEnabled(running);
}

bool PlansPanel::readInputAsPlan()
{
    auto plan = PlanParser::parse(m_input->toPlainText());
    if (!plan.ok()) {
        fail(tr("Not a plan: %1").arg(plan.error().message));
        return false;
    }
    // Without the server's schema the hints that need it stay silent; the others still speak.
    show(plan.value(), planHints(plan.value(), DatabaseSchema{}),
         tr("pasted plan at %1").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss"))));
    return true;
}

void PlansPanel::keepAsBaseline()
{
    if (!m_current)
        return;
    m_baseline = m_current;
    m_baselineName = m_currentName;
    m_compare->clear(tr("A is %1. Explain or read another plan (B) to compare it with A.").arg(m_baselineName));
    m_status->setText(tr("Kept %1 as A.").arg(m_baselineName));
}

void PlansPanel::show(const Plan &plan, const QList<PlanHint> &hints, const QString &name)
{
    m_current = plan;
    m_currentName = name;
    m_keep->setEnabled(true);
    m_view->setPlan(plan, hints);
    Theme::clearTone(m_status);
    m_status->setText(hints.isEmpty() ? tr("%1: no pgvector hints.").arg(name)
                                      : tr("%1: %n pgvector hint(s), listed below the plan.", nullptr, int(hints.size())).arg(name));
    if (m_baseline) {
        m_compare->setComparison(comparePlans(*m_baseline, plan), m_baselineName, name);
    }
    emit planShown();
}

void PlansPanel::fail(const QString &message)
{
    Theme::setTone(m_status, Tone::Error);
    m_status->setText(message);
    emit failed(message);
}
} // namespace vwb::ui
