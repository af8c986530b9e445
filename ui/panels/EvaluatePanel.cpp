// ui/panels/EvaluatePanel.cpp
#include "panels/EvaluatePanel.h"

#include "connection/ConnectionProfile.h"
#include "data/CorpusImport.h"
#include "embeddings/ColumnStatus.h"
#include "embeddings/ProviderSettings.h"
#include "eval/EvalRunner.h"
#include "metrics/SizeHistory.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/PairBox.h"
#include "widgets/ProviderBox.h"
#include "widgets/RunAnalysisView.h"
#include "widgets/RunsTable.h"
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>
#include <utility>

namespace vwb::ui {
namespace {
constexpr auto Lane = "eval";
} // namespace

EvaluatePanel::EvaluatePanel(Session *session, QWidget *parent) : QWidget(parent), m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    auto *sets = new QHBoxLayout;
    m_set = new QComboBox;
    m_set->setMinimumWidth(160);
    auto *importButton = new QPushButton(tr("Import…"));
    importButton->setToolTip(tr("Queries (JSONL or TSV: id, text, title) and judgments (TSV: query_id, doc_id, grade; or TREC qrels)"));
    auto *exportButton = new QPushButton(tr("Export…"));
    exportButton->setToolTip(tr("Write the set back as a queries JSONL and a judgments TSV"));
    auto *corpusButton = new QPushButton(tr("Load corpus…"));
    corpusButton->setToolTip(tr("Load the documents a set judges (JSON Lines or CSV, with their ids, and optionally their "
                                "vectors) into the table chosen below: checked first, all or nothing"));
    auto *modelButton = new QPushButton(tr("Change model…"));
    modelButton->setToolTip(tr("A new embedding model, step by step: add its column, fill it, compare it with the column in use "
                               "on a judged set, switch"));
    connect(modelButton, &QPushButton::clicked, this, &EvaluatePanel::modelChangeRequested);
    m_setInfo = new QLabel;
    m_setInfo->setWordWrap(true);
    m_setInfo->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    sets->addWidget(new QLabel(tr("Query set")));
    sets->addWidget(m_set);
    sets->addWidget(importButton);
    sets->addWidget(exportButton);
    sets->addWidget(corpusButton);
    sets->addWidget(modelButton);
    sets->addWidget(m_setInfo, 1);
    layout->addLayout(sets);

