// app/connection/DotEnv.h
#pragma once

#include "core/Result.h"
#include <QMap>
#include <QString>
#include <QStringList>

namespace vwb {

/// The variables of one .env file, as the Node app that owns it would see them.
struct DotEnv
{
    QMap<QString, QString> values;
    QStringList warnings; // "line 7: ...": lines skipped or read in a way people may not expect
};

/// Parses a .env file's text as the Node `dotenv` package (v16) does: KEY=VALUE (or KEY: VALUE),
/// optional `export `, # comments, '...' literal, "..." with \n and \r expanded, `...`, quoted values
/// over several lines, last duplicate wins. A quote that is never closed is Error::invalid naming
/// the line it opened on (dotenv would keep the text as written); a line that isn't KEY=VALUE is a warning.
Result<DotEnv> parseDotEnv(const QString &text);

/// Reads a file as UTF-8 and parses it; Error::io naming the path when it can't be read.
Result<DotEnv> readDotEnvFile(const QString &path);

} // namespace vwb
