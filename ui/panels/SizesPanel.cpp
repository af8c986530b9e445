// ui/panels/SizesPanel.cpp
#include "panels/SizesPanel.h"

#include "charts/SizeHistoryChart.h"
#include "charts/TableSizeChart.h"
#include "connection/ConnectionProfile.h"
#include "core/ByteSize.h"
#include "session/Session.h"
#include "theme/Theme.h"
#include "widgets/TableExportMenu.h"
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <utility>

namespace vwb::ui {
namespace {
QTableWidgetItem *number(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QTableWidget *makeTable(const QStringList &headers)
{
    auto *table = new QTableWidget(0, int(headers.size()));
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}
} // namespace

SizesPanel::SizesPanel(Session *session, QWidget *parent) : QWidget(parent), m_session(session), m_store(std::make_unique<SizeHistory>())
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_refresh = new QPushButton(tr("Refresh"));
    top->addWidget(m_refresh);
    top->addWidget(new QLabel(tr("sample every")));
    m_interval = new QSpinBox;
    m_interval->setRange(1, 24 * 60);
    m_interval->setValue(15);
    m_interval->setSuffix(tr(" min"));
    top->addWidget(m_interval);
    m_summary = new QLabel(tr("Not connected"));
    m_summary->setWordWrap(true);
    top->addWidget(m_summary, 1);
    layout->addLayout(top);

    auto *split = new QSplitter(Qt::Vertical);
    split->setObjectName(QStringLiteral("sizesSplitter")); // its sizes are kept (WindowLayout)
    auto *charts = new QSplitter(Qt::Horizontal);
    charts->setObjectName(QStringLiteral("sizesChartsSplitter")); // its sizes are kept (WindowLayout)
    m_bars = new TableSizeChart;
    m_history = new SizeHistoryChart;
    charts->addWidget(m_bars);
    charts->addWidget(m_history);
    split->addWidget(charts);
    auto *tabs = new QTabWidget;
    m_tables = makeTable(
        {tr("Table"), tr("Role"), tr("Heap"), tr("Indexes"), tr("TOAST"), tr("Total"), tr("Rows (est.)"), tr("Coverage")});
    m_indexes = makeTable({tr("Index"), tr("Table"), tr("Method"), tr("Size"), tr("Scans"), tr("Operator class")});
    addTableExport(m_tables, QStringLiteral("table-sizes")); // right-click: copy as CSV/TSV/JSON, save
    addTableExport(m_indexes, QStringLiteral("index-sizes"));
    tabs->addTab(m_tables, tr("Tables"));
    tabs->addTab(m_indexes, tr("Indexes"));
    split->addWidget(tabs);
    split->setSizes({330, 300});
    layout->addWidget(split, 1);