    auto *form = new QGridLayout;
    m_type = new QComboBox;
    m_column = new QComboBox;
    m_column->setObjectName(QStringLiteral("evaluateColumn"));
    m_column->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon); // a long name never widens the form
    m_column->setMinimumContentsLength(16);
    m_column->setToolTip(tr("The vector column searched: a table may hold the vectors of two models side by side"));
    m_ranking = new QComboBox;
    m_ranking->addItem(tr("vector similarity"), int(Ranking::Vector));
    m_ranking->addItem(tr("full text"), int(Ranking::Text));
    m_ranking->addItem(tr("hybrid (rank fusion)"), int(Ranking::Hybrid));
    m_mode = new QComboBox;
    m_mode->addItem(tr("re-rank judged candidates"), int(EvalMode::Rerank));
    m_mode->addItem(tr("full retrieval"), int(EvalMode::Full));
    m_mode->setToolTip(tr("Re-ranking orders only each query's judged documents (every result is judged); full retrieval "
                          "searches the whole table (results nobody judged are shown as unjudged)"));
    m_provider = new QComboBox;
    m_provider->setObjectName(QStringLiteral("evaluateProvider"));
    fillProviderBox(m_provider);
    m_metric = new QComboBox;
    m_metric->addItem(tr("index's metric"), -1);
    for (SearchMetric m : {SearchMetric::Cosine, SearchMetric::L2, SearchMetric::InnerProduct})
        m_metric->addItem(QLatin1String(metricInfo(m).name), int(m));
    m_exact = new QCheckBox(tr("exact"));
    m_ef = new QSpinBox;
    m_ef->setRange(0, 1000);
    m_ef->setSpecialValueText(tr("default"));
    m_ef->setToolTip(tr("hnsw.ef_search (0: the server's default)"));
    m_limit = new QSpinBox;
    m_limit->setRange(1, 10000);
    m_limit->setValue(100);
    m_limit->setToolTip(tr("Full retrieval: results per query (MAP reads them all)"));
    m_k = new QSpinBox;
    m_k->setRange(1, 1000);
    m_k->setValue(10);
    m_k->setToolTip(tr("The cut-off of P@k, R@k and nDCG@k"));
    m_collapse = new QLineEdit;
    m_collapse->setPlaceholderText(tr("metadata key"));
    m_collapse->setToolTip(tr("Documents whose metadata has the same value of this key are one (text_sha1 in the Qatar Living set)"));
    m_collapse->setMaximumWidth(120);
    for (QSpinBox *spin : {m_ef, m_limit, m_k})
        spin->setMaximumWidth(90);
    m_run = new QPushButton(tr("Run"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setEnabled(false);
    m_progress = new QProgressBar;
    m_progress->setMaximumWidth(160);
    m_progress->setVisible(false);
    const QList<std::pair<QString, QWidget *>> fields{
        {tr("table"), m_type},        {tr("column"), m_column},       {tr("ranking"), m_ranking}, {tr("mode"), m_mode},
        {tr("provider"), m_provider}, {tr("metric"), m_metric},       {tr("ef_search"), m_ef},    {tr("limit"), m_limit},
        {tr("metrics at k"), m_k},    {tr("collapse by"), m_collapse}};
    for (int i = 0; i < fields.size(); ++i) {
        form->addWidget(new QLabel(fields.at(i).first), i / 4, (i % 4) * 2); // four to a row: the form fits 1280 px with room
        form->addWidget(fields.at(i).second, i / 4, (i % 4) * 2 + 1);
    }
    form->addWidget(m_exact, 2, 5);
    form->setColumnStretch(8, 1);
    layout->addLayout(form);
    // The status line carries the buttons and the progress: nothing appearing widens the window.
    auto *statusRow = new QHBoxLayout;
    m_status = new QLabel;
    m_status->setWordWrap(true);
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusRow->addWidget(m_run);
    statusRow->addWidget(m_cancel);
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_status, 1);
    layout->addLayout(statusRow);

    auto *split = new QSplitter(Qt::Vertical);
    split->setObjectName(QStringLiteral("evaluateSplitter")); // its sizes are kept (WindowLayout)
    auto *runsBox = new QWidget;
    auto *runsLayout = new QVBoxLayout(runsBox);
    runsLayout->setContentsMargins(0, 0, 0, 0);
    m_runs = new RunsTable;
    runsLayout->addWidget(m_runs);
    auto *runActions = new QHBoxLayout;
    auto *compareButton = new QPushButton(tr("Compare the two selected"));
    compareButton->setToolTip(tr("B (the newer) against A, query by query"));
    auto *baselineButton = new QPushButton(tr("Mark as baseline"));
    auto *thresholdButton = new QPushButton(tr("Threshold curve"));
    auto *deleteButton = new QPushButton(tr("Delete run"));
    m_compareMetric = new QComboBox;
    for (EvalMetric m :
         {EvalMetric::AveragePrecision, EvalMetric::Ndcg, EvalMetric::PrecisionAtK, EvalMetric::RecallAtK, EvalMetric::ReciprocalRank})
        m_compareMetric->addItem(evalMetricName(m, 10).replace(QStringLiteral("10"), QStringLiteral("k")), int(m));
    for (QWidget *w : std::initializer_list<QWidget *>{compareButton, m_compareMetric, baselineButton, thresholdButton, deleteButton})
        runActions->addWidget(w);
    runActions->addStretch(1);
    runsLayout->addLayout(runActions);
    split->addWidget(runsBox);

    m_analysis = new RunAnalysisView;
    split->addWidget(m_analysis);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({240, 360});
    layout->addWidget(split, 1);

    m_progressTimer = new QTimer(this);
    m_progressTimer->setInterval(100);
    connect(m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_done)
            m_progress->setValue(m_done->load());
    });
    connect(importButton, &QPushButton::clicked, this, &EvaluatePanel::importFromFiles);
    connect(exportButton, &QPushButton::clicked, this, &EvaluatePanel::exportToFiles);
    connect(corpusButton, &QPushButton::clicked, this, &EvaluatePanel::loadCorpusFromFiles);
    connect(m_set, &QComboBox::currentIndexChanged, this, &EvaluatePanel::showRuns);
    connect(m_run, &QPushButton::clicked, this, qOverload<>(&EvaluatePanel::startRun));
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_session->cancel(m_task); });
    connect(compareButton, &QPushButton::clicked, this, [this] {
        const QList<qint64> runs = m_runs->selectedRuns();
        if (runs.size() != 2) {
            m_status->setText(tr("Select exactly two runs to compare (Ctrl+click)"));
            return;
        }
        compare(qMin(runs.at(0), runs.at(1)), qMax(runs.at(0), runs.at(1)));
    });
    connect(m_compareMetric, &QComboBox::currentIndexChanged, this, [this] {
        if (m_compared.size() == 2)
            compare(m_compared.at(0), m_compared.at(1));
    });
    connect(baselineButton, &QPushButton::clicked, this, [this] {
        const QList<qint64> runs = m_runs->selectedRuns();
        if (runs.size() != 1)
            return m_status->setText(tr("Select one run to mark as the baseline"));
        auto done = m_store.setBaseline(profileKey(), m_set->currentText(), runs.first());
        m_status->setText(done.ok() ? tr("Run %1 is the baseline: vwb eval drift compares later runs with it").arg(runs.first())
                                    : errorText(done.error()));
        showRuns();
    });
    connect(thresholdButton, &QPushButton::clicked, this, [this] {
        const QList<qint64> runs = m_runs->selectedRuns();
        if (runs.size() != 1)
            return m_status->setText(tr("Select one run to draw its threshold curve"));
        showThreshold(runs.first());
    });
    connect(deleteButton, &QPushButton::clicked, this, [this] {
        for (qint64 run : m_runs->selectedRuns())
            if (auto done = m_store.deleteRun(profileKey(), m_set->currentText(), run); !done.ok())
                m_status->setText(errorText(done.error()));
        showRuns();
    });
    connect(m_analysis, &RunAnalysisView::thresholdChosen, this, &EvaluatePanel::thresholdChosen);
    connect(m_session, &Session::connected, this, [this] {
        selectProvider(m_provider, m_session->providerName());
        fillPairBox(m_type, m_session->schema(), true);
        showColumns();
        showSets();
    });
    connect(m_session, &Session::schemaChanged, this, [this] {
        const QString chosen = m_column->currentText(); // a column added or dropped elsewhere: the choice stays
        fillPairBox(m_type, m_session->schema(), true);
        const QSignalBlocker block(m_provider);
        const int provider = m_provider->currentIndex();
        showColumns();
        if (const int kept = m_column->findText(chosen); kept >= 0 && kept != m_column->currentIndex()) {
            m_column->setCurrentIndex(kept);
            m_provider->setCurrentIndex(provider);
        }
    });
    connect(m_type, &QComboBox::currentIndexChanged, this, &EvaluatePanel::showColumns);
    connect(m_column, &QComboBox::activated, this, &EvaluatePanel::followColumn);
    connect(m_session, &Session::disconnected, this, [this] {
        setRunning(false);
        m_set->clear();
        m_runs->clearRuns();
        m_status->clear();
    });
    connect(this, &EvaluatePanel::runFinished, this, &EvaluatePanel::onRunFinished);
    if (m_session->isConnected()) {
        selectProvider(m_provider, m_session->providerName());
        fillPairBox(m_type, m_session->schema(), true);
        showColumns();
        showSets();
    }
}

