// ui/panels/SearchPanel.h
#pragma once

#include "core/DataChange.h"
#include "search/SearchService.h"
#include "session/Session.h"
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDialog;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QTableView;
class QTimer;

namespace vwb::ui {
class ProviderDialog;
class SearchResultModel;
class GradingBar;
class SimilarityHistogram;

/// Semantic search with every knob in sight: provider, metric, limit, a threshold that filters
/// the fetched candidates on the client while it is dragged, ef_search / probes when the column
/// has such an index, exact mode, timings, warnings, the plan of the SQL that ran, and a recall
/// check of the index against exact search.
class SearchPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int CandidatePool = 200; // fetched per search; the threshold filters these

    explicit SearchPanel(vwb::Session *session, QWidget *parent = nullptr);
    ~SearchPanel() override;

    void search(const QString &text);
    /// Searches with a stored row's vector ("Find similar" from the browser), in `column` when
    /// given (the one Browse shows), else the table's column in use.
    void searchLike(const QString &table, const vwb::RowKey &key, const QString &column = {});
    void setThresholdSlider(int position); // 0..1000 over the candidates' similarity range
    /// Keeps results of at least this similarity (NaN: off), in this and every later search: the
    /// value stays, the slider moves to where it falls among each search's candidates.
    void setThresholdValue(double similarity);
    double thresholdValue() const { return m_thresholdValue; }
    /// What searches start with (Settings): a metric key ("" = what the column's index serves,
    /// "l2", "cosine", "ip"), a result count and a minimum similarity (0: off).
    void applyDefaults(const QString &metric, int limit, double threshold);
    /// Opens the embedding provider dialog of the connected profile, sized to the column searched.
    ProviderDialog *configureProvider();
    QComboBox *metricBox() const { return m_metric; }
    QSlider *limitSlider() const { return m_limit; }
    /// Grades the result in `row` for the current query text into the query set named in the
    /// panel (0 = not relevant); the grade shows in the Judged column.
    bool judgeRow(int row, int grade);
    QComboBox *rankingBox() const { return m_ranking; }
    QComboBox *columnBox() const { return m_column; }
    QComboBox *providerBox() const { return m_provider; }
    /// Takes the column (and its provider) the workbench was switched to for the table shown.
    void useColumnInUse();
    QComboBox *judgeSetBox() const;
    void runRecallCheck(int samples = 50, int k = 10);
    /// Sweeps the index's ef_search or probes (RecallSweep), keeps the cheapest setting that
    /// meets `target`, moves the knobs to it and shows the curve (sweepShown).
    void runSweep(int samples = 30, int k = 10, double target = 0.95);
    QSlider *efSlider() const { return m_ef; }
    QCheckBox *iterativeBox() const { return m_iterative; }

    SearchResultModel *model() const { return m_model; }
    QTableView *resultsView() const { return m_view; }
    QLineEdit *queryEdit() const { return m_query; }
    /// Picks the table searched ("topics", "public.posts"); false when there is none such.
    bool selectTable(const QString &table);
    SimilarityHistogram *histogram() const { return m_histogram; }
    QSlider *thresholdSlider() const { return m_threshold; }
    QLabel *timings() const { return m_timings; }
    QLabel *warnings() const { return m_warnings; }
    int queriesSent() const { return m_queriesSent; }
    bool hasSchema() const;
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *backfillButton() const { return m_backfill; }
    bool isRunning() const { return m_running; }

signals:
    void searchFinished(bool ok);
    void recallFinished(const QString &summary);
    void planShown(QDialog *dialog);
    void sweepShown(QDialog *dialog);
    /// The table searched has no vectors: the user asked to backfill it (a content table's display name).
    void backfillRequested(const QString &table);
    /// A result was opened (double-click, Return): its record, in the content table `table`.
    void recordRequested(const QString &table, const vwb::RowKey &key);

private:
    static constexpr auto Lane = "search"; // its connection: searches, plans, recall checks
    void onConnected();
    void showSchema();
    void showColumns();
    void markOutOfDate(const vwb::DataChange &change);
    void setRunning(bool running);
    int startTask(); // cancels the task running, returns the new generation
    vwb::SearchQuery currentQuery() const;
    void run();
    void showPlan();
    void updateKnobs();
    /// The knobs at the setting a sweep kept for the index searched, if any (else as they are).
    void applyTunedKnobs();
    void applyThreshold();
    void onThresholdMoved(int position);
    void showJudgments();
    SearchRequest currentRequest() const;
    std::optional<ContentPair> currentPair() const;
    /// The metric the searched column's (last) valid ANN index serves, if any.
    std::optional<vwb::SearchMetric> indexMetric() const;

    vwb::Session *m_session;
    vwb::Session::TaskId m_task = 0;
    SearchResultModel *m_model = nullptr;
    SimilarityHistogram *m_histogram = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_query = nullptr;
    QComboBox *m_provider = nullptr;
    QComboBox *m_type = nullptr;
    QComboBox *m_column = nullptr; // the vector column searched
    QLineEdit *m_forum = nullptr;
    QComboBox *m_metric = nullptr;
    QString m_preferredMetric; // Settings' choice; empty: what the column's index serves
    QSlider *m_limit = nullptr;
    QLabel *m_limitLabel = nullptr;
    QSlider *m_threshold = nullptr;
    QLabel *m_thresholdLabel = nullptr;
    QSlider *m_ef = nullptr;
    QLabel *m_efLabel = nullptr;
    QSlider *m_probes = nullptr;
    QLabel *m_probesLabel = nullptr;
    QCheckBox *m_exact = nullptr;
    QCheckBox *m_iterative = nullptr; // pgvector 0.8 iterative index scans
    QComboBox *m_ranking = nullptr;
    GradingBar *m_grading = nullptr;
    double m_thresholdValue = qQNaN();
    QPushButton *m_cancel = nullptr;
    QLabel *m_timings = nullptr;
    QLabel *m_warnings = nullptr;
    QPushButton *m_backfill = nullptr; // shown when the searched column holds no vector
    QTimer *m_debounce = nullptr;
    QString m_lastText;
    vwb::RowKey m_lastLikeKey;
    int m_generation = 0;
    int m_queriesSent = 0;
    bool m_running = false;
    int m_dataVersion = 0;     // data changes announced for the pair searched
    int m_shownGeneration = 0; // the search whose results are shown; 0: none
    QString m_outOfDate;       // why the results shown may be stale; empty when they are current
};
} // namespace vwb::ui
