// ui/dialogs/AboutDialog.cpp
#include "dialogs/AboutDialog.h"

#include "core/BuildInfo.h"
#include "session/VersionReport.h"
#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace vwb::ui {

AboutDialog::AboutDialog(const std::optional<vwb::ServerReport> &server, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("About Vector Workbench"));
    auto *icon = new QLabel;
    icon->setPixmap(QIcon(QStringLiteral(":/icons/vector-workbench.svg")).pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);
    auto *title = new QLabel(tr("<h2>Vector Workbench %1</h2>"
                                "<p>A desktop workbench for PostgreSQL databases that hold embeddings in pgvector, with "
                                "schemas kept by Knex migrations: browse, search, measure recall, backfill, maintain.</p>"
                                "<p>Free software under the MIT license.</p>")
                                 .arg(BuildInfo::appVersion().toHtmlEscaped()));
    title->setWordWrap(true);
    title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *head = new QHBoxLayout;
    head->addWidget(icon);
    head->addWidget(title, 1);

    m_report = new QPlainTextEdit(versionReport(server).join(QLatin1Char('\n')));
    m_report->setObjectName(QStringLiteral("versionReport"));
    m_report->setReadOnly(true);
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setMinimumHeight(m_report->fontMetrics().lineSpacing() * 8);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_copy = buttons->addButton(tr("Copy for a bug report"), QDialogButtonBox::ActionRole);
    auto *copied = new QLabel;
    connect(m_copy, &QPushButton::clicked, this, [this, copied] {
        QApplication::clipboard()->setText(reportText());
        copied->setText(tr("Copied."));
    });
    QPushButton *aboutQt = buttons->addButton(tr("About Qt"), QDialogButtonBox::HelpRole);
    connect(aboutQt, &QPushButton::clicked, this, [] { QApplication::aboutQt(); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(new QLabel(tr("Versions")));
    layout->addWidget(m_report, 1);
    layout->addWidget(copied);
    layout->addWidget(buttons);
    resize(560, 420);
}

QString AboutDialog::reportText() const
{
    return m_report->toPlainText() + QLatin1Char('\n');
}
} // namespace vwb::ui
