// ui/widgets/JobsDock.h
#pragma once

#include "core/JobRunner.h"
#include <QDockWidget>
#include <QHash>

class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace vwb::ui {

/// Every job of the window's JobRunner (a row appears when the runner starts one): a progress bar with phase and percentage, throughput
/// and ETA, a log per job (the selected one shown below), Pause / Resume for jobs that work in batches, and Cancel.
class JobsDock : public QDockWidget
{
    Q_OBJECT
public:
    JobsDock(vwb::JobRunner *runner, QWidget *parent = nullptr);

    QString stepOf(vwb::JobId id) const;
    int percentOf(vwb::JobId id) const; // -1 while unknown
    bool isRunning(vwb::JobId id) const;
    /// Pauses or resumes the job (what the button does for the selected one).
    void togglePause(vwb::JobId id);

private:
    void addRow(vwb::JobId id, const QString &title);
    struct Row
    {
        QTreeWidgetItem *item = nullptr;
        QStringList log;
        bool running = true;
        int percent = -1;
    };
    void showLogOfSelection();

    vwb::JobRunner *m_runner;
    QTreeWidget *m_tree = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_pause = nullptr;
    QHash<vwb::JobId, Row> m_rows;
};
} // namespace vwb::ui
