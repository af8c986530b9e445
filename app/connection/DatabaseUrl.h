// app/connection/DatabaseUrl.h
#pragma once

#include "connection/ConnectionProfile.h"
#include "core/Result.h"
#include <QString>

namespace vwb {

/// Parses a postgres:// or postgresql:// URL the way libpq does (RFC 3986 + libpq's query keywords):
/// `postgresql://[user[:password]@][host][:port][,...][/dbname][?keyword=value&...]`.
/// Hosts may be names, IPv4, `[IPv6]` (zone as `%25eth0`) or a percent-encoded socket directory;
/// query keywords override the parts before them; Node's `ssl=true|false` maps to sslmode.
/// Errors are Error::invalid, one line, and never contain the password.
Result<ConnectionParams> parseDatabaseUrl(const QString &url);

/// The inverse, percent-encoding what needs it; password included only when asked.
/// Socket-directory hosts, and ports that don't line up one per host, go in the query.
QString toDatabaseUrl(const ConnectionParams &params, bool includePassword = false);

} // namespace vwb
