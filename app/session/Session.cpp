// app/session/Session.cpp
#include "session/Session.h"

#include "connection/ConnectionProfile.h"
#include <utility>

namespace vwb {

Session::Session(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<DataChange>();
}

Session::~Session() = default;

bool Session::writesAllowed() const
{
    return !profile().production || writesUnlocked();
}

void Session::setJobRunner(JobRunner *runner)
{
    if (m_jobs)
        disconnect(m_jobs, nullptr, this, nullptr);
    m_jobs = runner;
    if (!runner)
        return;
    connect(runner, &JobRunner::finished, this, [this](JobId id, const Error &) {
        // Batches commit as they go: a canceled or failed job may still have written.
        for (const DataChange &change : m_jobChanges.take(id))
            announce(change);
    });
}

JobId Session::startJob(std::unique_ptr<Job> job)
{
    VWB_ASSERT(m_jobs && job, return 0);
    const QList<DataChange> changes = job->changes();
    const JobId id = m_jobs->start(std::move(job));
    m_jobChanges.insert(id, changes);
    return id;
}

void Session::announce(const DataChange &change)
{
    if (change.kind != DataChange::Kind::Schema && change.kind != DataChange::Kind::Indexes) {
        emit dataChanged(change);
        return;
    }
    // Indexes are part of the schema the panels read (knobs, hints, health).
    m_waitingForSchema << change;
    refreshSchema();
}

void Session::schemaRead()
{
    emit schemaChanged();
    for (const DataChange &change : std::exchange(m_waitingForSchema, {}))
        emit dataChanged(change);
}
} // namespace vwb