EvaluatePanel::~EvaluatePanel() = default;

QString EvaluatePanel::profileKey() const
{
    return SizeHistory::profileKey(m_session->profile());
}

void EvaluatePanel::showSets()
{
    const QString current = m_set->currentText();
    auto sets = m_store.sets(profileKey());
    {
        const QSignalBlocker block(m_set);
        m_set->clear();
        for (const SetSummary &s : sets.ok() ? sets.value() : QList<SetSummary>{})
            m_set->addItem(s.name);
        m_set->setCurrentIndex(qMax(0, m_set->findText(current)));
    }
    if (!sets.ok())
        m_status->setText(errorText(sets.error()));
    else if (sets.value().isEmpty())
        m_setInfo->setText(tr("No query sets for this profile yet: import judged queries, or grade search results in the Search "
                              "panel."));
    showRuns();
}

void EvaluatePanel::selectSet(const QString &name)
{
    showSets();
    m_set->setCurrentIndex(m_set->findText(name));
}

void EvaluatePanel::showRuns()
{
    m_runs->clearRuns();
    const QString set = m_set->currentText();
    if (set.isEmpty())
        return;
    auto loaded = m_store.loadSet(profileKey(), set);
    auto summaries = m_store.runs(profileKey(), set);
    if (!loaded.ok() || !summaries.ok())
        return m_status->setText(errorText(loaded.ok() ? summaries.error() : loaded.error()));
    int judged = 0, withRelevant = 0;
    for (const Judgments &j : loaded.value().judgments) {
        judged += int(j.size());
        withRelevant += std::any_of(j.cbegin(), j.cend(), [](int g) { return g >= 1; }) ? 1 : 0;
    }
    const auto count = [](qsizetype n, const QString &one, const QString &many) {
        return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
    };
    m_setInfo->setText(tr("%1, %2; %3 with a relevant document (the others are reported apart)")
                           .arg(count(loaded.value().queries.size(), tr("query"), tr("queries")),
                                count(judged, tr("judgment"), tr("judgments")), QString::number(withRelevant)));
    MetricOptions options;
    options.k = m_k->value();
    for (const RunSummary &s : summaries.value())
        if (auto run = m_store.loadRun(profileKey(), set, QString::number(s.id)); run.ok())
            m_runs->addRun(s, scoreRun(run.value(), loaded.value(), options).mean.mean);
    m_runs->setCutoff(options.k);
}

