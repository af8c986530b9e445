// ui/panels/AuditPanel.h
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QTableWidget;
namespace vwb {
class Session;
}
namespace vwb::ui {

/// The audit log (AuditLog): every write the workbench performed, newest first — this window's and
/// any other process's on this machine (another window, `vwb` from cron). Read again when shown
/// and after each write this window makes.
class AuditPanel : public QWidget
{
    Q_OBJECT
public:
    explicit AuditPanel(vwb::Session *session, QWidget *parent = nullptr);

    void refresh();
    QTableWidget *table() const { return m_table; }
    QLabel *status() const { return m_status; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    vwb::Session *m_session;
    QCheckBox *m_thisProfile = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_status = nullptr;
};
} // namespace vwb::ui
