// ui/dialogs/ConnectionDialog.cpp
#include "dialogs/ConnectionDialog.h"

#include "connection/AsyncConnection.h"
#include "connection/DatabaseUrl.h"
#include "connection/ProfileStore.h"
#include "connection/ServerCheck.h"
#include "theme/Theme.h"
#include "widgets/ErrorDisplay.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace vwb::ui {

ConnectionDialog::ConnectionDialog(ProfileStore *store, SecretStore *secrets, QWidget *parent)
    : QDialog(parent), m_store(store), m_secrets(secrets), m_connection(std::make_unique<AsyncConnection>())
{
    setWindowTitle(tr("Connection profile"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_name = new QLineEdit;
    m_url = new QLineEdit;
    m_url->setPlaceholderText(QStringLiteral("postgresql://user:password@host:5432/db?sslmode=verify-full"));
    m_host = new QLineEdit;
    m_port = new QLineEdit;
    m_port->setPlaceholderText(QStringLiteral("5432"));
    m_db = new QLineEdit;
    m_user = new QLineEdit;
    m_password = new QLineEdit;
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("kept in the OS keychain, or asked once per session"));
    m_sslmode = new QComboBox;
    m_sslmode->addItems({QString(), QStringLiteral("disable"), QStringLiteral("allow"), QStringLiteral("prefer"),
                         QStringLiteral("require"), QStringLiteral("verify-ca"), QStringLiteral("verify-full")});
    m_production = new QCheckBox(tr("Production: require TLS, read-only until unlocked"));
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("URL"), m_url);
    form->addRow(tr("Host"), m_host);
    form->addRow(tr("Port"), m_port);
    form->addRow(tr("Database"), m_db);
    form->addRow(tr("User"), m_user);
    form->addRow(tr("Password"), m_password);
    form->addRow(tr("TLS (sslmode)"), m_sslmode);
    form->addRow(QString(), m_production);
    layout->addLayout(form);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_test = buttons->addButton(tr("Test"), QDialogButtonBox::ActionRole);
    m_save = buttons->addButton(tr("Test and save"), QDialogButtonBox::AcceptRole);
    layout->addWidget(buttons);

    connect(m_url, &QLineEdit::editingFinished, this, &ConnectionDialog::applyUrl);
    connect(m_test, &QPushButton::clicked, this, [this] { runTest(false); });
    connect(m_save, &QPushButton::clicked, this, [this] { runTest(true); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(560, sizeHint().height());
}

ConnectionDialog::~ConnectionDialog() = default;

void ConnectionDialog::setProfile(const ConnectionProfile &p)
{
    m_name->setText(p.name);
    m_host->setText(p.params.host);
    m_port->setText(p.params.port);
    m_db->setText(p.params.dbname);
    m_user->setText(p.params.user);
    m_password->setText(p.params.password);
    m_sslmode->setCurrentText(p.params.sslmode);
    m_production->setChecked(p.production);
    m_extra.extra = p.params.extra;
    m_url->setText(toDatabaseUrl(p.params, false));
}

void ConnectionDialog::applyUrl()
{
    if (m_url->text().trimmed().isEmpty())
        return;
    auto parsed = parseDatabaseUrl(m_url->text().trimmed());
    if (!parsed.ok()) {
        m_status->setText(Theme::span(Tone::Error, parsed.error().message.toHtmlEscaped()));
        return;
    }
    const ConnectionParams &p = parsed.value();
    m_host->setText(p.host);
    m_port->setText(p.port);
    m_db->setText(p.dbname);
    m_user->setText(p.user);
    if (!p.password.isEmpty())
        m_password->setText(p.password);
    m_sslmode->setCurrentText(p.sslmode);
    m_extra.extra = p.extra;
    m_status->clear();
}

ConnectionProfile ConnectionDialog::profile() const
{
    ConnectionProfile p;
    p.name = m_name->text().trimmed();
    p.source = ProfileSource::Saved;
    p.production = m_production->isChecked();
    p.params.host = m_host->text().trimmed();
    p.params.port = m_port->text().trimmed();
    p.params.dbname = m_db->text().trimmed();
    p.params.user = m_user->text().trimmed();
    p.params.password = m_password->text();
    p.params.sslmode = m_sslmode->currentText();
    p.params.extra = m_extra.extra;
    return p;
}

void ConnectionDialog::setBusy(bool busy)
{
    m_test->setEnabled(!busy);
    m_save->setEnabled(!busy);
    if (busy)
        m_status->setText(tr("Testing the connection…"));
}

void ConnectionDialog::runTest(bool thenSave)
{
    applyUrl();
    const ConnectionProfile p = profile();
    if (thenSave) {
        if (auto name = ProfileStore::validateName(p.name); !name.ok()) {
            m_status->setText(name.error().message);
            return;
        }
    }
    if (auto valid = p.validate(); !valid.ok()) {
        m_status->setText(Theme::span(Tone::Error, valid.error().message.toHtmlEscaped()));
        return;
    }
    setBusy(true);
    m_connection->open(p, ConnectOptions{}, this, [this, thenSave](Result<void> opened) {
        if (!opened.ok()) {
            setBusy(false);
            m_status->setText(Theme::span(Tone::Error, errorText(opened.error()).toHtmlEscaped()));
            emit testFinished(false, opened.error().message);
            if (thenSave
                && QMessageBox::question(this, tr("Save anyway?"),
                                         tr("The test failed: %1\n\nSave the profile anyway?").arg(opened.error().message))
                       == QMessageBox::Yes)
                save();
            return;
        }
        m_connection->run<ServerReport>(
            this, [](PgConnection &conn) { return checkServer(conn, 3); },
            [this, thenSave](Result<ServerReport> report) {
                setBusy(false);
                if (!report.ok()) {
                    m_status->setText(errorText(report.error()).toHtmlEscaped());
                    emit testFinished(false, report.error().message);
                    return;
                }
                const ServerReport &r = report.value();
                QString text = tr("Connected: PostgreSQL %1, pgvector %2, TLS %3, %4 ms")
                                   .arg(r.server.version, r.pgvectorVersion.isEmpty() ? tr("missing") : r.pgvectorVersion,
                                        r.server.tls ? r.server.tlsProtocol : tr("off"))
                                   .arg(r.latencyMs, 0, 'f', 1);
                for (const QString &w : r.warnings)
                    text += QStringLiteral("<br>") + Theme::span(Tone::Warning, QStringLiteral("⚠ ") + w.toHtmlEscaped());
                m_status->setText(text);
                emit testFinished(true, text);
                m_connection->close();
                if (thenSave)
                    save();
            });
    });
}

void ConnectionDialog::save()
{
    auto stored = m_store->save(profile(), m_secrets);
    if (!stored.ok()) {
        showError(this, stored.error());
        return;
    }
    m_savedName = profile().name;
    m_status->setText(stored.value());
    emit saved(m_savedName);
    accept();
}
} // namespace vwb::ui