QString EvaluatePanel::importSet(const QString &name, const QString &queriesFile, const QString &judgmentsFile, bool replace)
{
    auto set = QuerySet::read(queriesFile, judgmentsFile);
    if (!set.ok())
        return errorText(set.error());
    int top = 2;
    for (const Judgments &j : set.value().judgments)
        for (int grade : j)
            top = qMax(top, grade);
    if (auto saved = m_store.saveSet(profileKey(), name, set.value(), top, replace); !saved.ok())
        return errorText(saved.error());
    selectSet(name);
    m_status->setText(tr("Imported \"%1\": %2 queries").arg(name).arg(set.value().queries.size()));
    return {};
}

void EvaluatePanel::importFromFiles()
{
    const QString queries = QFileDialog::getOpenFileName(this, tr("Queries (JSONL or TSV)"), {},
                                                         tr("Queries (*.jsonl *.tsv *.txt);;All files (*)"));
    if (queries.isEmpty())
        return;
    const QString judgments = QFileDialog::getOpenFileName(this, tr("Judgments (TSV or TREC qrels)"), {},
                                                           tr("Judgments (*.tsv *.txt *.qrels);;All files (*)"));
    if (judgments.isEmpty())
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Import a query set"), tr("Name of the set:"), QLineEdit::Normal,
                                               QFileInfo(judgments).completeBaseName(), &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    const bool exists = m_set->findText(name.trimmed()) >= 0;
    if (exists
        && QMessageBox::question(this, tr("Replace the set?"), tr("\"%1\" exists. Replace it? Its runs are deleted.").arg(name))
               != QMessageBox::Yes)
        return;
    if (const QString error = importSet(name.trimmed(), queries, judgments, exists); !error.isEmpty())
        m_status->setText(error);
}

