// ui/dialogs/UnlockDialog.cpp
#include "dialogs/UnlockDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace vwb::ui {

UnlockDialog::UnlockDialog(const QString &profileName, const QString &databaseName, QWidget *parent)
    : QDialog(parent), m_expected(databaseName)
{
    setWindowTitle(tr("Unlock writes on production"));
    auto *layout = new QVBoxLayout(this);
    auto *text = new QLabel(tr("<p><b>%1</b> is a production database. This session is read-only.</p>"
                               "<p>Unlocking lets this window change data until you lock it again or close "
                               "the connection. Type the database name <b>%2</b> to confirm.</p>")
                                .arg(profileName.toHtmlEscaped(), databaseName.toHtmlEscaped()));
    text->setWordWrap(true);
    layout->addWidget(text);
    m_edit = new QLineEdit;
    m_edit->setPlaceholderText(databaseName);
    layout->addWidget(m_edit);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_unlock = buttons->addButton(tr("Unlock writes"), QDialogButtonBox::AcceptRole);
    m_unlock->setEnabled(false);
    layout->addWidget(buttons);
    connect(m_edit, &QLineEdit::textChanged, this,
            [this](const QString &typed) { m_unlock->setEnabled(!m_expected.isEmpty() && typed == m_expected); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString UnlockDialog::typedName() const
{
    return m_edit->text();
}
} // namespace vwb::ui
