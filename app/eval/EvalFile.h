// app/eval/EvalFile.h
#pragma once

#include "core/Result.h"

namespace vwb {

/// The bytes of a query set's, judgments' or run's text file (`what`: "the judgments file"): a
/// regular file of at most 512 MB only (a FIFO or a device would block or never end). Errors name
/// the file.
Result<QByteArray> readEvalFile(const QString &path, const QString &what);
/// The lines of such a file's text, each trimmed ("\r\n" endings too); numbered from 1 by place.
QList<QByteArray> evalLines(const QByteArray &text);
/// Writes a query set's, judgments' or run's file whole or not at all (QSaveFile).
Result<void> writeEvalFile(const QString &path, const QByteArray &bytes);
/// "qrels.tsv line 12: …", for a row that can't be read (`name`: the file's name, or a path).
Error evalLineError(const QString &name, int line, const QString &what);
} // namespace vwb
