// app/session/Session.h
#pragma once

#include "connection/AsyncConnection.h"
#include "core/DataChange.h"
#include "core/JobRunner.h"
#include "schema/DatabaseSchema.h"
#include "services/DatabaseServices.h"
#include <QHash>
#include <QObject>
#include <QPointer>
#include <functional>
#include <memory>

namespace vwb {
class ConnectionProfile;

/// What a panel sees of the workbench: the profile and connection, the schema read once per
/// connect, the provider searches use, the one way to run work off the UI thread (with cancel),
/// jobs, and "data changed" notifications. LiveSession is the real one; unit tests give panels
/// a session over in-memory services. Lives on the UI thread.
class Session : public QObject
{
    Q_OBJECT
public:
    using TaskId = quint64;

    explicit Session(QObject *parent = nullptr);
    ~Session() override;

    virtual bool isConnected() const = 0;
    /// The profile connected to (its password is never part of it).
    virtual ConnectionProfile profile() const = 0;
    /// The profile a job opens its own connection with: password included, in memory only.
    virtual ConnectionProfile jobProfile() const = 0;
    /// The database's name as the server reported it (what a production confirmation asks for).
    virtual QString databaseName() const = 0;
    /// False on a production profile until the user unlocks writes for this session.
    virtual bool writesUnlocked() const = 0;
    bool writesAllowed() const;
    /// The schema read at connect (or at the last refreshSchema()); empty until connected().
    virtual const DatabaseSchema &schema() const = 0;
    /// Reads the schema again; schemaChanged() follows.
    virtual void refreshSchema() = 0;
    /// The query provider ("lexical", "openai") this profile's searches use.
    virtual QString providerName() const = 0;

    /// Runs `work` off the UI thread on the connection of `lane` (work on one lane runs in order;
    /// lanes run side by side), then `done` on `context`'s thread unless `context` is gone. A task
    /// canceled before it starts finishes as Canceled without running.
    template<typename T>
    TaskId run(const QString &lane, QObject *context, std::function<Result<T>(DatabaseServices &)> work,
               std::function<void(Result<T>)> done)
    {
        return post(lane, [work = std::move(work), done = std::move(done), ctx = QPointer<QObject>(context)](DatabaseServices *services,
                                                                                                             bool canceled) {
            Result<T> result = canceled   ? Result<T>(Error::canceled())
                               : services ? work(*services)
                                          : Result<T>(Error{Error::Kind::Connection, QStringLiteral("Not connected"), {}, {}});
            AsyncConnection::deliver(ctx, [done, result = std::move(result)] { done(result); });
        });
    }
    /// run() for work that needs the server's connection itself (no service covers it yet).
    template<typename T>
    TaskId runOnServer(const QString &lane, QObject *context, std::function<Result<T>(PgConnection &)> work,
                       std::function<void(Result<T>)> done)
    {
        return run<T>(
            lane, context,
            [work = std::move(work)](DatabaseServices &s) -> Result<T> {
                if (!s.connection())
                    return Error{Error::Kind::Connection, QStringLiteral("This needs a database server"), {}, {}};
                return work(*s.connection());
            },
            std::move(done));
    }
    /// Every statement on `lane` stops after `ms` (0: the server's setting), for interactive views
    /// that must never hold the server (a count, a page). Applies from the lane's next connect:
    /// call it before the lane's first run().
    void setStatementTimeout(const QString &lane, int ms) { m_laneTimeouts.insert(lane, ms); }
    int statementTimeout(const QString &lane) const { return m_laneTimeouts.value(lane, 0); }
    /// Cancels a task: one not started yet never runs; a running one has its statement canceled
    /// (its transaction rolls back). Finishes through the task's own `done` as Canceled.
    virtual void cancel(TaskId task) = 0;

    /// Starts a long job (shown in the Jobs dock); when it ends, however it ends, the changes it
    /// declares (Job::changes()) are announced.
    JobId startJob(std::unique_ptr<Job> job);
    void setJobRunner(JobRunner *runner);

    /// Says that a write changed the database: dataChanged() goes to every view. A change of
    /// schema or indexes reads the schema again first, and goes out after schemaChanged(), so a
    /// view that reacts to it sees the new schema.
    void announce(const DataChange &change);

signals:
    void connected();     // the schema is read by then
    void disconnected();  // another profile is being connected, or none
    void schemaChanged(); // schema() was read again
    void dataChanged(const vwb::DataChange &change);
    void writesUnlockedChanged(bool unlocked);

protected:
    /// Subclasses call this when schema() was read again: schemaChanged(), then the changes that
    /// waited for it.
    void schemaRead();
    /// services is null when there is no connection; canceled is true when cancel() came first.
    using Task = std::function<void(DatabaseServices *services, bool canceled)>;
    virtual TaskId post(const QString &lane, Task task) = 0;

private:
    QPointer<JobRunner> m_jobs;
    QHash<JobId, QList<DataChange>> m_jobChanges;
    QList<DataChange> m_waitingForSchema;
    QHash<QString, int> m_laneTimeouts; // lane -> ms
};
} // namespace vwb
