// app/data/CorpusFile.h
#pragma once

#include "core/Result.h"
#include <QJsonObject>
#include <QList>

namespace vwb {

/// One row of a corpus file, with the line it starts on (for messages).
struct CorpusRow
{
    int line = 0;
    QJsonObject fields;
};

/// Reads the rows of a corpus file to import: JSON Lines (.jsonl, or .jsonl.gz through the
/// system's gzip), one object per line; or CSV (.csv) with a header row naming the columns
/// (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks). In CSV an empty
/// unquoted field is NULL, `metadata` holds a JSON object and `vector` a JSON array "[0.1, …]".
/// Only regular files of at most 1 GiB are read (a FIFO or a device would never end). An error
/// names the file and the line: broken JSON, a CSV row with more or fewer fields than the header,
/// a metadata or vector field that is not JSON of its kind, an unterminated quote.
Result<QList<CorpusRow>> readCorpusFile(const QString &path);

/// "rows.jsonl line 12: …", one line whatever `what` quotes from the file (line breaks, escape
/// codes and the like are shown as \x0a, \x1b).
Error corpusLineError(const QString &path, int line, const QString &what);

enum class CorpusFormat { JsonLines, Csv };
/// The rows of a corpus file's text (already inflated); `name` names it in errors.
Result<QList<CorpusRow>> parseCorpusText(const QByteArray &data, CorpusFormat format, const QString &name);
} // namespace vwb
