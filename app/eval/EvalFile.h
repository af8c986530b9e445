// app/eval/EvalFile.h
#pragma once

#include "core/Result.h"

class QFile;

namespace vwb {

/// Opens a query set's, judgments' or run's text file: a regular file of bounded size only (a
/// FIFO or a device would block or never end). Errors name the file.
Result<void> openEvalFile(QFile &file);
/// Writes a query set's, judgments' or run's file whole or not at all (QSaveFile).
Result<void> writeEvalFile(const QString &path, const QByteArray &bytes);
/// "qrels.tsv line 12: …", for a row that can't be read.
Error evalLineError(const QFile &file, int line, const QString &what);
} // namespace vwb
