// ui/dialogs/AboutDialog.h
#pragma once

#include "connection/ServerCheck.h"
#include <QDialog>
#include <optional>

class QPlainTextEdit;
class QPushButton;

namespace vwb::ui {

/// Help > About: what this workbench is, and the versions it runs with — the app, Qt, libpq, the
/// OS and, when connected, PostgreSQL and pgvector — with one button that copies them for a bug
/// report.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    AboutDialog(const std::optional<vwb::ServerReport> &server, QWidget *parent = nullptr);
    QString reportText() const;
    QPushButton *copyButton() const { return m_copy; }

private:
    QPlainTextEdit *m_report = nullptr;
    QPushButton *m_copy = nullptr;
};
} // namespace vwb::ui
