// ui/dialogs/SettingsDialog.h
#pragma once

#include "settings/Preferences.h"
#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace vwb {
class SecretStore;
}

namespace vwb::ui {

/// Edit > Settings: the theme, what a search starts with (metric, limit, threshold), how often
/// sizes are sampled, the EXPLAIN ANALYZE timeout — saved on OK — and the connected profile's
/// embedding API key, which goes to `secrets` (the OS keychain) at once and never to a settings file.
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    SettingsDialog(const Preferences &current, const QString &profileName, vwb::SecretStore *secrets, QWidget *parent = nullptr);
    Preferences preferences() const;

    QComboBox *themeBox() const { return m_theme; }
    QLineEdit *keyEdit() const { return m_key; }
    QPushButton *saveKeyButton() const { return m_saveKey; }
    QPushButton *forgetKeyButton() const { return m_forgetKey; }
    QLabel *keyStatus() const { return m_keyStatus; }

    /// Shows the profile's provider and where its key is kept, as saved now.
    void showKeyState();

signals:
    void providerRequested();

private:
    QWidget *appearancePage(const Preferences &p);
    QWidget *searchPage(const Preferences &p);
    QWidget *embeddingsPage();
    QWidget *jobsPage(const Preferences &p);
    void saveKey();
    void forgetKey();

    QString m_profile;
    vwb::SecretStore *m_secrets;
    QComboBox *m_theme = nullptr;
    QComboBox *m_metric = nullptr;
    QSpinBox *m_limit = nullptr;
    QDoubleSpinBox *m_threshold = nullptr;
    QSpinBox *m_sampleMinutes = nullptr;
    QSpinBox *m_explainSeconds = nullptr;
    QLabel *m_provider = nullptr;
    QLineEdit *m_key = nullptr;
    QPushButton *m_saveKey = nullptr;
    QPushButton *m_forgetKey = nullptr;
    QLabel *m_keyStatus = nullptr;
};
} // namespace vwb::ui
