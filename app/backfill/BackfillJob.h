// app/backfill/BackfillJob.h
#pragma once

#include "backfill/BackfillOptions.h"
#include "connection/ConnectionProfile.h"
#include "core/Job.h"
#include "embeddings/EmbeddingProvider.h"
#include <memory>

namespace vwb {
class PgConnection;
struct BackfillIndexPlan;

struct BackfillRowError
{
    QString id; // the content key, as text
    QString reason;
};

/// What a run did; complete once run() has returned (read it after JobRunner::finished()).
struct BackfillReport
{
    qint64 total = 0;    // rows that matched when the run started
    qint64 embedded = 0; // content rows whose vector was written (inserted or updated)
    qint64 inserted = 0;
    qint64 updated = 0;
    int workers = 0;      // connections that claimed and wrote batches side by side
    int passes = 0;       // over the content table: 2 when rows other transactions held were come back for
    qint64 heldAtEnd = 0; // rows still to do after the second pass: other transactions held them throughout
    qint64 batches = 0;   // committed
    qint64 requests = 0;  // embed() calls, row-by-row retries included
    qint64 promptTokens = 0;
    QList<BackfillRowError> errors; // rows the provider rejected, skipped for the rest of the run
    qint64 elapsedMs = 0;
    QString text;           // the EmbeddingText template embedded
    QString source;         // what the column was checked against before writing (SourceProbe::message)
    QString indexStrategy;  // "in-place" or "rebuild", as run
    QString strategyReason; // the estimate behind it (IndexStrategyEstimate::reason)
    qint64 fillMs = 0;      // embedding and writing
    qint64 buildMs = 0;     // building dropped indexes again (rebuild)
    double rowsPerSecond() const { return elapsedMs > 0 ? double(embedded) * 1000.0 / double(elapsedMs) : 0.0; }
};

/// What a run would do, from one query and without the provider (a dry run).
struct BackfillEstimate
{
    qint64 rows = 0;
    qint64 characters = 0; // of the texts that would be sent
    qint64 tokens = 0;     // characters / 4, rounded up
    double pricePerMillionTokens = 0;
    double cost = 0;               // tokens / 1e6 * price
    int workers = 0;               // what the job will run (backfillWorkers, with the provider given)
    QString text;                  // the EmbeddingText template that would be embedded
    bool keyIsUnique = true;       // false: the vector table lets other writers add a second vector row
    QString source;                // with a provider: how the column's vectors compare with it (SourceProbe::message)
    bool sourceConflicts = false;  // the backfill would be refused as it stands
    IndexStrategyEstimate indexes; // in place or fill-then-build, both estimated, and the choice
};

/// With `compareWith`, also what the backfill's first step will say of the vectors already in the
/// column (not in mode All, which replaces them): one embedding request of a few rows.
Result<BackfillEstimate> estimateBackfill(PgConnection &conn, const BackfillOptions &options, double pricePerMillionTokens,
                                          EmbeddingProvider *compareWith = nullptr);

/// The workers a backfill runs: `requested`, or no more than this machine's cores when the
/// provider computes locally (more would only take turns on them). The preview and the job agree.
int backfillWorkers(int requested, bool computesLocally);

/// Embeds content rows into their vector table, batch by batch. Each batch is one transaction:
/// claim rows (BackfillClaims: FOR NO KEY UPDATE SKIP LOCKED, so concurrent backfills never take the same row), embed
/// them, write the vectors with COPY under the content rows' locks (see writeBackfillBatch(): straight
/// into the vector table, or through a temporary table and a merge). A kill loses the batch in flight; a
/// rerun picks up the rest. A lost connection (a server restart, a failover) does the same
/// within the run: it connects again, waiting 1, 2, 4, 8 then 15 s, and goes on; still away after
/// that, it stops saying how many rows are done and that a rerun does the rest. Rows the provider rejects are reported and skipped for
/// the run. Refuses a write-locked production session. Cancel: the flag, plus the statement in flight.
class BackfillJob : public Job
{
public:
    using ProviderFactory = std::function<Result<std::unique_ptr<EmbeddingProvider>>()>;

    /// Uses a connection opened elsewhere (it moves to the job's thread with the job).
    BackfillJob(std::unique_ptr<PgConnection> conn, BackfillOptions options, std::unique_ptr<EmbeddingProvider> provider);
    /// Opens its own connection and provider on the thread that runs it.
    BackfillJob(ConnectionProfile profile, BackfillOptions options, ProviderFactory providerFactory);
    ~BackfillJob() override;

    QString title() const override;
    Result<void> run(JobContext &ctx) override;
    bool canPause() const override { return true; } // between batches
    QList<DataChange> changes() const override { return {{DataChange::Kind::Vectors, m_options.pair.vectors.display()}}; }
    std::optional<AuditSubject> audit() const override;
    qint64 rowsWritten() const override { return m_report->embedded; }
    /// Shared so it outlives the job inside a JobRunner; read it once the run is over.
    std::shared_ptr<const BackfillReport> report() const { return m_report; }

private:
    struct Run;
    /// Seconds between attempts to connect again after the connection was lost mid-run.
    static constexpr int ReconnectWaitsS[] = {1, 2, 4, 8, 15};
    static bool connectionLost(const Error &error);
    static bool waitOrCancel(JobContext &ctx, int ms); // false: canceled
    Result<void> runPass(JobContext &ctx);
    Result<void> prepare(JobContext &ctx);
    /// Keeps the run's fill (or in-place) and build rates for the next estimate (IndexRebuilds).
    void recordRates(const BackfillIndexPlan &plan) const;

    std::unique_ptr<PgConnection> m_conn;
    ConnectionProfile m_profile;
    BackfillOptions m_options;
    std::unique_ptr<EmbeddingProvider> m_provider;
    ProviderFactory m_factory;
    std::shared_ptr<BackfillReport> m_report = std::make_shared<BackfillReport>();
    QString m_runStart; // the server's now() when the run's first pass counted its rows
};

} // namespace vwb
