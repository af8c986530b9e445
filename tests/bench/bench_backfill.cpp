// tests/bench/bench_backfill.cpp — backfilling topic_vectors (vector(1536)) for N demo topics, in
// one run: raw binary COPY of precomputed vectors (the floor of what writing costs), BackfillJob
// with those same vectors handed out at no cost (its own share: claims, transactions, COPY), with
// the offline provider, and with a local HTTP embedder that adds 20 ms to every request, and the
// reference design's row-at-a-time loop (one embedding request and one INSERT per row) against
// the same embedder. Targets (the backfill issue): the offline job at >= 0.8x raw COPY's rows/s,
// the HTTP job at >= 100x the loop's. Each figure also says how many cores the machine kept busy.
// Topics: VWB_BENCH_ROWS (default 20,000). The loop runs on the first VWB_BENCH_LOOP_ROWS
// (default 300) and is extrapolated. Delay per request: VWB_BENCH_HTTP_DELAY_MS (default 20).
// Raw COPY and the jobs run in VWB_BENCH_ROUNDS rounds (default 3); each figure is its median.
#include "BenchSupport.h"

#include "backfill/BackfillJob.h"
#include "connection/BinaryCopy.h"
#include "connection/SqlLiterals.h"
#include "demo/DemoSeeder.h"
#include "embeddings/LexicalHashingProvider.h"
#include "embeddings/OpenAiCompatibleProvider.h"
#include "support/FakeEmbeddingServer.h"
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <cstdio>

using namespace vwb;
using namespace vwb::bench;

