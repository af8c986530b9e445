// ui/panels/BrowserPanel.cpp
#include "panels/BrowserPanel.h"

#include "panels/BrowseExportTask.h"

#include "dialogs/TableColumnsDialog.h"
#include "schema/KnownLayouts.h"
#include "schema/RoleOverrides.h"
#include "session/Session.h"
#include "widgets/CoverageStrip.h"
#include "widgets/ElidedLabel.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/PairBox.h"
#include "widgets/RecordDetailView.h"
#include "widgets/TableExportMenu.h"
#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateEdit>
#include <QDir>
#include <QFileInfo>
#include <QElapsedTimer>
#include <QFontMetrics>
#include <QItemSelectionModel>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {
constexpr int DebounceMs = 300;        // typing in the text filter
constexpr int PageTimeoutMs = 15'000;  // a page is an index range scan: one this slow has a filter no index serves
constexpr int CountTimeoutMs = 30'000; // counts read every matching row

} // namespace

BrowserPanel::BrowserPanel(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    session->setStatementTimeout(QLatin1String(PagesLane), PageTimeoutMs);
    session->setStatementTimeout(QLatin1String(CountsLane), CountTimeoutMs);
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
    m_fromOn->setObjectName(QStringLiteral("browseFrom"));
    m_from = new QDateEdit(QDate::currentDate().addYears(-1));
    m_toOn = new QCheckBox(tr("to"));
    m_to = new QDateEdit(QDate::currentDate().addDays(1));
    m_from->setObjectName(QStringLiteral("browseFromDate"));
    m_to->setObjectName(QStringLiteral("browseToDate"));
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
    m_sort->addItem(tr("by key"), int(BrowseSort::Id));
    m_sort->addItem(tr("by created_at"), int(BrowseSort::CreatedAt));
    m_sort->addItem(tr("by updated_at"), int(BrowseSort::UpdatedAt));
    m_sort->addItem(tr("by title"), int(BrowseSort::Title));
    m_descending = new QCheckBox(tr("desc"));
    m_column = new QComboBox;
    m_column->setObjectName(QStringLiteral("browseColumn"));
    m_column->setToolTip(tr("The vector column the vector state, the record and similar rows read"));
    m_column->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_column->setMinimumContentsLength(12);
    m_layout = new ElidedLabel; // long names end in "…" (the tooltip has it all), never widen the window
    m_layout->setObjectName(QStringLiteral("browseLayout"));
    m_columns = new QPushButton(tr("Columns…"));
    m_columns->setObjectName(QStringLiteral("chooseColumns"));
    m_columns->setToolTip(tr("Choose which column is the text, title, metadata and filter"));
    for (QWidget *w : std::initializer_list<QWidget *>{m_type, m_forum, m_text})
        filters->addWidget(w, w == m_text ? 1 : 0);
    layout->addLayout(filters);
    auto *more = new QHBoxLayout;
    for (QWidget *w : std::initializer_list<QWidget *>{m_fromOn, m_from, m_toOn, m_to, m_vectors, m_column, m_sort, m_descending})
        more->addWidget(w);
    more->addStretch();
    more->addWidget(m_columns);
    layout->addLayout(more);

    auto *countRow = new QHBoxLayout;
    m_count = new QLabel;
    m_count->setObjectName(QStringLiteral("browseCount"));
    m_countButton = new QPushButton(tr("Count exactly"));
    auto *rediscover = new QPushButton(tr("Refresh schema"));
    rediscover->setToolTip(tr("Discover content and vector tables, columns and indexes again"));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("browseStatus"));
    countRow->addWidget(m_count);
    countRow->addWidget(m_countButton);
    countRow->addWidget(m_layout, 1);
    countRow->addWidget(m_status);
    countRow->addWidget(rediscover);
    layout->addLayout(countRow);
    m_coverage = new CoverageStrip;
    layout->addWidget(m_coverage);

    auto *split = new QSplitter;
    split->setObjectName(QStringLiteral("browseSplitter")); // its sizes are kept (WindowLayout)
    m_model = new ContentTableModel(this);
    m_model->setSource(this);
    m_view = new QTableView;
    // Right-click: copy the selected (or loaded) rows as CSV/TSV/JSON; save every matching row.
    addTableExport(m_view, QStringLiteral("rows"), [this](ExportFormat format) {
        const auto pair = currentPair();
        const QString path = askExportPath(this, pair ? pair->content.name : QStringLiteral("rows"), format);
        if (!path.isEmpty())
            exportMatchingRows(path, format);
    });
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(22);
    QHeaderView *header = m_view->horizontalHeader();
    for (int column : {ContentTableModel::Created, ContentTableModel::Vector, ContentTableModel::Updated})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    // Sized to the rows in view only: Qt reads 1,000 rows by default, and each row not held is a
    // page to fetch.
    header->setResizeContentsPrecision(0);
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
    for (QComboBox *box : {m_vectors, m_sort, m_column})
        connect(box, &QComboBox::currentIndexChanged, this, &BrowserPanel::rebuildQuery);
    connect(m_columns, &QPushButton::clicked, this, &BrowserPanel::chooseColumns);
    for (QCheckBox *box : {m_fromOn, m_toOn, m_descending})
        connect(box, &QCheckBox::toggled, this, &BrowserPanel::rebuildQuery);
    for (QDateEdit *d : {m_from, m_to})
        connect(d, &QDateEdit::dateChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        m_forum->clear();
        m_detail->clear(); // a topic's record doesn't stay beside the posts
        m_openKey.clear();
        showTable();
        rebuildQuery();
    });
    connect(m_countButton, &QPushButton::clicked, this, [this] {
        if (m_counting)
            m_session->cancel(m_countTask);
        else
            countExactly();
    });
    connect(rediscover, &QPushButton::clicked, this, &BrowserPanel::reload);
    connect(m_model, &ContentTableModel::loadingChanged, this, [this] {
        showPosition();
        if (allRowsShown()) // a small table: its rows counted, not the planner's guess
            m_count->setText(tr("%L1 rows in %2").arg(m_model->rowCount()).arg(m_countTable));
    });
    // Scrolled, or the view grew or shrank (a dock opening): said once the layout has settled.
    const auto settle = [this] {
        if (!std::exchange(m_positionQueued, true))
            QTimer::singleShot(0, this, [this] {
                m_positionQueued = false;
                showPosition();
            });
    };
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, settle);
    connect(m_view->verticalScrollBar(), &QScrollBar::rangeChanged, this, settle);
    connect(m_model, &ContentTableModel::rowsArrived, this, [this](int first, int last) {
        fitKeys(first, last);
        countWhenCheap();
        // A row made current before its page arrived (Ctrl+End) opens once it is there.
        const int current = m_view->selectionModel()->currentIndex().row();
        const BrowseRow *row = current >= first && current <= last ? m_model->rowAt(current) : nullptr;
        if (row && row->key != m_openKey)
            openRecord(row->key);
    });
    connect(m_model, &ContentTableModel::failed, this, [this](const QString &message) { m_status->setText(message); });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
        if (const BrowseRow *row = m_model->rowAt(current.row()))
            openRecord(row->key);
    });
    connect(m_detail, &RecordDetailView::rowActivated, this, &BrowserPanel::openRecord);
    connect(m_detail, &RecordDetailView::postActivated, this, [this](const RowKey &postId) {
        setType(QStringLiteral("post"));
        openRecord(postId);
    });
    connect(m_detail, &RecordDetailView::findSimilarRequested, this, [this](const RowKey &id) {
        const auto pair = currentPair();
        if (!pair)
            return;
        m_session->run<QList<SimilarRow>>(
            QLatin1String(PagesLane), this,
            [pair = *pair, id, column = currentColumn()](DatabaseServices &s) { return s.similarRows(pair, id, 10, column); },
            [this, op = preferredDistanceOperator(*pair, currentColumn())](Result<QList<SimilarRow>> rows) {
                if (rows.ok())
                    m_detail->showSimilar(rows.value(), op);
                else
                    m_status->setText(rows.error().message);
            });
    });
    connect(m_detail, &RecordDetailView::searchLikeRequested, this, [this](const RowKey &id) {
        if (const auto pair = currentPair())
            emit findSimilarRequested(pair->content.display(), id, currentColumn());
    });
    connect(m_session, &Session::connected, this, &BrowserPanel::showSchema);
    connect(m_session, &Session::schemaChanged, this, &BrowserPanel::showSchema);
    connect(m_session, &Session::disconnected, this, &BrowserPanel::showSchema);
    connect(m_session, &Session::dataChanged, this, &BrowserPanel::dataChanged);
    if (m_session->isConnected())
        showSchema();
}