void EvaluatePanel::exportToFiles()
{
    const QString set = m_set->currentText();
    if (set.isEmpty())
        return;
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for %1-queries.jsonl and %1-judgments.tsv").arg(set));
    if (folder.isEmpty())
        return;
    auto loaded = m_store.loadSet(profileKey(), set);
    if (!loaded.ok())
        return m_status->setText(errorText(loaded.error()));
    const QString queries = folder + QStringLiteral("/%1-queries.jsonl").arg(set),
                  judgments = folder + QStringLiteral("/%1-judgments.tsv").arg(set);
    auto q = loaded.value().writeQueries(queries);
    auto j = q.ok() ? loaded.value().writeJudgments(judgments) : q;
    m_status->setText(j.ok() ? tr("Wrote %1 and %2").arg(queries, judgments) : errorText(j.error()));
}

void EvaluatePanel::loadCorpusFromFiles()
{
    const QString content = QFileDialog::getOpenFileName(this, tr("Documents to load (their ids are kept)"), {},
                                                         tr("Corpus (*.jsonl *.jsonl.gz *.csv);;All files (*)"));
    if (content.isEmpty())
        return;
    const QString vectors = QFileDialog::getOpenFileName(this, tr("Their vectors (optional: cancel to backfill them later)"), {},
                                                         tr("Vectors (*.jsonl *.jsonl.gz *.csv);;All files (*)"));
    m_askToLoad = true; // a dry run first; its answer asks before anything is written
    loadCorpus(content, vectors, true);
}

void EvaluatePanel::loadCorpus(const QString &contentFile, const QString &vectorFile, bool dryRun)
{
    const auto pair = m_session->schema().find(m_type->currentData().toString());
    if (!pair) {
        m_status->setText(tr("Connect to a database with a content table first"));
        emit corpusImported(false, dryRun, m_status->text());
        return;
    }
    if (!dryRun && !m_session->writesAllowed()) {
        m_status->setText(tr("This production profile is read-only in this session: unlock writes to load a corpus"));
        emit corpusImported(false, dryRun, m_status->text());
        return;
    }
    m_done = std::make_shared<std::atomic<int>>(0);
    m_progress->setRange(0, 0); // rows unknown until the files are read
    setRunning(true);
    m_status->setText(dryRun ? tr("Checking %1…").arg(QFileInfo(contentFile).fileName())
                             : tr("Loading %1…").arg(QFileInfo(contentFile).fileName()));
    const ContentPair target = *pair;
    m_task = m_session->runOnServer<ImportReport>(
        QLatin1String(Lane), this,
        [target, request = ImportRequest{contentFile, vectorFile, dryRun, [done = m_done](qint64 rows) { done->store(int(rows)); }, {}}](
            PgConnection &conn) { return importCorpus(conn, target, request); },
        [this, target, dryRun, contentFile, vectorFile](Result<ImportReport> report) {
            setRunning(false);
            if (!report.ok()) {
                m_askToLoad = false;
                m_status->setText(tr("Nothing loaded: %1").arg(errorText(report.error())));
                emit corpusImported(false, dryRun, m_status->text());
                return;
            }
            const ImportReport &r = report.value();
            m_status->setText(tr("%1 %2 rows into %3 and %4 vectors into %5")
                                  .arg(dryRun ? tr("Checked: every row is fine. It would load") : tr("Loaded"))
                                  .arg(r.contentRows)
                                  .arg(target.content.display())
                                  .arg(r.vectorRows)
                                  .arg(target.vectors.display()));
            if (!dryRun) {
                m_session->announce({DataChange::Kind::Rows, target.content.display()});
                if (r.vectorRows > 0)
                    m_session->announce({DataChange::Kind::Vectors, target.vectors.display()});
            }
            emit corpusImported(true, dryRun, m_status->text());
            if (dryRun && std::exchange(m_askToLoad, false)
                && QMessageBox::question(this, tr("Load the corpus?"), m_status->text() + tr("\n\nLoad it now, in one transaction?"))
                       == QMessageBox::Yes)
                loadCorpus(contentFile, vectorFile, false);
        });
}

