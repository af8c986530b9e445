// app/plan/ReadOnlyStatement.h
#pragma once

#include "core/Result.h"
#include <QStringList>

namespace vwb {
class PgConnection;

/// What a statement may reach for in the server's catalogs, read from its tokens: the names it
/// calls as functions, its operators, the types it casts to, and every other name (a relation,
/// if it is one). Names are as the server folds them; `schema` is empty when unqualified.
struct StatementReferences
{
    struct Name
    {
        QString schema;
        QString name;
        bool operator==(const Name &) const = default;
    };
    QString firstWord;         // select, with, values, table, insert, create, … ("(" for a parenthesised query)
    QStringList writeKeywords; // insert, update, delete, merge, into, … anywhere in it
    bool escapedNames = false; // a U&"…" name: its text is not what the server will look up
    QList<Name> functions;
    QList<Name> operators;
    QList<Name> types;
    QList<Name> names;

    static StatementReferences of(const QString &statement);
};

/// Whether a write-locked (production) session may run `statement` for EXPLAIN ANALYZE: a
/// READ ONLY transaction that is rolled back stops writes to tables, not what a function does
/// outside it (pg_terminate_backend, pg_stat_reset, advisory locks, dblink, …), and PostgreSQL
/// runs EXPLAIN ANALYZE CREATE TABLE AS even there. So: a query only (SELECT, WITH, VALUES,
/// TABLE), with no write keyword in it, and every function it can reach — called by name, behind
/// an operator, in a cast to a type (its input and output functions, casts into it, a domain's
/// CHECK), in a view it reads (and the views under it) or in a row-security policy of a table it
/// reads — known to change nothing: PostgreSQL's own or
/// pgvector's / pg_trgm's, IMMUTABLE or STABLE, or one of a few vetted volatile ones (random(),
/// clock_timestamp(), …). An allow-list: anything else is refused, named, with the way on.
/// Reads the catalogs only.
/// `runner` says who asks, for the refusal's way on.
enum class ReadOnlyRunner { ExplainAnalyze, Console };
Result<void> checkReadOnlyStatement(PgConnection &conn, const QString &statement, ReadOnlyRunner runner = ReadOnlyRunner::ExplainAnalyze);
} // namespace vwb
