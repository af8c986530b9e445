// app/cli/ForegroundJob.cpp
#include "cli/ForegroundJob.h"

#include "core/JobRunner.h"
#include <QEventLoop>
#include <QSocketNotifier>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace vwb::cli {
namespace {

int s_sigintPipe[2] = {-1, -1};

void onSigint(int)
{
    const char byte = 1;
    if (::write(s_sigintPipe[1], &byte, 1) < 0) {} // async-signal-safe; the event loop does the rest
}

/// Ctrl-C while it lives: the first one cancels the job through the event loop, a second one
/// (SA_RESETHAND) kills the process the default way.
class SigintGuard
{
public:
    SigintGuard()
    {
        if (::pipe(s_sigintPipe) != 0)
            return;
        for (int fd : s_sigintPipe)
            ::fcntl(fd, F_SETFD, FD_CLOEXEC);
        struct sigaction action = {};
        action.sa_handler = &onSigint;
        action.sa_flags = SA_RESETHAND;
        sigemptyset(&action.sa_mask);
        m_installed = ::sigaction(SIGINT, &action, &m_previous) == 0;
        m_notifier = std::make_unique<QSocketNotifier>(s_sigintPipe[0], QSocketNotifier::Read);
    }
    ~SigintGuard()
    {
        if (m_installed)
            ::sigaction(SIGINT, &m_previous, nullptr);
        m_notifier.reset();
        for (int &fd : s_sigintPipe)
            if (fd >= 0)
                ::close(std::exchange(fd, -1));
    }
    QSocketNotifier *notifier() const { return m_notifier.get(); }

private:
    struct sigaction m_previous = {};
    bool m_installed = false;
    std::unique_ptr<QSocketNotifier> m_notifier;
};
} // namespace

Error runInForeground(std::unique_ptr<Job> job, const ForegroundCallbacks &callbacks)
{
    Error outcome;
    JobRunner runner;
    SigintGuard sigint;
    QEventLoop loop;
    const JobId id = runner.start(std::move(job));
    if (QSocketNotifier *n = sigint.notifier())
        QObject::connect(n, &QSocketNotifier::activated, &loop, [&] {
            if (callbacks.canceling)
                callbacks.canceling();
            runner.cancel(id);
        });
    QObject::connect(&runner, &JobRunner::progressChanged, &loop,
                     [&](JobId, qint64 done, qint64 total, const QString &step, double rate, qint64 eta) {
                         if (callbacks.progress)
                             callbacks.progress(JobProgress{done, total, step, rate, eta});
                     });
    QObject::connect(&runner, &JobRunner::logged, &loop, [&](JobId, const QString &line) {
        if (callbacks.log)
            callbacks.log(line);
    });
    QObject::connect(&runner, &JobRunner::finished, &loop, [&](JobId, const Error &error) {
        outcome = error;
        loop.quit();
    });
    loop.exec();
    return outcome;
}
} // namespace vwb::cli
