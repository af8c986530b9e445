// app/eval/QuerySet.h
#pragma once

#include "core/Result.h"
#include "eval/RankingMetrics.h"

namespace vwb {

struct JudgedQuery
{
    QString id;
    QString text;
    QString title; // optional
};

/// Queries and the analysts' judgments of documents for them, as TREC and BEIR ship them.
struct QuerySet
{
    QList<JudgedQuery> queries;          // in file order
    QHash<QString, Judgments> judgments; // query id -> document id -> grade

    /// Reads judgments: one "query_id <TAB> doc_id <TAB> grade" per line (BEIR; the Qatar Living
    /// set adds a label column), or TREC's "query_id 0 doc_id grade" (tabs or spaces). A first
    /// line whose grade is not a number is a header. Errors name the file and line: a grade that
    /// is not a whole number, too few columns, the same document judged twice differently.
    static Result<QHash<QString, Judgments>> readJudgments(const QString &path);
    /// The same from a judgments file's text; `name` names it in errors.
    static Result<QHash<QString, Judgments>> parseJudgments(const QByteArray &text, const QString &name);
    /// Reads queries: JSON Lines ({"id", "text", "title"?}; ids may be numbers) or TSV
    /// (id, text[, title]; a first line "id<TAB>text…" is a header). Errors for a broken line, a
    /// missing id or text, an id given twice.
    static Result<QList<JudgedQuery>> readQueries(const QString &path);
    static Result<QList<JudgedQuery>> parseQueries(const QByteArray &text, const QString &name);
    /// Both files, and a check that every judged query is one of the queries.
    static Result<QuerySet> read(const QString &queriesPath, const QString &judgmentsPath);

    /// Writes the set back as the files read() takes: queries as JSON Lines ({"id", "text",
    /// "title"?}; an id that is a whole number is written as a number, as the Qatar Living set has
    /// it), judgments as "query_id<TAB>doc_id<TAB>relevance" under a header, queries in order and
    /// documents sorted. Each file is written whole or not at all.
    Result<void> writeQueries(const QString &path) const;
    Result<void> writeJudgments(const QString &path) const;
    /// What those write: parseQueries and parseJudgments read them back as the same set.
    QByteArray queriesText() const;
    QByteArray judgmentsText() const;
};
} // namespace vwb
