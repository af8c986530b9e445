// app/advice/ChangeEstimate.cpp
#include "advice/ChangeEstimate.h"

#include "connection/PgConnection.h"
#include "plan/Placeholders.h"
#include "search/SemanticSearch.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace vwb {
namespace {

struct PlanCost
{
    double cost = -1;
    QString annIndex;
};

/// The generic plan of `sql` inside the open transaction (ExplainRunner opens its own).
Result<PlanCost> planInTransaction(PgConnection &conn, const QString &sql)
{
    auto ph = Placeholders::scan(sql);
    if (!ph.ok())
        return ph.error();
    if (auto saved = conn.exec(QStringLiteral("SAVEPOINT vwb_plan")); !saved.ok())
        return saved.error();
    auto prepared = conn.exec(QStringLiteral("PREPARE vwb_estimate AS %1").arg(ph.value().sql));
    if (!prepared.ok()) {
        (void)conn.exec(QStringLiteral("ROLLBACK TO SAVEPOINT vwb_plan"));
        return prepared.error().withContext(QStringLiteral("planning on the copy"));
    }
    QStringList nulls;
    for (int i = 0; i < ph.value().count; ++i)
        nulls << QStringLiteral("NULL");
    auto plan = conn.exec(QStringLiteral("EXPLAIN (FORMAT JSON) EXECUTE vwb_estimate%1")
                              .arg(nulls.isEmpty() ? QString() : QStringLiteral("(%1)").arg(nulls.join(QStringLiteral(", ")))));
    (void)conn.exec(QStringLiteral("DEALLOCATE vwb_estimate"));
    if (!plan.ok())
        return plan.error();
    PlanCost out;
    const QJsonObject root = QJsonDocument::fromJson(plan.value().scalar().toUtf8()).array().first()[QStringLiteral("Plan")].toObject();
    out.cost = root.value(QStringLiteral("Total Cost")).toDouble();
    for (const QString &name : SemanticSearch::indexesInPlan(plan.value().scalar()))
        if (name.contains(QLatin1String("vwb_estimate_ann")))
            out.annIndex = name;
    return out;
}

/// `sql` reading pg_temp's copy: unqualified names resolve to it first; qualified ones are renamed.
QString onCopy(QString sql, const TableRef &table)
{
    for (const QString &qualified :
         {QStringLiteral("\"%1\".\"%2\"").arg(table.schema, table.name), QStringLiteral("%1.%2").arg(table.schema, table.name)})
        sql.replace(QRegularExpression(QStringLiteral("(?<![\\w.])%1(?![\\w])").arg(QRegularExpression::escape(qualified)),
                                       QRegularExpression::CaseInsensitiveOption),
                    QStringLiteral("pg_temp.") + table.name);
    return sql;
}

/// One transaction: the copy (stored PLAIN when asked), the plans, then `change` and the plans again.
Result<std::pair<PlanCost, PlanCost>> planOnCopy(PgConnection &conn, const ContentPair &pair, const QString &sql, int sampleRows,
                                                 bool plain, const QString &indexSql)
{
    const QString original = conn.escapeIdentifier(pair.vectors.schema) + QLatin1Char('.') + conn.escapeIdentifier(pair.vectors.name);
    const QString copy = QStringLiteral("pg_temp.") + conn.escapeIdentifier(pair.vectors.name);
    QString setup = QStringLiteral("BEGIN; SET LOCAL statement_timeout = 300000; SET LOCAL maintenance_work_mem = '256MB'; "
                                   "SET LOCAL plan_cache_mode = force_generic_plan; "
                                   "CREATE TEMP TABLE %1 (LIKE %2 INCLUDING DEFAULTS INCLUDING STORAGE) ON COMMIT DROP;")
                        .arg(conn.escapeIdentifier(pair.vectors.name), original);
    if (plain)
        for (const VectorColumn &c : pair.columns)
            setup += QStringLiteral("ALTER TABLE %1 ALTER COLUMN %2 SET STORAGE PLAIN;").arg(copy, conn.escapeIdentifier(c.name));
    if (auto begun = conn.execScript(setup); !begun.ok()) {
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
        return begun.error().withContext(QStringLiteral("making a copy of %1").arg(pair.vectors.display()));
    }
    const auto done = [&conn](auto result) {
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
        return result;
    };
    if (auto filled = conn.exec(QStringLiteral("INSERT INTO %1 SELECT * FROM %2 LIMIT $1").arg(copy, original), {sampleRows});
        !filled.ok())
        return done(Result<std::pair<PlanCost, PlanCost>>(filled.error()));
    if (auto analyzed = conn.exec(QStringLiteral("ANALYZE %1").arg(copy)); !analyzed.ok())
        return done(Result<std::pair<PlanCost, PlanCost>>(analyzed.error()));
    auto before = planInTransaction(conn, onCopy(sql, pair.vectors));
    if (!before.ok())
        return done(Result<std::pair<PlanCost, PlanCost>>(before.error()));
    PlanCost after = before.value();
    if (!indexSql.isEmpty()) {
        if (auto built = conn.exec(indexSql.arg(copy)); !built.ok())
            return done(
                Result<std::pair<PlanCost, PlanCost>>(built.error().withContext(QStringLiteral("building the index on the copy"))));
        auto planned = planInTransaction(conn, onCopy(sql, pair.vectors));
        if (!planned.ok())
            return done(Result<std::pair<PlanCost, PlanCost>>(planned.error()));
        after = planned.value();
    }
    return done(Result<std::pair<PlanCost, PlanCost>>(std::pair{before.value(), after}));
}
} // namespace

