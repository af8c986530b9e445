// ui/panels/SearchPanel.cpp
#include "panels/SearchPanel.h"

#include "charts/SimilarityHistogram.h"
#include "connection/ConnectionProfile.h"
#include "embeddings/ColumnStatus.h"
#include "embeddings/ProviderSettings.h"
#include "metrics/SizeHistory.h"
#include "models/SearchResultModel.h"
#include "schema/KnownLayouts.h"
#include "search/SearchTuning.h"
#include "search/SemanticSearch.h"
#include "session/Session.h"
#include "theme/Theme.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/GradingBar.h"
#include "widgets/PairBox.h"
#include "widgets/ProviderBox.h"
#include "widgets/SimilarityBarDelegate.h"
#include "widgets/TableExportMenu.h"
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QShortcut>
#include <QSlider>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>

namespace vwb::ui {
namespace {
constexpr int DebounceMs = 250; // the limit and knob sliders query again once they settle

QSlider *slider(int min, int max, int value)
{
    auto *s = new QSlider(Qt::Horizontal);
    s->setRange(min, max);
    s->setValue(value);
    s->setMinimumWidth(110);
    return s;
}
} // namespace

SearchPanel::SearchPanel(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    auto *top = new QHBoxLayout;
    m_query = new QLineEdit;
    m_query->setPlaceholderText(tr("Search the content by meaning…"));
    m_query->setClearButtonEnabled(true);
    m_query->setMinimumWidth(130);
    auto *go = new QPushButton(tr("Search"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the search or recall check running now"));
    m_cancel->setEnabled(false);
    m_provider = new QComboBox;
    fillProviderBox(m_provider);
    m_type = new QComboBox;
    m_type->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon); // long names elide
    m_type->setMinimumContentsLength(24);
    m_column = new QComboBox;
    m_column->setObjectName(QStringLiteral("searchColumn"));
    m_column->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon); // a long name never widens the window
    m_column->setMinimumContentsLength(16);
    m_column->setToolTip(tr("The vector column searched. A table can hold a second model's column beside the application's; "
                            "\"Change model…\" in Evaluate adds, fills, compares and switches to one"));
    auto *configure = new QPushButton(tr("Provider…"));
    configure->setToolTip(tr("Base URL, model and API key variable of this profile's embedding provider"));
    m_forum = new QLineEdit;
    m_forum->setObjectName(QStringLiteral("searchFilter"));
    m_forum->setPlaceholderText(tr("any forum"));
    m_forum->setFixedWidth(180);
    top->addWidget(m_query, 1);
    top->addWidget(go);
    top->addWidget(m_cancel);
    top->addWidget(m_provider);
    top->addWidget(configure);
    layout->addLayout(top);
    // Where to search on a row of its own: a schema-qualified table name and a column name keep their room.
    auto *where = new QHBoxLayout;
    where->addWidget(new QLabel(tr("table")));
    where->addWidget(m_type);
    where->addWidget(new QLabel(tr("column")));
    where->addWidget(m_column);
    where->addWidget(new QLabel(tr("filter")));
    where->addWidget(m_forum);
    where->addStretch(1);
    layout->addLayout(where);

    auto *knobs = new QGridLayout;
    m_metric = new QComboBox;
    for (SearchMetric m : {SearchMetric::Cosine, SearchMetric::L2, SearchMetric::InnerProduct})
        m_metric->addItem(QStringLiteral("%1 (%2)").arg(QLatin1String(metricInfo(m).name), QLatin1String(metricInfo(m).op)), int(m));
    m_limit = slider(1, 100, 10);
    m_limitLabel = new QLabel;
    m_threshold = slider(0, 1000, 0);
    m_thresholdLabel = new QLabel;
    m_ef = slider(1, 1000, 40); // pgvector's range
    m_efLabel = new QLabel;
    m_probes = slider(1, 100, 1);
    m_probesLabel = new QLabel;
    m_exact = new QCheckBox(tr("exact"));
    m_exact->setToolTip(tr("Exact search: index scans off, every vector compared — the true nearest neighbours"));
    m_iterative = new QCheckBox(tr("iterative"));
    m_iterative->setObjectName(QStringLiteral("searchIterative"));
    m_iterative->setToolTip(tr("pgvector 0.8 iterative index scans: the index keeps scanning while a filter discards its "
                               "candidates"));
    for (QLabel *value : {m_limitLabel, m_thresholdLabel, m_efLabel, m_probesLabel})
        value->setMinimumWidth(value->fontMetrics().horizontalAdvance(QStringLiteral("-0.00000")));
    auto *plan = new QPushButton(tr("Show plan"));
    auto *recall = new QPushButton(tr("Recall"));
    // One button, two ways: at the knobs as they are, or over every setting of the index's knob.
    auto *recallMenu = new QMenu(recall);
    QAction *check = recallMenu->addAction(tr("Check recall at these settings"));
    QAction *tune = recallMenu->addAction(tr("Tune: sweep every setting, keep the cheapest at recall 0.95"));
    tune->setObjectName(QStringLiteral("tuneRecall"));
    tune->setToolTip(tr("Measure recall@10 and speed at every ef_search (or probes) value, with and without iterative scan, "
                        "and keep the cheapest setting that reaches recall 0.95 with 10 rows every time"));
    recall->setMenu(recallMenu);
    knobs->addWidget(new QLabel(tr("metric")), 0, 0);
    knobs->addWidget(m_metric, 0, 1);
    knobs->addWidget(new QLabel(tr("limit")), 0, 2);
    knobs->addWidget(m_limit, 0, 3);
    knobs->addWidget(m_limitLabel, 0, 4);
    knobs->addWidget(new QLabel(tr("min similarity")), 0, 5);
    knobs->addWidget(m_threshold, 0, 6);
    knobs->addWidget(m_thresholdLabel, 0, 7);
    auto *modes = new QHBoxLayout;
    modes->addWidget(m_exact);
    modes->addWidget(m_iterative);
    knobs->addLayout(modes, 1, 1);
    knobs->addWidget(new QLabel(tr("ef_search")), 1, 2);
    knobs->addWidget(m_ef, 1, 3);
    knobs->addWidget(m_efLabel, 1, 4);
    knobs->addWidget(new QLabel(tr("probes")), 1, 5);
    knobs->addWidget(m_probes, 1, 6);
    knobs->addWidget(m_probesLabel, 1, 7);
    m_ranking = new QComboBox;
    m_ranking->addItem(tr("vector similarity"), int(Ranking::Vector));
    m_ranking->addItem(tr("full text (english)"), int(Ranking::Text));
    m_ranking->addItem(tr("hybrid (rank fusion)"), int(Ranking::Hybrid));
    m_ranking->setToolTip(tr("Order results by vector similarity, by PostgreSQL full text (ts_rank_cd of the words), or by both "
                             "fused by reciprocal rank (k = 60)"));
    m_grading = new GradingBar;
    connect(m_grading, &GradingBar::gradeRequested, this, [this](int grade) { judgeRow(m_view->currentIndex().row(), grade); });
    knobs->addWidget(new QLabel(tr("ranking")), 2, 0);
    knobs->addWidget(m_ranking, 2, 1);
    knobs->addWidget(m_grading, 2, 2, 1, 8);
    knobs->addWidget(plan, 0, 8);
    knobs->addWidget(recall, 1, 8);

    knobs->setColumnStretch(9, 1);
    layout->addLayout(knobs);

    m_timings = new QLabel;
    m_timings->setWordWrap(true); // the provider's description is long: it wraps, the window stays as wide as it is
    m_warnings = new QLabel;
    m_warnings->setWordWrap(true);
    Theme::setTone(m_warnings, Tone::Warning);
    m_backfill = new QPushButton(tr("Backfill this table…"));
    m_backfill->setToolTip(tr("Embed the rows that have no vector (Maintenance ▸ Backfill missing vectors)"));
    m_backfill->hide();
    connect(m_backfill, &QPushButton::clicked, this, [this] { emit backfillRequested(m_type->currentData().toString()); });
    auto *warningRow = new QHBoxLayout;
    warningRow->addWidget(m_warnings, 1);
    warningRow->addWidget(m_backfill, 0, Qt::AlignTop);
    layout->addWidget(m_timings);
    layout->addLayout(warningRow);

    auto *split = new QSplitter;
    split->setObjectName(QStringLiteral("searchSplitter")); // its sizes are kept (WindowLayout)
    m_model = new SearchResultModel(this);
    m_view = new QTableView;
    addTableExport(m_view, QStringLiteral("search-results")); // right-click: copy as CSV/TSV/JSON, save
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(SearchResultModel::Similarity, new SimilarityBarDelegate(m_view));
    m_view->verticalHeader()->hide();
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    QHeaderView *header = m_view->horizontalHeader();
    for (int grade = 0; grade <= 2; ++grade) {
        auto *judge = new QShortcut(QKeySequence(Qt::Key_0 + grade), m_view, nullptr, nullptr, Qt::WidgetShortcut);
        judge->setWhatsThis(tr("Search results: grade the selected result %1").arg(grade)); // Help ▸ Keyboard shortcuts
        connect(judge, &QShortcut::activated, this, [this, grade] { judgeRow(m_view->currentIndex().row(), grade); });
    }
    // Double-click or Return: the result's whole record, in Browse.
    const auto openRecord = [this](const QModelIndex &index) {
        if (const SearchHit *hit = index.isValid() ? m_model->hitAt(index.row()) : nullptr)
            emit recordRequested(m_type->currentData().toString(), hit->key);
    };
    connect(m_view, &QTableView::activated, this, openRecord);
    for (int column : {SearchResultModel::Rank, SearchResultModel::Created, SearchResultModel::Judged})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    header->resizeSection(SearchResultModel::Forum, 130); // a long forum name is elided: the title keeps the room
    header->setSectionResizeMode(SearchResultModel::Title, QHeaderView::Stretch);
    header->resizeSection(SearchResultModel::Similarity, 120);
    header->resizeSection(SearchResultModel::Snippet, 180);
    split->addWidget(m_view);
    m_histogram = new SimilarityHistogram;
    split->addWidget(m_histogram);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({720, 400});
    layout->addWidget(split, 1);

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(DebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &SearchPanel::run);
    connect(go, &QPushButton::clicked, this, [this] { search(m_query->text()); });
    connect(m_query, &QLineEdit::returnPressed, this, [this] { search(m_query->text()); });
    // A filter typed, then Return: the search on screen again, filtered (a row's neighbours stay a row's).
    connect(m_forum, &QLineEdit::returnPressed, this, [this] { m_lastLikeKey.isEmpty() ? search(m_query->text()) : run(); });
    for (QSlider *s : {m_ef, m_probes})
        connect(s, &QSlider::valueChanged, this, [this] {
            updateKnobs();
            m_debounce->start();
        });
    connect(m_limit, &QSlider::valueChanged, this, [this](int limit) {
        updateKnobs();
        m_model->setLimit(limit); // the candidates already hold up to CandidatePool rows: no query
    });
    connect(m_threshold, &QSlider::valueChanged, this, &SearchPanel::onThresholdMoved);
    connect(m_ranking, &QComboBox::currentIndexChanged, this, [this] {
        updateKnobs();
        run();
    });
    connect(m_metric, &QComboBox::currentIndexChanged, this, &SearchPanel::run);
    connect(m_exact, &QCheckBox::toggled, this, &SearchPanel::run);
    connect(m_iterative, &QCheckBox::toggled, this, &SearchPanel::run);
    connect(tune, &QAction::triggered, this, [this] { runSweep(); });
    connect(check, &QAction::triggered, this, [this] { runRecallCheck(); });
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        showColumns();
        updateKnobs();
        run();
    });
    connect(m_column, &QComboBox::currentIndexChanged, this, [this] {
        // Picked by hand (the panel's own changes block this signal): queried by the provider that
        // filled it, when the record says.
        if (const auto pair = currentPair()) {
            const QString provider = recordedProviderOf(m_session->profile(), *pair, m_column->currentData().toString(),
                                                        EmbeddingSources::defaultPath());
            if (!provider.isEmpty())
                selectProvider(m_provider, provider);
        }
        applyTunedKnobs();
        updateKnobs();
        run();
    });
    connect(plan, &QPushButton::clicked, this, &SearchPanel::showPlan);
    connect(configure, &QPushButton::clicked, this, [this] { configureProvider(); });
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_session->cancel(m_task); });
    connect(m_session, &Session::connected, this, &SearchPanel::onConnected);
    connect(m_session, &Session::schemaChanged, this, &SearchPanel::showSchema);
    connect(m_session, &Session::disconnected, this, [this] {
        ++m_generation; // what the connection left behind still sends is dropped
        m_shownGeneration = 0;
        setRunning(false);
        m_model->setCandidates({});
        m_histogram->setSimilarities({});
        m_timings->clear();
        m_warnings->clear();
        m_backfill->hide();
        showSchema();
    });
    connect(m_session, &Session::dataChanged, this, &SearchPanel::markOutOfDate);
    updateKnobs();
    if (m_session->isConnected())
        onConnected();
}

