// app/cli/ForegroundJob.h — a job run by a command while it waits: progress, log, Ctrl-C.
#pragma once

#include "core/Job.h"
#include <functional>
#include <memory>

namespace vwb::cli {

constexpr int CanceledExit = 130; // 128 + SIGINT, as shells report an interrupted command

struct ForegroundCallbacks
{
    std::function<void(const JobProgress &)> progress;
    std::function<void(const QString &line)> log;
    std::function<void()> canceling; // the first Ctrl-C arrived; the job is being canceled
};

/// Runs `job` on a JobRunner while this thread waits in an event loop, as the GUI would: the
/// first Ctrl-C cancels it (its statement in flight too), a second one kills the process the
/// default way. Returns how it ended, as JobRunner::finished reports it (Canceled after Ctrl-C).
Error runInForeground(std::unique_ptr<Job> job, const ForegroundCallbacks &callbacks);
} // namespace vwb::cli
