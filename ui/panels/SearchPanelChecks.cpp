// ui/panels/SearchPanelChecks.cpp — the Search panel's checks of its index: the plan of the search
// SQL, recall against exact search, and the recall/latency sweep that tunes ef_search or probes.
#include "panels/SearchPanel.h"

#include "dialogs/RecallSweepDialog.h"
#include "metrics/SizeHistory.h"
#include "plan/PlanHints.h"
#include "search/SearchTuning.h"
#include "services/DatabaseServices.h"
#include "session/Session.h"
#include "widgets/ErrorDisplay.h"
#include "widgets/PlanView.h"
#include <QCheckBox>
#include <QDialog>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>

namespace vwb::ui {

void SearchPanel::showPlan()
{
    const SearchQuery query = currentQuery();
    if (query.request.pair.columns.isEmpty() || (query.text.isEmpty() && query.request.likeKey.isEmpty()))
        return;
    ExplainOptions options;
    options.analyze = true;
    m_timings->setText(tr("running EXPLAIN ANALYZE of the search (rolled back)…"));
    const int generation = startTask();
    m_task = m_session->run<ExplainOutcome>(
        QLatin1String(Lane), this, [query, options](DatabaseServices &s) { return s.explainSearch(query, options); },
        [this, generation](Result<ExplainOutcome> explained) {
            if (generation != m_generation)
                return;
            setRunning(false);
            if (!explained.ok()) {
                m_timings->setText(errorText(explained.error()));
                return;
            }
            m_timings->setText(tr("plan of the search SQL shown"));
            auto *dialog = new QDialog(this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->setWindowTitle(tr("Plan of the search SQL (EXPLAIN ANALYZE, rolled back)"));
            auto *view = new PlanView;
            view->setPlan(explained.value().plan, planHints(explained.value().plan, m_session->schema()));
            (new QVBoxLayout(dialog))->addWidget(view);
            dialog->resize(qMin(1000, window()->width()), qMin(620, window()->height()));
            dialog->open();
            emit planShown(dialog);
        });
}

void SearchPanel::runRecallCheck(int samples, int k)
{
    SearchRequest base = currentRequest();
    base.likeKey.clear();
    if (base.pair.columns.isEmpty())
        return;
    m_timings->setText(tr("measuring recall@%1 on %2 stored vectors…").arg(k).arg(samples));
    const int generation = startTask();
    m_task = m_session->run<RecallReport>(
        QLatin1String(Lane), this, [base, samples, k](DatabaseServices &s) { return s.recall(base, samples, k); },
        [this, generation](Result<RecallReport> report) {
            if (generation != m_generation)
                return;
            setRunning(false);
            const QString summary = report.ok() ? tr("recall@%1 = %2 ± %3 over %4 samples · index %5 ms vs exact %6 ms (median)%7")
                                                      .arg(report.value().k)
                                                      .arg(report.value().meanRecall, 0, 'f', 3)
                                                      .arg(report.value().stddevRecall, 0, 'f', 3)
                                                      .arg(report.value().samples)
                                                      .arg(report.value().annMedianMs, 0, 'f', 2)
                                                      .arg(report.value().exactMedianMs, 0, 'f', 2)
                                                      .arg(report.value().indexName.isEmpty() ? tr(" · no index used") : QString())
                                                : errorText(report.error());
            m_timings->setText(summary);
            emit recallFinished(summary);
        });
}

void SearchPanel::runSweep(int samples, int k, double target)
{
    SearchRequest base = currentRequest();
    base.likeKey.clear();
    base.efSearch = base.probes = 0;
    base.iterativeScan = false;
    if (base.pair.columns.isEmpty())
        return;
    m_timings->setText(tr("sweeping recall@%1 on %2 stored vectors: every setting, with and without iterative scan…").arg(k).arg(samples));
    const int generation = startTask();
    const QString path = SearchTuning::defaultPath();
    m_task = m_session->run<RecallSweepReport>(
        QLatin1String(Lane), this,
        [base, samples, k, target, path](DatabaseServices &s) { return s.sweep(base, samples, k, target, path); },
        [this, generation](Result<RecallSweepReport> sweep) {
            if (generation != m_generation)
                return;
            setRunning(false);
            if (!sweep.ok()) {
                m_timings->setText(errorText(sweep.error()));
                return;
            }
            applyTunedKnobs();
            auto *dialog = new RecallSweepDialog(sweep.value(), this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->resize(qMin(900, window()->width()), qMin(640, window()->height()));
            m_timings->setText(dialog->summary());
            dialog->open();
            emit sweepShown(dialog);
        });
}

void SearchPanel::applyTunedKnobs()
{
    SearchRequest r = currentRequest();
    r.efSearch = r.probes = 0;
    r.iterativeScan = false;
    const auto tuned = applyTunedSetting(r, SizeHistory::profileKey(m_session->profile()), SearchTuning::defaultPath());
    if (!tuned)
        return;
    const QSignalBlocker blockEf(m_ef), blockProbes(m_probes), blockIterative(m_iterative);
    (tuned->knob == QLatin1String("ef_search") ? m_ef : m_probes)->setValue(tuned->value);
    m_iterative->setChecked(tuned->iterative);
    updateKnobs();
    (tuned->knob == QLatin1String("ef_search") ? m_ef : m_probes)->setToolTip(tr("Tuned: %1").arg(tuned->describe()));
}
} // namespace vwb::ui
