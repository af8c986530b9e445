// app/session/VersionReport.cpp
#include "session/VersionReport.h"

#include "core/BuildInfo.h"
#include <QSysInfo>

namespace vwb {

QStringList versionReport(const std::optional<ServerReport> &server)
{
    const QString qtBuilt = BuildInfo::qtBuildVersion() == BuildInfo::qtRuntimeVersion()
                                ? QString()
                                : QStringLiteral(" (built with %1)").arg(BuildInfo::qtBuildVersion());
    QStringList lines{QStringLiteral("Vector Workbench %1").arg(BuildInfo::appVersion()),
                      QStringLiteral("Qt %1%2").arg(BuildInfo::qtRuntimeVersion(), qtBuilt),
                      QStringLiteral("libpq %1").arg(BuildInfo::libpqVersion()),
                      QStringLiteral("OS: %1 (%2)").arg(QSysInfo::prettyProductName(), QSysInfo::currentCpuArchitecture())};
    if (!server) {
        lines << QStringLiteral("Server: not connected");
        return lines;
    }
    lines << QStringLiteral("PostgreSQL %1%2").arg(server->server.version, server->server.tls ? QStringLiteral(" (TLS)") : QString());
    lines << (!server->pgvectorVersion.isEmpty() ? QStringLiteral("pgvector %1").arg(server->pgvectorVersion)
              : !server->pgvectorAvailable.isEmpty()
                  ? QStringLiteral("pgvector: not installed in this database (%1 available)").arg(server->pgvectorAvailable)
                  : QStringLiteral("pgvector: not available on this server"));
    if (server->production)
        lines << QStringLiteral("Profile: production%1").arg(server->readOnly ? QStringLiteral(" (read-only)") : QString());
    return lines;
}
} // namespace vwb
