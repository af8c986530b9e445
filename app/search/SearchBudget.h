// app/search/SearchBudget.h
#pragma once

#include "core/LocalSqlite.h"
#include <QDateTime>

namespace vwb {

/// How many text searches a production profile may run in any minute: each one is an embedding
/// call someone pays for, and a runaway script (or a held-down Enter key) should not make
/// thousands. Counted per profile across every process on this machine (the GUI's windows, `vwb`
/// from cron) in a local SQLite file. Searches by a stored row's vector embed nothing and are
/// not counted.
class SearchBudget
{
public:
    static constexpr int DefaultProductionPerMinute = 30;
    static constexpr qint64 WindowMs = 60'000;

    explicit SearchBudget(QString path = defaultPath());
    /// $XDG_DATA_HOME/vector-workbench/search-budget.sqlite
    static QString defaultPath();
    /// The budget every search of this process draws on: defaultPath() as it was on first use.
    static SearchBudget &shared();

    /// Counts one search of `profile` at `nowMs`, or refuses it (Kind::Timeout, sqlState
    /// "rate") when `perMinute` searches ran in the minute before, saying when the next may run.
    /// `perMinute` 0 or less: no limit, nothing counted.
    Result<void> take(const QString &profile, int perMinute, qint64 nowMs = QDateTime::currentMSecsSinceEpoch());

private:
    LocalSqlite m_file;
};
} // namespace vwb
