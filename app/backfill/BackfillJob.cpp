// app/backfill/BackfillJob.cpp
#include "backfill/BackfillJob.h"

#include "backfill/BackfillClaims.h"
#include "backfill/BackfillIndexes.h"
#include "core/ShownText.h"
#include "backfill/BackfillWriter.h"
#include "backfill/RateLimiter.h"
#include "connection/PgConnection.h"
#include "embeddings/EmbeddingSources.h"
#include "embeddings/SourceProbe.h"
#include "metrics/SizeHistory.h"
#include <QElapsedTimer>
#include <QMutex>
#include <QScopeGuard>
#include <QThread>
#include <QWaitCondition>
#include <algorithm>
#include <cmath>
#include <future>
#include <numeric>
#include <optional>
#include <vector>

namespace vwb {
QString backfillModeName(BackfillMode mode)
{
    return mode == BackfillMode::Missing ? QStringLiteral("missing")
           : mode == BackfillMode::Stale ? QStringLiteral("stale")
                                         : QStringLiteral("all");
}

namespace {
/// What the backfill's provider makes of a few rows that have vectors, against those vectors.
Result<SourceProbe> compareWithColumn(PgConnection &conn, const BackfillOptions &options, const BackfillSql &st,
                                      EmbeddingProvider &provider)
{
    const QString column = options.column.isEmpty() ? options.pair.columns.first().name : options.column;
    return probeEmbeddingSource(conn, options.pair, column, st.embedded, provider);
}
} // namespace

int backfillWorkers(int requested, bool computesLocally)
{
    // Measured on 2 cores with the offline provider: 2 workers 11,300 rows/s, 4 workers 8,600.
    return computesLocally ? std::min(requested, std::max(1, QThread::idealThreadCount())) : requested;
}

Result<BackfillEstimate> estimateBackfill(PgConnection &conn, const BackfillOptions &options, double pricePerMillionTokens,
                                          EmbeddingProvider *compareWith)
{
    auto s = BackfillSql::discover(conn, options);
    if (!s.ok())
        return s.error();
    const BackfillSql &st = s.value();
    auto counted = conn.exec(QStringLiteral("SELECT count(*), coalesce(sum(length(%1)), 0) FROM %2 c WHERE %3")
                                 .arg(st.text, st.content, st.condition(options.mode, {}, BackfillSql::Reading::WholeTable)));
    if (!counted.ok())
        return counted.error().withContext(QStringLiteral("estimating the backfill"));
    BackfillEstimate e;
    e.workers = backfillWorkers(options.workers, compareWith && compareWith->computesLocally());
    e.rows = counted.value().value(0, 0).toLongLong();
    e.characters = counted.value().value(0, 1).toLongLong();
    e.tokens = (e.characters + 3) / 4;
    e.pricePerMillionTokens = pricePerMillionTokens;
    e.cost = double(e.tokens) / 1e6 * pricePerMillionTokens;
    e.text = st.embedded.templateText();
    e.keyIsUnique = options.pair.keyIsUnique;
    auto indexes = planBackfillIndexes(conn, options, st, e.rows, compareWith, options.rebuildsPath);
    if (!indexes.ok())
        return indexes.error();
    e.indexes = indexes.value().estimate;
    if (!compareWith || options.mode == BackfillMode::All)
        return e;
    auto probe = compareWithColumn(conn, options, st, *compareWith);
    if (!probe.ok())
        return probe.error();
    e.source = probe.value().message();
    e.sourceConflicts = probe.value().conflicts();
    return e;
}

/// One run's state: the connections, the provider and its limits, the report, what was rejected
/// (the claims keep their own, in BackfillClaims).
struct BackfillJob::Run
{
    Run(JobContext &c, PgConnection &pg, EmbeddingProvider &p, const BackfillOptions &o, BackfillReport &r, BackfillSql s)
        : ctx(c), conn(pg), provider(p), options(o), report(r), st(std::move(s)), limiter(o.requestsPerMinute, o.tokensPerMinute)
    {
    }
    JobContext &ctx;
    PgConnection &conn;
    QList<PgConnection *> others; // the other workers' connections (cancel reaches them all)
    EmbeddingProvider &provider;
    const BackfillOptions &options;
    BackfillReport &report;
    BackfillSql st;
    RateLimiter limiter;
    QElapsedTimer clock;
    QMutex waitMutex; // guards the limiter, the report and `skipped` (workers share them); with
                      // `wake`, rate-limit waits end at once on cancel
    QWaitCondition wake;
    QStringList skipped;               // keys the provider rejected
    std::atomic_bool stopping = false; // a worker failed: the others stop, provider calls included

