// app/connection/ServerCheck.h
#pragma once

#include "connection/PgConnection.h"
#include "core/Result.h"
#include <QJsonObject>

namespace vwb {

/// What `vwb check` and the status bar show about a live connection.
struct ServerReport
{
    QString profileName;
    bool production = false;
    ServerInfo server;
    QString pgvectorVersion;   // installed in this database; empty when not
    QString pgvectorAvailable; // offered by the server (pg_available_extensions); empty when not
    bool readOnly = false;     // transaction_read_only of this session
    double latencyMs = 0;      // median of several `SELECT 1` round trips
    QStringList warnings;

    QJsonObject toJson() const;
};

/// Reads versions, TLS, read-only state and round-trip latency over an open connection.
Result<ServerReport> checkServer(PgConnection &conn, int latencySamples = 5);
} // namespace vwb
