// app/maintenance/MaintenanceJob.cpp
#include "maintenance/MaintenanceJob.h"

#include "maintenance/IndexBuild.h"
#include "maintenance/IndexRebuilds.h"
#include "metrics/SizeHistory.h"

#include "connection/PgConnection.h"
#include <QRegularExpression>
#include <atomic>
#include <cmath>
#include <thread>

namespace vwb {
namespace {
constexpr int PollMs = 250;        // progress views are cheap; 4 looks a second
constexpr qint64 StepSlice = 1000; // a multi-statement plan's progress: per mille of each statement

QString qualified(PgConnection &conn, const TableRef &t)
{
    return conn.escapeIdentifier(t.schema) + QLatin1Char('.') + conn.escapeIdentifier(t.name);
}

/// Qualifies an index name given as "schema.name" or "name" (then in the table's schema).
QString qualifiedIndex(PgConnection &conn, const QString &index, const QString &schema)
{
    // An index may be named "my.idx" (index create --name my.idx): an index of exactly that name
    // wins over reading it as schema "my", index "idx".
    if (index.contains(QLatin1Char('.'))) {
        auto exact = conn.exec(QStringLiteral("SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                              "WHERE c.relkind IN ('i', 'I') AND c.relname = $1 "
                                              "AND CASE WHEN $2 = '' THEN pg_table_is_visible(c.oid) ELSE n.nspname = $2 END LIMIT 1"),
                               {index, schema});
        if (exact.ok() && exact.value().rowCount() == 1)
            return conn.escapeIdentifier(exact.value().value(0, 0)) + QLatin1Char('.') + conn.escapeIdentifier(index);
    }
    const qsizetype dot = index.indexOf(QLatin1Char('.'));
    return dot > 0 ? conn.escapeIdentifier(index.left(dot)) + QLatin1Char('.') + conn.escapeIdentifier(index.mid(dot + 1))
                   : (schema.isEmpty() ? conn.escapeIdentifier(index)
                                       : conn.escapeIdentifier(schema) + QLatin1Char('.') + conn.escapeIdentifier(index));
}

/// A REINDEX of a pgvector index gets the build's memory and parallel workers, as a new build does.
Result<void> withRebuildSettings(PgConnection &conn, MaintenancePlan &plan, const QString &target)
{
    auto settings = rebuildSettings(conn, target);
    if (!settings.ok())
        return settings.error();
    plan.settings = settings.value().statements;
    plan.notes = settings.value().notes;
    plan.warnings << settings.value().warnings;
    return {};
}
} // namespace

QString maintenanceKindName(MaintenanceRequest::Kind kind)
{
    using Kind = MaintenanceRequest::Kind;
    switch (kind) {
    case Kind::Vacuum: return QStringLiteral("VACUUM (ANALYZE)");
    case Kind::Analyze: return QStringLiteral("ANALYZE");
    case Kind::Reindex: return QStringLiteral("REINDEX");
    case Kind::CreateIndex: return QStringLiteral("CREATE INDEX");
    case Kind::DropIndex: return QStringLiteral("DROP INDEX");
    case Kind::ReindexThenVacuum: return QStringLiteral("REINDEX CONCURRENTLY, then VACUUM");
    case Kind::RepairIndex: return QStringLiteral("Repair index");
    }
    return {};
}

int ivfflatLists(qint64 rows)
{
    return int(qMax<qint64>(1, rows <= 1000000 ? rows / 1000 : qint64(std::sqrt(double(rows)))));
}

Result<MaintenancePlan> planMaintenance(PgConnection &conn, const MaintenanceRequest &r)
{
    using Kind = MaintenanceRequest::Kind;
    MaintenancePlan plan;
    plan.request = r;
    const QString table = r.table.name.isEmpty() ? QString() : qualified(conn, r.table);
    const QString concurrently = r.concurrently ? QStringLiteral(" CONCURRENTLY") : QString();
    switch (r.kind) {
    case Kind::Vacuum:
        plan.statements = {QStringLiteral("VACUUM (ANALYZE, VERBOSE) %1").arg(table).trimmed()};
        plan.title = QStringLiteral("VACUUM (ANALYZE) %1").arg(r.table.display());
        break;
    case Kind::Analyze:
        plan.statements = {QStringLiteral("ANALYZE %1").arg(table).trimmed()};
        plan.title = QStringLiteral("ANALYZE %1").arg(r.table.display());
        break;
    case Kind::Reindex: {
        if (r.concurrently && conn.server().versionNum < 120000)
            return Error::invalid(QStringLiteral("REINDEX CONCURRENTLY needs PostgreSQL 12 or newer"));
        const QString target = r.index.isEmpty() ? table : qualifiedIndex(conn, r.index, r.table.schema);
        plan.statements = {QStringLiteral("REINDEX %1%2 %3")
                               .arg(r.index.isEmpty() ? QStringLiteral("TABLE") : QStringLiteral("INDEX"), concurrently, target)};
        plan.title = QStringLiteral("REINDEX %1").arg(r.index.isEmpty() ? r.table.display() : r.index);
        plan.destructive = !r.concurrently; // a plain REINDEX blocks writes and reads of the index
        if (auto applied = withRebuildSettings(conn, plan, target); !applied.ok())
            return applied.error();
        break;
    }
    case Kind::DropIndex:
        plan.statements = {QStringLiteral("DROP INDEX%1 %2").arg(concurrently, qualifiedIndex(conn, r.index, r.table.schema))};
        plan.title = QStringLiteral("DROP INDEX %1").arg(r.index);
        plan.destructive = true;
        break;
    case Kind::CreateIndex: {
        if (r.method != QLatin1String("hnsw") && r.method != QLatin1String("ivfflat"))
            return Error::invalid(QStringLiteral("Index method must be hnsw or ivfflat (got %1)").arg(r.method));
        auto est = conn.exec(QStringLiteral("SELECT greatest(c.reltuples, 0)::bigint, current_setting('maintenance_work_mem'), "
                                            "a.atttypmod, format_type(a.atttypid, NULL) FROM pg_class c "
                                            "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $2 AND NOT a.attisdropped "
                                            "WHERE c.oid = to_regclass($1)"),
                             {table, r.column});
        if (!est.ok())
            return est.error();
        if (est.value().rowCount() == 0 || est.value().isNull(0, 2))
            return Error::invalid(QStringLiteral("No column %1 in %2").arg(r.column, r.table.display()));
        const qint64 rows = est.value().value(0, 0).toLongLong();
        const int dims = est.value().value(0, 2).toInt();
        // The operator class of the column's own type: vector_cosine_ops, halfvec_cosine_ops.
        const QString type = est.value().value(0, 3);
        if (type != QLatin1String("vector") && type != QLatin1String("halfvec"))
            return Error::invalid(QStringLiteral("%1.%2 is %3: the workbench builds indexes on vector and halfvec columns")
                                      .arg(r.table.display(), r.column, type));
        if (r.halfvec && type != QLatin1String("vector"))
            return Error::invalid(
                QStringLiteral("%1.%2 is already halfvec: index it as it is, without --halfvec").arg(r.table.display(), r.column));
        // pgvector's HNSW and IVFFlat take vectors of up to 2,000 dimensions and halfvec of up to 4,000.
        const int most = r.halfvec || type == QLatin1String("halfvec") ? 4000 : 2000;
        if (dims > most)
            return Error::invalid(
                QStringLiteral("%1.%2 has %3 dimensions: %4 indexes take at most %5%6")
                    .arg(r.table.display(), r.column)
                    .arg(dims)
                    .arg(r.halfvec ? QStringLiteral("halfvec") : type)
                    .arg(most)
                    .arg(most == 2000 && dims <= 4000 ? QStringLiteral(" (a halfvec index, --halfvec, takes up to 4,000)") : QString()));
        if (r.halfvec && dims < 1)
            return Error::invalid(
                QStringLiteral("%1.%2 has no fixed dimension: a halfvec index needs one (vector(N))").arg(r.table.display(), r.column));
        const QString keyType = r.halfvec ? QStringLiteral("halfvec") : type;
        const QString opclass = keyType + QLatin1String(metricInfo(r.metric).opclass);
        const int bytesPerDimension = keyType == QLatin1String("halfvec") ? 2 : 4;
        const QString key = r.halfvec ? QStringLiteral("(%1::halfvec(%2))").arg(conn.escapeIdentifier(r.column)).arg(dims)
                                      : conn.escapeIdentifier(r.column);
        const QString name = r.index.isEmpty() ? QStringLiteral("%1_%2_%3_%4%5_idx")
                                                     .arg(r.table.name, r.column, r.method, QLatin1String(metricInfo(r.metric).name),
                                                          r.halfvec ? QStringLiteral("_halfvec") : QString())
                                               : r.index;
        // CREATE INDEX would fail on the name only after the job started: say so before it does.
        auto taken = conn.exec(QStringLiteral("SELECT i.relkind FROM pg_class i WHERE i.relname = $2 "
                                              "AND i.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass($1))"),
                               {table, name});
        if (!taken.ok())
            return taken.error();
        if (taken.value().rowCount() > 0)
            return Error::invalid(
                QStringLiteral("%1 already exists in the schema of %2%3: drop it first (vwb index drop %1) or give "
                               "the new index another name (--name)")
                    .arg(name, r.table.display(),
                         taken.value().value(0, 0) == QLatin1String("i") ? QString() : QStringLiteral(", and is not an index")));
        QString with;
        if (r.method == QLatin1String("hnsw")) {
            with = QStringLiteral("m = %1, ef_construction = %2").arg(r.m).arg(r.efConstruction);
            auto settings = indexBuildSettings(conn, r.method, rows, dims, bytesPerDimension, r.m);
            if (!settings.ok())
                return settings.error();
            plan.settings = settings.value().statements;
            plan.notes = settings.value().notes;
            plan.warnings << settings.value().warnings;
        } else {
            const int lists = r.lists > 0 ? r.lists : ivfflatLists(rows);
            with = QStringLiteral("lists = %1").arg(lists);
            if (rows < qint64(lists) * 39)
                plan.warnings << QStringLiteral("Only %1 rows for %2 lists: IVFFlat learns its centres from the rows present, so "
                                                "build it after loading the data")
                                     .arg(rows)
                                     .arg(lists);
        }
        plan.statements = {QStringLiteral("CREATE INDEX%1 %2 ON %3 USING %4 (%5 %6) WITH (%7)")
                               .arg(concurrently, conn.escapeIdentifier(name), table, r.method, key, opclass, with)};
        plan.title = QStringLiteral("CREATE INDEX %1 (%2, %3)").arg(name, r.method, opclass);
        break;
    }
    case Kind::ReindexThenVacuum: {
        if (conn.server().versionNum < 120000)
            return Error::invalid(QStringLiteral("REINDEX CONCURRENTLY needs PostgreSQL 12 or newer"));
        if (r.table.name.isEmpty())
            return Error::invalid(QStringLiteral("REINDEX, then VACUUM needs a table"));
        const QString target = r.index.isEmpty() ? table : qualifiedIndex(conn, r.index, r.table.schema);
        plan.statements = {QStringLiteral("REINDEX %1 CONCURRENTLY %2")
                               .arg(r.index.isEmpty() ? QStringLiteral("TABLE") : QStringLiteral("INDEX"), target),
                           QStringLiteral("VACUUM (ANALYZE, VERBOSE) %1").arg(table)};
        plan.title = QStringLiteral("REINDEX CONCURRENTLY, then VACUUM %1").arg(r.index.isEmpty() ? r.table.display() : r.index);
        if (auto applied = withRebuildSettings(conn, plan, target); !applied.ok())
            return applied.error();
        break;
    }
    case Kind::RepairIndex: {
        // An index a backfill dropped to rebuild it: built again from its recorded definition.
        auto recorded = IndexRebuilds().pending(SizeHistory::profileKey(conn.profile()));
        if (!recorded.ok())
            return recorded.error();
        for (const PendingRebuild &p : recorded.value()) {
            if (p.index != r.index && p.index.section(QLatin1Char('.'), 1) != r.index)
                continue;
            auto rebuilt = planIndexFromDefinition(conn, p.index, p.definition);
            if (rebuilt.ok()) {
                rebuilt.value().request = r;
                rebuilt.value().finishesRebuild = p.index;
            }
            return rebuilt;
        }
        auto found = conn.exec(
            QStringLiteral("SELECT i.indisvalid, c.relname, n.nspname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                           "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.indexrelid = to_regclass($1)"),
            {qualifiedIndex(conn, r.index, r.table.schema)});
        if (!found.ok())
            return found.error();
        if (found.value().rowCount() == 0)
            return Error::invalid(QStringLiteral("No index %1").arg(r.index));
        const QString name = found.value().value(0, 1), qualifiedName = qualifiedIndex(conn, name, found.value().value(0, 2));
        if (found.value().value(0, 0) == QLatin1String("t"))
            return Error::invalid(QStringLiteral("Index %1 is valid: there is nothing to repair").arg(r.index));
        // REINDEX CONCURRENTLY builds "<name>_ccnew" and swaps it in; failing half-way it leaves an
        // invalid _ccnew (or, after the swap, _ccold) beside the valid original: those go.
        if (conn.server().versionNum < 120000)
            return Error::invalid(
                QStringLiteral("REINDEX CONCURRENTLY needs PostgreSQL 12 or newer: drop %1 and create it again").arg(name));
        static const QRegularExpression leftover(QStringLiteral("_cc(new|old)[0-9]*$"));
        bool isLeftover = false;
        if (const auto m = leftover.match(name); m.hasMatch()) { // only beside the index it was a copy of
            auto original = conn.exec(QStringLiteral("SELECT to_regclass($1) IS NOT NULL"),
                                      {qualifiedIndex(conn, name.left(m.capturedStart()), found.value().value(0, 2))});
            if (!original.ok())
                return original.error();
            isLeftover = original.value().scalar() == QLatin1String("t");
        }
        if (isLeftover) {
            plan.statements = {QStringLiteral("DROP INDEX CONCURRENTLY %1").arg(qualifiedName)};
            plan.title = QStringLiteral("Repair %1: drop the leftover of a failed REINDEX CONCURRENTLY").arg(name);
            plan.destructive = true;
        } else {
            plan.statements = {QStringLiteral("REINDEX INDEX CONCURRENTLY %1").arg(qualifiedName)};
            plan.title = QStringLiteral("Repair %1: rebuild it").arg(name);
        }
        break;
    }
    }
    return plan;
}

MaintenanceJob::MaintenanceJob(ConnectionProfile profile, MaintenancePlan plan) : m_profile(std::move(profile)), m_plan(std::move(plan))
{
}

Result<void> MaintenanceJob::run(JobContext &ctx)
{
    auto work = PgConnection::open(m_profile, {5000, QStringLiteral("vector-workbench maintenance")});
    if (!work.ok())
        return work.error();
    if (work.value()->isWriteLocked())
        return Error::invalid(QStringLiteral("Profile \"%1\" is production and read-only in this session: unlock writes "
                                             "before %2")
                                  .arg(m_profile.name, m_plan.title));
    auto watch = PgConnection::open(m_profile, {5000, QStringLiteral("vector-workbench progress")});
    if (!watch.ok())
        return watch.error();
    auto pid = work.value()->exec(QStringLiteral("SELECT pg_backend_pid()"));
    if (!pid.ok())
        return pid.error();
    const int backend = pid.value().scalar().toInt();
    for (const QString &w : m_plan.warnings)
        ctx.log(QStringLiteral("warning: ") + w);
    for (const QString &n : m_plan.notes)
        ctx.log(n);
    for (const QString &setting : m_plan.settings) {
        ctx.log(setting);
        if (auto set = work.value()->exec(setting); !set.ok())
            return set.error();
    }
    ctx.reportProgress(0, 0, QStringLiteral("starting"));
    std::atomic_int step = 0; // the statement running, for the progress line's prefix
    const int steps = int(m_plan.statements.size());
    auto stepped = [&](const QString &phase) {
        const int i = qMin(step.load(), steps - 1);
        return steps > 1
                   ? QStringLiteral("%1/%2 %3: %4").arg(i + 1).arg(steps).arg(m_plan.statements.at(i).section(QLatin1Char(' '), 0, 0), phase)
                   : phase;
    };

    std::atomic_bool done = false;
    PgConnection *watcher = watch.value().get();
    std::thread poller([&] {
        // Each view shows this backend only while the matching command runs; one query reads all three.
        const QString sql = QStringLiteral(
            "SELECT phase, CASE WHEN tuples_total > 0 THEN tuples_done ELSE blocks_done END, "
            "       CASE WHEN tuples_total > 0 THEN tuples_total ELSE blocks_total END FROM pg_stat_progress_create_index WHERE pid = $1 "
            "UNION ALL SELECT phase, heap_blks_scanned, heap_blks_total FROM pg_stat_progress_vacuum WHERE pid = $1 "
            "UNION ALL SELECT phase, sample_blks_scanned, sample_blks_total FROM pg_stat_progress_analyze WHERE pid = $1");
        while (!done) {
            auto row = watcher->exec(sql, {backend});
            if (row.ok() && row.value().rowCount() > 0) {
                const qint64 d = row.value().value(0, 1).toLongLong(), t = row.value().value(0, 2).toLongLong();
                if (steps == 1) {
                    ctx.reportProgress(d, t, stepped(row.value().value(0, 0)));
                } else { // each statement its slice of the bar: progress never runs backwards between them
                    const qint64 i = qMin(step.load(), steps - 1);
                    ctx.reportProgress(i * StepSlice + (t > 0 ? StepSlice * qBound<qint64>(0, d, t) / t : 0), steps * StepSlice,
                                       stepped(row.value().value(0, 0)));
                }
            }
            for (int waited = 0; waited < PollMs && !done; waited += 10)
                std::this_thread::sleep_for(std::chrono::milliseconds(10)); // a poll interval, not a test wait
        }
    });
    const auto hook = ctx.onCancel([conn = work.value().get()] { conn->cancelCurrent(); });
    Result<void> outcome;
    for (; step < steps && outcome.ok(); ++step) {
        if (ctx.isCanceled()) { // an idle connection has nothing to cancel: look before each statement
            outcome = Error::canceled();
            break;
        }
        if (steps > 1)
            ctx.reportProgress(step * StepSlice, steps * StepSlice, stepped(QStringLiteral("starting")));
        ctx.log(m_plan.statements.at(step));
        auto ran = work.value()->execScript(m_plan.statements.at(step));
        for (const QString &notice : ran.ok() ? ran.value().notices : QStringList{}) {
            const QString fit = graphFitWarning(notice);
            ctx.log(fit.isEmpty() ? notice : QStringLiteral("warning: ") + fit);
        }
        if (!ran.ok() && ran.error().kind == Error::Kind::Connection && !ctx.isCanceled()) {
            // A restart or failover mid-statement: say what it left and how to go on.
            const QString &statement = m_plan.statements.at(step);
            Error lost = ran.error();
            lost.message = statement.contains(QLatin1String(" CONCURRENTLY")) && !statement.startsWith(QLatin1String("DROP"))
                               ? QStringLiteral("The connection was lost during %1 (%2): an interrupted concurrent build leaves "
                                                "an invalid index behind, which vwb health lists and vwb index repair NAME "
                                                "builds again")
                                     .arg(statement.section(QLatin1Char(' '), 0, 2), lost.message)
                               : QStringLiteral("The connection was lost during %1 (%2): the statement was rolled back; run "
                                                "it again once the server is back")
                                     .arg(statement.section(QLatin1Char(' '), 0, 1), lost.message);
            outcome = lost;
        } else if (!ran.ok())
            outcome = ran.error();
        else if (ctx.isCanceled())
            outcome = Error::canceled();
    }
    done = true;
    poller.join();
    if (!outcome.ok())
        return outcome;
    if (!m_plan.finishesRebuild.isEmpty()) {
        const QString path = m_plan.rebuildsPath.isEmpty() ? IndexRebuilds::defaultPath() : m_plan.rebuildsPath;
        if (auto cleared = IndexRebuilds(path).clearPending(SizeHistory::profileKey(m_profile), m_plan.finishesRebuild); !cleared.ok())
            ctx.log(cleared.error().message);
    }
    const qint64 total = qMax<qint64>(1, ctx.progress().total);
    ctx.reportProgress(total, total, QStringLiteral("done"));
    return {};
}
QList<DataChange> maintenanceChanges(const MaintenanceRequest &request)
{
    using Kind = MaintenanceRequest::Kind;
    const QString table = request.table.name.isEmpty() ? QString() : request.table.display();
    switch (request.kind) {
    case Kind::Vacuum:
    case Kind::Analyze: return {{DataChange::Kind::Storage, table}};
    case Kind::ReindexThenVacuum: return {{DataChange::Kind::Indexes, table}, {DataChange::Kind::Storage, table}};
    case Kind::Reindex:
    case Kind::CreateIndex:
    case Kind::DropIndex:
    case Kind::RepairIndex: return {{DataChange::Kind::Indexes, table}};
    }
    return {{DataChange::Kind::Storage, table}};
}
} // namespace vwb
