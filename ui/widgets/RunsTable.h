// ui/widgets/RunsTable.h
#pragma once

#include "eval/EvalStore.h"
#include "eval/RankingMetrics.h"
#include <QTableWidget>

namespace vwb::ui {

/// The stored runs of a query set, a row each: id (★ the baseline), name, when, configuration,
/// MAP, nDCG@k, P@k, R@k, MRR and the time it took. Several can be selected.
class RunsTable : public QTableWidget
{
    Q_OBJECT
public:
    explicit RunsTable(QWidget *parent = nullptr);

    void clearRuns() { setRowCount(0); }
    /// A row for the run, with its mean scores (at the cut-off setCutoff() names in the headers).
    void addRun(const vwb::RunSummary &run, const vwb::QueryScores &mean);
    void setCutoff(int k);
    /// The run in `row` (0 when there is none).
    qint64 runAt(int row) const;
    QList<qint64> selectedRuns() const;
    /// Selects the run's row and scrolls it into sight.
    void selectRun(qint64 id);
};
} // namespace vwb::ui
