// app/session/VersionReport.h
#pragma once

#include "connection/ServerCheck.h"
#include <optional>

namespace vwb {

/// The lines a bug report needs: the workbench's version, Qt's, libpq's and the OS, then — when
/// connected — the server's PostgreSQL and pgvector versions (never its host, user or database).
QStringList versionReport(const std::optional<ServerReport> &server);
} // namespace vwb
