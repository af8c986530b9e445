// app/connection/ServerCheck.cpp
#include "connection/ServerCheck.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <algorithm>

namespace vwb {

Result<ServerReport> checkServer(PgConnection &conn, int latencySamples)
{
    ServerReport report;
    report.profileName = conn.profile().name;
    report.production = conn.profile().production;
    report.server = conn.server();
    auto info = conn.exec(QStringLiteral("SELECT (SELECT extversion FROM pg_extension WHERE extname = 'vector'),"
                                         "       (SELECT default_version FROM pg_available_extensions WHERE name = 'vector'),"
                                         "       current_setting('transaction_read_only')"));
    if (!info.ok())
        return info.error().withContext(QStringLiteral("reading server facts"));
    report.pgvectorVersion = info.value().value(0, 0);
    report.pgvectorAvailable = info.value().value(0, 1);
    report.readOnly = info.value().value(0, 2) == QLatin1String("on");

    QList<double> samples;
    for (int i = 0; i < qMax(1, latencySamples); ++i) {
        QElapsedTimer clock;
        clock.start();
        if (auto ping = conn.exec(QStringLiteral("SELECT 1")); !ping.ok())
            return ping.error();
        samples << clock.nsecsElapsed() / 1e6;
    }
    std::sort(samples.begin(), samples.end());
    report.latencyMs = samples.at(samples.size() / 2);

    if (report.pgvectorVersion.isEmpty() && !report.pgvectorAvailable.isEmpty())
        report.warnings << QStringLiteral("pgvector %1 is available but not installed in database \"%2\": "
                                          "CREATE EXTENSION vector (needs a superuser)")
                               .arg(report.pgvectorAvailable, report.server.database);
    else if (report.pgvectorVersion.isEmpty())
        report.warnings << QStringLiteral("pgvector is not available on this server: install it on the server "
                                          "(Debian: packaging/setup-debian.sh builds it)");
    if (!report.server.tls && conn.profile().production)
        report.warnings << QStringLiteral("This production connection is not encrypted");
    report.warnings << conn.profile().warnings();
    return report;
}

QJsonObject ServerReport::toJson() const
{
    QJsonObject tls{{QStringLiteral("enabled"), server.tls}};
    if (server.tls) {
        tls.insert(QStringLiteral("protocol"), server.tlsProtocol);
        tls.insert(QStringLiteral("cipher"), server.tlsCipher);
    }
    return QJsonObject{
        {QStringLiteral("connected"), true},
        {QStringLiteral("profile"), profileName},
        {QStringLiteral("production"), production},
        {QStringLiteral("server_version"), server.version},
        {QStringLiteral("server_version_num"), server.versionNum},
        {QStringLiteral("pgvector"), pgvectorVersion.isEmpty() ? QJsonValue() : QJsonValue(pgvectorVersion)},
        {QStringLiteral("pgvector_available"), pgvectorAvailable.isEmpty() ? QJsonValue() : QJsonValue(pgvectorAvailable)},
        {QStringLiteral("tls"), tls},
        {QStringLiteral("read_only"), readOnly},
        {QStringLiteral("latency_ms"), qRound(latencyMs * 1000) / 1000.0},
        {QStringLiteral("database"), server.database},
        {QStringLiteral("user"), server.user},
        {QStringLiteral("host"), server.host},
        {QStringLiteral("port"), server.port},
        {QStringLiteral("warnings"), QJsonArray::fromStringList(warnings)},
    };
}
} // namespace vwb