SearchPanel::~SearchPanel() = default;

bool SearchPanel::hasSchema() const
{
    return m_type->count() > 0;
}

void SearchPanel::onConnected()
{
    selectProvider(m_provider, m_session->providerName());
    fillPairBox(m_type, m_session->schema(), true);
    useColumnInUse();
}

void SearchPanel::showSchema()
{
    // Read again (a column or an index added): the table and the column chosen stay.
    const QString column = m_column->currentData().toString();
    const QString table = m_type->currentData().toString();
    const QString provider = m_provider->currentData().toString();
    fillPairBox(m_type, m_session->schema(), true);
    showColumns(); // the column in use, with its provider
    if (const int kept = m_column->findData(column); m_type->currentData().toString() == table && kept >= 0) {
        const QSignalBlocker block(m_column);
        const QSignalBlocker blockProvider(m_provider);
        m_column->setCurrentIndex(kept);
        selectProvider(m_provider, provider);
    }
    updateKnobs();
}

void SearchPanel::showColumns()
{
    const QSignalBlocker block(m_column);
    m_column->clear();
    const auto pair = currentPair();
    if (!pair || pair->columns.isEmpty()) {
        m_column->setEnabled(false);
        return;
    }
    // The table's own words: its filter, its title or text; columns it does not have take no room.
    m_type->setToolTip(pair->content.display());
    m_forum->setEnabled(!pair->roles.filter.isEmpty());
    m_forum->setPlaceholderText(pair->roles.filter.isEmpty() ? tr("no filter column") : tr("any %1").arg(filterLabel(*pair).toLower()));
    m_model->setLabels(pair->roles.filter.isEmpty() ? tr("Filter") : filterLabel(*pair),
                       pair->roles.title.isEmpty() ? tr("Text") : tr("Title"));
    m_view->setColumnHidden(SearchResultModel::Snippet, pair->roles.title.isEmpty()); // the text is the title column already
    m_view->setColumnHidden(SearchResultModel::Created, !pair->contentHas(QStringLiteral("created_at")));
    for (const VectorColumn &c : pair->columns)
        m_column->addItem(QStringLiteral("%1 (%2)").arg(c.name).arg(c.dimensions), c.name);
    m_column->setEnabled(m_column->count() > 1);
    if (const auto use = loadColumnInUse(ProviderSettings::defaultPath(), m_session->profile(), *pair)) {
        m_column->setCurrentIndex(qMax(0, m_column->findData(use->column)));
        const QSignalBlocker blockProvider(m_provider);
        selectProvider(m_provider, use->provider);
    } else {
        const QSignalBlocker blockProvider(m_provider); // the first column: the profile's provider
        selectProvider(m_provider, m_session->providerName());
    }
    applyTunedKnobs();
}

