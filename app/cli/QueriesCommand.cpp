// app/cli/QueriesCommand.cpp — vwb queries: the application's own vector queries (pg_stat_statements),
// whether an index serves each, why not, and an index-friendly rewrite beside the original.
#include "cli/CliSupport.h"

#include "advice/ChangeEstimate.h"
#include "advice/VectorQueries.h"
#include "connection/PgConnection.h"

namespace vwb::cli {
namespace {

QJsonObject estimateJson(const ChangeEstimate &e)
{
    QJsonObject o{{QStringLiteral("change"), e.change},
                  {QStringLiteral("sample_rows"), e.sampleRows},
                  {QStringLiteral("cost_before"), e.costBefore},
                  {QStringLiteral("cost_after"), e.costAfter},
                  {QStringLiteral("index_after"), e.indexAfter}};
    if (e.rewriteCostAfter >= 0) {
        o.insert(QStringLiteral("rewrite_cost_before"), e.rewriteCostBefore);
        o.insert(QStringLiteral("rewrite_cost_after"), e.rewriteCostAfter);
        o.insert(QStringLiteral("rewrite_index_after"), e.rewriteIndexAfter);
    }
    return o;
}

QJsonObject queryJson(const VectorQuery &q)
{
    const QueryAdvice &a = q.advice;
    QJsonObject o{{QStringLiteral("queryid"), q.queryId},
                  {QStringLiteral("query"), q.sql},
                  {QStringLiteral("calls"), q.calls},
                  {QStringLiteral("mean_ms"), q.meanMs},
                  {QStringLiteral("total_ms"), q.totalMs},
                  {QStringLiteral("operator"), a.op},
                  {QStringLiteral("table"), a.table},
                  {QStringLiteral("column"), a.column},
                  {QStringLiteral("orders_by_distance"), a.ordersByDistance},
                  {QStringLiteral("index_for_operator"), a.servedBy},
                  {QStringLiteral("plan_index"), q.planIndex},
                  {QStringLiteral("plan"), q.planNodes},
                  {QStringLiteral("reasons"), QJsonArray::fromStringList(a.reasons)}};
    if (!q.planError.isEmpty())
        o.insert(QStringLiteral("plan_error"), q.planError);
    if (!a.suggestedIndex.isEmpty())
        o.insert(QStringLiteral("suggested_index"), a.suggestedIndex);
    if (!q.storagePlainEffect.isEmpty())
        o.insert(QStringLiteral("storage_plain_effect"), q.storagePlainEffect);
    o.insert(QStringLiteral("seq_scans"), QJsonArray::fromStringList(q.seqScans));
    if (!a.rewrite.isEmpty()) {
        o.insert(QStringLiteral("rewrite"), a.rewrite);
        o.insert(QStringLiteral("rewrite_note"), a.rewriteNote);
        o.insert(QStringLiteral("rewrite_plan_index"), q.rewritePlanIndex);
    }
    return o;
}

void printQuery(int rank, const VectorQuery &q, const QList<ChangeEstimate> &estimates)
{
    const QueryAdvice &a = q.advice;
    printLine(QStringLiteral("#%1  %2 call(s), mean %3 ms, total %4 ms%5")
                  .arg(rank)
                  .arg(q.calls)
                  .arg(q.meanMs, 0, 'f', 2)
                  .arg(q.totalMs, 0, 'f', 1)
                  .arg(a.table.isEmpty() ? QString() : QStringLiteral(", on %1.%2 with %3").arg(a.table, a.column, a.op)));
    printLine(QStringLiteral("  as written:"));
    for (const QString &line : q.sql.trimmed().split(QLatin1Char('\n')))
        printLine(QStringLiteral("    ") + line.trimmed());
    if (!q.planError.isEmpty())
        printLine(QStringLiteral("  plan: not made (%1)").arg(q.planError));
    else
        printLine(QStringLiteral("  plan: %1 — %2")
                      .arg(q.planNodes, q.planIndex.isEmpty() ? QStringLiteral("no ANN index") : QStringLiteral("index ") + q.planIndex));
    for (const QString &r : a.reasons)
        printLine(QStringLiteral("  why: ") + r);
    if (!a.suggestedIndex.isEmpty())
        printLine(QStringLiteral("  index that would serve it: ") + a.suggestedIndex);
    if (!q.storagePlainEffect.isEmpty())
        printLine(QStringLiteral("  if applied: ") + q.storagePlainEffect);
    for (const ChangeEstimate &e : estimates)
        printLine(QStringLiteral("  estimated: ") + e.summary());
    if (!a.rewrite.isEmpty()) {
        const QString plan = !q.rewritePlanIndex.isEmpty() ? QStringLiteral("its plan: index %1").arg(q.rewritePlanIndex)
                             : !a.suggestedIndex.isEmpty() ? QStringLiteral("an index can serve it once one serves %1").arg(a.op)
                                                           : QStringLiteral("its plan still reads the table: at this size the "
                                                                            "planner prefers to apply the filter first; with "
                                                                            "pgvector 0.8, hnsw.iterative_scan keeps an index "
                                                                            "scan going past filtered rows");
        printLine(QStringLiteral("  index-friendly, the same rows (%1):").arg(plan));
        for (const QString &line : a.rewrite.split(QLatin1Char('\n')))
            printLine(QStringLiteral("    ") + line);
        printLine(QStringLiteral("  ") + a.rewriteNote);
    }
    printLine(QString());
}
} // namespace

int runQueries(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("queries"),
                      QStringLiteral("The database's own vector queries, as pg_stat_statements recorded them (most total "
                                     "time first): calls and time, whether an ANN index serves each (its generic plan, and "
                                     "why not from its text), the index that would, and for the reference design's search "
                                     "an index-friendly rewrite beside the original. Reads only; --enable creates the "
                                     "extension."));
    cmd.addOption({QStringLiteral("limit"), QStringLiteral("Queries to show (default 20)."), QStringLiteral("n"), QStringLiteral("20")});
    cmd.addOption({QStringLiteral("enable"), QStringLiteral("CREATE EXTENSION pg_stat_statements first (a write).")});
    cmd.addOption({QStringLiteral("estimate"),
                   QStringLiteral("Also plan each query on a copy of its table with the suggested index and with STORAGE "
                                  "PLAIN, before and after (temporary tables in transactions rolled back; an index build "
                                  "on the copy takes seconds).")});
    cmd.addOption({QStringLiteral("sample"), QStringLiteral("Rows in the copy for --estimate (default 5000)."), QStringLiteral("n"),
                   QStringLiteral("5000")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    bool ok = false;
    const int limit = cmd.parser().value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit < 1 || limit > 1000)
        return cmd.usageError(QStringLiteral("--limit must be 1-1000"));
    const int sample = cmd.parser().value(QStringLiteral("sample")).toInt(&ok);
    if (!ok || sample < 100 || sample > 1000000)
        return cmd.usageError(QStringLiteral("--sample must be 100-1000000"));
    const bool estimate = cmd.parser().isSet(QStringLiteral("estimate"));
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    PgConnection &c = *conn.value();
    auto status = statementsStatus(c);
    if (!status.ok())
        return reportError(status.error(), cmd.json());
    if (cmd.parser().isSet(QStringLiteral("enable")) && status.value().loaded && !status.value().installed) {
        if (auto enabled = enableStatements(c); !enabled.ok())
            return reportError(enabled.error(), cmd.json());
        status = statementsStatus(c);
        if (!status.ok())
            return reportError(status.error(), cmd.json());
    }
    if (!status.value().ready())
        return reportError(Error::invalid(status.value().howToEnable()), cmd.json());
    auto schema = discoverSchema(c);
    if (!schema.ok())
        return reportError(schema.error(), cmd.json());
    auto queries = vectorQueries(c, schema.value(), limit);
    if (!queries.ok())
        return reportError(queries.error(), cmd.json());
    QList<QList<ChangeEstimate>> estimates;
    for (const VectorQuery &q : queries.value()) {
        auto e = estimate ? estimateChanges(c, q, schema.value(), sample) : Result<QList<ChangeEstimate>>(QList<ChangeEstimate>{});
        if (!e.ok())
            return reportError(e.error(), cmd.json());
        estimates << e.value();
    }
    if (cmd.json()) {
        QJsonArray list;
        for (qsizetype i = 0; i < queries.value().size(); ++i) {
            QJsonObject o = queryJson(queries.value().at(i));
            QJsonArray changes;
            for (const ChangeEstimate &e : estimates.at(i))
                changes.append(estimateJson(e));
            if (estimate)
                o.insert(QStringLiteral("estimates"), changes);
            list.append(o);
        }
        printJson(QJsonObject{{QStringLiteral("queries"), list}});
        return Ok;
    }
    if (queries.value().isEmpty()) {
        printLine(QStringLiteral("No vector queries recorded yet (pg_stat_statements keeps what ran since it was loaded "
                                 "or reset)."));
        return Ok;
    }
    for (qsizetype i = 0; i < queries.value().size(); ++i)
        printQuery(int(i) + 1, queries.value().at(i), estimates.at(i));
    return Ok;
}
} // namespace vwb::cli