QString ChangeEstimate::summary() const
{
    const auto cost = [](double c, const QString &index) {
        return QStringLiteral("%1%2").arg(c, 0, 'f', 1).arg(index.isEmpty() ? QString() : QStringLiteral(" (ANN index)"));
    };
    QString s = QStringLiteral("%1, on a copy of %2 rows: as written, estimated cost %3 -> %4")
                    .arg(change)
                    .arg(sampleRows)
                    .arg(cost(costBefore, indexBefore), cost(costAfter, indexAfter));
    if (costBefore > 0 && costAfter > 0)
        s += QStringLiteral(" (%1x)").arg(costAfter / costBefore, 0, 'f', 2);
    if (rewriteCostAfter >= 0)
        s += QStringLiteral("; the rewrite %1 -> %2").arg(cost(rewriteCostBefore, {}), cost(rewriteCostAfter, rewriteIndexAfter));
    return s;
}

Result<QList<ChangeEstimate>> estimateChanges(PgConnection &conn, const VectorQuery &query, const DatabaseSchema &schema, int sampleRows)
{
    if (conn.isWriteLocked())
        return Error::invalid(QStringLiteral("\"%1\" is production and read-only in this session: estimating on a copy needs "
                                             "temporary tables, which a read-only transaction refuses (unlock writes; nothing "
                                             "is kept)")
                                  .arg(conn.profile().name));
    const QueryAdvice &a = query.advice;
    const auto pair = std::find_if(schema.pairs.begin(), schema.pairs.end(),
                                   [&a](const ContentPair &p) { return p.vectors.display() == a.table; });
    if (a.table.isEmpty() || pair == schema.pairs.end())
        return QList<ChangeEstimate>{};
    const auto column = std::find_if(pair->columns.begin(), pair->columns.end(),
                                     [&a](const VectorColumn &c) { return c.name == a.column; });
    QList<ChangeEstimate> out;
    if (!a.suggestedOpclass.isEmpty()) {
        const QString index = QStringLiteral("CREATE INDEX vwb_estimate_ann ON %1 USING hnsw (%2 %3)")
                                  .arg(QStringLiteral("%1"), conn.escapeIdentifier(a.column), a.suggestedOpclass);
        auto asWritten = planOnCopy(conn, *pair, query.sql, sampleRows, false, index);
        if (!asWritten.ok())
            return asWritten.error();
        ChangeEstimate e;
        e.change = QStringLiteral("hnsw (%1 %2)").arg(a.column, a.suggestedOpclass);
        e.costBefore = asWritten.value().first.cost;
        e.costAfter = asWritten.value().second.cost;
        e.indexAfter = asWritten.value().second.annIndex;
        if (!a.rewrite.isEmpty()) {
            auto rewrite = planOnCopy(conn, *pair, a.rewrite, sampleRows, false, index);
            if (!rewrite.ok())
                return rewrite.error();
            e.rewriteCostBefore = rewrite.value().first.cost;
            e.rewriteCostAfter = rewrite.value().second.cost;
            e.rewriteIndexAfter = rewrite.value().second.annIndex;
        }
        out << e;
    }
    if (column != pair->columns.end() && column->storage != QLatin1String("p")) {
        auto as = planOnCopy(conn, *pair, query.sql, sampleRows, false, {});
        auto plain = as.ok() ? planOnCopy(conn, *pair, query.sql, sampleRows, true, {}) : as;
        if (!plain.ok())
            return plain.error();
        ChangeEstimate e;
        e.change = QStringLiteral("STORAGE PLAIN");
        e.costBefore = as.value().first.cost;
        e.costAfter = plain.value().first.cost;
        out << e;
    }
    auto rows = conn.exec(QStringLiteral("SELECT least(count(*), $1) FROM (SELECT 1 FROM %1.%2 LIMIT $1) s")
                              .arg(conn.escapeIdentifier(pair->vectors.schema), conn.escapeIdentifier(pair->vectors.name)),
                          {sampleRows});
    if (!rows.ok())
        return rows.error();
    for (ChangeEstimate &e : out)
        e.sampleRows = rows.value().scalar().toInt();
    return out;
}
} // namespace vwb
