// app/maintenance/IndexBuild.cpp
#include "maintenance/IndexBuild.h"

#include "connection/PgConnection.h"
#include <QRegularExpression>
#include <QThread>

namespace vwb {
namespace {
constexpr qint64 MB = 1024 * 1024;
constexpr qint64 DefaultCeiling = 1024 * MB;
constexpr int MaxParallelWorkers = 4;
} // namespace

Result<IndexBuildSettings> indexBuildSettings(PgConnection &conn, const QString &method, qint64 rows, int dims, int bytesPerDimension,
                                              int m)
{
    auto read = conn.exec(
        QStringLiteral("SELECT (SELECT setting FROM pg_settings WHERE name = 'maintenance_work_mem'), "
                       "       (SELECT max_val FROM pg_settings WHERE name = 'maintenance_work_mem'), "
                       "       current_setting('max_parallel_maintenance_workers'), current_setting('max_parallel_workers'), "
                       // the server is on this machine when the connection reaches it on a socket or loopback
                       // (an SSH tunnel looks the same: its server is then taken for a local one, and given fewer workers)
                       "       coalesce(inet_server_addr() <<= '127.0.0.0/8'::inet OR inet_server_addr() = '::1'::inet, true)"));
    if (!read.ok())
        return read.error().withContext(QStringLiteral("reading the server's build settings"));
    // pg_settings gives maintenance_work_mem and its maximum in kB
    const qint64 current = read.value().value(0, 0).toLongLong() * 1024;
    const qint64 maximum = read.value().value(0, 1).toLongLong() * 1024;
    const int workers = read.value().value(0, 2).toInt(), parallel = read.value().value(0, 3).toInt();
    const bool local = read.value().value(0, 4) == QLatin1String("t");
    IndexBuildSettings s;
    if (method == QLatin1String("hnsw")) {
        // the vectors plus ~2*m neighbour links of 8 bytes per element, roughly
        const qint64 graph = qMax<qint64>(rows, 1) * (qint64(qMax(dims, 1)) * bytesPerDimension + 16LL * m + 64);
        const qint64 ceiling = qMin(qMax(DefaultCeiling, current), maximum > 0 ? maximum : DefaultCeiling);
        const qint64 wanted = qMin(graph + 64 * MB, ceiling);
        if (wanted > current) {
            s.statements << QStringLiteral("SET maintenance_work_mem = '%1MB'").arg(wanted / MB);
            s.notes << QStringLiteral("maintenance_work_mem %1 MB for a graph of ~%2 MB (the server's setting: %3 MB)")
                           .arg(wanted / MB)
                           .arg(graph / MB)
                           .arg(current / MB);
        } else {
            s.notes << QStringLiteral("maintenance_work_mem %1 MB holds the graph (~%2 MB)").arg(current / MB).arg(graph / MB);
        }
        if (graph > qMax(wanted, current))
            s.warnings << QStringLiteral("The graph (~%1 MB for %2 rows) is larger than the %3 MB this build may use: once "
                                         "memory is full the build goes on much slower. Raise maintenance_work_mem on the "
                                         "server (or its maximum) for a faster build")
                              .arg(graph / MB)
                              .arg(rows)
                              .arg(qMax(wanted, current) / MB);
    }
    // The leader builds too: a server on this machine gets a worker per core beside it, no more
    // (on 2 cores, 4 workers built 50,000 × 1536 in 48 s, 1 worker in 40 s). Elsewhere the server's
    // cores are unknown: up to its max_parallel_workers, never below its own setting.
    const int cores = QThread::idealThreadCount();
    const int useWorkers = local ? qMin(qMin(parallel, MaxParallelWorkers), qMax(cores - 1, 0))
                                 : qMax(workers, qMin(parallel, MaxParallelWorkers));
    if (useWorkers != workers) {
        s.statements << QStringLiteral("SET max_parallel_maintenance_workers = %1").arg(useWorkers);
        s.notes << QStringLiteral("max_parallel_maintenance_workers %1 (the server's setting: %2%3)")
                       .arg(useWorkers)
                       .arg(workers)
                       .arg(local ? QStringLiteral("; the server is on this machine, %1 cores").arg(cores) : QString());
    }
    if (useWorkers > 0) {
        // pgvector builds in parallel only when the planner would scan the table in parallel, and
        // it judges by the main heap alone: vectors over ~2 kB are stored out of line (TOAST), so
        // 1536 dimensions leave a heap under min_parallel_table_scan_size (8 MB) long after the
        // table is large, and the build runs on one core (50,000 × 1536: 72-78 s on one, 40-44 s on two).
        s.statements << QStringLiteral("SET min_parallel_table_scan_size = 0");
        s.notes << QStringLiteral("min_parallel_table_scan_size 0: the build is parallel however small the table's heap looks "
                                  "with its vectors stored out of line");
    }
    return s;
}

Result<IndexBuildSettings> rebuildSettings(PgConnection &conn, const QString &target)
{
    auto found = conn.exec(
        QStringLiteral("SELECT am.amname, greatest(c.reltuples, 0)::bigint, a.atttypmod, format_type(a.atttypid, NULL), "
                       "       coalesce((SELECT option_value FROM pg_options_to_table(i.reloptions) WHERE option_name = 'm'), '16') "
                       "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam "
                       "JOIN pg_class c ON c.oid = x.indrelid JOIN pg_attribute a ON a.attrelid = i.oid AND a.attnum = 1 "
                       "WHERE to_regclass($1) IN (x.indrelid, x.indexrelid) AND am.amname IN ('hnsw', 'ivfflat') "
                       "ORDER BY am.amname = 'hnsw' DESC, i.relname LIMIT 1"),
        {target});
    if (!found.ok())
        return found.error().withContext(QStringLiteral("reading the index to rebuild"));
    if (found.value().rowCount() == 0)
        return IndexBuildSettings{};
    const QueryResult &f = found.value();
    const int bytesPerDimension = f.value(0, 3) == QLatin1String("halfvec") ? 2 : 4;
    return indexBuildSettings(conn, f.value(0, 0), f.value(0, 1).toLongLong(), f.value(0, 2).toInt(), bytesPerDimension,
                              f.value(0, 4).toInt());
}

Result<MaintenancePlan> planIndexFromDefinition(PgConnection &conn, const QString &qualifiedIndex, const QString &definition, qint64 rows)
{
    static const QRegularExpression head(QStringLiteral("^CREATE INDEX (\\S+|\"(?:[^\"]|\"\")+\") ON (.+) USING (\\w+) \\((.*)\\)"),
                                         QRegularExpression::DotMatchesEverythingOption);
    const auto parts = head.match(definition);
    if (!parts.hasMatch())
        return Error::invalid(
            QStringLiteral("%1: the recorded definition is not an index the workbench rebuilds: %2").arg(qualifiedIndex, definition));
    const QString method = parts.captured(3);
    const QString index = conn.escapeIdentifier(qualifiedIndex.section(QLatin1Char('.'), 0, 0)) + QLatin1Char('.')
                          + conn.escapeIdentifier(qualifiedIndex.section(QLatin1Char('.'), 1));
    auto state = conn.exec(QStringLiteral("SELECT (SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = to_regclass($1)), "
                                          "       greatest((SELECT reltuples FROM pg_class WHERE oid = to_regclass($2)), 0)::bigint"),
                           {index, parts.captured(2)});
    if (!state.ok())
        return state.error();
    MaintenancePlan plan;
    plan.request.kind = MaintenanceRequest::Kind::CreateIndex;
    plan.request.index = qualifiedIndex;
    plan.request.method = method;
    if (state.value().value(0, 0) == QLatin1String("t")) {
        plan.title = QStringLiteral("%1 is there and valid: nothing to build").arg(qualifiedIndex);
        return plan;
    }
    const bool invalid = !state.value().isNull(0, 0);
    // Dimensions and m from the definition: halfvec(N) casts store 2 bytes a dimension.
    static const QRegularExpression dimsIn(QStringLiteral("(halfvec|vector)\\((\\d+)\\)")), mIn(QStringLiteral("\\bm\\s*=\\s*'?(\\d+)"));
    const auto d = dimsIn.match(definition);
    const auto mm = mIn.match(definition);
    int dims = d.hasMatch() ? d.captured(2).toInt() : 0;
    const int bytes = definition.contains(QLatin1String("halfvec")) ? 2 : 4;
    if (dims == 0) { // a plain column: its type modifier
        auto typmod = conn.exec(QStringLiteral("SELECT max(a.atttypmod) FROM pg_attribute a WHERE a.attrelid = to_regclass($1) "
                                               "AND a.attnum > 0 AND format_type(a.atttypid, NULL) IN ('vector', 'halfvec')"),
                                {parts.captured(2)});
        dims = typmod.ok() ? qMax(0, typmod.value().scalar().toInt()) : 0;
    }
    auto settings = indexBuildSettings(conn, method, qMax(rows, state.value().value(0, 1).toLongLong()), dims, bytes,
                                       mm.hasMatch() ? mm.captured(1).toInt() : 16);
    if (!settings.ok())
        return settings.error();
    plan.settings = settings.value().statements;
    plan.notes = settings.value().notes;
    plan.warnings = settings.value().warnings;
    if (invalid) {
        plan.statements = {QStringLiteral("REINDEX INDEX CONCURRENTLY %1").arg(index)};
        plan.title = QStringLiteral("Rebuild %1 (an invalid build of it is there)").arg(qualifiedIndex);
    } else {
        plan.statements = {QStringLiteral("CREATE INDEX CONCURRENTLY ") + definition.mid(QStringLiteral("CREATE INDEX ").size())};
        plan.title = QStringLiteral("Build %1 again (%2)").arg(qualifiedIndex, method);
    }
    return plan;
}

QString graphFitWarning(const QString &notice)
{
    if (!notice.contains(QLatin1String("graph no longer fits into maintenance_work_mem")))
        return {};
    QString said = notice.trimmed();
    if (said.startsWith(QLatin1String("NOTICE:")))
        said = said.mid(7).trimmed();
    return QStringLiteral("%1 — the rest of the build is much slower; raise maintenance_work_mem for the next build").arg(said);
}
} // namespace vwb