void SearchPanel::useColumnInUse()
{
    showColumns();
    updateKnobs();
}

void SearchPanel::markOutOfDate(const DataChange &change)
{
    const auto pair = currentPair();
    if (!pair || change.kind == DataChange::Kind::Storage) // VACUUM / ANALYZE change no result
        return;
    if (!change.table.isEmpty() && change.table != pair->content.display() && change.table != pair->vectors.display())
        return;
    ++m_dataVersion; // a search running now may have read before this change: it stays marked
    m_outOfDate = tr("The data changed since this search (%1): search again to see it").arg(describe(change));
    if (m_shownGeneration > 0 && !m_running) // results (even none) are shown: they may be stale now
        m_warnings->setText(QStringLiteral("⟳ ") + m_outOfDate);
}

int SearchPanel::startTask()
{
    m_session->cancel(m_task); // a newer search, plan or recall check replaces the one running
    setRunning(true);
    return ++m_generation;
}

std::optional<ContentPair> SearchPanel::currentPair() const
{
    return m_session->schema().find(m_type->currentData().toString());
}

void SearchPanel::updateKnobs()
{
    m_limitLabel->setText(QString::number(m_limit->value()));
    m_efLabel->setText(QString::number(m_ef->value()));
    m_probesLabel->setText(QString::number(m_probes->value()));
    bool hnsw = false, ivfflat = false;
    if (const auto pair = currentPair()) {
        const VectorColumn *column = SemanticSearch::columnOf(currentRequest());
        for (const VectorIndex &i : column ? column->indexes : QList<VectorIndex>{}) {
            hnsw = hnsw || i.method == QLatin1String("hnsw");
            ivfflat = ivfflat || i.method == QLatin1String("ivfflat");
        }
    }
    if (const auto served = indexMetric(); served && m_preferredMetric.isEmpty() && m_lastText.isEmpty() && m_lastLikeKey.isEmpty()) {
        const QSignalBlocker block(m_metric);
        m_metric->setCurrentIndex(m_metric->findData(int(*served))); // default to what the index serves
    }
    const bool vectors = Ranking(m_ranking->currentData().toInt()) != Ranking::Text;
    m_ef->setEnabled(hnsw && vectors);
    m_probes->setEnabled(ivfflat && vectors);
    m_threshold->setEnabled(vectors); // full text has no similarity to keep results by
    m_ef->setToolTip(hnsw ? tr("hnsw.ef_search: candidates the HNSW index keeps; more = better recall, slower")
                          : tr("no HNSW index on this column"));
    m_probes->setToolTip(ivfflat ? tr("ivfflat.probes: lists scanned") : tr("no IVFFlat index on this column"));
}