BrowserPanel::~BrowserPanel() = default;

void BrowserPanel::reload()
{
    m_shownShape.clear(); // asked for: everything is read again, the schema first
    m_session->refreshSchema();
}

const DatabaseSchema &BrowserPanel::schema() const
{
    return m_session->schema();
}

void BrowserPanel::showSchema()
{
    // What the rows depend on: tables and columns. A re-read that only found other indexes (an
    // index build) leaves the rows, the scroll position and the open record as they are.
    QStringList shape;
    for (const ContentPair &p : schema().pairs) {
        shape << p.content.display() << p.vectors.display() << p.contentColumns << p.vectorTableColumns << p.roles.text << p.roles.title
              << p.roles.metadata << p.roles.filter;
        for (const VectorColumn &c : p.columns)
            shape << c.name;
    }
    if (m_session->isConnected() && m_query && shape == m_shownShape)
        return;
    m_shownShape = m_session->isConnected() ? shape : QStringList{};
    m_model->setSource(nullptr);
    m_model->restart();
    m_detail->clear();
    m_coverage->setCoverage({});
    m_estimate = -1;
    m_spanTable.clear(); // another database may have a table of the same name
    fillPairBox(m_type, schema(), false);
    m_forum->clear();
    showTable();
    if (!m_session->isConnected()) {
        m_query.reset();
        m_count->clear();
        m_status->setText(tr("Not connected"));
        return;
    }
    m_model->setSource(this);
    rebuildQuery();
    refreshCounts();
    emit schemaReady();
}

