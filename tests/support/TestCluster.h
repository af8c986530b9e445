// tests/db/TestCluster.h — the throwaway cluster the db tests share (started by the ctest
// fixture db_cluster_start with XDG_DATA_HOME pointing into the build tree).
#pragma once

#include "connection/PgConnection.h"
#include "migrations/MigrationFiles.h"
#include "sandbox/LocalCluster.h"
#include <QDir>
#include <QFile>
#include <QTest>

/// Fails the test with the error's message unless `expr` (a Result) holds a value.
#define VERIFY_OK(expr)                                                                                                                  \
    do {                                                                                                                                 \
        const auto &verified = (expr);                                                                                                   \
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.error().message));                                       \
    } while (false)

namespace vwb::test {

/// The profile of the running test cluster; fails the calling test when there is none, since a
/// db test that cannot reach its database must fail, not skip.
inline ConnectionProfile clusterProfile()
{
    const LocalCluster cluster;
    const ClusterStatus status = cluster.status();
    if (!status.running)
        qFatal("The test cluster is not running (data dir %s): run the suite through ctest so the "
               "db_cluster_start fixture starts it",
               qPrintable(status.dataDir));
    return cluster.profile();
}

inline std::unique_ptr<PgConnection> connect(const ConnectionProfile &profile = clusterProfile())
{
    auto conn = PgConnection::open(profile);
    if (!conn.ok())
        qFatal("Cannot connect to the test cluster: %s", qPrintable(conn.error().message));
    return std::move(conn).value();
}
/// The test cluster's profile with `schema` first on the search_path: each test file works in
/// its own schema (pgvector's types stay reachable through public).
inline ConnectionProfile profileInSchema(const QString &schema)
{
    ConnectionProfile p = clusterProfile();
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(schema));
    return p;
}

/// Drops and creates `schema`, then runs `setupSql` in it (several statements allowed).
inline void resetSchema(const QString &schema, const QString &setupSql = {})
{
    auto admin = connect();
    auto made = admin->execScript(
        QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1; SET search_path = %1, public; %2").arg(schema, setupSql));
    if (!made.ok())
        qFatal("Cannot set up schema %s: %s", qPrintable(schema), qPrintable(made.error().message));
}

/// The "up" part of the project's one migration whose file name ends with `fileSuffix`.
inline QString migrationUp(const QString &fileSuffix)
{
    const QDir dir(QStringLiteral(VWB_TEST_DATA "/../../migrations"));
    const QStringList found = dir.entryList({QStringLiteral("*") + fileSuffix}, QDir::Files);
    QFile file(dir.filePath(found.value(0)));
    if (found.size() != 1 || !file.open(QIODevice::ReadOnly))
        qFatal("no single readable migration *%s in %s", qPrintable(fileSuffix), qPrintable(dir.absolutePath()));
    auto parsed = SqlMigration::parse(QString::fromUtf8(file.readAll()), found.value(0));
    if (!parsed.ok())
        qFatal("%s: %s", qPrintable(file.fileName()), qPrintable(parsed.error().message));
    return parsed.value().up;
}

/// A layout fixture's DDL (tests/data/layouts/<layout>.sql) with its tables in `schema`.
inline QString layoutSql(const QString &layout, const QString &schema)
{
    QFile ddl(QStringLiteral(VWB_TEST_DATA "/layouts/%1.sql").arg(layout));
    if (!ddl.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(ddl.fileName()));
    return QString::fromUtf8(ddl.readAll()).replace(QStringLiteral(":schema"), schema);
}

/// A new, empty database `name` on the test cluster (dropped first if a run left it behind), and
/// the cluster's profile pointing at it: for a test whose panels read every table of a database,
/// which the other tests of a parallel run would otherwise change under it.
inline ConnectionProfile freshDatabase(const QString &name)
{
    auto admin = connect();
    for (const QString &sql : {QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)"), QStringLiteral("CREATE DATABASE %1")}) {
        if (auto done = admin->execScript(sql.arg(name)); !done.ok())
            qFatal("Cannot make database %s: %s", qPrintable(name), qPrintable(done.error().message));
    }
    ConnectionProfile p = clusterProfile();
    p.params.dbname = name;
    return p;
}

/// Drops a database freshDatabase() made; connections still open to it are ended.
inline bool dropDatabase(const QString &name)
{
    return connect()->execScript(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name)).ok();
}

inline void dropSchema(const QString &schema)
{
    auto admin = connect();
    (void)admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(schema));
}
} // namespace vwb::test
