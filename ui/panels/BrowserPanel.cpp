// ui/panels/BrowserPanel.cpp
#include "panels/BrowserPanel.h"

#include "browse/ContentRecord.h"
#include "browse/Coverage.h"
#include "connection/AsyncConnection.h"
#include "mainwindow/ConnectionController.h"
#include "search/SimilarRows.h"
#include "widgets/CoverageStrip.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/RecordDetailView.h"
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateEdit>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {
constexpr int DebounceMs = 300; // typing in the text filter

struct Counted
{
    qint64 count = 0;
    qint64 ms = 0;
};
} // namespace

BrowserPanel::BrowserPanel(ConnectionController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller), m_pages(std::make_unique<AsyncConnection>()),
      m_counts(std::make_unique<AsyncConnection>())
{
    auto *layout = new QVBoxLayout(this);
    auto *filters = new QHBoxLayout;
    m_type = new QComboBox;
    m_type->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_forum = new QComboBox;
    m_forum->setEditable(true);
    m_forum->setMinimumContentsLength(14);
    m_forum->lineEdit()->setPlaceholderText(tr("any forum"));
    m_text = new QLineEdit;
    m_text->setPlaceholderText(tr("title or content contains…"));
    m_text->setClearButtonEnabled(true);
    m_fromOn = new QCheckBox(tr("from"));
    m_from = new QDateEdit(QDate::currentDate().addYears(-1));
    m_toOn = new QCheckBox(tr("to"));
    m_to = new QDateEdit(QDate::currentDate().addDays(1));
    for (QDateEdit *d : {m_from, m_to}) {
        d->setCalendarPopup(true);
        d->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    }
    m_vectors = new QComboBox;
    m_vectors->addItem(tr("any vector state"), int(VectorFilter::Any));
    m_vectors->addItem(tr("has vector"), int(VectorFilter::Has));
    m_vectors->addItem(tr("missing vector"), int(VectorFilter::Missing));
    m_vectors->addItem(tr("stale vector"), int(VectorFilter::Stale));
    m_sort = new QComboBox;
    m_sort->addItem(tr("by id"), int(BrowseSort::Id));
    m_sort->addItem(tr("by created_at"), int(BrowseSort::CreatedAt));
    m_sort->addItem(tr("by updated_at"), int(BrowseSort::UpdatedAt));
    m_sort->addItem(tr("by title"), int(BrowseSort::Title));
    m_descending = new QCheckBox(tr("desc"));
    for (QWidget *w : std::initializer_list<QWidget *>{m_type, m_forum, m_text})
        filters->addWidget(w, w == m_text ? 1 : 0);
    layout->addLayout(filters);
    auto *more = new QHBoxLayout;
    for (QWidget *w : std::initializer_list<QWidget *>{m_fromOn, m_from, m_toOn, m_to, m_vectors, m_sort, m_descending})
        more->addWidget(w);
    more->addStretch();
    layout->addLayout(more);

    auto *countRow = new QHBoxLayout;
    m_count = new QLabel;
    auto *countButton = new QPushButton(tr("Count exactly"));
    auto *rediscover = new QPushButton(tr("Refresh schema"));
    rediscover->setToolTip(tr("Discover content and vector tables, columns and indexes again"));
    m_status = new QLabel;
    countRow->addWidget(m_count);
    countRow->addWidget(countButton);
    countRow->addStretch();
    countRow->addWidget(m_status);
    countRow->addWidget(rediscover);
    layout->addLayout(countRow);
    m_coverage = new CoverageStrip;
    layout->addWidget(m_coverage);

    auto *split = new QSplitter;
    m_model = new ContentTableModel(this);
    m_model->setSource(this);
    m_view = new QTableView;
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(22);
    QHeaderView *header = m_view->horizontalHeader();
    for (int column : {ContentTableModel::Id, ContentTableModel::Created, ContentTableModel::Vector, ContentTableModel::Updated})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ContentTableModel::Forum, QHeaderView::Interactive);
    header->resizeSection(ContentTableModel::Forum, 130);
    header->setSectionResizeMode(ContentTableModel::Title, QHeaderView::Stretch);
    m_view->setWordWrap(false);
    split->addWidget(m_view);
    m_detail = new RecordDetailView;
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({620, 380});
    layout->addWidget(split, 1);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &BrowserPanel::rebuildQuery);
    connect(m_text, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_forum, &QComboBox::currentTextChanged, m_debounce, qOverload<>(&QTimer::start));
    for (QComboBox *box : {m_vectors, m_sort})
        connect(box, &QComboBox::currentIndexChanged, this, &BrowserPanel::rebuildQuery);
    for (QCheckBox *box : {m_fromOn, m_toOn, m_descending})
        connect(box, &QCheckBox::toggled, this, &BrowserPanel::rebuildQuery);
    for (QDateEdit *d : {m_from, m_to})
        connect(d, &QDateEdit::dateChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        m_forum->clear();
        rebuildQuery();
    });
    connect(countButton, &QPushButton::clicked, this, &BrowserPanel::countExactly);
    connect(rediscover, &QPushButton::clicked, this, &BrowserPanel::onConnected);
    connect(m_model, &ContentTableModel::loadingChanged, this,
            [this](bool loading) { m_status->setText(loading ? tr("loading…") : tr("%L1 rows shown").arg(m_model->rowCount())); });
    connect(m_model, &ContentTableModel::failed, this, [this](const QString &message) { m_status->setText(message); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (const BrowseRow *row = m_model->rowAt(current.row()))
            openRecord(row->id);
    });
    connect(m_detail, &RecordDetailView::rowActivated, this, &BrowserPanel::openRecord);
    connect(m_detail, &RecordDetailView::postActivated, this, [this](qint64 postId) {
        setType(QStringLiteral("post"));
        openRecord(postId);
    });
    connect(m_detail, &RecordDetailView::findSimilarRequested, this, [this](qint64 id) {
        const auto pair = currentPair();
        if (!pair)
            return;
        emit findSimilarRequested(pair->content.display(), id);
        m_pages->run<QList<SimilarRow>>(
            this, [pair = *pair, id](PgConnection &conn) { return findSimilar(conn, pair, id, 10); },
            [this, op = preferredDistanceOperator(*pair)](Result<QList<SimilarRow>> rows) {
                if (rows.ok())
                    m_detail->showSimilar(rows.value(), op);
                else
                    m_status->setText(rows.error().message);
            });
    });
    connect(m_controller, &ConnectionController::connected, this, &BrowserPanel::onConnected);
}