void BrowserPanel::dataChanged(const DataChange &change)
{
    if (change.kind != DataChange::Kind::Rows && change.kind != DataChange::Kind::Vectors)
        return; // schema changes come through showSchema; indexes and storage change no row shown
    bool ours = change.table.isEmpty();
    for (const ContentPair &p : schema().pairs)
        ours = ours || change.table == p.content.display() || change.table == p.vectors.display();
    if (!ours || !m_session->isConnected())
        return;
    refreshCounts(); // coverage of every pair
    const auto pair = currentPair();
    if (!pair || (!change.table.isEmpty() && change.table != pair->content.display() && change.table != pair->vectors.display()))
        return;
    // The rows shown (their vector state) and the record open in the detail pane are read again.
    const BrowseRow *open = m_model->rowAt(m_view->selectionModel()->currentIndex().row());
    const RowKey openKey = open ? open->key : m_openKey;
    rebuildQuery();
    if (!openKey.isEmpty())
        openRecord(openKey);
    m_note = tr("reloaded: %1 changed").arg(describe(change));
    showPosition();
}

std::optional<ContentPair> BrowserPanel::currentPair() const
{
    return schema().find(m_type->currentData().toString());
}

QString BrowserPanel::currentColumn() const
{
    return m_column->currentData().toString();
}

