// app/advice/VectorQueries.cpp
#include "advice/VectorQueries.h"

#include "connection/PgConnection.h"
#include "core/AuditLog.h"
#include "plan/ExplainRunner.h"
#include "search/SemanticSearch.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vwb {
namespace {

constexpr int PlanTimeoutMs = 10000; // a generic plan is planning only; this bounds a pathological one

struct Planned
{
    QString index, nodes, error;
    QStringList seqScans;
};

void collectSeqScans(const QJsonObject &node, QStringList &out)
{
    if (node.value(QStringLiteral("Node Type")).toString() == QLatin1String("Seq Scan"))
        out << node.value(QStringLiteral("Relation Name")).toString();
    for (const QJsonValue &child : node.value(QStringLiteral("Plans")).toArray())
        collectSeqScans(child.toObject(), out);
}

QString megabytes(qint64 bytes)
{
    return QStringLiteral("%1 MB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

/// The generic plan of `sql` (its $n left unbound): which ANN index it scans, and its top nodes.
Planned planOf(PgConnection &conn, const QString &sql, const QStringList &annIndexes)
{
    ExplainOptions options;
    options.timeoutMs = PlanTimeoutMs;
    auto outcome = ExplainRunner::run(conn, sql, {}, options);
    if (!outcome.ok())
        return {{}, {}, outcome.error().message, {}};
    Planned p;
    for (const QString &name : SemanticSearch::indexesInPlan(outcome.value().json))
        if (annIndexes.contains(name.section(QLatin1Char('.'), -1)) && p.index.isEmpty())
            p.index = name;
    QStringList nodes;
    QJsonObject node = QJsonDocument::fromJson(outcome.value().json.toUtf8()).array().first()[QStringLiteral("Plan")].toObject();
    collectSeqScans(node, p.seqScans);
    while (!node.isEmpty() && nodes.size() < 5) {
        QString n = node.value(QStringLiteral("Node Type")).toString();
        if (node.contains(QStringLiteral("Relation Name")))
            n += QStringLiteral(" on ") + node.value(QStringLiteral("Relation Name")).toString();
        nodes << n;
        node = node.value(QStringLiteral("Plans")).toArray().first().toObject();
    }
    p.nodes = nodes.join(QStringLiteral(" > "));
    return p;
}
} // namespace

QString StatementsStatus::howToEnable() const
{
    if (!available)
        return QStringLiteral("This server does not ship pg_stat_statements (Debian: it comes with postgresql-NN; "
                              "elsewhere postgresql-contrib)");
    if (!loaded)
        return QStringLiteral("pg_stat_statements is not loaded: add shared_preload_libraries = 'pg_stat_statements' to "
                              "postgresql.conf and restart the server (the sandbox loads it: vwb sandbox stop, then start)");
    if (!installed)
        return QStringLiteral("pg_stat_statements is loaded but not created in this database: vwb queries --enable "
                              "(CREATE EXTENSION pg_stat_statements, as a superuser)");
    return {};
}

Result<StatementsStatus> statementsStatus(PgConnection &conn)
{
    auto r = conn.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements'), "
                                      "current_setting('shared_preload_libraries') ~ 'pg_stat_statements', "
                                      "EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements')"));
    if (!r.ok())
        return r.error();
    StatementsStatus s;
    s.available = r.value().value(0, 0) == QLatin1String("t");
    s.loaded = r.value().value(0, 1) == QLatin1String("t");
    s.installed = r.value().value(0, 2) == QLatin1String("t");
    return s;
}

Result<void> enableStatements(PgConnection &conn)
{
    if (conn.isWriteLocked())
        return Error::invalid(QStringLiteral("\"%1\" is production and read-only in this session: unlock writes to create "
                                             "the pg_stat_statements extension")
                                  .arg(conn.profile().name));
    const QString create = QStringLiteral("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    AuditedWrite audit(conn.profile().name, QStringLiteral("create an extension"), create);
    auto r = conn.exec(create);
    audit.finish(r);
    if (!r.ok())
        return r.error().withContext(QStringLiteral("creating pg_stat_statements"));
    return {};
}

Result<QList<VectorQuery>> vectorQueries(PgConnection &conn, const DatabaseSchema &schema, int limit)
{
    // The workbench's own statements are left out: its searches (SELECT n.ref, ...), its probes
    // and every EXPLAIN; DDL and COPY mention operators without being queries to serve.
    auto rows = conn.exec(QStringLiteral("SELECT s.queryid::text, s.query, s.calls, s.mean_exec_time, s.total_exec_time, s.rows "
                                         "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
                                         "WHERE d.datname = current_database() AND s.query ~ '(<->|<=>|<#>|<\\+>)' "
                                         "AND s.query !~* '^\\s*(EXPLAIN|PREPARE|CREATE|ALTER|COPY|SET)\\M' "
                                         "AND s.query !~ '^\\s*SELECT n\\.ref,' "
                                         "ORDER BY s.total_exec_time DESC LIMIT $1"),
                          {limit});
    if (!rows.ok())
        return rows.error().withContext(QStringLiteral("reading pg_stat_statements"));
    QStringList ann;
    QHash<QString, QString> outOfLine; // vector table name -> what STORAGE PLAIN would move into its rows
    for (const ContentPair &p : schema.pairs) {
        for (const VectorColumn &c : p.columns) {
            for (const VectorIndex &i : c.indexes)
                if (i.isAnn())
                    ann << i.name;
            if (c.storage == QLatin1String("p") || outOfLine.contains(p.vectors.name))
                continue;
            auto sizes = conn.exec(
                QStringLiteral("SELECT pg_relation_size(c.oid), coalesce(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0) "
                               "FROM pg_class c WHERE c.oid = to_regclass($1)"),
                {conn.escapeIdentifier(p.vectors.schema) + QLatin1Char('.') + conn.escapeIdentifier(p.vectors.name)});
            if (!sizes.ok())
                return sizes.error();
            if (sizes.value().rowCount() == 0)
                continue; // dropped since the schema was read
            const qint64 heap = sizes.value().value(0, 0).toLongLong(), toast = sizes.value().value(0, 1).toLongLong();
            outOfLine.insert(p.vectors.name, QStringLiteral("with STORAGE PLAIN its scan of %1 reads the vectors inside the rows: %2 of "
                                                            "heap, where today it reads %3 of heap and, for each distance, %4 of TOAST")
                                                 .arg(p.vectors.display(), megabytes(heap + toast), megabytes(heap), megabytes(toast)));
        }
    }
    QList<VectorQuery> out;
    for (const QStringList &r : rows.value().rows) {
        VectorQuery q;
        q.queryId = r.at(0);
        q.sql = r.at(1);
        q.calls = r.at(2).toLongLong();
        q.meanMs = r.at(3).toDouble();
        q.totalMs = r.at(4).toDouble();
        q.rows = r.at(5).toLongLong();
        q.advice = adviseVectorQuery(q.sql, schema);
        const Planned plan = planOf(conn, q.sql, ann);
        q.planIndex = plan.index;
        q.planNodes = plan.nodes;
        q.planError = plan.error;
        q.seqScans = plan.seqScans;
        for (const QString &table : plan.seqScans)
            if (outOfLine.contains(table) && q.storagePlainEffect.isEmpty())
                q.storagePlainEffect = outOfLine.value(table);
        if (!q.advice.rewrite.isEmpty())
            q.rewritePlanIndex = planOf(conn, q.advice.rewrite, ann).index;
        out << q;
    }
    return out;
}
} // namespace vwb