BrowserPanel::~BrowserPanel() = default;

void BrowserPanel::onConnected()
{
    const ConnectionProfile profile = m_controller->profile();
    m_model->setSource(nullptr);
    m_model->restart();
    m_detail->clear();
    for (AsyncConnection *c : {m_pages.get(), m_counts.get()})
        c->open(profile, ConnectOptions{5000, QStringLiteral("vector-workbench browser")}, this, [](Result<void>) {});
    m_pages->run<DatabaseSchema>(this, [](PgConnection &conn) { return discoverSchema(conn); },
                                 [this](Result<DatabaseSchema> schema) {
                                     if (!schema.ok()) {
                                         m_status->setText(errorText(schema.error()));
                                         return;
                                     }
                                     m_schema = schema.value();
                                     const QSignalBlocker block(m_type);
                                     m_type->clear();
                                     for (const ContentPair &p : m_schema.pairs)
                                         m_type->addItem(p.content.display(), p.content.display());
                                     m_model->setSource(this);
                                     rebuildQuery();
                                     refreshCounts();
                                     emit schemaReady();
                                 });
}

std::optional<ContentPair> BrowserPanel::currentPair() const
{
    return m_schema.find(m_type->currentData().toString());
}

void BrowserPanel::setType(const QString &kind)
{
    if (const auto pair = m_schema.find(kind)) // "post" or "posts" or "schema.posts"
        m_type->setCurrentIndex(m_type->findData(pair->content.display()));
}

void BrowserPanel::setFilter(const BrowseFilter &filter)
{
    {
        const QSignalBlocker a(m_forum), b(m_text), c(m_fromOn), d(m_toOn), e(m_vectors), f(m_from), g(m_to);
        m_forum->setCurrentText(filter.forum);
        m_text->setText(filter.text);
        m_fromOn->setChecked(filter.from.isValid());
        m_toOn->setChecked(filter.to.isValid());
        if (filter.from.isValid())
            m_from->setDate(filter.from.toLocalTime().date());
        if (filter.to.isValid())
            m_to->setDate(filter.to.toLocalTime().date());
        m_vectors->setCurrentIndex(m_vectors->findData(int(filter.vectors)));
    }
    rebuildQuery();
}