namespace {
constexpr int Dims = 1536;
constexpr qsizetype CopyChunkBytes = 1 << 20;
// The text BackfillJob embeds for a topics row: title and content, as its claim query builds it.
const char *const TextSql = "coalesce(concat_ws(E'\\n\\n', NULLIF(t.title::text, ''), NULLIF(t.content::text, '')), '')";

/// The variable's value when it is a number >= `minimum`, else `fallback`.
qint64 envOr(const char *name, qint64 fallback, qint64 minimum = 1)
{
    bool ok = false;
    const qint64 value = qEnvironmentVariable(name).toLongLong(&ok);
    return ok && value >= minimum ? value : fallback;
}

/// Something broke (not a missed target): main() prints it and exits 1, after the cluster is gone.
struct Failure
{
    QString what;
};

[[noreturn]] void fail(const QString &what)
{
    throw Failure{what};
}

qint64 scalar(PgConnection &conn, const QString &sql)
{
    auto r = conn.exec(sql);
    if (!r.ok())
        fail(QStringLiteral("%1: %2").arg(sql, r.error().message));
    return r.value().scalar().toLongLong();
}

/// An empty topic_vectors and a checkpoint, so that no run pays for the one before it.
void resetVectors(PgConnection &conn)
{
    if (auto truncated = conn.exec(QStringLiteral("TRUNCATE topic_vectors")); !truncated.ok())
        fail(QStringLiteral("TRUNCATE: %1").arg(truncated.error().message));
    (void)conn.exec(QStringLiteral("CHECKPOINT")); // needs a superuser (the bench cluster's is); only evens out runs
}

/// `expected` vector rows, one per topic, each for a topic that exists; fail() otherwise.
void verifyVectors(PgConnection &conn, const QString &run, qint64 expected)
{
    const qint64 rows = scalar(conn, QStringLiteral("SELECT count(*) FROM topic_vectors"));
    const qint64 topics = scalar(
        conn, QStringLiteral("SELECT count(DISTINCT v.topic_id) FROM topic_vectors v JOIN topics t ON t.id = v.topic_id"));
    if (rows != expected || topics != expected)
        fail(
            QStringLiteral("%1: %2 vector rows for %3 distinct topics, expected %4 of each").arg(run).arg(rows).arg(topics).arg(expected));
}

/// The reference design's vector text, `[${vector.join(',')}]`: numbers in their shortest form.
QByteArray vectorLiteral(const Embedding &v)
{
    QByteArray out;
    out.reserve(v.size() * 12 + 2);
    appendVectorLiteral(out, v);
    return out;
}

std::unique_ptr<EmbeddingProvider> httpProvider(const QString &baseUrl)
{
    OpenAiSettings s;
    s.baseUrl = baseUrl;
    s.apiKey = QStringLiteral("sk-bench-local"); // never OPENAI_API_KEY: nothing leaves this machine
    s.dimensions = Dims;
    auto made = OpenAiCompatibleProvider::create(s);
    if (!made.ok())
        fail(QStringLiteral("HTTP provider: %1").arg(made.error().message));
    return std::move(made).value();
}

/// Hands out the offline provider's vectors computed beforehand: the job with a provider that
/// costs (almost) nothing, so that its own share -- claims, transactions, COPY -- shows apart.
class PrecomputedProvider : public EmbeddingProvider
{
public:
    QHash<QString, Embedding> vectors; // by text
    QString id() const override { return QStringLiteral("precomputed"); }
    QString model() const override { return QStringLiteral("lexical-hash-v1"); }
    QString description() const override { return {}; }
    int dimensions() const override { return Dims; }
    bool computesLocally() const override { return true; } // workers capped as for the offline provider
    Result<EmbeddingBatch> embed(const QStringList &texts, const std::function<bool()> &) override
    {
        EmbeddingBatch batch;
        for (const QString &text : texts)
            batch.vectors << vectors.value(text); // shared, not copied
        return batch;
    }
};

/// One timed run: wall time, and the CPU time the whole machine spent meanwhile (this process,
/// the server's backends and background processes, the kernel).
struct Timing
{
    double ms = 0;
    double busyCpuSeconds = 0;
};

/// Times `body` with a wall clock and machineBusySeconds().
Timing timed(const std::function<void()> &body)
{
    const double busy = machineBusySeconds();
    QElapsedTimer clock;
    clock.start();
    body();
    return {clock.nsecsElapsed() / 1e6, machineBusySeconds() - busy};
}

/// One way of writing the vectors, timed in every round: the median run is its figure.
struct Figure
{
    QString label;
    qint64 rows = 0;      // rows actually written in each run
    QList<double> runsMs; // one per round
    QList<double> cores;  // CPU cores busy on average, one per round
    bool sampled = false;
    void add(const Timing &t)
    {
        runsMs << t.ms;
        cores << (t.ms > 0 ? t.busyCpuSeconds * 1000.0 / t.ms : 0.0);
    }
    double ms() const { return median(runsMs); }
    double rowsPerSecond() const { return ms() > 0 ? double(rows) * 1000.0 / ms() : 0.0; }
    QString spread() const
    {
        if (runsMs.size() < 2)
            return {};
        const auto [low, high] = std::minmax_element(runsMs.cbegin(), runsMs.cend());
        return QStringLiteral("  (%1 runs: %2-%3 rows/s)")
            .arg(runsMs.size())
            .arg(double(rows) * 1000.0 / *high, 0, 'f', 0)
            .arg(double(rows) * 1000.0 / *low, 0, 'f', 0);
    }
};

/// BackfillJob over every topic (mode missing, default options), on its own connection.
Timing runJob(const BenchCluster &cluster, PgConnection &conn, const ContentPair &pair, qint64 n, const QString &label,
              std::unique_ptr<EmbeddingProvider> provider)
{
    resetVectors(conn);
    auto opened = PgConnection::open(cluster.profile());
    if (!opened.ok())
        fail(opened.error().message);
    BackfillOptions options;
    options.pair = pair;
    options.mode = BackfillMode::Missing;
    options.workers = qEnvironmentVariableIntValue("VWB_BENCH_WORKERS") > 0 ? qEnvironmentVariableIntValue("VWB_BENCH_WORKERS")
                                                                            : BackfillOptions::DefaultWorkers;
    BackfillJob job(std::move(opened).value(), options, std::move(provider));
    JobContext ctx;
    Result<void> ran;
    const Timing t = timed([&] { ran = job.run(ctx); });
    if (!ran.ok())
        fail(QStringLiteral("%1: %2").arg(label, ran.error().message));
    const BackfillReport &r = *job.report();
    if (r.embedded != n || !r.errors.isEmpty())
        fail(QStringLiteral("%1: embedded %2 of %3 rows, %4 rejected").arg(label).arg(r.embedded).arg(n).arg(r.errors.size()));
    verifyVectors(conn, label, n);
    std::printf("  %-44s %8.2f s   %4.2f cores busy   %d workers, %lld batches, %lld provider requests\n", qPrintable(label),
                t.ms / 1000.0, t.busyCpuSeconds * 1000.0 / t.ms, r.workers, static_cast<long long>(r.batches),
                static_cast<long long>(r.requests));
    std::fflush(stdout);
    return t;
}

/// Raw binary COPY of precomputed vectors into an empty topic_vectors on `writer`: what writing
/// alone costs. `conn` empties the table before and checks it after.
Timing rawCopy(PgConnection &conn, PgConnection &writer, const QList<QStringList> &rows, const QList<Embedding> &vectors,
               const QString &label)
{
    resetVectors(conn);
    qsizetype next = 0;
    Result<qint64> copied = qint64(0);
    const Timing t = timed([&] {
        copied = writer.copyIn(QStringLiteral("COPY topic_vectors (topic_id, forum_name, vector) FROM STDIN (FORMAT binary)"),
                               [&](QByteArray &chunk, QString &abort) {
                                   BinaryCopyWriter w(chunk);
                                   if (next == 0)
                                       w.header();
                                   for (; next < rows.size() && chunk.size() < CopyChunkBytes; ++next) {
                                       w.beginRow(3);
                                       bool ok = false;
                                       w.int32(rows.at(next).at(0).toInt(&ok));
                                       if (!ok) {
                                           abort = QStringLiteral("id %1 is not an int4").arg(rows.at(next).at(0));
                                           return false;
                                       }
                                       w.text(rows.at(next).at(1));
                                       w.vector(vectors.at(next));
                                   }
                                   if (next == rows.size())
                                       w.trailer();
                                   return next < rows.size();
                               });
    });
    if (!copied.ok())
        fail(QStringLiteral("raw COPY: %1").arg(copied.error().message));
    verifyVectors(conn, label, rows.size());
    std::printf("  %-44s %8.2f s   %4.2f cores busy\n", qPrintable(label), t.ms / 1000.0, t.busyCpuSeconds * 1000.0 / t.ms);
    std::fflush(stdout);
    return t;
}

void printFigure(const Figure &f, qint64 n)
{
    const double seconds = f.rowsPerSecond() > 0 ? double(n) / f.rowsPerSecond() : 0.0;
    const QString cores = f.cores.isEmpty() ? QStringLiteral("-") : QString::number(median(f.cores), 'f', 2);
    std::printf("  %-44s %10.1f %10.1f %6s%s\n", qPrintable(f.label), f.rowsPerSecond(), seconds, qPrintable(cores),
                f.sampled ? qPrintable(QStringLiteral("  (sampled: %1 rows, extrapolated to %2)").arg(f.rows).arg(n))
                          : qPrintable(f.spread()));
}

void printTarget(const QString &label, const Figure &app, const Figure &reference, double target)
{
    const double ratio = reference.rowsPerSecond() > 0 ? app.rowsPerSecond() / reference.rowsPerSecond() : 0.0;
    std::printf("  %-30s %10.1f   %-40s %10.1f   x%-8.2f >= %-6g %s\n", qPrintable(label), app.rowsPerSecond(),
                qPrintable(reference.label), reference.rowsPerSecond(), ratio, target, ratio >= target ? "PASS" : "MISS");
}

int run(const BenchCluster &cluster, qint64 n, qint64 loopRows, int delayMs, int rounds)
{
    auto opened = PgConnection::open(cluster.profile());
    if (!opened.ok())
        fail(opened.error().message);
    PgConnection &conn = *opened.value();
    applyMigrations(conn);
    // No ANN index: every figure measures writing vectors, not HNSW inserts (which would dominate
    // all four alike). The B-tree indexes stay; every run pays for them the same way.
    if (auto dropped = conn.exec(QStringLiteral("DROP INDEX IF EXISTS topic_vectors_vector_hnsw_idx")); !dropped.ok())
        fail(dropped.error().message);

    DemoSeedOptions seed;
    seed.corpus.topics = n;
    seed.corpus.postsPerTopic = 0;
    QElapsedTimer clock;
    clock.start();
    if (auto loaded = DemoSeeder(seed).run(conn); !loaded.ok())
        fail(QStringLiteral("seeding: %1").arg(loaded.error().message));
    if (auto vacuumed = conn.exec(QStringLiteral("VACUUM ANALYZE topics")); !vacuumed.ok())
        fail(vacuumed.error().message);
    std::printf("  seeded %lld demo topics in %.1f s\n", static_cast<long long>(n), clock.elapsed() / 1000.0);

    auto schema = discoverSchema(conn);
    if (!schema.ok() || !schema.value().find(QStringLiteral("topic")))
        fail(QStringLiteral("no topics/topic_vectors pair found"));
    const ContentPair pair = *schema.value().find(QStringLiteral("topic"));
    if (pair.columns.isEmpty() || pair.columns.first().dimensions != Dims || pair.columns.first().hasAnnIndex())
        fail(QStringLiteral("topic_vectors.vector is not an unindexed vector(%1)").arg(Dims));
    auto indexes = conn.exec(QStringLiteral("SELECT string_agg(indexname, ', ' ORDER BY indexname) FROM pg_indexes "
                                            "WHERE schemaname = current_schema() AND tablename = 'topic_vectors'"));
    std::printf("  topic_vectors: NO ANN index (HNSW dropped); B-tree indexes kept: %s; vector storage %s\n",
                indexes.ok() ? qPrintable(indexes.value().scalar()) : "?", qPrintable(pair.columns.first().storage));

    // The offline provider's vectors for every topic, computed once: raw COPY writes these.
    auto topics = conn.exec(QStringLiteral("SELECT t.id, t.forum_name, %1 FROM topics t ORDER BY t.id").arg(QLatin1String(TextSql)));
    if (!topics.ok() || topics.value().rowCount() != n)
        fail(QStringLiteral("reading topics: %1").arg(topics.ok() ? QStringLiteral("wrong count") : topics.error().message));
    const QList<QStringList> &rows = topics.value().rows;
    LexicalHashingProvider lexical(Dims);
    QList<Embedding> vectors;
    vectors.reserve(n);
    clock.restart();
    for (const QStringList &row : rows) {
        auto v = lexical.embedOne(row.at(2));
        if (!v.ok())
            fail(QStringLiteral("topic %1: %2").arg(row.at(0), v.error().message));
        vectors << std::move(v).value();
    }
    const double embedMs = clock.nsecsElapsed() / 1e6;
    std::printf("  offline provider alone (one thread, no database): %.1f s, %.0f rows/s\n", embedMs / 1000.0,
                embedMs > 0 ? double(n) * 1000.0 / embedMs : 0.0);
    const int workers = qEnvironmentVariableIntValue("VWB_BENCH_WORKERS") > 0 ? qEnvironmentVariableIntValue("VWB_BENCH_WORKERS")
                                                                              : BackfillOptions::DefaultWorkers;
    std::printf("  BackfillJob: batch size %d (BackfillOptions::DefaultBatchSize), mode missing, %d workers asked (VWB_BENCH_WORKERS; "
                "default %d; the job caps a provider that computes locally at this machine's %d cores), each on its own "
                "connection with one provider request in flight, rate limits off; HTTP provider: up to %d inputs per "
                "request, so one request per batch\n",
                BackfillOptions::DefaultBatchSize, workers, BackfillOptions::DefaultWorkers, QThread::idealThreadCount(),
                OpenAiSettings().maxBatchInputs);

    // The HTTP embedder: dense, deterministic vectors (shaped like a real model's on the wire), on
    // a thread of its own since the job and the loop block this one while they wait for it.
    test::FakeEmbeddingServer server;
    server.dimensions = Dims;
    server.delayMs = delayMs;
    if (!server.startListening())
        fail(QStringLiteral("the local HTTP embedder could not listen on 127.0.0.1"));
    const QString httpLabel = QStringLiteral("+%1 ms/request").arg(delayMs);
    {
        // One batch's round trip by itself (after a warm-up request): delay, JSON both ways,
        // parsing; the median of five.
        auto probe = httpProvider(server.baseUrl());
        QStringList batch;
        for (qsizetype i = 0; i < qMin<qsizetype>(BackfillOptions::DefaultBatchSize, rows.size()); ++i)
            batch << rows.at(i).at(2);
        if (auto warm = probe->embed({batch.first()}); !warm.ok())
            fail(QStringLiteral("HTTP embedder: %1").arg(warm.error().message));
        const double roundTripMs = timeMedianMs(5, [&] {
            if (auto one = probe->embed(batch); !one.ok())
                fail(QStringLiteral("HTTP embedder: %1").arg(one.error().message));
        });
        std::printf("  HTTP embedder alone: %lld texts in one request, %.1f ms round trip, median of 5 (%d ms of it the added delay)\n",
                    static_cast<long long>(batch.size()), roundTripMs, delayMs);
    }

    // Rounds of (b) raw COPY and the three jobs, one after the other: this machine's noise (other
    // tenants, write-back) lands on all of them alike, and each figure is its median.
    // Raw COPY on a connection of its own, opened for it as psql \copy or any loader would (and
    // as the jobs open theirs): a new backend maps the server's shared buffers page by page as it
    // first touches them, ~0.5 s of page faults per 20,000 vectors on this VM. For comparison,
    // the same COPY on the long-lived connection that seeded the table, whose backend did that already.
    Figure copy{QStringLiteral("raw binary COPY (precomputed vectors)"), n, {}, {}, false};
    Figure warmCopy{QStringLiteral("(raw COPY on the seeding connection)"), n, {}, {}, false};
    Figure offline{QStringLiteral("BackfillJob, offline (lexical) provider"), n, {}, {}, false};
    Figure free{QStringLiteral("BackfillJob, vectors precomputed"), n, {}, {}, false};
    Figure http{QStringLiteral("BackfillJob, HTTP %1").arg(httpLabel), n, {}, {}, false};
    for (int round = 1; round <= rounds; ++round) {
        std::printf("  round %d of %d (VWB_BENCH_ROUNDS)\n", round, rounds);
        auto own = PgConnection::open(cluster.profile());
        if (!own.ok())
            fail(own.error().message);
        copy.add(rawCopy(conn, *own.value(), rows, vectors, copy.label));
        warmCopy.add(rawCopy(conn, conn, rows, vectors, warmCopy.label));
        offline.add(runJob(cluster, conn, pair, n, offline.label, std::make_unique<LexicalHashingProvider>(Dims)));
        auto precomputed = std::make_unique<PrecomputedProvider>();
        for (qsizetype i = 0; i < rows.size(); ++i)
            precomputed->vectors.insert(rows.at(i).at(2), vectors.at(i));
        free.add(runJob(cluster, conn, pair, n, free.label, std::move(precomputed)));
        http.add(runJob(cluster, conn, pair, n, http.label, httpProvider(server.baseUrl())));
    }

    // (a) The reference design's loop, fixed: every missing topic, then per row one embedding
    // request and one INSERT (autocommit), the vector sent as text. The same provider class and
    // server, the same text per row as the job.
    resetVectors(conn);
    auto provider = httpProvider(server.baseUrl());
    clock.restart();
    auto missing = conn.exec(QStringLiteral("SELECT t.id, t.forum_name, %1 FROM topics t LEFT JOIN topic_vectors v ON v.topic_id = t.id "
                                            "WHERE v.id IS NULL ORDER BY t.id LIMIT $1")
                                 .arg(QLatin1String(TextSql)),
                             {loopRows});
    if (!missing.ok())
        fail(QStringLiteral("loop: %1").arg(missing.error().message));
    for (const QStringList &row : missing.value().rows) {
        auto embedded = provider->embed({row.at(2)});
        if (!embedded.ok())
            fail(QStringLiteral("loop, topic %1: %2").arg(row.at(0), embedded.error().message));
        auto inserted = conn.exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) VALUES ($1, $2, $3)"),
                                  {row.at(0), row.at(1), vectorLiteral(embedded.value().vectors.first())});
        if (!inserted.ok())
            fail(QStringLiteral("loop, topic %1: %2").arg(row.at(0), inserted.error().message));
    }
    const Figure loop{
        QStringLiteral("row-at-a-time loop, HTTP %1").arg(httpLabel), loopRows, {clock.nsecsElapsed() / 1e6}, {}, loopRows < n};
    verifyVectors(conn, loop.label, loopRows);
    std::printf("  %-44s %8.2f s   %lld rows, %lld requests, %lld INSERTs\n", qPrintable(loop.label), loop.ms() / 1000.0,
                static_cast<long long>(loopRows), static_cast<long long>(loopRows), static_cast<long long>(loopRows));

    std::printf("\n  %-44s %10s %10s %6s\n", "backfill (no ANN index), median run", "rows/s",
                QStringLiteral("s for %1").arg(n).toLatin1().constData(), "cores");
    for (const Figure &f : {copy, warmCopy, free, offline, http, loop})
        printFigure(f, n);
    std::printf("\n  %-30s %10s   %-40s %10s   %-9s %-9s\n", "comparison", "rows/s", "reference", "rows/s", "ratio", "target");
    printTarget(QStringLiteral("offline provider vs raw COPY"), offline, copy, 0.8);
    printTarget(QStringLiteral("(no-cost vectors vs raw COPY)"), free, copy, 0.8);
    printTarget(QStringLiteral("HTTP embedder vs the loop"), http, loop, 100);
    if (loop.sampled)
        std::printf("  (the loop was sampled on its first %lld rows, VWB_BENCH_LOOP_ROWS, and extrapolated)\n",
                    static_cast<long long>(loopRows));
    return 0;
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 n = envOr("VWB_BENCH_ROWS", 20000);
    const qint64 loopRows = qMin(envOr("VWB_BENCH_LOOP_ROWS", 300), n);
    const int delayMs = int(qMin<qint64>(envOr("VWB_BENCH_HTTP_DELAY_MS", 20, 0), 60000)); // ms
    const int rounds = int(qMin<qint64>(envOr("VWB_BENCH_ROUNDS", 3), 20));
    std::printf("bench_backfill: %lld topics (VWB_BENCH_ROWS) x %d dimensions; HTTP embedder on 127.0.0.1 adding %d ms per "
                "request (VWB_BENCH_HTTP_DELAY_MS)\n",
                static_cast<long long>(n), Dims, delayMs);
    std::fflush(stdout);
    BenchCluster cluster;
    if (!cluster.ok())
        return 1;
    try {
        return run(cluster, n, loopRows, delayMs, rounds); // 0 on a missed target too: benchmarks report
    } catch (const Failure &f) {
        std::printf("FAIL: %s\n", qPrintable(f.what));
        return 1;
    }
}
