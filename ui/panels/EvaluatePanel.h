// ui/panels/EvaluatePanel.h
#pragma once

#include "eval/EvalStore.h"
#include "eval/RunComparison.h"
#include "session/Session.h"
#include "widgets/RunAnalysisView.h"
#include "widgets/RunsTable.h"
#include <QWidget>
#include <atomic>
#include <optional>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;

namespace vwb::ui {
class ComparisonChart;
class ThresholdChart;

/// Search quality against analysts' judgments: the profile's judged query sets (imported from
/// TREC/BEIR files or graded in the Search panel), runs of a set through a search configuration
/// (ranking, mode, metric, knobs), their scores side by side, two runs compared query by query
/// with a significance test, and the precision/recall/F1 of a similarity threshold with the one
/// to use — which the Search panel can take.
class EvaluatePanel : public QWidget
{
    Q_OBJECT
public:
    explicit EvaluatePanel(vwb::Session *session, QWidget *parent = nullptr);
    ~EvaluatePanel() override;

    /// Stores the files as a set named `name` for this profile; an error text, empty on success.
    QString importSet(const QString &name, const QString &queriesFile, const QString &judgmentsFile, bool replace = false);
    void selectSet(const QString &name);
    /// Loads an evaluation corpus (JSON Lines or CSV) into the table chosen in the form: with
    /// `dryRun` every row is checked and nothing written; corpusImported() tells how it went.
    void loadCorpus(const QString &contentFile, const QString &vectorFile, bool dryRun);
    /// Runs the chosen set through `config` (or the configuration the form shows), stores the run.
    void startRun(const vwb::EvalConfig &config);
    void startRun();
    vwb::EvalConfig formConfig() const;
    /// Runs the set through `a`, then `b`, then compares them (configsCompared() tells how).
    void compareConfigs(const vwb::EvalConfig &a, const vwb::EvalConfig &b);
    /// The table and column choices again (the schema or the column in use changed).
    void showColumns();
    /// Compares run B against run A in the comparison tab (nullopt: a run or the set is gone).
    std::optional<vwb::Comparison> compare(qint64 runA, qint64 runB);
    /// The threshold curve of a run in the threshold tab.
    void showThreshold(qint64 run);

    RunsTable *runsTable() const { return m_runs; }
    QLabel *status() const { return m_status; }
    RunAnalysisView *analysis() const { return m_analysis; }
    QLabel *comparisonSummary() const { return m_analysis->comparisonSummary(); }
    QLabel *thresholdSummary() const { return m_analysis->thresholdSummary(); }
    ComparisonChart *comparisonChart() const { return m_analysis->comparisonChart(); }
    ThresholdChart *thresholdChart() const { return m_analysis->thresholdChart(); }
    QPushButton *useThresholdButton() const { return m_analysis->useThresholdButton(); }
    QComboBox *rankingBox() const { return m_ranking; }
    QComboBox *modeBox() const { return m_mode; }
    bool isRunning() const { return m_task != 0; }

signals:
    void runFinished(bool ok);
    void corpusImported(bool ok, bool dryRun, const QString &message);
    /// "Use in Search": the threshold recommended for the run shown.
    void thresholdChosen(double similarity);
    /// compareConfigs() ended: the comparison's summary and B − A on the panel's metric, or why
    /// it stopped (delta NaN).
    void configsCompared(bool ok, const QString &summary, double delta);
    /// "Change model…": the guided model change was asked for.
    void modelChangeRequested();

private:
    QString profileKey() const;
    void showSets();
    void showRuns();
    void onRunFinished(bool ok);
    void followColumn();
    void importFromFiles();
    void loadCorpusFromFiles();
    void exportToFiles();
    void setRunning(bool running);

    vwb::Session *m_session;
    vwb::EvalStore m_store;
    vwb::Session::TaskId m_task = 0;
    QComboBox *m_set = nullptr;
    QLabel *m_setInfo = nullptr;
    QComboBox *m_type = nullptr;
    QComboBox *m_column = nullptr;
    QComboBox *m_ranking = nullptr;
    QComboBox *m_mode = nullptr;
    QComboBox *m_provider = nullptr;
    QComboBox *m_metric = nullptr;
    QCheckBox *m_exact = nullptr;
    QSpinBox *m_ef = nullptr;
    QSpinBox *m_limit = nullptr;
    QSpinBox *m_k = nullptr;
    QLineEdit *m_collapse = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QTimer *m_progressTimer = nullptr;
    std::shared_ptr<std::atomic<int>> m_done;
    QLabel *m_status = nullptr;
    RunsTable *m_runs = nullptr;
    QComboBox *m_compareMetric = nullptr;
    RunAnalysisView *m_analysis = nullptr;
    bool m_askToLoad = false;                 // Load corpus…: the dry run running asks whether to load
    QList<qint64> m_compared;                 // the runs the comparison tab shows
    qint64 m_lastRun = 0;                     // the run stored last
    std::optional<vwb::EvalConfig> m_pending; // compareConfigs(): the second configuration, to run next
    qint64 m_firstRun = 0;                    // compareConfigs(): the first run, once stored
};
} // namespace vwb::ui
