// app/plan/ExplainRunner.cpp
#include "plan/ExplainRunner.h"

#include "connection/PgConnection.h"
#include "migrations/SqlScript.h"
#include "plan/PlanParser.h"
#include "plan/Placeholders.h"
#include "plan/ReadOnlyStatement.h"
#include <QRegularExpression>

namespace vwb {
namespace {

constexpr int MaxTimeoutMs = 24 * 3600 * 1000;

QString firstKeyword(const QString &statement)
{
    static const QRegularExpression keyword(QStringLiteral("^(?:\\s+|--[^\\n]*(?:\\n|$)|/\\*.*?\\*/)*([A-Za-z]+)"),
                                            QRegularExpression::DotMatchesEverythingOption);
    return keyword.match(statement).captured(1).toUpper();
}

Error explained(const Error &error, const ExplainOptions &options, bool readOnly)
{
    if (error.kind == Error::Kind::Timeout)
        return {Error::Kind::Timeout,
                QStringLiteral("%1 stopped at the statement timeout of %2%3")
                    .arg(options.analyze ? QStringLiteral("EXPLAIN ANALYZE") : QStringLiteral("EXPLAIN"),
                         options.timeoutMs > 0 ? QStringLiteral("%1 ms").arg(options.timeoutMs)
                                               : QStringLiteral("the server (statement_timeout)"),
                         options.analyze ? QStringLiteral(" (the statement ran for real and was rolled back)") : QString()),
                error.sqlState, error.message};
    if (error.sqlState == QLatin1String("25006") && readOnly && options.analyze)
        return {Error::Kind::Sql,
                QStringLiteral("EXPLAIN ANALYZE runs the statement, and this one writes: the production session is "
                               "read-only (even though it would be rolled back). EXPLAIN it without ANALYZE, or unlock writes"),
                error.sqlState, error.message};
    return error.withContext(QStringLiteral("EXPLAIN"));
}
} // namespace

Result<QString> ExplainRunner::singleStatement(const QString &sql)
{
    const QStringList statements = splitSqlStatements(sql);
    if (statements.isEmpty())
        return Error::invalid(QStringLiteral("No statement to explain"));
    if (statements.size() > 1)
        return Error::invalid(QStringLiteral("EXPLAIN takes one statement; this text holds %1 (separated by ';')").arg(statements.size()));
    const QString keyword = firstKeyword(statements.first());
    if (keyword == QLatin1String("EXPLAIN"))
        return Error::invalid(QStringLiteral("Give the statement without EXPLAIN: the options are added here"));
    static const QStringList transaction{"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE"};
    if (transaction.contains(keyword))
        return Error::invalid(QStringLiteral("%1 controls the transaction: it cannot be explained").arg(keyword));
    return statements.first();
}

QString ExplainRunner::explainPrefix(const ExplainOptions &options)
{
    if (!options.analyze)
        return QStringLiteral("EXPLAIN (FORMAT JSON) ");
    return options.buffers ? QStringLiteral("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ")
                           : QStringLiteral("EXPLAIN (ANALYZE, FORMAT JSON) ");
}

Result<ExplainOutcome> ExplainRunner::run(PgConnection &conn, const QString &sql, const QVariantList &params,
                                          const ExplainOptions &options)
{
    auto statement = singleStatement(sql);
    if (!statement.ok())
        return statement.error();
    if (options.timeoutMs < 0 || options.timeoutMs > MaxTimeoutMs)
        return Error::invalid(QStringLiteral("The statement timeout must be 0-%1 ms").arg(MaxTimeoutMs));
    // An application's statement as it writes it: Knex's ? or $n, with values or without.
    auto placeholders = Placeholders::scan(statement.value());
    if (!placeholders.ok())
        return placeholders.error();
    const Placeholders &ph = placeholders.value();
    const bool generic = ph.count > 0 && params.isEmpty();
    if (generic && options.analyze)
        return Error::invalid(QStringLiteral("The statement takes %1 parameter(s): EXPLAIN ANALYZE runs it and needs a value "
                                             "for each (--param; without ANALYZE the generic plan is shown)")
                                  .arg(ph.count));
    if (!generic && params.size() != ph.count)
        return Error::invalid(
            QStringLiteral("The statement takes %1 parameter(s) but %2 value(s) were given").arg(ph.count).arg(params.size()));
    ExplainOutcome out;
    out.readOnly = conn.isWriteLocked();
    if (out.readOnly && options.analyze)
        if (auto allowed = checkReadOnlyStatement(conn, ph.sql); !allowed.ok())
            return allowed.error();
    out.genericPlan = generic;
    out.settings = options.settings;
    QString setup = out.readOnly ? QStringLiteral("BEGIN READ ONLY;") : QStringLiteral("BEGIN;");
    if (options.timeoutMs > 0)
        setup += QStringLiteral("SET LOCAL statement_timeout = %1;").arg(options.timeoutMs);
    for (const QString &s : options.settings)
        setup += s + QLatin1Char(';');
    if (generic) // PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN): a prepared statement planned generically
        setup += QStringLiteral("SET LOCAL plan_cache_mode = force_generic_plan;");
    if (auto begun = conn.execScript(setup); !begun.ok()) {
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
        return begun.error().withContext(QStringLiteral("preparing the EXPLAIN"));
    }
    Result<QueryResult> result = Error::internal(QStringLiteral("nothing ran"));
    if (generic) {
        const QString name = QStringLiteral("vwb_generic_plan");
        auto prepared = conn.exec(QStringLiteral("PREPARE %1 AS %2").arg(name, ph.sql));
        if (prepared.ok()) {
            QStringList nulls;
            for (int i = 0; i < ph.count; ++i)
                nulls << QStringLiteral("NULL");
            out.statement = explainPrefix(options) + QStringLiteral("EXECUTE %1(%2)").arg(name, nulls.join(QStringLiteral(", ")));
            result = conn.exec(out.statement);
        } else {
            result = prepared.error().withContext(QStringLiteral("planning the statement without values (cast a parameter "
                                                                 "whose type the server can't tell, e.g. ?::vector)"));
        }
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
        (void)conn.execScript(QStringLiteral("DEALLOCATE %1").arg(name)); // prepared statements outlive a rollback
    } else {
        out.statement = explainPrefix(options) + ph.sql;
        result = conn.exec(out.statement, params);
        // Always: the ANALYZE ran the statement, and the settings were local to this transaction.
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
    }
    if (!result.ok())
        return explained(result.error(), options, out.readOnly);
    out.json = result.value().scalar();
    out.notices = result.value().notices;
    auto plan = PlanParser::parseJson(out.json.toUtf8());
    if (!plan.ok())
        return plan.error().withContext(QStringLiteral("reading the server's plan"));
    out.plan = std::move(plan).value();
    return out;
}
QStringList ExplainRunner::searchPath(PgConnection &conn)
{
    QStringList out;
    if (auto r = conn.exec(QStringLiteral("SELECT unnest(current_schemas(false))")); r.ok())
        for (const QStringList &row : r.value().rows)
            out << row.first();
    return out;
}
} // namespace vwb
