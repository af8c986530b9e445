// ui/panels/AuditPanel.cpp
#include "panels/AuditPanel.h"

#include "connection/ConnectionProfile.h"
#include "core/AuditLog.h"
#include "session/Session.h"
#include "widgets/TableExportMenu.h"
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {
constexpr int ShownEntries = 500;
enum Column { When, User, Profile, Action, Outcome, Rows, What, ColumnCount };
} // namespace

AuditPanel::AuditPanel(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    auto *refreshButton = new QPushButton(tr("Refresh"));
    top->addWidget(refreshButton);
    m_thisProfile = new QCheckBox(tr("this profile only"));
    m_thisProfile->setChecked(true);
    top->addWidget(m_thisProfile);
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    top->addWidget(m_status, 1);
    layout->addLayout(top);

    m_table = new QTableWidget(0, ColumnCount);
    addTableExport(m_table, QStringLiteral("audit-log")); // right-click: copy as CSV/TSV/JSON, save
    m_table->setHorizontalHeaderLabels({tr("When"), tr("User"), tr("Profile"), tr("Action"), tr("Outcome"), tr("Rows"), tr("What ran")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_table, 1);

    connect(refreshButton, &QPushButton::clicked, this, &AuditPanel::refresh);
    connect(m_thisProfile, &QCheckBox::toggled, this, &AuditPanel::refresh);
    auto refreshIfShown = [this] {
        if (isVisible())
            refresh();
    };
    connect(session, &Session::dataChanged, this, refreshIfShown);
    connect(session, &Session::writesUnlockedChanged, this, refreshIfShown);
    connect(session, &Session::connected, this, refreshIfShown);
}

void AuditPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void AuditPanel::refresh()
{
    const QString profile = m_thisProfile->isChecked() ? m_session->profile().name : QString();
    auto entries = AuditLog::shared().read(profile, ShownEntries);
    m_table->setRowCount(0);
    if (!entries.ok()) {
        m_status->setText(entries.error().message);
        return;
    }
    const QList<AuditEntry> &list = entries.value();
    m_table->setRowCount(int(list.size()));
    for (int row = 0; row < list.size(); ++row) {
        const AuditEntry &e = list.at(row);
        auto set = [this, row](int column, const QString &text, Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter) {
            auto *item = new QTableWidgetItem(text);
            item->setTextAlignment(align);
            item->setToolTip(text);
            m_table->setItem(row, column, item);
        };
        set(When, QLocale().toString(e.startedAt.toLocalTime(), QLocale::ShortFormat));
        set(User, e.host.isEmpty() ? e.osUser : e.osUser + QLatin1Char('@') + e.host);
        set(Profile, e.profile);
        set(Action, e.action);
        set(Outcome, outcomeName(e.outcome));
        set(Rows, e.rows < 0 ? QStringLiteral("–") : QLocale().toString(e.rows), Qt::AlignRight | Qt::AlignVCenter);
        set(What, e.message.isEmpty() ? e.summary : e.summary + QStringLiteral(" — ") + e.message);
        if (e.outcome == AuditEntry::Outcome::Failed || e.outcome == AuditEntry::Outcome::Interrupted) {
            QFont bold = m_table->font();
            bold.setBold(true);
            m_table->item(row, Outcome)->setFont(bold);
        }
    }
    for (int c = 0; c < What; ++c) { // the last one stretches (resizing it to its contents would stop that)
        m_table->resizeColumnToContents(c);
        m_table->setColumnWidth(c, qMin(m_table->columnWidth(c), 200));
    }
    m_status->setText(list.isEmpty() ? tr("No writes recorded%1 yet. Kept in %2")
                                           .arg(profile.isEmpty() ? QString() : tr(" for %1").arg(profile), AuditLog::shared().path())
                                     : tr("%n write(s), newest first%1. Kept in %2", nullptr, int(list.size()))
                                           .arg(list.size() == ShownEntries ? tr(" (the last %1)").arg(ShownEntries) : QString(),
                                                AuditLog::shared().path()));
}
} // namespace vwb::ui