void BrowserPanel::showTable()
{
    // The table's own words: its vector columns, what made it, what its filter and text are.
    const auto pair = currentPair();
    const QSignalBlocker block(m_column);
    const QString was = currentColumn();
    m_column->clear();
    for (const VectorColumn &c : pair ? pair->columns : QList<VectorColumn>{})
        m_column->addItem(c.type == QLatin1String("vector") ? QStringLiteral("%1 (%2)").arg(c.name).arg(c.dimensions)
                                                            : QStringLiteral("%1 (%2 %3)").arg(c.name, c.type).arg(c.dimensions),
                          c.name);
    m_column->setCurrentIndex(qMax(0, m_column->findData(was)));
    m_column->setEnabled(m_column->count() > 1);
    m_columns->setEnabled(pair.has_value());
    if (!pair) {
        m_layout->clear();
        return;
    }
    m_layout->setText(layoutDescription(*pair));
    m_layout->setToolTip(tr("%1\nkey %2 · text %3 · title %4 · metadata %5 · filter %6")
                             .arg(layoutDescription(*pair), pair->key.describe(), pair->roles.text, pair->roles.title,
                                  pair->roles.metadata, pair->roles.filter));
    m_forum->setEnabled(!pair->roles.filter.isEmpty());
    // The dates filter created_at: a table without one has nothing to filter by.
    const bool dated = pair->contentHas(QStringLiteral("created_at"));
    for (QWidget *w : std::initializer_list<QWidget *>{m_fromOn, m_from, m_toOn, m_to})
        w->setEnabled(dated);
    for (QWidget *w : std::initializer_list<QWidget *>{m_fromOn, m_toOn})
        w->setToolTip(dated ? QString() : tr("%1 has no created_at column").arg(pair->content.display()));
    m_forum->lineEdit()->setPlaceholderText(pair->roles.filter.isEmpty() ? tr("no filter column")
                                                                         : tr("any %1").arg(filterLabel(*pair).toLower()));
    m_text->setPlaceholderText(pair->roles.title.isEmpty() ? tr("%1 contains…").arg(pair->roles.text)
                                                           : tr("%1 or %2 contains…").arg(pair->roles.title, pair->roles.text));
}

void BrowserPanel::chooseColumns()
{
    const auto pair = currentPair();
    if (!pair)
        return;
    auto *dialog = new TableColumnsDialog(*pair, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, pair = *pair] {
        const RoleChoice choice = dialog->choice();
        if (choice.isEmpty())
            return;
        auto saved = choice.save(RoleChoice::defaultPath(), m_session->profile().settingsKey(),
                                 pair.content.schema + QLatin1Char('.') + pair.content.name);
        if (!saved.ok()) {
            m_status->setText(errorText(saved.error()));
            return;
        }
        m_status->setText(tr("columns of %1 chosen: reading the schema again").arg(pair.content.display()));
        reload();
    });
    dialog->open();
    emit columnsDialogShown(dialog);
}

void BrowserPanel::setType(const QString &kind)
{
    if (const auto pair = schema().find(kind)) // "post" or "posts" or "schema.posts"
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
    f.column = currentColumn();
    return f;
}