SearchRequest SearchPanel::currentRequest() const
{
    SearchRequest r;
    if (const auto pair = currentPair())
        r.pair = *pair;
    r.forum = m_forum->text().trimmed();
    r.metric = SearchMetric(m_metric->currentData().toInt());
    r.exact = m_exact->isChecked();
    r.limit = CandidatePool;
    r.efSearch = m_ef->isEnabled() ? qMax(m_ef->value(), 0) : 0;
    r.probes = m_probes->isEnabled() ? m_probes->value() : 0;
    r.iterativeScan = m_iterative->isChecked();
    r.likeKey = m_lastLikeKey;
    r.ranking = Ranking(m_ranking->currentData().toInt());
    r.queryText = m_lastText;
    r.column = m_column->currentIndex() > 0 ? m_column->currentData().toString() : QString();
    return r;
}

bool SearchPanel::selectTable(const QString &table)
{
    const auto pair = m_session->schema().find(table);
    const int index = pair ? m_type->findData(pair->content.display()) : -1;
    if (index >= 0)
        m_type->setCurrentIndex(index);
    return index >= 0;
}

void SearchPanel::search(const QString &text)
{
    if (m_query->text() != text) // the box shows what was searched, however the search came
        m_query->setText(text);
    m_lastText = text.trimmed();
    m_lastLikeKey.clear();
    run();
}

