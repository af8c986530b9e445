// ui/panels/HealthPanel.cpp
#include "panels/HealthPanel.h"

#include "connection/ProfileArguments.h"
#include "models/HealthFindingModel.h"
#include "session/Session.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/TableExportMenu.h"
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <utility>

namespace vwb::ui {
using Sev = HealthFinding::Severity;

HealthPanel::HealthPanel(Session *session, QWidget *parent) : QWidget(parent), m_session(session), m_model(new HealthFindingModel(this))
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_check = new QPushButton(tr("Check again"));
    top->addWidget(m_check);
    m_summary = new QLabel(tr("Not checked yet"));
    top->addWidget(m_summary, 1);
    layout->addLayout(top);
    m_table = new QTableView;
    addTableExport(m_table, QStringLiteral("health")); // right-click: copy as CSV/TSV/JSON, save
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);
    layout->addWidget(new QLabel(tr("Fix")));
    m_fix = new QPlainTextEdit;
    m_fix->setReadOnly(true);
    m_fix->setMaximumHeight(90);
    m_fix->setPlaceholderText(tr("Select a finding to see what fixes it."));
    layout->addWidget(m_fix);
    auto *buttons = new QHBoxLayout;
    m_copy = new QPushButton(tr("Copy fix"));
    m_run = new QPushButton(tr("Run fix…"));
    m_run->setToolTip(tr("Runs the fix as a job (shown first; production needs the session unlock)"));
    buttons->addStretch();
    buttons->addWidget(m_copy);
    buttons->addWidget(m_run);
    layout->addLayout(buttons);
    m_copy->setEnabled(false);
    m_run->setEnabled(false);

    connect(m_check, &QPushButton::clicked, this, [this] {
        if (m_checking) {
            m_again = false;
            m_session->cancel(m_task);
        } else {
            refresh();
        }
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HealthPanel::showSelection);
    connect(m_model, &QAbstractItemModel::modelReset, this, &HealthPanel::showSelection);
    connect(m_copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_fix->toPlainText()); });
    connect(m_run, &QPushButton::clicked, this, [this] {
        if (const int row = selectedRow(); row >= 0)
            emit fixRequested(m_model->finding(row));
    });
    connect(m_session, &Session::connected, this, &HealthPanel::refresh);
    connect(m_session, &Session::dataChanged, this, &HealthPanel::refresh); // a write or a fix: show what it changed
    if (m_session->isConnected())
        refresh();
}

void HealthPanel::refresh()
{
    if (!m_session->isConnected())
        return;
    if (m_checking) { // asked again while checking (a fix just ended): check once more after this one
        m_again = true;
        return;
    }
    m_checking = true;
    m_check->setText(tr("Cancel"));
    m_summary->setText(tr("Checking…"));
    // The provider the Search panel uses for this profile: its queries meet these vectors.
    m_task = m_session->run<QList<HealthFinding>>(
        QStringLiteral("health"), this,
        [schema = m_session->schema(), provider = m_session->providerName()](DatabaseServices &s) { return s.health(schema, provider); },
        [this](Result<QList<HealthFinding>> found) {
            m_checking = false;
            m_check->setText(tr("Check again"));
            if (std::exchange(m_again, false))
                QMetaObject::invokeMethod(this, &HealthPanel::refresh, Qt::QueuedConnection);
            if (!found.ok()) {
                m_summary->setText(found.error().isCanceled() ? tr("Checks canceled")
                                                              : tr("The checks failed: %1").arg(found.error().message));
                emit refreshed();
                return;
            }
            m_model->setFindings(found.value());
            const int problems = m_model->countOf(Sev::Problem), warnings = m_model->countOf(Sev::Warning);
            m_summary->setText(problems + warnings == 0 ? tr("Healthy: %1 checks, nothing to fix").arg(m_model->rowCount())
                                                        : tr("Problems: %1   Warnings: %2   Notes: %3   (%4 checks)")
                                                              .arg(problems)
                                                              .arg(warnings)
                                                              .arg(m_model->countOf(Sev::Info))
                                                              .arg(m_model->rowCount()));
            m_table->resizeColumnsToContents();
            emit refreshed();
        });
}

void HealthPanel::selectRow(int row)
{
    m_table->selectRow(row);
}

int HealthPanel::selectedRow() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void HealthPanel::showSelection()
{
    const int row = selectedRow();
    if (row < 0) {
        m_fix->clear();
        m_fix->setPlaceholderText(tr("Select a finding to see what fixes it."));
        m_copy->setEnabled(false);
        m_run->setEnabled(false);
        return;
    }
    const HealthFinding &f = m_model->finding(row);
    m_fix->setPlainText(withProfileArguments(f.fix, m_session->profile())); // pasted, it runs on this database
    // Selected, a finding without a fix says so, not "select a finding".
    m_fix->setPlaceholderText(f.severity == Sev::Ok ? tr("Nothing to fix: this check found nothing wrong.")
                                                    : tr("Nothing to run: this finding is a note to read."));
    m_copy->setEnabled(!f.fix.isEmpty());
    m_run->setEnabled(f.action != HealthFinding::Action::None && f.severity != Sev::Ok);
}
} // namespace vwb::ui
