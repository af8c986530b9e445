// app/sandbox/LocalCluster.h
#pragma once

#include "connection/ConnectionProfile.h"
#include "core/Result.h"
#include <QString>
#include <QStringList>

namespace vwb {

/// Where the PostgreSQL server binaries are, and whether pgvector is installed for them.
struct PgInstallation
{
    QString binDir;          // holds initdb, pg_ctl, postgres
    QString shareDir;        // holds extension/vector.control
    int major = 0;           // 15
    QString pgvectorVersion; // default_version from vector.control; empty when missing

    /// Finds the newest server: $VWB_PG_BINDIR, then `pg_config --bindir`, then /usr/lib/postgresql/*/bin.
    static Result<PgInstallation> find();
};

struct ClusterStatus
{
    bool initialized = false;
    bool running = false;
    qint64 pid = 0;
    int port = 0;
    QString baseDir; // under $XDG_DATA_HOME: state file
    QString dataDir; // the cluster itself (elsewhere when run as root; see LocalCluster)
    QString socketDir;
    QString logFile;
    QString runAs;     // the OS user the server runs as
    QString database;  // the database the sandbox profile opens
    QString url;       // postgresql://postgres@127.0.0.1:PORT/workbench
    QStringList notes; // what start() did on the way: stale pid file removed, port changed, ...
};

/// A private PostgreSQL + pgvector cluster: the sandbox a new user starts with, and the server the
/// tests use. Lives under $XDG_DATA_HOME/vector-workbench/sandbox. As root the server must run as
/// the unprivileged `postgres` user, which cannot enter /root: the data directory then lives in
/// /var/lib/vector-workbench/<hash of the base directory> and the state file says so.
class LocalCluster
{
public:
    struct StartOptions
    {
        bool ephemeral = false; // fsync off: for tests, never for data anyone keeps
        int port = 0;           // 0: pick a free port (and pick again on a clash)
    };

    explicit LocalCluster(QString baseDir = defaultBaseDir());
    static QString defaultBaseDir();

    /// Creates the cluster on first use, starts it unless it runs already (then reuses it),
    /// and makes sure the sandbox database has the vector extension.
    Result<ClusterStatus> start(const StartOptions &options);
    Result<ClusterStatus> start() { return start(StartOptions{}); }
    Result<void> stop();
    /// Stops the server and deletes the cluster, its socket directory and state.
    Result<void> remove();
    ClusterStatus status() const;
    /// The `sandbox` profile pointing at this cluster (port as last started).
    ConnectionProfile profile() const;

    static constexpr const char *DatabaseName = "workbench";

private:
    bool runsAsPostgresUser() const;
    Result<QString> run(const QString &program, const QStringList &args, int timeoutMs = 60000) const;
    Result<void> initialize(const PgInstallation &pg, const StartOptions &options);
    Result<void> writeSettings(int port, bool ephemeral, bool statements) const;
    /// The server ships pg_stat_statements (loaded at start; the extension is created on demand).
    static bool hasStatements(const PgInstallation &pg);
    Result<void> ensureDirectories() const;
    Result<void> prepareDatabase(const ClusterStatus &status) const;
    QString serverLogTail(int lines) const;
    QString settingsText() const;
    int configuredPort() const;
    bool configuredEphemeral() const;

    QString m_baseDir;
    QString m_dataDir;
    QString m_socketDir;
};
} // namespace vwb
