// ui/widgets/ErrorDisplay.cpp
#include "widgets/ErrorDisplay.h"

#include <QMessageBox>

namespace vwb::ui {

QString errorText(const Error &error)
{
    return error.sqlState.isEmpty() ? error.message : QStringLiteral("%1 (SQLSTATE %2)").arg(error.message, error.sqlState);
}

void showError(QWidget *parent, const Error &error, const QString &title)
{
    QMessageBox box(error.isCanceled() ? QMessageBox::Information : QMessageBox::Warning,
                    title.isEmpty() ? QObject::tr("Vector Workbench") : title, error.message, QMessageBox::Ok, parent);
    QString details = error.detail;
    if (!error.sqlState.isEmpty())
        details = QStringLiteral("SQLSTATE %1\n%2").arg(error.sqlState, details);
    if (!details.trimmed().isEmpty())
        box.setDetailedText(details.trimmed());
    box.exec();
}
} // namespace vwb::ui
