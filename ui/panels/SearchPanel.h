// ui/panels/SearchPanel.h
#pragma once

#include "schema/DatabaseSchema.h"
#include "search/SemanticSearch.h"
#include <QWidget>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QTableView;
class QTimer;

namespace vwb {
class AsyncConnection;
}

namespace vwb::ui {
class ConnectionController;
class SearchResultModel;
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

    SearchPanel(ConnectionController *controller, QWidget *parent = nullptr);
    ~SearchPanel() override;

    void search(const QString &text);
    /// Searches with a stored row's vector ("Find similar" from the browser).
    void searchLike(const QString &table, qint64 id);
    void setThresholdSlider(int position); // 0..1000 over the candidates' similarity range
    void runRecallCheck(int samples = 50, int k = 10);

    SearchResultModel *model() const { return m_model; }
    SimilarityHistogram *histogram() const { return m_histogram; }
    QSlider *thresholdSlider() const { return m_threshold; }
    QLabel *timings() const { return m_timings; }
    QLabel *warnings() const { return m_warnings; }
    int queriesSent() const { return m_queriesSent; }
    bool hasSchema() const { return !m_schema.pairs.isEmpty(); }

signals:
    void searchFinished(bool ok);
    void recallFinished(const QString &summary);

private:
    void onConnected();
    void run();
    void showPlan();
    void updateKnobs();
    void applyThreshold();
    SearchRequest currentRequest() const;
    std::optional<ContentPair> currentPair() const;

    ConnectionController *m_controller;
    std::unique_ptr<vwb::AsyncConnection> m_conn;
    DatabaseSchema m_schema;
    SearchResultModel *m_model = nullptr;
    SimilarityHistogram *m_histogram = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_query = nullptr;
    QComboBox *m_provider = nullptr;
    QComboBox *m_type = nullptr;
    QLineEdit *m_forum = nullptr;
    QComboBox *m_metric = nullptr;
    QSlider *m_limit = nullptr;
    QLabel *m_limitLabel = nullptr;
    QSlider *m_threshold = nullptr;
    QLabel *m_thresholdLabel = nullptr;
    QSlider *m_ef = nullptr;
    QLabel *m_efLabel = nullptr;
    QSlider *m_probes = nullptr;
    QLabel *m_probesLabel = nullptr;
    QCheckBox *m_exact = nullptr;
    QLabel *m_timings = nullptr;
    QLabel *m_warnings = nullptr;
    QTimer *m_debounce = nullptr;
    QString m_lastText;
    qint64 m_lastLikeId = 0;
    int m_generation = 0;
    int m_queriesSent = 0;
};
} // namespace vwb::ui