void EvaluatePanel::showColumns()
{
    const QSignalBlocker block(m_column);
    m_column->clear();
    const auto pair = m_session->schema().find(m_type->currentData().toString());
    for (const VectorColumn &c : pair ? pair->columns : QList<VectorColumn>{})
        m_column->addItem(c.name, c.dimensions);
    m_column->setEnabled(m_column->count() > 1);
    // The column the workbench searches with, and its provider: what a run is compared against.
    const auto use = pair ? loadColumnInUse(ProviderSettings::defaultPath(), m_session->profile(), *pair) : std::nullopt;
    if (use)
        m_column->setCurrentIndex(qMax(0, m_column->findText(use->column)));
    selectProvider(m_provider, use ? use->provider : m_session->providerName());
}

void EvaluatePanel::followColumn()
{
    // A column picked by hand is queried by the provider that filled it, when the record says.
    const auto pair = m_session->schema().find(m_type->currentData().toString());
    if (!pair || m_column->count() == 0)
        return;
    const QString provider = recordedProviderOf(m_session->profile(), *pair, m_column->currentText(), EmbeddingSources::defaultPath());
    if (!provider.isEmpty())
        selectProvider(m_provider, provider);
}

EvalConfig EvaluatePanel::formConfig() const
{
    EvalConfig c;
    c.type = m_type->currentData().toString();
    c.column = m_column->currentIndex() > 0 ? m_column->currentText() : QString();
    c.ranking = Ranking(m_ranking->currentData().toInt());
    c.mode = EvalMode(m_mode->currentData().toInt());
    c.provider = m_provider->currentData().toString();
    if (m_metric->currentData().toInt() >= 0)
        c.metric = SearchMetric(m_metric->currentData().toInt());
    c.exact = m_exact->isChecked();
    c.efSearch = m_ef->value();
    c.limit = m_limit->value();
    c.collapseKey = m_collapse->text().trimmed();
    return c;
}

void EvaluatePanel::startRun()
{
    if (m_pending || m_firstRun != 0) { // between the two runs of compareConfigs()
        m_status->setText(tr("Two columns are being compared: wait for it, or cancel it"));
        return;
    }
    startRun(formConfig());
}

void EvaluatePanel::startRun(const EvalConfig &config)
{
    const QString setName = m_set->currentText();
    auto set = m_store.loadSet(profileKey(), setName);
    if (!set.ok()) {
        m_status->setText(setName.isEmpty() ? tr("Import a query set first") : errorText(set.error()));
        emit runFinished(false);
        return;
    }
    if (auto valid = config.validate(); !valid.ok()) {
        m_status->setText(errorText(valid.error()));
        emit runFinished(false);
        return;
    }
    m_done = std::make_shared<std::atomic<int>>(0);
    m_progress->setRange(0, int(set.value().queries.size()));
    m_progress->setValue(0);
    setRunning(true);
    m_status->setText(tr("Running %1 queries: %2…").arg(set.value().queries.size()).arg(config.summary()));
    const QuerySet queries = set.value();
    m_task = m_session->runOnServer<EvalRun>(
        QLatin1String(Lane), this,
        [queries, config, done = m_done](PgConnection &conn) {
            EvalProgress progress;
            progress.step = [done](int n, int) { done->store(n); };
            return runEvaluation(conn, queries, config, progress);
        },
        [this, setName, queries](Result<EvalRun> result) {
            setRunning(false);
            if (!result.ok()) {
                m_status->setText(result.error().isCanceled() ? tr("Run canceled: nothing stored") : errorText(result.error()));
                emit runFinished(false);
                return;
            }
            EvalRun run = result.value();
            if (auto saved = m_store.saveRun(profileKey(), setName, run); !saved.ok()) {
                m_status->setText(errorText(saved.error()));
                emit runFinished(false);
                return;
            }
            MetricOptions options;
            options.k = m_k->value();
            const ScoredRun scored = scoreRun(run, queries, options);
            m_status->setText(
                tr("Run %1: MAP %2, nDCG@%3 %4 over %5 queries (%6 without a relevant document apart, %7 failed) in %8 ms%9")
                    .arg(run.id)
                    .arg(scored.mean.mean.averagePrecision, 0, 'f', 4)
                    .arg(options.k)
                    .arg(scored.mean.mean.ndcgAtK, 0, 'f', 4)
                    .arg(scored.mean.queries)
                    .arg(scored.mean.withoutRelevant)
                    .arg(scored.failed)
                    .arg(run.totalMs, 0, 'f', 0)
                    .arg(run.warnings.isEmpty() ? QString() : QStringLiteral(" · ⚠ ") + run.warnings.join(QStringLiteral(" · "))));
            m_lastRun = run.id;
            showRuns();
            m_runs->selectRun(run.id); // the new run, selected and in sight
            emit runFinished(true);
        });
}

