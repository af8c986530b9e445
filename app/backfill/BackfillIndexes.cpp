// app/backfill/BackfillIndexes.cpp
#include "backfill/BackfillIndexes.h"

#include "connection/PgConnection.h"
#include "core/Job.h"
#include "embeddings/EmbeddingProvider.h"
#include "embeddings/EmbeddingSources.h"
#include "maintenance/IndexBuild.h"
#include "maintenance/MaintenanceJob.h"
#include "metrics/SizeHistory.h"
#include <QElapsedTimer>
#include <algorithm>

namespace vwb {
namespace {
constexpr double TokensPerRow = 300; // a forum topic's content, roughly, when the provider's token limit bounds the fill
} // namespace

QString rebuildTableName(const ContentPair &pair)
{
    return pair.vectors.schema + QLatin1Char('.') + pair.vectors.name;
}

Result<BackfillIndexPlan> planBackfillIndexes(PgConnection &conn, const BackfillOptions &options, const BackfillSql &st, qint64 rows,
                                              const EmbeddingProvider *provider, const QString &rebuildsPath)
{
    BackfillIndexPlan plan;
    const QString column = options.column.isEmpty() && !options.pair.columns.isEmpty() ? options.pair.columns.first().name
                                                                                       : options.column;
    auto indexes = annIndexesOn(conn, options.pair.vectors, column);
    if (!indexes.ok())
        return indexes.error();
    plan.indexes = indexes.value();
    const QString profile = SizeHistory::profileKey(conn.profile());
    plan.rateKey = sourceColumnName(options.pair, options.column);
    BackfillRates rates;
    {
        auto stats = conn.exec(QStringLiteral("SELECT greatest(c.reltuples, 0)::bigint FROM pg_class c WHERE c.oid = to_regclass($1)"),
                               {st.vectors});
        if (!stats.ok())
            return stats.error();
        const qint64 present = stats.value().scalar().toLongLong();
        const bool inserts = options.mode == BackfillMode::Missing && !st.isInline && !st.secondary;
        const QString providerId = provider ? provider->id() : QStringLiteral("lexical");
        const bool local = !provider || provider->computesLocally();
        const auto defaults = [&](double fill) {
            return defaultBackfillRates(plan.indexes, local, options.requestsPerMinute, options.tokensPerMinute, options.batchSize,
                                        TokensPerRow, fill);
        };
        rates = defaults(0);
        if (!rebuildsPath.isEmpty()) {
            IndexRebuilds record(rebuildsPath);
            auto pending = record.pending(profile, rebuildTableName(options.pair));
            if (!pending.ok())
                return pending.error();
            // A record whose index is there and valid is stale (a run killed between the build and
            // clearing it): it goes, and nothing is built for it.
            for (const PendingRebuild &p : pending.value()) {
                const bool built = std::any_of(plan.indexes.cbegin(), plan.indexes.cend(),
                                               [&p](const ColumnIndex &i) { return i.valid && i.qualified() == p.index; });
                if (!built)
                    plan.pending << p;
                else if (auto cleared = record.clearPending(profile, p.index); !cleared.ok())
                    return cleared.error();
            }
            QHash<QString, double> measured;
            for (const QString &kind :
                 {QStringLiteral("fill:") + providerId, QStringLiteral("in-place:") + providerId, QStringLiteral("build")}) {
                auto rate = record.rate(profile, plan.rateKey, kind);
                if (!rate.ok())
                    return rate.error();
                if (rate.value() && *rate.value() > 0)
                    measured.insert(kind.section(QLatin1Char(':'), 0, 0), *rate.value());
            }
            rates = defaults(measured.value(QStringLiteral("fill")));
            rates.inPlace = measured.value(QStringLiteral("in-place"), rates.inPlace);
            rates.build = measured.value(QStringLiteral("build"), rates.build);
            rates.measured = measured.keys();
            rates.measured.sort();
        }
        QList<ColumnIndex> rebuilt;
        for (const ColumnIndex &i : plan.indexes)
            if (i.valid)
                rebuilt << i;
        // Without a record a dropped index could be lost: auto stays in place, rebuild is refused (BackfillJob).
        const IndexStrategy asked = rebuildsPath.isEmpty() && options.indexStrategy == IndexStrategy::Auto ? IndexStrategy::InPlace
                                                                                                           : options.indexStrategy;
        plan.estimate = chooseIndexStrategy(asked, rebuilt, rows, present + (inserts ? rows : 0), rates);
    }
    if (!plan.pending.isEmpty()) {
        QStringList names;
        for (const PendingRebuild &p : plan.pending)
            names << p.index;
        plan.estimate.reason += QStringLiteral("; %1 dropped by an earlier backfill (%2): built again after this fill")
                                    .arg(names.join(QStringLiteral(", ")), plan.pending.first().droppedAt.toString(Qt::ISODate));
    }
    return plan;
}

QString rebuildingApplicationName(PgConnection &conn, const QString &vectorsTable)
{
    auto oid = conn.exec(QStringLiteral("SELECT to_regclass($1)::oid"), {vectorsTable});
    return QStringLiteral("vector-workbench backfill, rebuilding %1").arg(oid.ok() ? oid.value().scalar() : QString());
}

Result<void> dropForRebuild(PgConnection &conn, const BackfillIndexPlan &plan, const QString &table, const QString &rebuildsPath,
                            JobContext &ctx)
{
    if (plan.estimate.chosen != IndexStrategy::Rebuild)
        return {};
    IndexRebuilds record(rebuildsPath);
    const QString profile = SizeHistory::profileKey(conn.profile());
    for (const ColumnIndex &i : plan.indexes) {
        const QString escaped = conn.escapeIdentifier(i.schema) + QLatin1Char('.') + conn.escapeIdentifier(i.name);
        bool known = false;
        for (const PendingRebuild &p : plan.pending)
            known = known || p.index == i.qualified();
        if (!i.valid && !known) {
            // An invalid index nobody recorded: a failed build of someone else's. Left alone (vwb health shows it).
            ctx.log(QStringLiteral("%1 is invalid (a failed build): left as it is; vwb index repair %1").arg(i.qualified()));
            continue;
        }
        if (i.valid) {
            if (auto kept = record.recordPending(profile, {i.qualified(), table, i.definition, QDateTime::currentDateTimeUtc()});
                !kept.ok())
                return kept.error().withContext(QStringLiteral("nothing was dropped"));
        }
        ctx.reportProgress(0, 0, QStringLiteral("Dropping %1 to fill without it (built again afterwards)").arg(i.qualified()));
        ctx.log(QStringLiteral("DROP INDEX CONCURRENTLY %1").arg(escaped));
        if (auto dropped = conn.exec(QStringLiteral("DROP INDEX CONCURRENTLY IF EXISTS %1").arg(escaped)); !dropped.ok())
            return dropped.error().withContext(QStringLiteral("dropping %1 for the rebuild").arg(i.qualified()));
    }
    return {};
}

Result<qint64> buildRecorded(PgConnection &conn, const QString &vectorsTable, qint64 rows, const QString &rebuildsPath, JobContext &ctx,
                             qint64 done, qint64 total)
{
    IndexRebuilds record(rebuildsPath);
    const QString profile = SizeHistory::profileKey(conn.profile());
    auto pending = record.pending(profile, vectorsTable);
    if (!pending.ok())
        return pending.error();
    QElapsedTimer clock;
    clock.start();
    for (const PendingRebuild &p : pending.value()) {
        if (ctx.isCanceled())
            return Error::canceled();
        auto plan = planIndexFromDefinition(conn, p.index, p.definition, rows);
        if (!plan.ok())
            return plan.error();
        plan.value().finishesRebuild = p.index;
        plan.value().rebuildsPath = rebuildsPath;
        const QString title = plan.value().title;
        // The build's own progress (its phase and share) as this job's step; its log lines as ours.
        JobContext build(
            [&](const JobProgress &b) {
                ctx.reportProgress(done, total,
                                   QStringLiteral("%1: %2%3")
                                       .arg(title, b.step, b.total > 0 ? QStringLiteral(" %1%").arg(100 * b.done / b.total) : QString()));
            },
            [&](const QString &line) { ctx.log(line); });
        const auto hook = ctx.onCancel([&build] { build.requestCancel(); });
        ctx.log(title);
        MaintenanceJob job(conn.profile(), plan.value());
        if (auto built = job.run(build); !built.ok())
            return built.error().withContext(
                QStringLiteral("building %1 again (the index stays dropped: run the backfill again, or vwb index repair %1)").arg(p.index));
    }
    return clock.elapsed();
}
} // namespace vwb
