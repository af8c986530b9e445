// app/sandbox/LocalCluster.cpp
#include "sandbox/LocalCluster.h"

#include "connection/PgConnection.h"
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QVersionNumber>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vwb {
namespace {

constexpr qint64 MinimumFreeBytes = 100LL * 1024 * 1024; // initdb writes ~40 MB; leave room for WAL
constexpr int PortAttempts = 5;
const char *const ServerUser = "postgres";

/// What to run to get PostgreSQL and pgvector: the copy an installed workbench ships (its
/// --sandbox mode installs only those), else the source tree's script.
QString setupHint()
{
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .absoluteFilePath(QStringLiteral("../share/vector-workbench/setup-debian.sh"));
    if (QFileInfo::exists(installed))
        return QStringLiteral("run: sudo bash %1 --sandbox (installs PostgreSQL and builds pgvector for it)")
            .arg(QDir::cleanPath(installed));
    return QStringLiteral("run: sudo bash packaging/setup-debian.sh");
}

bool isRoot()
{
    return ::geteuid() == 0;
}

int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

/// True when `pid` is alive and is a PostgreSQL server (not a process that reused the number).
bool isPostgresProcess(qint64 pid)
{
    if (pid <= 0 || ::kill(pid_t(pid), 0) != 0)
        return false;
    QFile comm(QStringLiteral("/proc/%1/comm").arg(pid));
    if (!comm.open(QIODevice::ReadOnly))
        return true; // no /proc: trust kill()
    const QByteArray name = comm.readAll().trimmed();
    return name == "postgres" || name == "postmaster";
}

Result<void> chownToServerUser(const QString &path)
{
    const passwd *pw = ::getpwnam(ServerUser);
    if (!pw)
        return Error::io(QStringLiteral("Running as root, but there is no \"postgres\" user to run the server "
                                        "as (%1)")
                             .arg(setupHint()));
    if (::chown(QFile::encodeName(path).constData(), pw->pw_uid, pw->pw_gid) != 0)
        return Error::io(QStringLiteral("Cannot hand %1 to the postgres user: %2").arg(path, qt_error_string(errno)));
    return {};
}

QString readControlVersion(const QString &controlFile)
{
    QFile f(controlFile);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    static const QRegularExpression re(QStringLiteral("default_version\\s*=\\s*'([^']+)'"));
    return re.match(QString::fromUtf8(f.readAll())).captured(1);
}
} // namespace

Result<PgInstallation> PgInstallation::find()
{
    QStringList candidates;
    const QString override = qEnvironmentVariable("VWB_PG_BINDIR");
    if (!override.isEmpty())
        candidates << override; // an explicit choice: no fallback behind it
    if (override.isEmpty()) {
        QProcess pgConfig;
        pgConfig.start(QStringLiteral("pg_config"), {QStringLiteral("--bindir")});
        if (pgConfig.waitForFinished(5000) && pgConfig.exitCode() == 0)
            candidates << QString::fromLocal8Bit(pgConfig.readAllStandardOutput()).trimmed();
    }
    QDir debian(QStringLiteral("/usr/lib/postgresql"));
    QStringList versions = override.isEmpty() ? debian.entryList(QDir::Dirs | QDir::NoDotAndDotDot) : QStringList();
    std::sort(versions.begin(), versions.end(),
              [](const QString &a, const QString &b) { return QVersionNumber::fromString(a) > QVersionNumber::fromString(b); });
    for (const QString &v : versions)
        candidates << debian.filePath(v + QStringLiteral("/bin"));

    for (const QString &bin : candidates) {
        if (!QFileInfo(bin + QStringLiteral("/initdb")).isExecutable() || !QFileInfo(bin + QStringLiteral("/pg_ctl")).isExecutable())
            continue;
        PgInstallation pg;
        pg.binDir = bin;
        QProcess version;
        version.start(bin + QStringLiteral("/postgres"), {QStringLiteral("--version")});
        if (version.waitForFinished(5000)) {
            static const QRegularExpression re(QStringLiteral("(\\d+)(?:\\.\\d+)?"));
            pg.major = re.match(QString::fromLocal8Bit(version.readAllStandardOutput())).captured(1).toInt();
        }
        QProcess share;
        share.start(bin + QStringLiteral("/pg_config"), {QStringLiteral("--sharedir")});
        if (share.waitForFinished(5000) && share.exitCode() == 0)
            pg.shareDir = QString::fromLocal8Bit(share.readAllStandardOutput()).trimmed();
        if (pg.shareDir.isEmpty())
            pg.shareDir = QStringLiteral("/usr/share/postgresql/%1").arg(pg.major);
        pg.pgvectorVersion = readControlVersion(pg.shareDir + QStringLiteral("/extension/vector.control"));
        return pg;
    }
    return Error::io(QStringLiteral("No PostgreSQL server binaries found (looked in $VWB_PG_BINDIR, pg_config "
                                    "--bindir and /usr/lib/postgresql/*/bin): %1")
                         .arg(setupHint()));
}

LocalCluster::LocalCluster(QString baseDir) : m_baseDir(QDir::cleanPath(QFileInfo(baseDir).absoluteFilePath()))
{
    const QString hash = QString::fromLatin1(QCryptographicHash::hash(m_baseDir.toUtf8(), QCryptographicHash::Sha1).toHex().left(10));
    if (isRoot()) {
        m_dataDir = QStringLiteral("/var/lib/vector-workbench/%1/data").arg(hash);
        m_socketDir = QStringLiteral("/tmp/vwb-pg-%1").arg(hash);
    } else {
        m_dataDir = m_baseDir + QStringLiteral("/data");
        m_socketDir = QStringLiteral("/tmp/vwb-%1-%2").arg(::geteuid()).arg(hash);
    }
}

QString LocalCluster::defaultBaseDir()
{
    QString data = qEnvironmentVariable("XDG_DATA_HOME");
    if (data.isEmpty() || !QDir::isAbsolutePath(data))
        data = QDir::homePath() + QStringLiteral("/.local/share");
    return data + QStringLiteral("/vector-workbench/sandbox");
}

bool LocalCluster::runsAsPostgresUser() const
{
    return isRoot();
}

Result<QString> LocalCluster::run(const QString &program, const QStringList &args, int timeoutMs) const
{
    QProcess proc;
    proc.setProcessChannelMode(QProcess::MergedChannels);
    proc.setWorkingDirectory(QStringLiteral("/")); // the server user may not enter the caller's cwd
    if (runsAsPostgresUser())
        proc.start(QStringLiteral("runuser"),
                   QStringList{QStringLiteral("-u"), QLatin1String(ServerUser), QStringLiteral("--"), program} + args);
    else
        proc.start(program, args);
    if (!proc.waitForStarted(10000))
        return Error::io(QStringLiteral("Cannot run %1: %2").arg(program, proc.errorString()));
    if (!proc.waitForFinished(timeoutMs)) {
        proc.kill();
        proc.waitForFinished(2000);
        return Error{Error::Kind::Timeout,
                     QStringLiteral("%1 did not finish within %2 s").arg(QFileInfo(program).fileName()).arg(timeoutMs / 1000),
                     {},
                     {}};
    }
    const QString output = QString::fromLocal8Bit(proc.readAll());
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0) {
        const QStringList lines = output.trimmed().split(QLatin1Char('\n'));
        return Error{Error::Kind::Io,
                     QStringLiteral("%1 failed: %2").arg(QFileInfo(program).fileName(), lines.last().trimmed()),
                     {},
                     output.trimmed()};
    }
    return output;
}

