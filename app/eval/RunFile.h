// app/eval/RunFile.h
#pragma once

#include "core/Result.h"
#include <QHash>
#include <QStringList>

namespace vwb {

/// A ranked result list per query, as TREC writes runs: "query_id Q0 doc_id rank score tag"
/// (spaces or tabs). Each query's documents come back ordered by score, higher first, as
/// trec_eval orders them; the rank column breaks ties, then the document id, so the order never
/// depends on the file's line order.
Result<QHash<QString, QStringList>> readRunFile(const QString &path);
/// The same from a run file's text; `name` names it in errors.
Result<QHash<QString, QStringList>> parseRunText(const QByteArray &text, const QString &name);

struct EvalRun;
/// Writes a run in that format, every query's list in its order (rank from 1, the score the list
/// was ordered by, 10 significant digits; equal scores keep their order through the rank column),
/// tagged `tag` (spaces become "_"). Written whole or not at all.
Result<void> writeRunFile(const QString &path, const EvalRun &run, const QString &tag);
} // namespace vwb
