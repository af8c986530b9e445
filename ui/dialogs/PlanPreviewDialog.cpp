// ui/dialogs/PlanPreviewDialog.cpp
#include "dialogs/PlanPreviewDialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace vwb::ui {

PlanPreviewDialog::PlanPreviewDialog(const QString &title, const QString &summary, const QString &plan, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    auto *label = new QLabel(summary);
    label->setWordWrap(true);
    layout->addWidget(label);
    m_text = new QPlainTextEdit(plan);
    m_text->setReadOnly(true);
    m_text->setLineWrapMode(QPlainTextEdit::WidgetWidth); // nothing hidden past the right edge
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(m_text, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_run = buttons->addButton(tr("Run"), QDialogButtonBox::AcceptRole);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(760, 520);
}

QString PlanPreviewDialog::planText() const
{
    return m_text->toPlainText();
}
} // namespace vwb::ui
