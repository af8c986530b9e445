// ui/panels/HealthPanel.h
#pragma once

#include "maintenance/HealthCheck.h"
#include "session/Session.h"
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace vwb::ui {
class HealthFindingModel;

/// The health checks of the connected database (what `vwb health` prints): one row per finding,
/// worst first and colour-banded, with its count; below, the selected finding's fix with Copy and,
/// where the workbench can run it (a backfill, a vacuum, an index build or repair, a migration),
/// Run — which goes through the same preview and production guard as the Maintenance panel.
class HealthPanel : public QWidget
{
    Q_OBJECT
public:
    explicit HealthPanel(vwb::Session *session, QWidget *parent = nullptr);

    /// Runs the checks again, off the UI thread; refreshed() when they are in. Also runs when the
    /// session says a write changed the data. While checking, the button cancels.
    void refresh();
    HealthFindingModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QLabel *summary() const { return m_summary; }
    QPlainTextEdit *fixView() const { return m_fix; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *checkButton() const { return m_check; }
    void selectRow(int row);

signals:
    void refreshed();
    /// Run was pressed on a finding whose action the workbench can run.
    void fixRequested(const vwb::HealthFinding &finding);

private:
    void showSelection();
    int selectedRow() const;

    vwb::Session *m_session;
    vwb::Session::TaskId m_task = 0;
    HealthFindingModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_summary = nullptr;
    QPlainTextEdit *m_fix = nullptr;
    QPushButton *m_check = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_run = nullptr;
    bool m_checking = false;
    bool m_again = false; // a refresh was asked for while checking
};
} // namespace vwb::ui
