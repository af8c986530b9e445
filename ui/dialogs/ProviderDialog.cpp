// ui/dialogs/ProviderDialog.cpp
#include "dialogs/ProviderDialog.h"

#include "widgets/ErrorDisplay.h"
#include <QComboBox>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QThreadPool>
#include <QVBoxLayout>

namespace vwb::ui {

ProviderDialog::ProviderDialog(const QString &profileName, int columnDimensions, QWidget *parent)
    : QDialog(parent), m_profile(profileName), m_dimensions(columnDimensions)
{
    setWindowTitle(tr("Embedding provider for %1").arg(profileName));
    const ProviderSettings saved = ProviderSettings::load(ProviderSettings::defaultPath(), profileName);
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_provider = new QComboBox;
    m_provider->addItem(tr("lexical — offline, matches words not meaning"), QStringLiteral("lexical"));
    m_provider->addItem(tr("OpenAI-compatible /v1/embeddings"), QStringLiteral("openai"));
    m_provider->setCurrentIndex(qMax(0, m_provider->findData(saved.provider)));
    m_baseUrl = new QLineEdit(saved.baseUrl);
    m_model = new QLineEdit(saved.model);
    m_model->setPlaceholderText(QStringLiteral("text-embedding-3-small"));
    m_keyVariable = new QLineEdit(saved.keyVariable);
    m_keyVariable->setToolTip(tr("The name of the environment variable that holds the API key; the key itself is never saved"));
    form->addRow(tr("Provider"), m_provider);
    form->addRow(tr("Base URL"), m_baseUrl);
    form->addRow(tr("Model"), m_model);
    form->addRow(tr("API key from"), m_keyVariable);
    m_searchLimit = new QSpinBox;
    m_searchLimit->setRange(0, 100000);
    m_searchLimit->setValue(saved.searchesPerMinute);
    m_searchLimit->setSpecialValueText(tr("no limit"));
    m_searchLimit->setSuffix(tr(" a minute"));
    m_searchLimit->setToolTip(tr("Text searches a minute on a production profile: each one is an embedding call. Other profiles "
                                 "are never limited."));
    form->addRow(tr("Production searches"), m_searchLimit);
    layout->addLayout(form);
    m_status = new QLabel(tr("Vectors must have %1 dimensions to compare with this column.").arg(columnDimensions));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    m_test = buttons->addButton(tr("Test"), QDialogButtonBox::ActionRole);
    layout->addWidget(buttons);
    connect(m_test, &QPushButton::clicked, this, &ProviderDialog::test);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProviderDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(520, sizeHint().height());
}

ProviderSettings ProviderDialog::settings() const
{
    ProviderSettings s = ProviderSettings::load(ProviderSettings::defaultPath(), m_profile);
    s.provider = m_provider->currentData().toString();
    s.baseUrl = m_baseUrl->text().trimmed();
    s.model = m_model->text().trimmed();
    s.keyVariable = m_keyVariable->text().trimmed();
    s.searchesPerMinute = m_searchLimit->value();
    if (s.provider == QLatin1String("lexical")) {
        s.dimensions = m_dimensions;
    } else {
        s.expectedDimensions = m_dimensions;
        s.dimensions = s.model.isEmpty() || s.model.startsWith(QLatin1String("text-embedding-3")) ? m_dimensions : 0;
    }
    return s;
}

void ProviderDialog::test()
{
    m_test->setEnabled(false);
    m_status->setText(tr("Embedding one word…"));
    QPointer<ProviderDialog> self(this);
    const ProviderSettings s = settings();
    QThreadPool::globalInstance()->start([self, s] {
        QElapsedTimer clock;
        clock.start();
        auto provider = makeProvider(s);
        Result<EmbeddingBatch> batch = provider.ok() ? provider.value()->embed({QStringLiteral("hello")})
                                                     : Result<EmbeddingBatch>(provider.error());
        const bool ok = batch.ok();
        const QString message = ok ? QStringLiteral("OK: %1 dimensions in %2 ms")
                                         .arg(batch.value().vectors.first().size())
                                         .arg(clock.elapsed())
                                   : errorText(batch.error());
        QMetaObject::invokeMethod(
            self ? static_cast<QObject *>(self.data()) : QThreadPool::globalInstance(),
            [self, ok, message] {
                if (!self)
                    return;
                self->m_test->setEnabled(true);
                self->m_status->setText(message);
                emit self->tested(ok, message);
            },
            Qt::QueuedConnection);
    });
}

void ProviderDialog::save()
{
    if (auto saved = settings().save(ProviderSettings::defaultPath(), m_profile); !saved.ok()) {
        m_status->setText(errorText(saved.error()));
        return;
    }
    accept();
}
} // namespace vwb::ui