void EvaluatePanel::compareConfigs(const EvalConfig &a, const EvalConfig &b)
{
    if (isRunning() || m_pending || m_firstRun != 0) {
        emit configsCompared(false, tr("A run is going in the Evaluate panel: wait for it, or cancel it, then evaluate again"), qQNaN());
        return;
    }
    m_pending = b;
    m_firstRun = 0;
    startRun(a);
}

void EvaluatePanel::onRunFinished(bool ok)
{
    if (!m_pending && m_firstRun == 0)
        return; // a run of its own, not half of compareConfigs()
    if (!ok) {
        m_pending.reset();
        m_firstRun = 0;
        emit configsCompared(false, m_status->text(), qQNaN());
        return;
    }
    if (m_pending) {
        m_firstRun = m_lastRun;
        const EvalConfig second = *std::exchange(m_pending, std::nullopt);
        QTimer::singleShot(0, this, [this, second] { startRun(second); }); // after this run's own handlers
        return;
    }
    const qint64 first = std::exchange(m_firstRun, 0);
    const auto c = compare(first, m_lastRun);
    emit configsCompared(c.has_value(), c ? comparisonSummary()->text() : m_status->text(), c ? c->delta() : qQNaN());
}

void EvaluatePanel::setRunning(bool running)
{
    if (!running)
        m_task = 0;
    m_run->setEnabled(!running);
    m_set->setEnabled(!running); // a run and its comparison are of one set
    m_cancel->setEnabled(running);
    m_progress->setVisible(running);
    running ? m_progressTimer->start() : m_progressTimer->stop();
}


std::optional<Comparison> EvaluatePanel::compare(qint64 runA, qint64 runB)
{
    const QString set = m_set->currentText();
    auto loaded = m_store.loadSet(profileKey(), set);
    auto a = m_store.loadRun(profileKey(), set, QString::number(runA));
    auto b = m_store.loadRun(profileKey(), set, QString::number(runB));
    if (!loaded.ok() || !a.ok() || !b.ok()) {
        m_status->setText(errorText(!loaded.ok() ? loaded.error() : !a.ok() ? a.error() : b.error()));
        return std::nullopt;
    }
    MetricOptions options;
    options.k = m_k->value();
    const EvalMetric metric = EvalMetric(m_compareMetric->currentData().toInt());
    const Comparison c = compareRuns(scoreRun(a.value(), loaded.value(), options), scoreRun(b.value(), loaded.value(), options), metric);
    m_compared = {runA, runB};
    m_analysis->showComparison(c, evalMetricName(metric, options.k), runA, a.value().config.summary(), runB, b.value().config.summary());
    return c;
}

void EvaluatePanel::showThreshold(qint64 runId)
{
    const QString set = m_set->currentText();
    auto loaded = m_store.loadSet(profileKey(), set);
    auto run = m_store.loadRun(profileKey(), set, QString::number(runId));
    if (!loaded.ok() || !run.ok())
        return m_status->setText(errorText(!loaded.ok() ? loaded.error() : run.error()));
    m_analysis->showCurve(thresholdCurve(run.value(), loaded.value(), 1), runId);
}
} // namespace vwb::ui
