// ui/dialogs/ConnectionDialog.h
#pragma once

#include "connection/ConnectionProfile.h"
#include <QDialog>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace vwb {
class AsyncConnection;
class ProfileStore;
class SecretStore;
} // namespace vwb

namespace vwb::ui {

/// New or edited saved profile. "Save" tests the connection first and saves only when it works
/// (or when the person chooses to save a profile whose server is down). Passwords go to the
/// SecretStore, never to the settings file.
class ConnectionDialog : public QDialog
{
    Q_OBJECT
public:
    ConnectionDialog(vwb::ProfileStore *store, vwb::SecretStore *secrets, QWidget *parent = nullptr);
    ~ConnectionDialog() override;

    void setProfile(const vwb::ConnectionProfile &profile);
    /// The profile as the fields describe it now.
    vwb::ConnectionProfile profile() const;
    QString savedName() const { return m_savedName; }

    // for tests
    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *passwordEdit() const { return m_password; }
    QPushButton *testButton() const { return m_test; }
    QPushButton *saveButton() const { return m_save; }
    QLabel *statusLabel() const { return m_status; }

signals:
    void testFinished(bool ok, const QString &message);
    void saved(const QString &name);

private:
    void applyUrl();
    void runTest(bool thenSave);
    void save();
    void setBusy(bool busy);

    vwb::ProfileStore *m_store;
    vwb::SecretStore *m_secrets;
    std::unique_ptr<vwb::AsyncConnection> m_connection;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_url = nullptr;
    QLineEdit *m_host = nullptr;
    QLineEdit *m_port = nullptr;
    QLineEdit *m_db = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QComboBox *m_sslmode = nullptr;
    QCheckBox *m_production = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_test = nullptr;
    QPushButton *m_save = nullptr;
    vwb::ConnectionParams m_extra; // URL parameters without a field of their own
    QString m_savedName;
};
} // namespace vwb::ui
