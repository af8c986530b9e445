// ui/dialogs/UnlockDialog.h
#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace vwb::ui {

/// Asks the person to type the production database's name before writes are unlocked.
class UnlockDialog : public QDialog
{
    Q_OBJECT
public:
    UnlockDialog(const QString &profileName, const QString &databaseName, QWidget *parent = nullptr);
    QString typedName() const;
    QLineEdit *nameEdit() const { return m_edit; }
    QPushButton *unlockButton() const { return m_unlock; }

private:
    QString m_expected;
    QLineEdit *m_edit = nullptr;
    QPushButton *m_unlock = nullptr;
};
} // namespace vwb::ui
