// tests/db/TestCluster.h — the throwaway cluster the db tests share (started by the ctest
// fixture db_cluster_start with XDG_DATA_HOME pointing into the build tree).
#pragma once

#include "connection/PgConnection.h"
#include "sandbox/LocalCluster.h"
#include <QTest>

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
} // namespace vwb::test