void SearchPanel::searchLike(const QString &table, const RowKey &id, const QString &column)
{
    const int index = m_type->findData(table);
    if (index >= 0 && index != m_type->currentIndex()) {
        {
            const QSignalBlocker block(m_type); // one search, the one below
            m_type->setCurrentIndex(index);
        }
        showColumns(); // the table's own columns, filter and headers
        updateKnobs();
    }
    if (const int at = m_column->findData(column); !column.isEmpty() && at >= 0 && at != m_column->currentIndex()) {
        {
            const QSignalBlocker block(m_column);
            m_column->setCurrentIndex(at);
        }
        updateKnobs();
    }
    m_lastText.clear();
    m_lastLikeKey = id;
    m_query->setText(tr("(like %1 #%2)").arg(table).arg(id));
    run();
}

void SearchPanel::run()
{
    m_debounce->stop();
    const auto pair = currentPair();
    if (!pair || (m_lastText.isEmpty() && m_lastLikeKey.isEmpty()))
        return;
    const SearchQuery query = currentQuery();
    const int generation = startTask();
    ++m_queriesSent;
    m_timings->setText(tr("searching…"));
    m_backfill->hide();
    m_task = m_session->run<SearchRun>(
        QLatin1String(Lane), this, [query](DatabaseServices &s) { return s.search(query); },
        [this, generation, version = m_dataVersion, query](Result<SearchRun> result) {
            if (generation != m_generation)
                return; // a newer search was started meanwhile
            setRunning(false);
            m_shownGeneration = generation;
            if (version == m_dataVersion)
                m_outOfDate.clear(); // read after the last change announced
            if (!result.ok()) {
                m_timings->setText(Theme::span(Tone::Error, errorText(result.error()).toHtmlEscaped()));
                m_model->setCandidates({});
                m_histogram->setSimilarities({});
                emit searchFinished(false);
                return;
            }
            const SearchOutcome &o = result.value().outcome;
            QList<double> similarities;
            for (const SearchHit &h : o.hits)
                if (!std::isnan(h.similarity))
                    similarities << h.similarity;
            m_histogram->setSimilarities(similarities);
            auto *bars = static_cast<SimilarityBarDelegate *>(m_view->itemDelegateForColumn(SearchResultModel::Similarity));
            bars->low = m_histogram->minimum();
            bars->high = m_histogram->maximum();
            m_model->setLimit(m_limit->value());
            m_model->setCandidates(o.hits);
            applyThreshold();
            m_timings->setText(tr("%6 · embed %1 ms · query %2 ms · %3 candidates · %4%5")
                                   .arg(result.value().embedMs, 0, 'f', 1)
                                   .arg(o.queryMs, 0, 'f', 1)
                                   .arg(o.hits.size())
                                   .arg(query.request.ranking == Ranking::Text ? tr("no vectors compared")
                                        : m_exact->isChecked()                 ? tr("exact")
                                        : o.indexUsed && o.halfvecDimensions > 0
                                            ? tr("halfvec index %1, ranked at full precision").arg(o.indexName)
                                        : o.indexUsed ? tr("index %1").arg(o.indexName)
                                                      : tr("no index"))
                                   .arg(result.value().provider.isEmpty() ? QString() : tr(" · ") + result.value().provider)
                                   .arg(tr("ranked by %1").arg(o.rankedBy)));
            showJudgments();
            QStringList warnings = o.warnings;
            // The pool (CandidatePool rows, for the histogram), not the limit: the index coming back
            // short of the pool but with the rows shown is no news.
            const bool poolOnly = o.refilledFrom >= m_limit->value();
            warnings.removeIf([poolOnly](const QString &w) {
                return w.startsWith(QLatin1String("asked for")) || (poolOnly && w.startsWith(QLatin1String("the index returned")));
            });
            if (!o.noVectors && m_model->rowCount() < m_limit->value())
                warnings
                    << tr("%1 of %2 rows shown: the threshold or the candidates ran out").arg(m_model->rowCount()).arg(m_limit->value());
            QString shown = warnings.isEmpty() ? QString() : QStringLiteral("⚠ ") + warnings.join(QStringLiteral("\n⚠ "));
            if (!m_outOfDate.isEmpty()) // the data changed while this search ran
                shown.prepend(QStringLiteral("⟳ ") + m_outOfDate + (shown.isEmpty() ? QString() : QStringLiteral("\n")));
            m_warnings->setText(shown);
            m_backfill->setVisible(o.noVectors);
            emit searchFinished(true);
        });
}

QComboBox *SearchPanel::judgeSetBox() const
{
    return m_grading->setBox();
}

bool SearchPanel::judgeRow(int row, int grade)
{
    const SearchHit *hit = m_model->hitAt(row);
    const bool done = m_grading->grade(SizeHistory::profileKey(m_session->profile()), m_lastText,
                                       hit ? std::optional<RowKey>(hit->key) : std::nullopt, grade);
    if (done)
        showJudgments();
    return done;
}

void SearchPanel::showJudgments()
{
    m_model->setGrades(m_grading->gradesFor(SizeHistory::profileKey(m_session->profile()), m_lastText));
}

SearchQuery SearchPanel::currentQuery() const
{
    return SearchQuery{currentRequest(), m_lastText, m_provider->currentData().toString(), true, {}};
}

void SearchPanel::setRunning(bool running)
{
    m_running = running;
    m_cancel->setEnabled(running);
}
} // namespace vwb::ui