    m_timer = new QTimer(this);
    m_timer->setInterval(std::chrono::minutes(m_interval->value()));
    connect(m_timer, &QTimer::timeout, this, &SizesPanel::refresh);
    connect(m_interval, &QSpinBox::valueChanged, this, [this](int minutes) { m_timer->setInterval(std::chrono::minutes(minutes)); });
    connect(m_refresh, &QPushButton::clicked, this, &SizesPanel::refresh);
    connect(m_session, &Session::connected, this, [this] {
        refresh();
        m_timer->start();
    });
    connect(m_session, &Session::disconnected, m_timer, &QTimer::stop);
    connect(m_session, &Session::dataChanged, this, &SizesPanel::refresh); // a write: the sizes moved
    if (m_session->isConnected()) {
        refresh();
        m_timer->start();
    }
}

SizesPanel::~SizesPanel() = default;

int SizesPanel::intervalMinutes() const
{
    return m_interval->value();
}

void SizesPanel::setIntervalMinutes(int minutes)
{
    m_interval->setValue(minutes);
}

void SizesPanel::refresh()
{
    if (!m_session->isConnected())
        return;
    if (m_reading) { // asked again while reading (a write just ended): read once more after this one
        m_again = true;
        return;
    }
    m_reading = true;
    m_refresh->setEnabled(false);
    const QString key = SizeHistory::profileKey(m_session->profile()); // the profile read, whatever is chosen meanwhile
    m_session->run<SizesReading>(
        QStringLiteral("main"), this, [schema = m_session->schema()](DatabaseServices &s) { return s.sizes(schema); },
        [this, key](Result<SizesReading> read) {
            m_reading = false;
            m_refresh->setEnabled(true);
            if (std::exchange(m_again, false))
                QMetaObject::invokeMethod(this, &SizesPanel::refresh, Qt::QueuedConnection);
            if (!read.ok()) {
                m_summary->setText(tr("Could not read the sizes: %1").arg(read.error().message));
                emit refreshed(false);
                return;
            }
            show(key, read.value().tables, read.value().indexes);
        });
}

void SizesPanel::show(const QString &key, const QList<TableSize> &sizes, const QList<IndexInfo> &indexes)
{
    // The local history is a small SQLite file: written and read here, on the UI thread.
    const auto snapshot = SizeSnapshot::of(QDateTime::currentDateTimeUtc(), sizes);
    // A tenth of slack: a timer tick's read may finish sooner after the last one than the interval.
    const std::chrono::seconds interval = std::chrono::minutes(m_interval->value()) * 9 / 10;
    auto recorded = m_store->recordIfDue(key, snapshot, interval);
    auto samples = m_store->samples(key, {}, QDateTime::currentDateTimeUtc().addDays(-90));
    auto growth = m_store->growthPerDay(key, {}, QDateTime::currentDateTimeUtc().addDays(-30));

    m_bars->setSizes(sizes);
    QList<SizeSnapshot> points = samples.ok() ? samples.value() : QList<SizeSnapshot>{};
    if (!recorded.ok() || !recorded.value())
        points << snapshot; // the reading now ends the line, stored or not: the chart never lags the table
    m_history->setSamples(points);
    QString text = tr("%1 in %n table(s)", nullptr, int(sizes.size())).arg(byteSize(snapshot.totalBytes()));
    if (growth.ok() && growth.value())
        text += tr(" · growing %1%2 a day over the last 30 days")
                    .arg(*growth.value() < 0 ? QStringLiteral("−") : QStringLiteral("+"), byteSize(qint64(qAbs(*growth.value()))));
    else
        text += tr(" · growth per day needs two samples at different times");
    text += tr(" · %n sample(s) kept for this profile", nullptr, samples.ok() ? int(samples.value().size()) : 0);
    if (!recorded.ok())
        text += tr(" · the history could not be written: %1").arg(recorded.error().message);
    m_summary->setText(text);

    m_tables->setRowCount(int(sizes.size()));
    for (int row = 0; row < sizes.size(); ++row) {
        const TableSize &t = sizes.at(row);
        m_tables->setItem(row, 0, new QTableWidgetItem(t.table.display()));
        m_tables->setItem(row, 1, new QTableWidgetItem(tableRoleName(t.role)));
        m_tables->setItem(row, 2, number(byteSize(t.heapBytes)));
        m_tables->setItem(row, 3, number(byteSize(t.indexBytes)));
        m_tables->setItem(row, 4, number(byteSize(t.toastBytes)));
        m_tables->setItem(row, 5, number(byteSize(t.totalBytes)));
        m_tables->setItem(row, 6, number(t.rowEstimate < 0 ? tr("not analyzed") : QLocale().toString(t.rowEstimate)));
        m_tables->setItem(
            row, 7,
            number(t.coverage ? QStringLiteral("%1%%2").arg(*t.coverage * 100, 0, 'f', 1).arg(t.coverageExact ? QString() : tr(" (est.)"))
                              : QString()));
    }
    m_tables->resizeColumnsToContents();
    m_indexes->setRowCount(int(indexes.size()));
    for (int row = 0; row < indexes.size(); ++row) {
        const IndexInfo &i = indexes.at(row);
        auto *name = new QTableWidgetItem(i.valid ? i.display() : tr("%1 (INVALID)").arg(i.display()));
        if (!i.valid)
            Theme::colorItem(name, Tone::Error);
        m_indexes->setItem(row, 0, name);
        m_indexes->setItem(row, 1, new QTableWidgetItem(i.table));
        m_indexes->setItem(row, 2, new QTableWidgetItem(i.method));
        m_indexes->setItem(row, 3, number(byteSize(i.sizeBytes)));
        m_indexes->setItem(row, 4, number(QLocale().toString(i.scans)));
        m_indexes->setItem(row, 5, new QTableWidgetItem(i.opclasses.join(QStringLiteral(", "))));
    }
    m_indexes->resizeColumnsToContents();
    emit refreshed(recorded.ok() && recorded.value());
}
} // namespace vwb::ui