    Result<EmbeddingBatch> request(const QStringList &texts);
    Result<QList<std::optional<Embedding>>> embed(const QStringList &keys, const QStringList &texts);
    /// Writes a claimed batch's vectors and commits its transaction.
    Result<void> finish(const BackfillClaim &c, const QList<std::optional<Embedding>> &vectors);
};

Result<EmbeddingBatch> BackfillJob::Run::request(const QStringList &texts)
{
    qint64 tokens = 0;
    for (const QString &t : texts)
        tokens += (t.size() + 3) / 4;
    {
        QMutexLocker lock(&waitMutex);
        for (qint64 wait; (wait = limiter.delayMs(clock.elapsed(), tokens)) > 0;) {
            if (ctx.isCanceled())
                return Error::canceled();
            wake.wait(&waitMutex, QDeadlineTimer(wait));
        }
        limiter.record(clock.elapsed(), tokens);
        ++report.requests;
    }
    auto made = provider.embed(texts, [this] { return ctx.isCanceled() || stopping; }); // workers embed side by side
    if (made.ok()) {
        QMutexLocker lock(&waitMutex);
        report.promptTokens += made.value().promptTokens;
        if (made.value().vectors.size() != texts.size())
            return Error::internal(QStringLiteral("The %1 provider returned %2 vectors for %3 texts")
                                       .arg(provider.id())
                                       .arg(made.value().vectors.size())
                                       .arg(texts.size()));
    }
    return made;
}

/// One vector per text, or none for a row the provider rejected (recorded and skipped).
Result<QList<std::optional<Embedding>>> BackfillJob::Run::embed(const QStringList &keys, const QStringList &texts)
{
    QList<std::optional<Embedding>> out(texts.size());
    QList<BackfillRowError> rejected;
    auto whole = request(texts);
    if (whole.ok()) {
        for (qsizetype i = 0; i < texts.size(); ++i)
            out[i] = whole.value().vectors.at(i);
    } else if (whole.error().kind != Error::Kind::Invalid) {
        return whole.error(); // canceled, or the provider itself is failing: a rerun resumes
    } else {
        ctx.log(QStringLiteral("The provider rejected a batch of %1 rows (%2); trying them one by one")
                    .arg(texts.size())
                    .arg(whole.error().message));
        for (qsizetype i = 0; i < texts.size(); ++i) {
            auto one = request({texts.at(i)});
            if (one.ok())
                out[i] = one.value().vectors.first();
            else if (one.error().kind == Error::Kind::Invalid)
                rejected << BackfillRowError{keys.at(i), one.error().message};
            else
                return one.error();
        }
        // Every row rejected: bad rows, or a provider that rejects everything (a wrong URL or model)?
        if (rejected.size() == texts.size()) {
            auto canary = request({QStringLiteral("Vector Workbench checks that the provider embeds this text")});
            if (!canary.ok())
                return canary.error().withContext(QStringLiteral("the provider rejects a known-good text too"));
        }
    }
    const int dims = st.dimensions > 0 ? st.dimensions : provider.dimensions();
    for (qsizetype i = 0; i < out.size(); ++i) {
        if (!out[i])
            continue;
        if (dims > 0 && out[i]->size() != dims)
            return Error::invalid(QStringLiteral("The %1 provider returned a %2-dimension vector but the column has %3")
                                      .arg(provider.id())
                                      .arg(out[i]->size())
                                      .arg(dims));
        if (std::any_of(out[i]->cbegin(), out[i]->cend(), [](float x) { return !std::isfinite(x); })) {
            out[i].reset();
            rejected << BackfillRowError{keys.at(i), QStringLiteral("the provider returned a value that is not a finite number")};
        }
    }
    for (const BackfillRowError &r : rejected) {
        {
            QMutexLocker lock(&waitMutex);
            report.errors << r;
            skipped << r.id;
        }
        ctx.log(QStringLiteral("Row %1 skipped: %2").arg(r.id, r.reason));
    }
    return out;
}

Result<void> BackfillJob::Run::finish(const BackfillClaim &c, const QList<std::optional<Embedding>> &vectors)
{
    if (ctx.isCanceled())
        return Error::canceled();
    auto written = writeBackfillBatch(*c.on, st, options.mode, {c.keys, c.forumNames, vectors});
    if (!written.ok())
        return written.error();
    if (auto committed = c.on->exec(QStringLiteral("COMMIT")); !committed.ok())
        return committed.error();
    QMutexLocker lock(&waitMutex);
    report.batches += 1;
    report.embedded += written.value().embedded;
    report.inserted += written.value().inserted;
    report.updated += written.value().updated;
    return {};
}

BackfillJob::BackfillJob(std::unique_ptr<PgConnection> conn, BackfillOptions options, std::unique_ptr<EmbeddingProvider> provider)
    : m_conn(std::move(conn)), m_options(std::move(options)), m_provider(std::move(provider))
{
    if (m_conn)
        m_profile = m_conn->profile(); // to connect again after the server went away
}

BackfillJob::BackfillJob(ConnectionProfile profile, BackfillOptions options, ProviderFactory providerFactory)
    : m_profile(std::move(profile)), m_options(std::move(options)), m_factory(std::move(providerFactory))
{
}

BackfillJob::~BackfillJob() = default;

void BackfillJob::recordRates(const BackfillIndexPlan &plan) const
{
    // Runs too short to say much are not kept: a few batches are mostly setup.
    constexpr qint64 MinRows = 1000;
    if (m_options.rebuildsPath.isEmpty() || m_report->embedded < MinRows || m_report->fillMs <= 0)
        return;
    IndexRebuilds record(m_options.rebuildsPath);
    const QString profile = SizeHistory::profileKey(m_conn->profile());
    const double fill = double(m_report->embedded) * 1000.0 / double(m_report->fillMs);
    const bool through = !plan.rebuilds()
                         && std::any_of(plan.indexes.cbegin(), plan.indexes.cend(), [](const ColumnIndex &i) { return i.valid; });
    (void)record.recordRate(profile, plan.rateKey, (through ? QStringLiteral("in-place:") : QStringLiteral("fill:")) + m_provider->id(),
                            fill);
    if (plan.rebuilds() && m_report->buildMs > 0 && plan.estimate.tableRows >= MinRows)
        (void)record.recordRate(profile, plan.rateKey, QStringLiteral("build"),
                                double(plan.estimate.tableRows) * 1000.0 / double(m_report->buildMs));
}

QString BackfillJob::title() const
{
    return QStringLiteral("Backfill %1 (%2)").arg(m_options.pair.vectors.display(), backfillModeName(m_options.mode));
}

std::optional<AuditSubject> BackfillJob::audit() const
{
    const QString column = m_options.column.isEmpty() && !m_options.pair.columns.isEmpty() ? m_options.pair.columns.first().name
                                                                                           : m_options.column;
    return AuditSubject{
        m_conn ? m_conn->profile().name : m_profile.name, QStringLiteral("backfill"),
        QStringLiteral("embed %1 of %2 into %3.%4 (index strategy %5)")
            .arg(m_options.mode == BackfillMode::All ? QStringLiteral("every row")
                                                     : QStringLiteral("the %1 rows").arg(backfillModeName(m_options.mode)),
                 m_options.pair.content.display(), m_options.pair.vectors.display(), column, indexStrategyName(m_options.indexStrategy))};
}

Result<void> BackfillJob::prepare(JobContext &ctx)
{
    if (m_options.workers < 1 || m_options.workers > BackfillOptions::MaxWorkers)
        return Error::invalid(QStringLiteral("Workers must be 1-%1, not %2").arg(BackfillOptions::MaxWorkers).arg(m_options.workers));
    if (m_options.batchSize < 1 || m_options.batchSize > BackfillOptions::MaxBatchSize)
        return Error::invalid(
            QStringLiteral("The batch size must be 1-%1, not %2").arg(BackfillOptions::MaxBatchSize).arg(m_options.batchSize));
    if (!m_conn) {
        ctx.reportProgress(0, 0, QStringLiteral("Connecting"));
        auto opened = PgConnection::open(m_profile, {5000, QStringLiteral("vector-workbench backfill")});
        if (!opened.ok())
            return opened.error();
        m_conn = std::move(opened).value();
    }
    if (m_conn->isWriteLocked())
        return Error{Error::Kind::Invalid,
                     QStringLiteral("\"%1\" is a production profile and writes are locked in this session: unlock writes "
                                    "(vwb: --unlock-writes %2) to backfill")
                         .arg(m_conn->profile().name, m_conn->server().database),
                     QStringLiteral("25006"),
                     {}};
    if (m_provider)
        return {};
    auto made = m_factory ? m_factory()
                          : Result<std::unique_ptr<EmbeddingProvider>>(Error::invalid(QStringLiteral("No embedding provider")));
    if (made.ok())
        m_provider = std::move(made).value();
    return made.ok() ? Result<void>() : made.error();
}

bool BackfillJob::connectionLost(const Error &error)
{
    // PgConnection classifies the losses (a broken socket, 57P01/57P02 the server ending the
    // session, 57P03 refusing a new one while it restarts) as Kind::Connection. Not 08P01, a
    // protocol error: the same again.
    return error.kind == Error::Kind::Connection && error.sqlState != QLatin1String("08P01");
}

Result<void> BackfillJob::run(JobContext &ctx)
{
    QElapsedTimer elapsed;
    elapsed.start();
    *m_report = BackfillReport{};
    m_runStart.clear();
    const auto stamp = qScopeGuard([&] { m_report->elapsedMs = elapsed.elapsed(); });
    // A lost connection costs only the batches in flight (each batch is one transaction, and the
    // claims skip what is done): connect again and go on, waiting longer each time the server
    // is still away; progress made resets the wait.
    int waited = 0;
    for (;;) {
        const qint64 before = m_report->embedded;
        Result<void> pass = runPass(ctx);
        if (pass.ok() || ctx.isCanceled() || !connectionLost(pass.error()))
            return pass;
        if (m_report->embedded > before)
            waited = 0;
        if (waited >= int(std::size(ReconnectWaitsS))) {
            Error e = pass.error();
            e.message = QStringLiteral("The connection was lost (%1) and could not be opened again in %2 s. %3 rows were embedded "
                                       "and are kept: run the backfill again to do the rest (it picks up the rows still missing)")
                            .arg(pass.error().message)
                            .arg(std::accumulate(std::begin(ReconnectWaitsS), std::end(ReconnectWaitsS), 0))
                            .arg(m_report->embedded);
            return e;
        }
        const int wait = ReconnectWaitsS[waited++];
        ctx.log(QStringLiteral("Lost the connection after %1 rows (%2): connecting again in %3 s")
                    .arg(m_report->embedded)
                    .arg(pass.error().message)
                    .arg(wait));
        ctx.reportProgress(m_report->embedded, m_report->total,
                           QStringLiteral("Connection lost: connecting again in %1 s (%2 rows done)").arg(wait).arg(m_report->embedded));
        if (!waitOrCancel(ctx, wait * 1000))
            return Error::canceled();
        m_conn.reset(); // prepare() opens it again; one that fails ends the next pass at once and waits longer
    }
}

bool BackfillJob::waitOrCancel(JobContext &ctx, int ms)
{
    QMutex mutex;
    QWaitCondition wake;
    const auto hook = ctx.onCancel([&] {
        QMutexLocker lock(&mutex);
        wake.wakeAll();
    });
    QMutexLocker lock(&mutex);
    if (!ctx.isCanceled())
        wake.wait(&mutex, ms);
    return !ctx.isCanceled();
}

Result<void> BackfillJob::runPass(JobContext &ctx)
{
    if (auto ready = prepare(ctx); !ready.ok())
        return ready.error();
    auto statements = BackfillSql::discover(*m_conn, m_options);
    if (!statements.ok())
        return statements.error();
    // Workers, each on its own connection, claim, embed and write batches side by side (the claims
    // in turn, SKIP LOCKED keeping them apart). A connection the server refuses means one fewer.
    int workers = backfillWorkers(m_options.workers, m_provider->computesLocally());
    if (workers < m_options.workers)
        ctx.log(QStringLiteral("%1 instead of %2: the %3 provider computes on this machine's %4")
                    .arg(counted(workers, QStringLiteral("worker")), QString::number(m_options.workers), m_provider->id(),
                         counted(workers, QStringLiteral("core"))));
    std::vector<std::unique_ptr<PgConnection>> extra;
    for (int i = 1; i < workers; ++i) {
        auto opened = PgConnection::open(m_conn->profile(), {5000, QStringLiteral("vector-workbench backfill")});
        if (!opened.ok()) {
            ctx.log(
                QStringLiteral("%1 instead of %2: %3").arg(counted(i, QStringLiteral("worker"))).arg(workers).arg(opened.error().message));
            break;
        }
        extra.push_back(std::move(opened).value());
    }
    m_report->workers = int(extra.size()) + 1;
    m_report->passes = 1;
    Run r(ctx, *m_conn, *m_provider, m_options, *m_report, statements.value());
    for (const auto &c : extra)
        r.others << c.get();
    const auto hook = ctx.onCancel([&r] {
        r.conn.cancelCurrent();
        for (PgConnection *c : r.others)
            c->cancelCurrent();
        QMutexLocker lock(&r.waitMutex);
        r.wake.wakeAll();
    });
    r.clock.start();
    const int columnDims = r.st.dimensions, providerDims = m_provider->dimensions();
    if (columnDims > 0 && providerDims > 0 && columnDims != providerDims)
        return Error::invalid(QStringLiteral("The %1 provider makes %2-dimension vectors but %3.%4 has %5 dimensions")
                                  .arg(m_provider->id())
                                  .arg(providerDims)
                                  .arg(m_options.pair.vectors.display(), r.st.column)
                                  .arg(columnDims));
    m_report->text = r.st.embedded.templateText();
    if (m_options.checkSource && m_options.mode != BackfillMode::All) {
        ctx.reportProgress(0, 0, QStringLiteral("Comparing with the vectors already there"));
        auto probe = compareWithColumn(*m_conn, m_options, r.st, *m_provider);
        if (!probe.ok())
            return probe.error();
        m_report->source = probe.value().message();
        ctx.log(m_report->source);
        if (probe.value().conflicts())
            return Error{Error::Kind::Invalid,
                         probe.value().message()
                             + QStringLiteral(". Backfill with the provider, model and text that filled "
                                              "the column (the text: --text, or the Maintenance panel's "
                                              "Embed field), or replace every vector with this source "
                                              "(vwb backfill --all)"),
                         QStringLiteral("vwb-source"),
                         {}};
    }
    ctx.reportProgress(0, 0, QStringLiteral("Counting rows"));
    // A pass after a lost connection goes on with the first one's start: mode `all` then leaves
    // the vectors it already wrote (newer than that start) and counts only what is left.
    const QString remaining = r.st.condition(m_options.mode, m_runStart.isEmpty() ? QString() : QStringLiteral("$1"),
                                             BackfillSql::Reading::WholeTable);
    auto counted = m_conn->exec(QStringLiteral("SELECT count(*), now()::text FROM %1 c WHERE %2").arg(r.st.content, remaining),
                                remaining.contains(QLatin1String("$1")) ? QVariantList{m_runStart} : QVariantList());
    if (!counted.ok())
        return ctx.isCanceled() ? Error::canceled() : counted.error().withContext(QStringLiteral("counting rows"));
    if (m_runStart.isEmpty())
        m_runStart = counted.value().value(0, 1);
    // A pass after a lost connection counts what is left; the rows embedded before stay done.
    const qint64 total = m_report->total = m_report->embedded + counted.value().value(0, 0).toLongLong();
    auto indexes = planBackfillIndexes(*m_conn, m_options, r.st, total, m_provider.get(), m_options.rebuildsPath);
    if (!indexes.ok())
        return indexes.error();
    const BackfillIndexPlan &plan = indexes.value();
    m_report->indexStrategy = indexStrategyName(plan.rebuilds() ? IndexStrategy::Rebuild : IndexStrategy::InPlace);
    m_report->strategyReason = plan.estimate.reason;
    ctx.log(QStringLiteral("Index strategy: ") + plan.estimate.reason);
    const QString table = rebuildTableName(m_options.pair);
    if (plan.rebuilds()) {
        if (m_options.rebuildsPath.isEmpty())
            return Error::invalid(QStringLiteral("The rebuild strategy records the indexes it drops, and this backfill has no record"));
        // Searches meanwhile are exact: they can tell why from the connections' name.
        const QString name = rebuildingApplicationName(*m_conn, r.st.vectors);
        for (PgConnection *c : QList<PgConnection *>{m_conn.get()} + r.others)
            (void)c->exec(QStringLiteral("SELECT set_config('application_name', $1, false)"), {name});
        if (auto dropped = dropForRebuild(*m_conn, plan, table, m_options.rebuildsPath, ctx); !dropped.ok())
            return ctx.isCanceled() ? Error::canceled() : dropped.error();
    }
    QElapsedTimer fillClock;
    fillClock.start();
    ctx.reportProgress(m_report->embedded, total, QStringLiteral("Embedding %1 rows").arg(total - m_report->embedded));
    BackfillClaims claims(
        r.st, m_options.mode, m_options.batchSize, m_runStart,
        [&r] {
            QMutexLocker lock(&r.waitMutex);
            return r.skipped;
        },
        [&ctx](const QString &line) { ctx.log(line); });

    qint64 done = m_report->embedded; // under r.waitMutex
    auto work = [&](PgConnection &conn) -> Result<void> {
        auto failed = [&](const Error &e) -> Result<void> {
            r.stopping = true; // the others stop too, mid-request if need be (a rerun redoes their batches)
            (void)conn.exec(QStringLiteral("ROLLBACK"));
            return ctx.isCanceled() ? Error::canceled() : e;
        };
        for (;;) {
            ctx.pausePoint(); // between batches: nothing claimed, no transaction open
            if (ctx.isCanceled())
                return Error::canceled();
            if (r.stopping)
                return {};
            auto claimed = claims.next(conn);
            if (!claimed.ok())
                return failed(claimed.error());
            const BackfillClaim &claim = claimed.value();
            if (claim.keys.isEmpty())
                return {}; // nothing left
            auto vectors = r.embed(claim.keys, claim.texts);
            if (!vectors.ok())
                return failed(vectors.error());
            if (auto finished = r.finish(claim, vectors.value()); !finished.ok())
                return failed(finished.error());
            QMutexLocker lock(&r.waitMutex);
            done += claim.keys.size();
            ctx.reportProgress(done, total,
                               QStringLiteral("Embedded %1 rows (%2 rejected), up to id %3")
                                   .arg(m_report->embedded)
                                   .arg(m_report->errors.size())
                                   .arg(claim.keys.last()));
        }
    };
    std::vector<std::future<Result<void>>> helpers;
    for (const auto &c : extra)
        helpers.push_back(std::async(std::launch::async, [&work, conn = c.get()] { return work(*conn); }));
    QList<Result<void>> outcomes{work(*m_conn)};
    for (auto &h : helpers)
        outcomes << h.get();
    if (!m_options.sourcesPath.isEmpty() && m_report->embedded > 0) { // what the column now holds, canceled or not
        EmbeddingSources sources(m_options.sourcesPath);
        const EmbeddingSource source{m_provider->id(),         m_provider->model(),
                                     m_provider->dimensions(), r.st.embedded.templateText(),
                                     m_report->embedded,       QDateTime::currentDateTimeUtc()};
        if (auto kept = sources.record(SizeHistory::profileKey(m_conn->profile()), sourceColumnName(m_options.pair, m_options.column),
                                       source);
            !kept.ok())
            ctx.log(kept.error().message);
    }
    // A real error wins over the cancels it may have caused.
    std::optional<Error> error;
    for (const Result<void> &o : outcomes)
        if (!o.ok() && (!error || (error->isCanceled() && !o.error().isCanceled())))
            error = o.error();
    m_report->fillMs = fillClock.elapsed();
    if (error) {
        if (plan.rebuilds())
            ctx.log(QStringLiteral("The indexes dropped for the rebuild stay dropped, and searches exact, until the backfill runs "
                                   "again or vwb index repair NAME builds them (vwb health lists them)"));
        return *error;
    }
    m_report->passes = claims.passes();
    // What a second pass found still held is left for a rerun: say how much.
    auto held = claims.heldAtEnd(*m_conn);
    if (!held.ok())
        return ctx.isCanceled() ? Error::canceled() : held.error();
    m_report->heldAtEnd = held.value();
    if (m_report->heldAtEnd > 0)
        ctx.log(QStringLiteral("%1 still %2 a vector: other transactions held them to the end. Run the backfill "
                               "again once those are done.")
                    .arg(vwb::counted(m_report->heldAtEnd, QStringLiteral("row")),
                         m_report->heldAtEnd == 1 ? QStringLiteral("needs") : QStringLiteral("need")));
    if (plan.rebuilds()) {
        auto built = buildRecorded(*m_conn, table, plan.estimate.tableRows, m_options.rebuildsPath, ctx, done, total);
        if (!built.ok())
            return ctx.isCanceled() ? Error::canceled() : built.error();
        m_report->buildMs = built.value();
    }
    recordRates(plan);
    QString summary = QStringLiteral("Done: %1 rows embedded, %2 rejected").arg(m_report->embedded).arg(m_report->errors.size());
    if (m_report->heldAtEnd > 0)
        summary += QStringLiteral(", %1 held by other transactions (run again)").arg(m_report->heldAtEnd);
    ctx.reportProgress(done, total, summary);
    return {};
}
} // namespace vwb
