// ui/widgets/ConnectionOverview.h
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QFormLayout;
class QVBoxLayout;

namespace vwb {
class ConnectionProfile;
struct ServerReport;
struct Error;
} // namespace vwb

namespace vwb::ui {

/// The "Connection" panel: where this profile comes from, what the server is, what to watch out
/// for. On a first run with no profile it offers the sandbox instead.
class ConnectionOverview : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionOverview(QWidget *parent = nullptr);

    void showWelcome(const QString &sandboxLocation);
    void showProfile(const vwb::ConnectionProfile &profile, const QString &stateText);
    void showReport(const vwb::ConnectionProfile &profile, const vwb::ServerReport &report);
    void showError(const vwb::ConnectionProfile &profile, const vwb::Error &error);

    QLabel *headline() const { return m_headline; }
    QLabel *body() const { return m_body; }
    /// A section under the connection's facts (the database's tables), given the room below them.
    void addSection(QWidget *section);

signals:
    void startSandboxRequested();
    void addConnectionRequested();
    void retryRequested();

private:
    void setRows(const QList<QPair<QString, QString>> &rows);

    QVBoxLayout *m_layout = nullptr;
    QLabel *m_headline = nullptr;
    QLabel *m_body = nullptr;
    QWidget *m_details = nullptr;
    QFormLayout *m_form = nullptr;
    QLabel *m_warnings = nullptr;
    QPushButton *m_startSandbox = nullptr;
    QPushButton *m_addConnection = nullptr;
    QPushButton *m_retry = nullptr;
};
} // namespace vwb::ui