void BrowserPanel::rebuildQuery()
{
    m_debounce->stop();
    m_note.clear();
    const auto pair = currentPair();
    if (!pair) {
        m_query.reset();
        m_model->restart();
        return;
    }
    m_query = BrowseQuery(*pair, currentFilter(), BrowseSort(m_sort->currentData().toInt()), m_descending->isChecked());
    m_model->setLabels(*pair);
    // A uuid or text key is read by its start (the whole one is in the tooltip and the record);
    // timestamps the table does not have take no room.
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(ContentTableModel::Id, QHeaderView::Interactive);
    if (!pair->key.isInteger())
        header->resizeSection(ContentTableModel::Id, 110);
    m_view->setColumnHidden(ContentTableModel::Forum, pair->roles.filter.isEmpty());
    m_view->setColumnHidden(ContentTableModel::Created, !pair->contentHas(QStringLiteral("created_at")));
    m_view->setColumnHidden(ContentTableModel::Updated, !pair->contentHas(QStringLiteral("updated_at")));
    m_model->restart(); // bumps the generation: pages of the previous query are dropped
    if (pair->key.isInteger())
        header->resizeSection(ContentTableModel::Id, header->sectionSizeHint(ContentTableModel::Id));
    m_model->fetchMore({});
    ++m_countGeneration; // an exact count of the previous filters is no longer wanted
    if (m_counting) {
        m_session->cancel(m_countTask);
        setCounting(false);
    }
    if (m_countTable != pair->content.display())
        m_estimate = -1; // another table's estimate says nothing of this one
    m_countTable = pair->content.display();
    m_count->setText(m_estimate >= 0 ? tr("≈ %L1 rows in %2 (estimate)").arg(m_estimate).arg(m_countTable) : QString());
    if (m_forum->count() == 0) {
        m_session->run<QStringList>(
            QLatin1String(CountsLane), this, [pair = *pair](DatabaseServices &s) { return s.forumNames(pair); },
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
    if (m_spanTable != pair->content.display()) {
        m_spanTable = pair->content.display();
        m_session->run<std::optional<CreatedSpan>>(
            QLatin1String(CountsLane), this, [pair = *pair](DatabaseServices &s) { return s.createdSpan(pair); },
            [this, table = m_spanTable](Result<std::optional<CreatedSpan>> span) {
                if (table == m_spanTable) // else another table is shown by now
                    showCreatedSpan(span.ok() ? span.value() : std::nullopt);
            });
    }
    m_session->run<qint64>(
        QLatin1String(CountsLane), this, [table = pair->content](DatabaseServices &s) { return s.estimateRows(table); },
        [this, table = pair->content.display()](Result<qint64> estimate) {
            m_estimate = estimate.ok() ? estimate.value() : -1;
            if (estimate.ok() && !allRowsShown() && !m_counting && m_model->total() < 0)
                m_count->setText(tr("≈ %L1 rows in %2 (estimate)").arg(m_estimate).arg(table));
            countWhenCheap();
        });
}

void BrowserPanel::showCreatedSpan(const std::optional<CreatedSpan> &span)
{
    // The date filter's defaults are the table's own days (not "the last year", which may hold
    // none of them); a bound already in use is left as the user set it.
    const QString tip = !span ? QString()
                              : tr("created_at runs from %1 to %2 (%3)")
                                    .arg(span->first.toString(Qt::ISODate), span->last.toString(Qt::ISODate),
                                         span->exact ? tr("min and max") : tr("the planner's statistics, a sample"));
    const QSignalBlocker a(m_from), b(m_to);
    if (span && !m_fromOn->isChecked())
        m_from->setDate(span->first);
    if (span && !m_toOn->isChecked())
        m_to->setDate(span->last.addDays(1)); // the filter's "to" is exclusive
    m_from->setToolTip(tip);
    m_to->setToolTip(tip);
}

void BrowserPanel::exportMatchingRows(const QString &path, ExportFormat format)
{
    if (!m_query)
        return;
    delete m_export; // one at a time: a new one stops the last after its current page
    m_export = new BrowseExportTask(m_session, *m_query, path, format, this);
    const QString target = QFileInfo(path).fileName(); // the whole path in the tooltip: the row keeps its width
    m_status->setToolTip(QDir::toNativeSeparators(path));
    m_status->setText(tr("saving to %1…").arg(target));
    connect(m_export, &BrowseExportTask::progress, this,
            [this, target](qint64 rows) { m_status->setText(tr("saving to %1: %L2 rows…").arg(target).arg(rows)); });
    connect(m_export, &BrowseExportTask::finished, this, [this, target](qint64 rows, const QString &error) {
        m_note = rows >= 0 ? tr("saved %L1 rows to %2").arg(rows).arg(target) : error;
        m_export->deleteLater();
        m_export = nullptr;
        showPosition();
        emit exportFinished(rows, error);
    });
    m_export->start();
}

void BrowserPanel::openRecord(const RowKey &id)
{
    const auto pair = currentPair();
    if (!pair)
        return;
    m_openKey = id;
    m_session->run<ContentRecord>(
        QLatin1String(PagesLane), this,
        [schema = schema(), pair = *pair, id, column = currentColumn()](DatabaseServices &s) {
            return s.record(schema, pair, id, column);
        },
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
