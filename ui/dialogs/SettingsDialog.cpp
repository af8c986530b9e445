// ui/dialogs/SettingsDialog.cpp
#include "dialogs/SettingsDialog.h"

#include "connection/SecretStore.h"
#include "embeddings/ProviderSettings.h"
#include "widgets/ErrorDisplay.h"
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {
QFormLayout *formOn(QWidget *page)
{
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    return form;
}

QLabel *note(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    return label;
}
} // namespace

SettingsDialog::SettingsDialog(const Preferences &current, const QString &profileName, vwb::SecretStore *secrets, QWidget *parent)
    : QDialog(parent), m_profile(profileName), m_secrets(secrets)
{
    setWindowTitle(tr("Settings"));
    auto *tabs = new QTabWidget;
    tabs->addTab(appearancePage(current), tr("Appearance"));
    tabs->addTab(searchPage(current), tr("Search"));
    tabs->addTab(embeddingsPage(), tr("Embeddings"));
    tabs->addTab(jobsPage(current), tr("Sizes && plans"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(560, 340);
}

QWidget *SettingsDialog::appearancePage(const Preferences &p)
{
    auto *page = new QWidget;
    QFormLayout *form = formOn(page);
    m_theme = new QComboBox;
    m_theme->setObjectName(QStringLiteral("theme"));
    m_theme->addItem(tr("Follow the system"), Theme::modeKey(Theme::Mode::System));
    m_theme->addItem(tr("Light"), Theme::modeKey(Theme::Mode::Light));
    m_theme->addItem(tr("Dark"), Theme::modeKey(Theme::Mode::Dark));
    m_theme->setCurrentIndex(m_theme->findData(Theme::modeKey(p.theme)));
    form->addRow(tr("Theme"), m_theme);
    form->addRow(note(tr("The environment's colours (sandbox, development, production) stay the same in every theme; "
                         "production keeps its red stripe.")));
    return page;
}

QWidget *SettingsDialog::searchPage(const Preferences &p)
{
    auto *page = new QWidget;
    QFormLayout *form = formOn(page);
    m_metric = new QComboBox;
    m_metric->setObjectName(QStringLiteral("searchMetric"));
    m_metric->addItem(tr("What the column's index serves"), QString());
    m_metric->addItem(tr("L2 distance (<->)"), QStringLiteral("l2"));
    m_metric->addItem(tr("Cosine (<=>)"), QStringLiteral("cosine"));
    m_metric->addItem(tr("Inner product (<#>)"), QStringLiteral("ip"));
    m_metric->setCurrentIndex(qMax(0, m_metric->findData(p.searchMetric)));
    m_limit = new QSpinBox;
    m_limit->setObjectName(QStringLiteral("searchLimit"));
    m_limit->setRange(1, 100);
    m_limit->setValue(p.searchLimit);
    m_threshold = new QDoubleSpinBox;
    m_threshold->setObjectName(QStringLiteral("searchThreshold"));
    m_threshold->setRange(0, 1);
    m_threshold->setDecimals(2);
    m_threshold->setSingleStep(0.05);
    m_threshold->setSpecialValueText(tr("off"));
    m_threshold->setValue(p.searchThreshold);
    form->addRow(tr("Metric"), m_metric);
    form->addRow(tr("Results"), m_limit);
    form->addRow(tr("Minimum similarity"), m_threshold);
    form->addRow(note(tr("What the Search panel starts with; its sliders still change each search.")));
    return page;
}

QWidget *SettingsDialog::embeddingsPage()
{
    auto *page = new QWidget;
    QFormLayout *form = formOn(page);
    m_provider = new QLabel;
    m_provider->setWordWrap(true);
    auto *edit = new QPushButton(tr("Provider…"));
    connect(edit, &QPushButton::clicked, this, &SettingsDialog::providerRequested);
    auto *providerRow = new QHBoxLayout;
    providerRow->addWidget(m_provider, 1);
    providerRow->addWidget(edit);
    m_key = new QLineEdit;
    m_key->setObjectName(QStringLiteral("apiKey"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("goes to the OS keychain"));
    m_saveKey = new QPushButton(tr("Save key"));
    m_forgetKey = new QPushButton(tr("Forget key"));
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_key, 1);
    keyRow->addWidget(m_saveKey);
    keyRow->addWidget(m_forgetKey);
    m_keyStatus = note(QString());
    form->addRow(tr("Provider"), providerRow);
    form->addRow(tr("API key"), keyRow);
    form->addRow(m_keyStatus);
    connect(m_saveKey, &QPushButton::clicked, this, &SettingsDialog::saveKey);
    connect(m_forgetKey, &QPushButton::clicked, this, &SettingsDialog::forgetKey);
    connect(m_key, &QLineEdit::textChanged, this, [this](const QString &t) { m_saveKey->setEnabled(!t.trimmed().isEmpty()); });
    page->setEnabled(!m_profile.isEmpty());
    showKeyState();
    return page;
}

QWidget *SettingsDialog::jobsPage(const Preferences &p)
{
    auto *page = new QWidget;
    QFormLayout *form = formOn(page);
    m_sampleMinutes = new QSpinBox;
    m_sampleMinutes->setObjectName(QStringLiteral("sizeSampleMinutes"));
    m_sampleMinutes->setRange(1, 24 * 60);
    m_sampleMinutes->setSuffix(tr(" min"));
    m_sampleMinutes->setValue(p.sizeSampleMinutes);
    m_explainSeconds = new QSpinBox;
    m_explainSeconds->setObjectName(QStringLiteral("explainTimeout"));
    m_explainSeconds->setRange(0, 3600);
    m_explainSeconds->setSuffix(tr(" s"));
    m_explainSeconds->setSpecialValueText(tr("the server's"));
    m_explainSeconds->setValue(p.explainTimeoutMs / 1000);
    form->addRow(tr("Sample table sizes every"), m_sampleMinutes);
    form->addRow(tr("EXPLAIN ANALYZE stops after"), m_explainSeconds);
    form->addRow(note(tr("EXPLAIN ANALYZE runs the query: its statement_timeout keeps a slow one from holding the server.")));
    return page;
}

Preferences SettingsDialog::preferences() const
{
    Preferences p;
    p.theme = Theme::modeFromKey(m_theme->currentData().toString());
    p.searchMetric = m_metric->currentData().toString();
    p.searchLimit = m_limit->value();
    p.searchThreshold = m_threshold->value();
    p.sizeSampleMinutes = m_sampleMinutes->value();
    p.explainTimeoutMs = m_explainSeconds->value() * 1000;
    return p;
}

void SettingsDialog::saveKey()
{
    const QString key = m_key->text().trimmed();
    if (key.isEmpty() || m_profile.isEmpty())
        return;
    ProviderSettings s = ProviderSettings::load(ProviderSettings::defaultPath(), m_profile);
    const QString where = ProviderSettings::secretKey(m_profile);
    // The keychain may ask to be unlocked (a nested event loop): nothing here may be pressed
    // meanwhile, and the dialog may be gone when it answers.
    setEnabled(false);
    const QPointer<SettingsDialog> self(this);
    auto kept = m_secrets ? m_secrets->write(where, key) : Result<void>(Error::io(tr("no keychain")));
    if (!self)
        return;
    setEnabled(true);
    s.keySource = kept.ok() ? ProviderSettings::KeySource::Keychain : ProviderSettings::KeySource::Session;
    (void)MemorySecretStore::session().write(where, key);
    if (auto saved = s.save(ProviderSettings::defaultPath(), m_profile); !saved.ok()) {
        m_keyStatus->setText(errorText(saved.error()));
        return;
    }
    m_key->clear();
    showKeyState();
    if (!kept.ok())
        m_keyStatus->setText(tr("%1 — so the key is kept for this session only.").arg(errorText(kept.error())));
}

void SettingsDialog::forgetKey()
{
    const QString where = ProviderSettings::secretKey(m_profile);
    if (m_secrets) {
        setEnabled(false);
        const QPointer<SettingsDialog> self(this);
        auto removed = m_secrets->remove(where);
        if (!self)
            return;
        setEnabled(true);
        if (!removed.ok()) { // still in the keychain: say so, and keep using it
            m_keyStatus->setText(tr("Not forgotten: %1").arg(errorText(removed.error())));
            return;
        }
    }
    (void)MemorySecretStore::session().remove(where);
    ProviderSettings s = ProviderSettings::load(ProviderSettings::defaultPath(), m_profile);
    s.keySource = ProviderSettings::KeySource::Environment;
    if (auto saved = s.save(ProviderSettings::defaultPath(), m_profile); !saved.ok())
        m_keyStatus->setText(errorText(saved.error()));
    else
        showKeyState();
}

void SettingsDialog::showKeyState()
{
    if (m_profile.isEmpty()) {
        m_provider->setText(tr("Connect to a profile to choose its provider and key."));
        m_keyStatus->clear();
        return;
    }
    const ProviderSettings s = ProviderSettings::load(ProviderSettings::defaultPath(), m_profile);
    m_provider->setText(
        s.provider == QLatin1String("openai")
            ? tr("%1: OpenAI-compatible, %2 at %3").arg(m_profile, s.model.isEmpty() ? tr("default model") : s.model, s.baseUrl)
            : tr("%1: offline lexical (no key needed)").arg(m_profile));
    switch (s.keySource) {
    case ProviderSettings::KeySource::Keychain:
        m_keyStatus->setText(tr("The key of %1 is in %2.").arg(m_profile, m_secrets ? m_secrets->description() : QString()));
        break;
    case ProviderSettings::KeySource::Session:
        m_keyStatus->setText(tr("The key of %1 is kept for this session only.").arg(m_profile));
        break;
    case ProviderSettings::KeySource::Environment:
        m_keyStatus->setText(tr("The key comes from the environment variable %1%2.")
                                 .arg(s.keyVariable, qEnvironmentVariableIsSet(qPrintable(s.keyVariable)) ? QString() : tr(" (not set)")));
        break;
    }
    m_forgetKey->setEnabled(s.keySource != ProviderSettings::KeySource::Environment);
    m_saveKey->setEnabled(!m_key->text().trimmed().isEmpty());
}
} // namespace vwb::ui
