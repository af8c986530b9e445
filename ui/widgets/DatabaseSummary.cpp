// ui/widgets/DatabaseSummary.cpp
#include "widgets/DatabaseSummary.h"

#include "schema/KnownLayouts.h"
#include "services/DatabaseServices.h"
#include "session/Session.h"
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {
constexpr auto Lane = "overview";

QString vectorsText(const ContentPair &pair)
{
    QStringList columns;
    for (const VectorColumn &c : pair.columns) {
        QStringList indexes;
        for (const VectorIndex &i : c.indexes)
            if (i.isAnn())
                indexes << QStringLiteral("%1 %2%3").arg(i.method.toUpper(), i.opclass, i.valid ? QString() : QObject::tr(" (invalid)"));
        columns << QStringLiteral("%1: %2(%3), %4")
                       .arg(c.name, c.type)
                       .arg(c.dimensions)
                       .arg(indexes.isEmpty() ? QObject::tr("no ANN index") : indexes.join(QStringLiteral(", ")));
    }
    return columns.join(QLatin1Char('\n'));
}
} // namespace

DatabaseSummary::DatabaseSummary(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 12, 0, 0);
    m_title = new QLabel;
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);
    m_table = new QTableWidget(0, ColumnCount);
    m_table->setHorizontalHeaderLabels({tr("Table"), tr("Made by"), tr("Rows (est.)"), tr("Vectors"), QString()});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setWordWrap(true);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(Layout, QHeaderView::Stretch); // long descriptions wrap, the page keeps its width
    header->setSectionResizeMode(Vectors, QHeaderView::Stretch);
    // As tall as its rows where there is room (the page's stretch takes the rest), scrolling when not.
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    layout->addWidget(m_table);
    connect(m_session, &Session::connected, this, &DatabaseSummary::refresh);
    connect(m_session, &Session::schemaChanged, this, &DatabaseSummary::refresh);
    connect(m_session, &Session::dataChanged, this, [this](const DataChange &change) {
        if (change.kind == DataChange::Kind::Rows) // imports and deletes move the estimates
            refresh();
    });
    connect(m_session, &Session::disconnected, this, [this] { show({}, {}); });
    show({}, {});
    if (m_session->isConnected())
        refresh();
}

void DatabaseSummary::refresh()
{
    const DatabaseSchema schema = m_session->schema();
    const int generation = ++m_generation;
    m_session->run<QList<qint64>>(
        QLatin1String(Lane), this,
        [pairs = schema.pairs](DatabaseServices &s) -> Result<QList<qint64>> {
            QList<qint64> out;
            for (const ContentPair &p : pairs) {
                auto n = s.estimateRows(p.content);
                if (!n.ok() && (n.error().kind == Error::Kind::Connection || n.error().isCanceled()))
                    return n.error();
                out << (n.ok() ? n.value() : -1); // else dropped meanwhile: the others still count
            }
            return out;
        },
        [this, schema, generation](Result<QList<qint64>> estimates) {
            if (generation == m_generation)
                show(schema, estimates.ok() ? estimates.value() : QList<qint64>{});
        });
}

void DatabaseSummary::show(const DatabaseSchema &schema, const QList<qint64> &estimates)
{
    m_table->setRowCount(0);
    setVisible(!schema.pairs.isEmpty());
    m_title->setText(schema.pairs.size() == 1 ? tr("In this database: 1 content table with vectors")
                                              : tr("In this database: %1 content tables with vectors").arg(schema.pairs.size()));
    for (const ContentPair &p : schema.pairs) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        const qint64 rows = estimates.value(row, -1);
        const auto cell = [&](int column, const QString &text, Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter) {
            auto *item = new QTableWidgetItem(text);
            item->setTextAlignment(align);
            item->setToolTip(text);
            m_table->setItem(row, column, item);
        };
        cell(Table, p.content.display());
        cell(Layout, layoutDescription(p));
        cell(Rows, rows >= 0 ? QLocale().toString(rows) : tr("unknown"), Qt::AlignRight | Qt::AlignVCenter);
        cell(Vectors, vectorsText(p));
        auto *links = new QLabel(tr("<a href=\"browse\">Browse</a> · <a href=\"search\">Search</a>"));
        links->setContentsMargins(6, 0, 6, 0);
        connect(links, &QLabel::linkActivated, this, [this, table = p.content.display()](const QString &link) {
            link == QLatin1String("browse") ? emit browseRequested(table) : emit searchRequested(table);
        });
        m_table->setCellWidget(row, Open, links);
    }
    m_table->resizeRowsToContents();
    if (!schema.pairs.isEmpty())
        emit shown();
}
} // namespace vwb::ui
