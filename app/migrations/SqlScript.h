// app/migrations/SqlScript.h
#pragma once

#include <QStringList>

namespace vwb {

/// Splits a SQL script into statements at top-level semicolons, leaving semicolons inside
/// quotes ('...', E'...', "..."), dollar quotes ($$...$$, $tag$...$tag$), line comments and
/// nested block comments alone. Statements come back trimmed; empty ones and ones that are only
/// comments are dropped. Used where each statement must be sent on its own (CREATE INDEX
/// CONCURRENTLY refuses to run inside the implicit transaction of a multi-statement query).
QStringList splitSqlStatements(const QString &script);
} // namespace vwb
