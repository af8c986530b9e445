// ui/dialogs/ProviderDialog.h
#pragma once

#include "embeddings/ProviderSettings.h"
#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace vwb::ui {

/// The embedding provider of one connection profile: offline lexical, or an OpenAI-compatible
/// endpoint (base URL, model, the environment variable holding the key — never the key itself).
/// "Test" embeds one word off the UI thread and shows what came back.
class ProviderDialog : public QDialog
{
    Q_OBJECT
public:
    ProviderDialog(const QString &profileName, int columnDimensions, QWidget *parent = nullptr);
    vwb::ProviderSettings settings() const;

signals:
    void tested(bool ok, const QString &message);

private:
    void test();
    void save();

    QString m_profile;
    int m_dimensions;
    QComboBox *m_provider = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLineEdit *m_model = nullptr;
    QLineEdit *m_keyVariable = nullptr;
    QSpinBox *m_searchLimit = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_test = nullptr;
};
} // namespace vwb::ui
