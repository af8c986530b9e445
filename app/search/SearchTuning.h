// app/search/SearchTuning.h
#pragma once

#include "core/LocalSqlite.h"
#include "search/RecallSweep.h"
#include <QDateTime>
#include <optional>

namespace vwb {

/// The setting a recall sweep chose for one ANN index: searches use it unless told otherwise.
struct TunedSetting
{
    QString index; // "schema.name"
    QString knob;  // "ef_search" | "probes"
    int value = 0;
    bool iterative = false;
    double recall = 0; // what the sweep measured at this setting
    double target = 0; // what it was asked to meet
    int k = 10;
    QDateTime measuredAt;
    QString describe() const; // "ef_search 64 (recall@10 0.962 for a 0.95 target, 2026-12-06)"
};

/// The local record of tuned settings, per database (SizeHistory::profileKey) and index. SQLite
/// beside the embedding sources; any thread.
class SearchTuning
{
public:
    explicit SearchTuning(QString path = defaultPath());
    /// $VWB_SEARCH_TUNING, else $XDG_DATA_HOME/vector-workbench/search-tuning.sqlite.
    static QString defaultPath();
    Result<void> record(const QString &profile, const TunedSetting &setting);
    Result<std::optional<TunedSetting>> lookup(const QString &profile, const QString &index);

private:
    LocalSqlite m_db;
};

/// Sweeps `base`'s index (sweepRecall) and keeps the choice, if any, for `profile` at `path`:
/// the CLI's `vwb recall --sweep` and the Search panel's Tune. `kept` gets what was kept.
Result<RecallSweepReport> sweepAndKeep(PgConnection &conn, const SearchRequest &base, int samples, int k, double target,
                                       const QString &path, std::optional<TunedSetting> *kept = nullptr,
                                       const std::function<void(int, int)> &progress = {});

/// For a request that sets neither ef_search nor probes (and is not exact): the tuned setting of
/// the ANN index that serves it, applied; what was applied, or nothing.
std::optional<TunedSetting> applyTunedSetting(SearchRequest &request, const QString &profile,
                                              const QString &path = SearchTuning::defaultPath());
} // namespace vwb