Result<void> LocalCluster::ensureDirectories() const
{
    for (const QString &dir : {m_baseDir, QFileInfo(m_dataDir).absolutePath(), m_dataDir, m_socketDir}) {
        if (!QDir().mkpath(dir))
            return Error::io(QStringLiteral("Cannot create %1").arg(dir));
    }
    ::chmod(QFile::encodeName(m_dataDir).constData(), 0700);
    ::chmod(QFile::encodeName(m_socketDir).constData(), 0700);
    if (runsAsPostgresUser()) {
        ::chmod(QFile::encodeName(QFileInfo(m_dataDir).absolutePath()).constData(), 0755);
        for (const QString &dir : {m_dataDir, m_socketDir}) {
            if (auto owned = chownToServerUser(dir); !owned.ok())
                return owned;
        }
    }
    return {};
}

bool LocalCluster::hasStatements(const PgInstallation &pg)
{
    return QFile::exists(pg.binDir + QStringLiteral("/../lib/pg_stat_statements.so"));
}

Result<void> LocalCluster::writeSettings(int port, bool ephemeral, bool statements) const
{
    QFile conf(m_dataDir + QStringLiteral("/vwb.conf"));
    if (!conf.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error::io(QStringLiteral("Cannot write %1: %2").arg(conf.fileName(), conf.errorString()));
    QString text = QStringLiteral("# Written by Vector Workbench for its private sandbox cluster.\n"
                                  "port = %1\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%2'\n"
                                  "max_connections = 40\nshared_buffers = 128MB\nmaintenance_work_mem = 256MB\n")
                       .arg(port)
                       .arg(m_socketDir);
    if (QFile::exists(m_dataDir + QStringLiteral("/server.crt")))
        text += QStringLiteral("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
    if (statements) // what the applications' queries cost, for vwb queries (CREATE EXTENSION pg_stat_statements)
        text += QStringLiteral("shared_preload_libraries = 'pg_stat_statements'\n");
    if (ephemeral)
        text += QStringLiteral("# ephemeral (tests): durability traded for speed\n"
                               "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
    if (conf.write(text.toUtf8()) < 0 || !conf.flush())
        return Error::io(QStringLiteral("Cannot write %1: %2 (disk full?)").arg(conf.fileName(), conf.errorString()));
    ::chmod(QFile::encodeName(conf.fileName()).constData(), 0644);
    return {};
}

QString LocalCluster::settingsText() const
{
    QFile conf(m_dataDir + QStringLiteral("/vwb.conf"));
    return conf.open(QIODevice::ReadOnly) ? QString::fromUtf8(conf.readAll()) : QString();
}

int LocalCluster::configuredPort() const
{
    static const QRegularExpression re(QStringLiteral("(?m)^port = (\\d+)"));
    return re.match(settingsText()).captured(1).toInt();
}

bool LocalCluster::configuredEphemeral() const
{
    return settingsText().contains(QLatin1String("\nfsync = off"));
}

Result<void> LocalCluster::initialize(const PgInstallation &pg, const StartOptions &options)
{
    QString existing = QFileInfo(m_dataDir).absolutePath();
    while (!QFileInfo::exists(existing))
        existing = QFileInfo(existing).absolutePath();
    const QStorageInfo disk(existing);
    if (disk.isValid() && disk.bytesAvailable() < MinimumFreeBytes)
        return Error::io(QStringLiteral("Not enough disk space for the sandbox in %1: %2 MB free, it needs at "
                                        "least %3 MB")
                             .arg(disk.rootPath())
                             .arg(disk.bytesAvailable() / (1024 * 1024))
                             .arg(MinimumFreeBytes / (1024 * 1024)));
    if (auto dirs = ensureDirectories(); !dirs.ok())
        return dirs;
    auto init = run(pg.binDir + QStringLiteral("/initdb"),
                    {QStringLiteral("-D"), m_dataDir, QStringLiteral("-U"), QLatin1String(ServerUser), QStringLiteral("--auth=trust"),
                     QStringLiteral("--no-sync"), QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8")},
                    120000);
    if (!init.ok()) {
        if (init.error().detail.contains(QLatin1String("No space left")))
            return Error::io(QStringLiteral("The disk is full: initdb could not write %1").arg(m_dataDir));
        return init.error();
    }
    // A self-signed certificate so TLS can be tried locally exactly as against a real server.
    const QString crt = m_dataDir + QStringLiteral("/server.crt");
    const QString key = m_dataDir + QStringLiteral("/server.key");
    (void)run(QStringLiteral("openssl"),
              {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
               QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("3650"), QStringLiteral("-subj"),
               QStringLiteral("/CN=localhost"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), crt},
              30000);
    ::chmod(QFile::encodeName(key).constData(), 0600);
    if (auto settings = writeSettings(options.port > 0 ? options.port : freePort(), options.ephemeral, hasStatements(pg)); !settings.ok())
        return settings;
    QFile conf(m_dataDir + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::Append) || conf.write("\ninclude_if_exists = 'vwb.conf'\n") < 0)
        return Error::io(QStringLiteral("Cannot write %1: %2").arg(conf.fileName(), conf.errorString()));
    return {};
}

ClusterStatus LocalCluster::status() const
{
    ClusterStatus s;
    s.baseDir = m_baseDir;
    s.dataDir = m_dataDir;
    s.socketDir = m_socketDir;
    s.logFile = m_dataDir + QStringLiteral("/server.log");
    s.runAs = runsAsPostgresUser() ? QString::fromLatin1(ServerUser) : qEnvironmentVariable("USER");
    s.database = QString::fromLatin1(DatabaseName);
    s.initialized = QFileInfo::exists(m_dataDir + QStringLiteral("/PG_VERSION"));
    s.port = configuredPort();
    QFile pidFile(m_dataDir + QStringLiteral("/postmaster.pid"));
    if (pidFile.open(QIODevice::ReadOnly)) {
        const QStringList lines = QString::fromUtf8(pidFile.readAll()).split(QLatin1Char('\n'));
        s.pid = lines.value(0).trimmed().toLongLong();
        if (const int port = lines.value(3).trimmed().toInt(); port > 0)
            s.port = port;
        s.running = isPostgresProcess(s.pid);
    }
    if (s.port > 0)
        s.url = QStringLiteral("postgresql://postgres@127.0.0.1:%1/%2").arg(s.port).arg(s.database);
    return s;
}

ConnectionProfile LocalCluster::profile() const
{
    ConnectionProfile p;
    p.name = QStringLiteral("sandbox");
    p.source = ProfileSource::Sandbox;
    p.origin = QStringLiteral("private cluster in %1").arg(m_dataDir);
    p.params.host = QStringLiteral("127.0.0.1");
    const int port = status().port;
    p.params.port = port > 0 ? QString::number(port) : QString();
    p.params.dbname = QString::fromLatin1(DatabaseName);
    p.params.user = QLatin1String(ServerUser);
    return p;
}

QString LocalCluster::serverLogTail(int lines) const
{
    QFile log(m_dataDir + QStringLiteral("/server.log"));
    if (!log.open(QIODevice::ReadOnly))
        return {};
    const QStringList all = QString::fromUtf8(log.readAll()).trimmed().split(QLatin1Char('\n'));
    return all.mid(qMax(0, int(all.size()) - lines)).join(QLatin1Char('\n'));
}

Result<ClusterStatus> LocalCluster::start(const StartOptions &options)
{
    auto found = PgInstallation::find();
    if (!found.ok())
        return found.error();
    const PgInstallation &pg = found.value();
    if (pg.pgvectorVersion.isEmpty())
        return Error::io(QStringLiteral("pgvector is not installed for PostgreSQL %1 (no %2/extension/"
                                        "vector.control): %3")
                             .arg(pg.major)
                             .arg(pg.shareDir, setupHint()));
    if (runsAsPostgresUser() && !::getpwnam(ServerUser))
        return Error::io(QStringLiteral("Running as root, but there is no \"postgres\" user to run the server as "
                                        "(%1)")
                             .arg(setupHint()));

    QStringList notes;
    ClusterStatus current = status();
    if (current.running) {
        if (options.port > 0 && options.port != current.port)
            return Error::invalid(
                QStringLiteral("The sandbox already runs on port %1; stop it to move it to %2").arg(current.port).arg(options.port));
        if (auto ready = prepareDatabase(current); !ready.ok())
            return ready.error();
        current.notes << QStringLiteral("reused the running cluster (pid %1)").arg(current.pid);
        return current;
    }
    if (!current.initialized) {
        if (auto init = initialize(pg, options); !init.ok())
            return init.error().withContext(QStringLiteral("creating the sandbox in %1").arg(m_dataDir));
        notes << QStringLiteral("created a new cluster in %1").arg(m_dataDir);
    } else {
        if (auto dirs = ensureDirectories(); !dirs.ok()) // the socket directory under /tmp may be gone
            return dirs.error();
        // Written again on every start, so a cluster made by an earlier version gets today's settings.
        const int port = options.port > 0 ? options.port : configuredPort() > 0 ? configuredPort() : freePort();
        if (auto w = writeSettings(port, configuredEphemeral(), hasStatements(pg)); !w.ok())
            return w.error();
    }
    const QString pidPath = m_dataDir + QStringLiteral("/postmaster.pid");
    if (QFile::exists(pidPath)) {
        const qint64 stalePid = status().pid;
        if (!QFile::remove(pidPath))
            return Error::io(QStringLiteral("A stale postmaster.pid (pid %1 is not a running server) could not be "
                                            "removed from %2")
                                 .arg(stalePid)
                                 .arg(m_dataDir));
        notes << QStringLiteral("removed a stale postmaster.pid (pid %1 was not a running server)").arg(stalePid);
    }

    for (int attempt = 1;; ++attempt) {
        const int port = configuredPort();
        auto started = run(pg.binDir + QStringLiteral("/pg_ctl"),
                           {QStringLiteral("-D"), m_dataDir, QStringLiteral("-l"), m_dataDir + QStringLiteral("/server.log"),
                            QStringLiteral("-w"), QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("start")},
                           90000);
        if (started.ok())
            break;
        const QString log = serverLogTail(15);
        const bool clash = log.contains(QLatin1String("could not bind")) || log.contains(QLatin1String("already in use"))
                           || log.contains(QLatin1String("could not create any TCP/IP sockets"));
        if (clash && options.port == 0 && attempt < PortAttempts) {
            const int next = freePort();
            notes << QStringLiteral("port %1 was taken; moved to %2").arg(port).arg(next);
            if (auto w = writeSettings(next, configuredEphemeral(), hasStatements(pg)); !w.ok())
                return w.error();
            continue;
        }
        if (clash)
            return Error::io(QStringLiteral("Port %1 is already in use by another server: pick another with --port "
                                            "or stop that server")
                                 .arg(port));
        if (log.contains(QLatin1String("No space left on device")))
            return Error::io(QStringLiteral("The disk holding %1 is full: the sandbox cannot start").arg(m_dataDir));
        const QString lastLine = log.section(QLatin1Char('\n'), -1).trimmed();
        return Error{Error::Kind::Io,
                     QStringLiteral("The sandbox server did not start: %1").arg(lastLine.isEmpty() ? started.error().message : lastLine),
                     {},
                     log};
    }
    ClusterStatus s = status();
    if (!s.running)
        return Error::io(QStringLiteral("pg_ctl reported a start but no server runs in %1").arg(m_dataDir));
    if (auto ready = prepareDatabase(s); !ready.ok())
        return ready.error();
    s.notes = notes;
    return s;
}

Result<void> LocalCluster::prepareDatabase(const ClusterStatus &status) const
{
    ConnectionProfile admin = profile();
    admin.params.host = status.socketDir;
    admin.params.port = QString::number(status.port);
    admin.params.dbname = QStringLiteral("postgres");
    auto conn = PgConnection::open(admin, {10000, QStringLiteral("vector-workbench-sandbox")});
    if (!conn.ok())
        return conn.error().withContext(QStringLiteral("connecting to the sandbox"));
    auto exists = conn.value()->exec(QStringLiteral("SELECT 1 FROM pg_database WHERE datname = $1"), {QString::fromLatin1(DatabaseName)});
    if (!exists.ok())
        return exists.error();
    if (exists.value().rowCount() == 0) {
        auto created = conn.value()->exec(
            QStringLiteral("CREATE DATABASE %1").arg(conn.value()->escapeIdentifier(QLatin1String(DatabaseName))));
        if (!created.ok() && created.error().sqlState != QLatin1String("42P04"))
            return created.error();
    }
    admin.params.dbname = QString::fromLatin1(DatabaseName);
    auto db = PgConnection::open(admin, {10000, QStringLiteral("vector-workbench-sandbox")});
    if (!db.ok())
        return db.error();
    auto ext = db.value()->exec(QStringLiteral("CREATE EXTENSION IF NOT EXISTS vector"));
    if (!ext.ok())
        return Error::io(QStringLiteral("pgvector could not be enabled in the sandbox: %1 (%2)").arg(ext.error().message, setupHint()));
    // The text-filter migration's trigram indexes need pg_trgm (it ships with PostgreSQL): created
    // here it lands in public, where every schema's search path finds it.
    if (auto trgm = db.value()->exec(QStringLiteral("CREATE EXTENSION IF NOT EXISTS pg_trgm")); !trgm.ok())
        return trgm.error().withContext(QStringLiteral("enabling pg_trgm in the sandbox"));
    return {};
}

Result<void> LocalCluster::stop()
{
    const ClusterStatus s = status();
    if (!s.running)
        return {};
    auto found = PgInstallation::find();
    if (!found.ok())
        return found.error();
    auto stopped = run(found.value().binDir + QStringLiteral("/pg_ctl"),
                       {QStringLiteral("-D"), m_dataDir, QStringLiteral("-m"), QStringLiteral("fast"), QStringLiteral("-w"),
                        QStringLiteral("-t"), QStringLiteral("60"), QStringLiteral("stop")},
                       90000);
    if (!stopped.ok())
        return stopped.error();
    return {};
}

Result<void> LocalCluster::remove()
{
    if (auto stopped = stop(); !stopped.ok())
        return stopped;
    const QString clusterRoot = runsAsPostgresUser() ? QFileInfo(m_dataDir).absolutePath() : m_dataDir;
    for (const QString &dir : {clusterRoot, m_socketDir, m_baseDir}) {
        QDir d(dir);
        if (d.exists() && !d.removeRecursively())
            return Error::io(QStringLiteral("Cannot remove %1").arg(dir));
    }
    return {};
}
} // namespace vwb