BrowseFilter BrowserPanel::currentFilter() const
{
    BrowseFilter f;
    f.forum = m_forum->currentText().trimmed();
    f.text = m_text->text();
    if (m_fromOn->isChecked())
        f.from = m_from->date().startOfDay();
    if (m_toOn->isChecked())
        f.to = m_to->date().startOfDay();
    f.vectors = VectorFilter(m_vectors->currentData().toInt());
    return f;
}

void BrowserPanel::rebuildQuery()
{
    m_debounce->stop();
    const auto pair = currentPair();
    if (!pair) {
        m_query.reset();
        m_model->restart();
        return;
    }
    m_query = BrowseQuery(*pair, currentFilter(), BrowseSort(m_sort->currentData().toInt()), m_descending->isChecked());
    m_model->restart(); // bumps the generation: pages of the previous query are dropped
    m_model->fetchMore({});
    ++m_countGeneration;
    m_count->setText(m_estimate >= 0 ? tr("≈ %L1 rows in %2 (estimate)").arg(m_estimate).arg(pair->content.display())
                                     : QString());
    if (m_forum->count() == 0) {
        m_counts->run<QStringList>(this, [pair = *pair](PgConnection &conn) { return fetchForumNames(conn, pair); },
                                   [this](Result<QStringList> names) {
                                       if (!names.ok() || m_forum->count() > 0)
                                           return;
                                       const QSignalBlocker block(m_forum);
                                       const QString typed = m_forum->currentText();
                                       m_forum->addItem(QString());
                                       m_forum->addItems(names.value());
                                       m_forum->setCurrentText(typed);
                                       m_forum->completer()->setCaseSensitivity(Qt::CaseInsensitive);
                                   });
    }
    m_counts->run<qint64>(this, [table = pair->content](PgConnection &conn) { return BrowseQuery::fetchEstimate(conn, table); },
                          [this, table = pair->content.display()](Result<qint64> estimate) {
                              m_estimate = estimate.ok() ? estimate.value() : -1;
                              if (estimate.ok())
                                  m_count->setText(tr("≈ %L1 rows in %2 (estimate)").arg(m_estimate).arg(table));
                          });
}

void BrowserPanel::requestPage(int generation, const std::optional<BrowseCursor> &after, int limit)
{
    if (!m_query)
        return;
    m_pages->run<BrowsePage>(this, [query = *m_query, after, limit](PgConnection &conn) { return query.fetchPage(conn, after, limit); },
                             [this, generation](Result<BrowsePage> page) {
                                 if (page.ok())
                                     m_model->appendPage(generation, page.value());
                                 else
                                     m_model->pageFailed(generation, errorText(page.error()));
                             });
}

void BrowserPanel::countExactly()
{
    if (!m_query)
        return;
    const int generation = ++m_countGeneration;
    m_count->setText(tr("counting…"));
    m_counts->run<Counted>(
        this,
        [query = *m_query](PgConnection &conn) -> Result<Counted> {
            QElapsedTimer clock;
            clock.start();
            auto n = query.fetchExactCount(conn);
            if (!n.ok())
                return n.error();
            return Counted{n.value(), clock.elapsed()};
        },
        [this, generation](Result<Counted> counted) {
            if (generation != m_countGeneration)
                return; // the filters changed meanwhile
            if (!counted.ok()) {
                m_count->setText(errorText(counted.error()));
                return;
            }
            m_count->setText(tr("%L1 matching rows (exact, %2 ms)").arg(counted.value().count).arg(counted.value().ms));
            emit exactCountReady(counted.value().count);
        });
}

void BrowserPanel::refreshCounts()
{
    m_counts->run<QList<Coverage>>(
        this,
        [pairs = m_schema.pairs](PgConnection &conn) -> Result<QList<Coverage>> {
            QList<Coverage> out;
            for (const ContentPair &p : pairs) {
                auto c = fetchCoverage(conn, p);
                if (!c.ok())
                    return c.error();
                out << c.value();
            }
            return out;
        },
        [this](Result<QList<Coverage>> coverage) {
            if (coverage.ok())
                m_coverage->setCoverage(coverage.value());
        });
}

void BrowserPanel::openRecord(qint64 id)
{
    const auto pair = currentPair();
    if (!pair)
        return;
    m_pages->run<ContentRecord>(
        this, [schema = m_schema, pair = *pair, id](PgConnection &conn) { return fetchContentRecord(conn, schema, pair, id); },
        [this, id](Result<ContentRecord> record) {
            if (!record.ok()) {
                m_detail->showMessage(errorText(record.error()));
                return;
            }
            m_detail->showRecord(record.value());
            emit recordShown(id);
        });
}
} // namespace vwb::ui
