// app/maintenance/HealthCheck.cpp
#include "maintenance/HealthCheck.h"

#include "advice/VectorQueries.h"
#include "connection/PgConnection.h"
#include "connection/SqlLiterals.h"
#include "embeddings/EmbeddingSources.h"
#include "embeddings/SourceProbe.h"
#include "maintenance/IndexRebuilds.h"
#include "metrics/SizeHistory.h"
#include "migrations/KnexLedger.h"
#include <algorithm>

namespace vwb {
namespace {
using Severity = HealthFinding::Severity;
constexpr int ToastThresholdBytes = 2032; // TOAST_TUPLE_THRESHOLD on 8 kB pages

QString qualified(PgConnection &conn, const TableRef &t)
{
    return conn.escapeIdentifier(t.schema) + QLatin1Char('.') + conn.escapeIdentifier(t.name);
}

Result<qint64> count(PgConnection &conn, const QString &sql)
{
    auto r = conn.exec(sql);
    if (!r.ok())
        return r.error();
    return r.value().scalar().toLongLong();
}

HealthFinding finding(const QString &check, const QString &table, qint64 n, Severity bad, const QString &message, const QString &fix,
                      HealthFinding::Action action = HealthFinding::Action::None, const QString &target = {})
{
    return {check, table, n > 0 ? bad : Severity::Ok, n, message, n > 0 ? fix : QString(), action, target};
}
} // namespace

QString HealthFinding::severityName(Severity s)
{
    switch (s) {
    case Severity::Ok: return QStringLiteral("ok");
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Problem: return QStringLiteral("problem");
    }
    return {};
}

QString HealthFinding::actionName(Action a)
{
    switch (a) {
    case Action::None: return {};
    case Action::Backfill: return QStringLiteral("backfill");
    case Action::BackfillStale: return QStringLiteral("backfill_stale");
    case Action::Vacuum: return QStringLiteral("vacuum");
    case Action::CreateAnnIndex: return QStringLiteral("create_ann_index");
    case Action::RepairIndex: return QStringLiteral("repair_index");
    case Action::DropIndex: return QStringLiteral("drop_index");
    case Action::ApplyMigrations: return QStringLiteral("apply_migrations");
    case Action::ExportKnexMigration: return QStringLiteral("export_knex_migration");
    }
    return {};
}

QJsonObject HealthFinding::toJson() const
{
    QJsonObject o{{QStringLiteral("check"), check},
                  {QStringLiteral("table"), table},
                  {QStringLiteral("severity"), severityName(severity)},
                  {QStringLiteral("count"), count},
                  {QStringLiteral("message"), message}};
    if (!fix.isEmpty())
        o.insert(QStringLiteral("fix"), fix);
    if (action != Action::None && severity != Severity::Ok)
        o.insert(QStringLiteral("action"),
                 QJsonObject{{QStringLiteral("kind"), actionName(action)}, {QStringLiteral("target"), actionTarget}});
    return o;
}

Result<QList<HealthFinding>> runHealthChecks(PgConnection &conn, const DatabaseSchema &schema, const ProviderForColumn &provider,
                                             const QString &sourcesPath)
{
    QList<HealthFinding> out;
    // On a database a Knex project manages, schema fixes go to the project as Knex migrations.
    auto knexRows = knexledger::projectMigrationCount(conn);
    if (!knexRows.ok())
        return knexRows.error();
    const bool knexManaged = knexRows.value() > 0;
    auto migrationFix = [knexManaged](const QString &file) {
        return knexManaged ? QStringLiteral("vwb migrate export --project DIR --only %1, then the project's npx knex "
                                            "migrate:latest")
                                 .arg(file.section(QLatin1Char('_'), 1).chopped(4))
                           : QStringLiteral("vwb migrate latest (%1)").arg(file);
    };
    const auto migrationAction = knexManaged ? HealthFinding::Action::ExportKnexMigration : HealthFinding::Action::ApplyMigrations;
    auto add = [&out](Result<qint64> n, const std::function<HealthFinding(qint64)> &make) -> Result<void> {
        if (!n.ok())
            return n.error();
        out << make(n.value());
        return {};
    };
    for (const ContentPair &p : schema.pairs) {
        // One table's checks failing (dropped meanwhile, not readable by this role) is a finding
        // of its own: the other tables' findings still show.
        auto checked = [&]() -> Result<void> {
            if (p.columns.isEmpty() || p.columns.first().type == QLatin1String("bit"))
                return {}; // binary vectors: none of these checks is written for them yet
            const QString c = qualified(conn, p.content), v = qualified(conn, p.vectors);
            const auto quote = [&conn](const QString &s) { return conn.escapeIdentifier(s); };
            const VectorColumn &col = p.columns.first();
            const QString vcol = conn.escapeIdentifier(col.name);
            const QString kind = p.kind();
            if (!p.isInline()) {
                const QString join = p.joinSql(QStringLiteral("v"), QStringLiteral("c"), quote);
                const KeySql ref(p.vectorKey(), QStringLiteral("v"), quote);
                QStringList nulls; // a foreign key with a NULL part points at nothing (MATCH SIMPLE)
                for (const QString &part : p.vectorKey().columns)
                    nulls << QStringLiteral("v.%1 IS NULL").arg(quote(part));
                const QString anyNull = QLatin1Char('(') + nulls.join(QStringLiteral(" OR ")) + QLatin1Char(')');
                const QString fkName = p.foreignKeys.isEmpty() ? p.foreignKey
                                                               : QStringLiteral("(%1)").arg(p.foreignKeys.join(QStringLiteral(", ")));
                const QString backfill = QStringLiteral("vwb backfill --table %1").arg(p.content.display());
                Result<void> r = add(
                    count(conn,
                          QStringLiteral("SELECT count(*) FROM %1 c WHERE NOT EXISTS (SELECT 1 FROM %2 v WHERE %3)").arg(c, v, join)),
                    [&](qint64 n) {
                        const bool owned = p.ownerEmbeds; // a chunk store: its vectorizer embeds them, or has them queued
                        return finding(
                            QStringLiteral("missing_vectors"), p.content.display(), n, Severity::Warning,
                            owned ? QStringLiteral("%1 %2 rows have no chunk in %3").arg(n).arg(kind, p.vectors.display())
                                  : QStringLiteral("%1 %2 rows have no vector").arg(n).arg(kind),
                            owned ? QStringLiteral("the vectorizer that owns %1 embeds them: see its queue").arg(p.vectors.display())
                                  : backfill,
                            owned ? HealthFinding::Action::None : HealthFinding::Action::Backfill,
                            owned ? QString() : p.content.display());
                    });
                if (r.ok() && p.vectorsHave(QStringLiteral("updated_at")) && p.contentHas(QStringLiteral("updated_at")))
                    r = add(count(conn,
                                  QStringLiteral("SELECT count(DISTINCT %4) FROM %1 c JOIN %2 v ON %3 WHERE v.updated_at < c.updated_at")
                                      .arg(c, v, join, KeySql(p.key, QStringLiteral("c"), quote).columns())),
                            [&](qint64 n) {
                                return finding(QStringLiteral("stale_vectors"), p.content.display(), n, Severity::Warning,
                                               QStringLiteral("%1 vectors are older than their content").arg(n),
                                               backfill + QStringLiteral(" --stale"), HealthFinding::Action::BackfillStale,
                                               p.content.display());
                            });
                // A chunk store has many vector rows per content row by design.
                if (r.ok() && !p.ownerEmbeds)
                    r = add(count(conn,
                                  QStringLiteral(
                                      "SELECT count(*) FROM (SELECT %1 FROM %2 v WHERE %3 IS NOT NULL GROUP BY %1 HAVING count(*) > 1) d")
                                      .arg(ref.order(), v, ref.columns())),
                            [&](qint64 n) {
                                return finding(QStringLiteral("duplicate_vectors"), p.vectors.display(), n, Severity::Problem,
                                               QStringLiteral("%1 %2 rows have more than one vector row").arg(n).arg(kind),
                                               QStringLiteral("DELETE FROM %1 a USING %1 b WHERE %2 = %3 AND a.id < b.id; then the "
                                                              "one-vector-per-row migration")
                                                   .arg(v, KeySql(p.vectorKey(), QStringLiteral("a"), quote).columns(),
                                                        KeySql(p.vectorKey(), QStringLiteral("b"), quote).columns()));
                            });
                if (r.ok() && !p.ownerEmbeds)
                    out << finding(QStringLiteral("no_unique_vector_key"), p.vectors.display(), p.keyIsUnique ? 0 : 1, Severity::Warning,
                                   p.keyIsUnique
                                       ? QStringLiteral("%1.%2 is unique: one vector row per %3").arg(p.vectors.display(), fkName, kind)
                                       : QStringLiteral("%1.%2 has no unique index: another writer (the application's own "
                                                        "backfill, running beside a vwb backfill) can add a second vector "
                                                        "row for a %3, and nothing stops it")
                                             .arg(p.vectors.display(), fkName, kind),
                                   migrationFix(QStringLiteral("20250201000000_one_vector_per_row.sql"))
                                       + QStringLiteral(" — fails while duplicates exist: remove them first"),
                                   migrationAction, QStringLiteral("20250201000000_one_vector_per_row.sql"));
                if (r.ok())
                    r = add(count(conn, QStringLiteral("SELECT count(*) FROM %1 v WHERE %2 OR NOT EXISTS (SELECT 1 FROM %3 c WHERE %4)")
                                            .arg(v, anyNull, c, join)),
                            [&](qint64 n) {
                                return finding(QStringLiteral("orphan_vectors"), p.vectors.display(), n, Severity::Problem,
                                               QStringLiteral("%1 vector rows point at no %2 row").arg(n).arg(kind),
                                               QStringLiteral("DELETE FROM %1 v WHERE %2 OR NOT EXISTS (SELECT 1 FROM %3 c WHERE %4)")
                                                   .arg(v, anyNull, c, join));
                            });
                if (r.ok() && p.vectorsHave(QStringLiteral("forum_name")) && p.contentHas(QStringLiteral("forum_name")))
                    r = add(
                        count(conn,
                              QStringLiteral("SELECT count(*) FROM %1 v JOIN %2 c ON %3 WHERE v.forum_name IS DISTINCT FROM c.forum_name")
                                  .arg(v, c, join)),
                        [&](qint64 n) {
                            return finding(
                                QStringLiteral("forum_name_drift"), p.vectors.display(), n, Severity::Problem,
                                QStringLiteral(
                                    "%1 vector rows carry a forum_name other than their content row's (forum-filtered searches miss them)")
                                    .arg(n),
                                QStringLiteral(
                                    "UPDATE %1 v SET forum_name = c.forum_name FROM %2 c WHERE %3 AND v.forum_name IS DISTINCT FROM c.forum_name")
                                    .arg(v, c, join));
                        });
                if (!r.ok())
                    return r.error();
            }
            if (col.dimensions == 0 && col.type != QLatin1String("bit")) {
                auto dims = conn.exec(
                    QStringLiteral("SELECT count(DISTINCT vector_dims(%1::vector)) FROM %2 WHERE %1 IS NOT NULL").arg(vcol, v));
                if (!dims.ok())
                    return dims.error();
                const qint64 n = dims.value().scalar().toLongLong();
                out << finding(QStringLiteral("dimension_mismatch"), p.vectors.display(), n > 1 ? n : 0, Severity::Problem,
                               QStringLiteral("%1.%2 holds vectors of %3 different dimensions").arg(p.vectors.display(), col.name).arg(n),
                               QStringLiteral("re-embed with one model (vwb backfill --all), then constrain the column: vector(N)"));
            }
            out << finding(QStringLiteral("no_ann_index"), p.vectors.display(), col.hasAnnIndex() ? 0 : 1, Severity::Warning,
                           col.hasAnnIndex() ? QStringLiteral("%1.%2 has an HNSW or IVFFlat index").arg(p.vectors.display(), col.name)
                                             : QStringLiteral("%1.%2 has no HNSW or IVFFlat index: every search reads every vector")
                                                   .arg(p.vectors.display(), col.name),
                           QStringLiteral("CREATE INDEX CONCURRENTLY ON %1 USING hnsw (%2 vector_cosine_ops)").arg(v, vcol),
                           HealthFinding::Action::CreateAnnIndex, p.vectors.display());
            QStringList serves;
            for (const VectorIndex &i : col.indexes)
                if (!i.distanceOperator().isEmpty())
                    serves << QStringLiteral("%1 serves %2 only").arg(i.name, i.distanceOperator());
            QStringList ann;
            for (const VectorIndex &i : col.indexes)
                if (i.isAnn())
                    ann << QStringLiteral("%1 (%2, %3)").arg(i.name, i.method, i.distanceOperator());
            if (ann.size() > 1)
                out << HealthFinding{QStringLiteral("several_ann_indexes"),
                                     p.vectors.display(),
                                     Severity::Warning,
                                     qint64(ann.size()),
                                     QStringLiteral("%1.%2 has %3 ANN indexes: %4. Every write updates each; keep the one your "
                                                    "searches use (vwb index list shows their scans)")
                                         .arg(p.vectors.display(), col.name)
                                         .arg(ann.size())
                                         .arg(ann.join(QStringLiteral(", "))),
                                     QStringLiteral("vwb index drop NAME --concurrently"),
                                     HealthFinding::Action::None,
                                     {}};
            if (!serves.isEmpty())
                out << HealthFinding{QStringLiteral("index_metric"),
                                     p.vectors.display(),
                                     Severity::Info,
                                     qint64(serves.size()),
                                     serves.join(QStringLiteral("; ")) + QStringLiteral(": searches with another operator cannot use it"),
                                     {},
                                     HealthFinding::Action::None,
                                     {}};
            // A chunk store's vectors embed chunks, not the row's text: nothing to compare them with here.
            if (provider && col.type != QLatin1String("sparsevec") && !p.ownerEmbeds) {
                // What a search with the configured provider would be compared against.
                auto made = provider(col.dimensions);
                auto text = resolveEmbeddingText(conn, p, col.name, {}, sourcesPath);
                if (!text.ok())
                    return text.error();
                auto probe = made.ok() ? probeEmbeddingSource(conn, p, col.name, text.value(), *made.value())
                                       : Result<SourceProbe>(made.error());
                if (!probe.ok())
                    return probe.error();
                const SourceProbe &sp = probe.value();
                const Severity bad = sp.verdict == SourceProbe::Verdict::Mixed ? Severity::Problem : Severity::Warning;
                out << finding(QStringLiteral("embedding_source"), p.vectors.display(), sp.conflicts() ? 1 : 0, bad, sp.message(),
                               QStringLiteral("search and backfill with the provider, model and text that filled it, or re-embed "
                                              "every row with this one: vwb backfill --table %1 --all")
                                   .arg(p.content.display()));
            }
            const int bytes = col.dimensions * 4 + 8;
            const bool toasted = col.storage != QLatin1String("p") && col.dimensions > 0 && bytes > ToastThresholdBytes;
            QString rewrite; // the fix's cost: VACUUM FULL writes the whole table again under an exclusive lock
            if (toasted) {
                auto size = conn.exec(QStringLiteral("SELECT pg_size_pretty(pg_total_relation_size(to_regclass($1)))"), {v});
                if (!size.ok())
                    return size.error();
                rewrite = size.value().scalar();
            }
            out << finding(
                QStringLiteral("vectors_in_toast"), p.vectors.display(), toasted ? 1 : 0, Severity::Warning,
                toasted ? QStringLiteral("%1.%2 (%3 bytes a value) is stored out of line: every ANN candidate costs a TOAST fetch "
                                         "(measured: ~72 ms a query against ~2 ms in line)")
                              .arg(p.vectors.display(), col.name)
                              .arg(bytes)
                        : QStringLiteral("%1.%2 (%3 bytes a value) is stored in the row").arg(p.vectors.display(), col.name).arg(bytes),
                migrationFix(QStringLiteral("20250201000003_vectors_storage_plain.sql"))
                    + QStringLiteral(", or: ALTER TABLE %1 ALTER COLUMN %2 SET STORAGE PLAIN; VACUUM FULL %1 — rewrites %3 "
                                     "under an exclusive lock: reads and writes of the table wait until it ends. A query "
                                     "that scans the whole table (no ANN index used) reads every vector with its row "
                                     "afterwards: slower, not faster")
                          .arg(v, vcol, rewrite),
                migrationAction, QStringLiteral("20250201000003_vectors_storage_plain.sql"));
            return {};
        }();
        if (!checked.ok() && (checked.error().kind == Error::Kind::Connection || checked.error().isCanceled()))
            return checked.error();
        if (!checked.ok())
            out << HealthFinding{QStringLiteral("check_failed"),
                                 p.content.display(),
                                 Severity::Problem,
                                 1,
                                 QStringLiteral("the checks of %1 stopped: %2").arg(p.content.display(), checked.error().message),
                                 {},
                                 HealthFinding::Action::None,
                                 {}};
    }

    // The application's own vector queries, where the database records them.
    auto statements = statementsStatus(conn);
    if (!statements.ok())
        return statements.error();
    if (!statements.value().ready()) {
        out << HealthFinding{QStringLiteral("query_stats"),
                             {},
                             Severity::Info,
                             1,
                             QStringLiteral("The application's vector queries can't be checked: ") + statements.value().howToEnable(),
                             {},
                             HealthFinding::Action::None,
                             {}};
    } else {
        auto queries = vectorQueries(conn, schema, 20);
        if (!queries.ok())
            return queries.error();
        for (const VectorQuery &q : queries.value()) {
            if (q.advice.table.isEmpty() || q.advice.indexable() || !q.planIndex.isEmpty())
                continue; // another schema's, or served
            QString fix = q.advice.suggestedIndex;
            if (!q.advice.rewrite.isEmpty())
                fix += (fix.isEmpty() ? QString() : QStringLiteral("\nthen query it as:\n")) + q.advice.rewrite;
            out << HealthFinding{QStringLiteral("unindexed_vector_query"),
                                 q.advice.table,
                                 Severity::Warning,
                                 q.calls,
                                 QStringLiteral("A vector query ran %1 time(s) at %2 ms each with no ANN index (%3): %4")
                                     .arg(q.calls)
                                     .arg(q.meanMs, 0, 'f', 1)
                                     .arg(q.sql.simplified().left(90), q.advice.reasons.join(QStringLiteral("; "))),
                                 fix.isEmpty() ? QStringLiteral("vwb queries shows it with its plan") : fix,
                                 HealthFinding::Action::None,
                                 {}};
        }
    }

    // Indexes and tables of the schemas the pairs live in.
    QStringList schemas;
    for (const ContentPair &p : schema.pairs)
        if (!schemas.contains(p.content.schema))
            schemas << p.content.schema;
    auto indexes = conn.exec(QStringLiteral(R"(
        SELECT CASE WHEN n.nspname = 'public' THEN ic.relname ELSE n.nspname || '.' || ic.relname END,
               CASE WHEN n.nspname = 'public' THEN t.relname ELSE n.nspname || '.' || t.relname END,
               i.indisvalid, coalesce(s.idx_scan, 0),
               i.indisunique OR i.indisprimary,
               row_number() OVER (PARTITION BY i.indrelid, i.indkey::text, i.indclass::text,
                                       coalesce(pg_get_expr(i.indpred, i.indrelid), '')
                                  ORDER BY i.indisprimary DESC, i.indisunique DESC, i.indexrelid)
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
        WHERE n.nspname = ANY($1::text[]))"),
                             {textArrayLiteral(schemas)});
    if (!indexes.ok())
        return indexes.error();
    QList<QPair<QString, QStringList>> unused; // per table, in the order met: one note each, not one per index
    for (const QStringList &r : indexes.value().rows) {
        if (r.at(2) != QLatin1String("t"))
            out << HealthFinding{
                QStringLiteral("invalid_index"),
                r.at(1),
                Severity::Problem,
                1,
                QStringLiteral("%1 is invalid (a failed CREATE INDEX CONCURRENTLY): it is maintained but never used").arg(r.at(0)),
                QStringLiteral("vwb index repair %1 (REINDEX INDEX CONCURRENTLY; a _ccnew/_ccold leftover is dropped)").arg(r.at(0)),
                HealthFinding::Action::RepairIndex,
                r.at(0)};
        if (r.at(5).toInt() > 1)
            out << HealthFinding{QStringLiteral("duplicate_index"),
                                 r.at(1),
                                 Severity::Warning,
                                 1,
                                 QStringLiteral("%1 duplicates another index on the same columns (the unique one is kept)").arg(r.at(0)),
                                 QStringLiteral("DROP INDEX CONCURRENTLY %1").arg(r.at(0)),
                                 HealthFinding::Action::DropIndex,
                                 r.at(0)};
        if (r.at(3).toLongLong() == 0 && r.at(4) != QLatin1String("t")) {
            auto table = std::find_if(unused.begin(), unused.end(), [&](const auto &u) { return u.first == r.at(1); });
            if (table == unused.end())
                unused.append({r.at(1), {r.at(0)}});
            else
                table->second << r.at(0);
        }
    }
    for (const auto &[table, names] : std::as_const(unused))
        out << HealthFinding{QStringLiteral("unused_index"),
                             table,
                             Severity::Info,
                             names.size(),
                             names.size() == 1
                                 ? QStringLiteral("%1 has not been scanned since statistics were last reset").arg(names.first())
                                 : QStringLiteral("%1 indexes have not been scanned since statistics were last reset: %2")
                                       .arg(names.size())
                                       .arg(names.join(QStringLiteral(", "))),
                             {},
                             HealthFinding::Action::None,
                             {}};
    // ANN indexes a backfill dropped to fill faster, recorded here and not built again yet.
    auto dropped = IndexRebuilds().pending(SizeHistory::profileKey(conn.profile()));
    if (!dropped.ok())
        return dropped.error();
    for (const PendingRebuild &p : dropped.value()) {
        const QString schemaName = p.index.section(QLatin1Char('.'), 0, 0), name = p.index.section(QLatin1Char('.'), 1);
        if (!schemas.contains(schemaName))
            continue;
        auto there = conn.exec(QStringLiteral("SELECT to_regclass($1) IS NOT NULL"),
                               {conn.escapeIdentifier(schemaName) + QLatin1Char('.') + conn.escapeIdentifier(name)});
        if (!there.ok())
            return there.error();
        if (there.value().scalar() == QLatin1String("t"))
            continue; // there (an invalid build of it is reported above)
        const QString shown = schemaName == QLatin1String("public") ? name : p.index;
        const QString table = p.table.startsWith(QLatin1String("public.")) ? p.table.mid(7) : p.table;
        out << HealthFinding{QStringLiteral("index_dropped_for_rebuild"),
                             table,
                             Severity::Problem,
                             1,
                             QStringLiteral("%1 was dropped by a backfill on %2 to fill %3 faster and is not built again: searches "
                                            "on it are exact")
                                 .arg(shown, p.droppedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm")), table),
                             QStringLiteral("vwb index repair %1 (builds it again from its recorded definition, CONCURRENTLY)").arg(shown),
                             HealthFinding::Action::RepairIndex,
                             shown};
    }
    auto tables = conn.exec(QStringLiteral(R"(
        SELECT CASE WHEN schemaname = 'public' THEN relname ELSE schemaname || '.' || relname END, n_dead_tup, n_live_tup,
               coalesce(to_char(greatest(last_vacuum, last_autovacuum), 'YYYY-MM-DD HH24:MI'), 'never'),
               coalesce(to_char(greatest(last_analyze, last_autoanalyze), 'YYYY-MM-DD HH24:MI'), 'never')
        FROM pg_stat_user_tables WHERE schemaname = ANY($1::text[]) ORDER BY schemaname, relname)"),
                            {textArrayLiteral(schemas)});
    if (!tables.ok())
        return tables.error();
    for (const QStringList &r : tables.value().rows) {
        const qint64 dead = r.at(1).toLongLong(), live = r.at(2).toLongLong();
        const bool bloated = dead > 1000 && dead > live / 5;
        out << HealthFinding{
            QStringLiteral("dead_tuples"),
            r.at(0),
            bloated ? Severity::Warning : Severity::Ok,
            dead,
            QStringLiteral("%1 dead of %2 live rows; last vacuum %3, last analyze %4").arg(dead).arg(live).arg(r.at(3), r.at(4)),
            bloated ? QStringLiteral("VACUUM (ANALYZE) %1").arg(r.at(0)) : QString(),
            bloated ? HealthFinding::Action::Vacuum : HealthFinding::Action::None,
            r.at(0)};
    }
    return out;
}
} // namespace vwb
