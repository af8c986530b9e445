// ui/widgets/ConnectionOverview.cpp
#include "widgets/ConnectionOverview.h"

#include "connection/ServerCheck.h"
#include "theme/Theme.h"
#include "widgets/ErrorDisplay.h"
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace vwb::ui {

ConnectionOverview::ConnectionOverview(QWidget *parent) : QWidget(parent)
{
    auto *layout = m_layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 20, 24, 20);
    m_headline = new QLabel;
    QFont big = m_headline->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    m_headline->setFont(big);
    m_headline->setWordWrap(true);
    layout->addWidget(m_headline);
    m_body = new QLabel;
    m_body->setWordWrap(true);
    m_body->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_body);
    m_details = new QWidget;
    m_form = new QFormLayout(m_details);
    m_form->setContentsMargins(0, 8, 0, 8);
    layout->addWidget(m_details);
    m_warnings = new QLabel;
    m_warnings->setWordWrap(true);
    Theme::setTone(m_warnings, Tone::Warning);
    layout->addWidget(m_warnings);
    auto *buttons = new QHBoxLayout;
    m_startSandbox = new QPushButton(tr("Start the sandbox"));
    m_addConnection = new QPushButton(tr("Add a connection…"));
    m_retry = new QPushButton(tr("Try again"));
    buttons->addWidget(m_startSandbox);
    buttons->addWidget(m_addConnection);
    buttons->addWidget(m_retry);
    buttons->addStretch();
    layout->addLayout(buttons);
    layout->addStretch();
    connect(m_startSandbox, &QPushButton::clicked, this, &ConnectionOverview::startSandboxRequested);
    connect(m_addConnection, &QPushButton::clicked, this, &ConnectionOverview::addConnectionRequested);
    connect(m_retry, &QPushButton::clicked, this, &ConnectionOverview::retryRequested);
    showProfile({}, tr("No connection"));
}

void ConnectionOverview::addSection(QWidget *section)
{
    m_layout->insertWidget(m_layout->count() - 1, section); // before the closing stretch
}

void ConnectionOverview::setRows(const QList<QPair<QString, QString>> &rows)
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    for (const auto &[label, value] : rows) {
        auto *v = new QLabel(value);
        v->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_form->addRow(QStringLiteral("<b>%1</b>").arg(label.toHtmlEscaped()), v);
    }
    m_details->setVisible(!rows.isEmpty());
}

void ConnectionOverview::showWelcome(const QString &sandboxLocation)
{
    m_headline->setText(tr("Welcome to Vector Workbench"));
    m_body->setText(tr("<p>No database profile is set up yet. The quickest start is the <b>sandbox</b>: a "
                       "private PostgreSQL server with pgvector that Vector Workbench creates and runs for you, "
                       "keeping its data in <tt>%1</tt>.</p><p>Or add a connection to your own server — a "
                       "<tt>postgres://</tt> URL, or the <tt>POSTGRES_*</tt> / <tt>DATABASE_URL</tt> "
                       "variables of a Node project's <tt>.env</tt>.</p>")
                        .arg(sandboxLocation.toHtmlEscaped()));
    setRows({});
    m_warnings->clear();
    m_startSandbox->show();
    m_addConnection->show();
    m_retry->hide();
}

void ConnectionOverview::showProfile(const ConnectionProfile &profile, const QString &stateText)
{
    m_headline->setText(profile.name.isEmpty() ? stateText : QStringLiteral("%1 — %2").arg(profile.name, stateText));
    m_body->setText(profile.origin.isEmpty() ? QString() : tr("From %1").arg(profile.origin.toHtmlEscaped()));
    setRows(profile.name.isEmpty() ? QList<QPair<QString, QString>>{}
                                   : QList<QPair<QString, QString>>{{tr("Target"), profile.params.displayTarget()}});
    m_warnings->setText(profile.warnings().join(QLatin1Char('\n')));
    m_startSandbox->hide();
    m_addConnection->hide();
    m_retry->hide();
}

void ConnectionOverview::showReport(const ConnectionProfile &profile, const ServerReport &r)
{
    m_headline->setText(tr("%1 — connected").arg(profile.name));
    m_body->setText(tr("From %1").arg(profile.origin.toHtmlEscaped()));
    const QString pgvector = !r.pgvectorVersion.isEmpty()    ? r.pgvectorVersion
                             : r.pgvectorAvailable.isEmpty() ? tr("not available on this server")
                                                             : tr("not installed (%1 available)").arg(r.pgvectorAvailable);
    setRows(
        {{tr("Target"), profile.params.displayTarget()},
         {tr("Server"), QStringLiteral("PostgreSQL %1").arg(r.server.version)},
         {tr("pgvector"), pgvector},
         {tr("Database"), QStringLiteral("%1 as %2").arg(r.server.database, r.server.user)},
         {tr("TLS"), r.server.tls
                         ? QStringLiteral("%1, %2 (sslmode=%3)").arg(r.server.tlsProtocol, r.server.tlsCipher, profile.effectiveSslMode())
                         : tr("off")},
         {tr("Writes"), r.readOnly ? tr("read-only session") : tr("allowed")},
         {tr("Latency"), tr("%1 ms (median of 5 round trips)").arg(r.latencyMs, 0, 'f', 2)}});
    QStringList warnings;
    for (const QString &w : r.warnings)
        warnings << QStringLiteral("⚠ ") + w;
    m_warnings->setText(warnings.join(QLatin1Char('\n')));
    m_startSandbox->hide();
    m_addConnection->hide();
    m_retry->hide();
}

void ConnectionOverview::showError(const ConnectionProfile &profile, const Error &error)
{
    // No profile: the default could not be chosen (NODE_ENV's profile or the project's .env is unusable).
    m_headline->setText(profile.name.isEmpty() ? tr("No default profile — not connected") : tr("%1 — not connected").arg(profile.name));
    m_body->setText(Theme::span(Tone::Error, errorText(error).toHtmlEscaped()));
    if (profile.name.isEmpty())
        setRows({});
    else
        setRows({{tr("Target"), profile.params.displayTarget()}, {tr("From"), profile.origin}});
    m_warnings->setText(error.detail);
    m_startSandbox->hide();
    m_addConnection->show();
    m_retry->show();
}
} // namespace vwb::ui
