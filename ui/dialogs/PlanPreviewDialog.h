// ui/dialogs/PlanPreviewDialog.h
#pragma once

#include <QDialog>

class QPlainTextEdit;
class QPushButton;

namespace vwb::ui {

/// Shows exactly what an action will run (statements, in order) before it runs.
class PlanPreviewDialog : public QDialog
{
    Q_OBJECT
public:
    PlanPreviewDialog(const QString &title, const QString &summary, const QString &plan, QWidget *parent = nullptr);
    QPushButton *runButton() const { return m_run; }
    QString planText() const;

private:
    QPlainTextEdit *m_text = nullptr;
    QPushButton *m_run = nullptr;
};
} // namespace vwb::ui
