// app/cli/BackfillCommand.cpp — vwb backfill: embeds content rows into their vector table.
#include "cli/CliSupport.h"

#include "backfill/BackfillJob.h"
#include "cli/ForegroundJob.h"
#include "core/JobRunner.h"
#include "embeddings/EmbeddingSources.h"
#include "embeddings/ProviderChoice.h"
#include "maintenance/IndexRebuilds.h"
#include "search/SearchService.h"
#include <QElapsedTimer>
#include <cstdio>
#include <unistd.h>

namespace vwb::cli {
namespace {

QString duration(qint64 ms)
{
    const qint64 s = (ms + 500) / 1000;
    return s >= 3600
               ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
               : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

/// A bar rewritten in place on a terminal, or a plain line every few seconds elsewhere.
class ProgressDisplay
{
public:
    ProgressDisplay() : m_tty(::isatty(STDERR_FILENO) == 1) {}
    ~ProgressDisplay() { clear(); }
    void update(qint64 done, qint64 total, const QString &step, double rate, qint64 etaMs)
    {
        if (!m_tty && ((m_shown && m_clock.elapsed() < PlainEveryMs) || total <= 0))
            return;
        m_clock.start();
        const double part = total > 0 ? qBound(0.0, double(done) / double(total), 1.0) : 0.0;
        const QString eta = etaMs >= 0 ? QStringLiteral(", ETA %1").arg(duration(etaMs)) : QString();
        // Embedding: rows, rate and ETA; any other step (an index built again after the fill) by its own words.
        const bool embedding = step.startsWith(QLatin1String("Embed"));
        const QString numbers = total <= 0  ? step // counting, connecting
                                : embedding ? QStringLiteral("%1 / %2 rows (%3%), %4 rows/s%5")
                                                  .arg(done)
                                                  .arg(total)
                                                  .arg(int(part * 100))
                                                  .arg(rate, 0, 'f', 0)
                                                  .arg(eta)
                                            : QStringLiteral("%1 / %2 rows, %3").arg(done).arg(total).arg(step);
        if (m_tty) {
            const int filled = int(part * BarWidth + 0.5);
            const QString bar = QString(filled, QChar(0x2588)) + QString(BarWidth - filled, QChar(0x2591));
            std::fprintf(stderr, "\r\033[2K%s %s", bar.toLocal8Bit().constData(), numbers.toLocal8Bit().constData());
            std::fflush(stderr);
        } else {
            printError(QStringLiteral("backfill: ") + numbers);
        }
        m_shown = true;
    }
    /// Before a log line, so it does not land in the middle of the bar.
    void clear()
    {
        if (m_tty && m_shown)
            std::fprintf(stderr, "\r\033[2K");
    }

private:
    static constexpr int BarWidth = 30;
    static constexpr qint64 PlainEveryMs = 5000;
    bool m_tty;
    bool m_shown = false;
    QElapsedTimer m_clock;
};

QJsonObject reportJson(const BackfillReport &r, const BackfillOptions &o)
{
    QJsonArray errors;
    for (const BackfillRowError &e : r.errors)
        errors.append(QJsonObject{{QStringLiteral("id"), e.id}, {QStringLiteral("reason"), e.reason}});
    return {{QStringLiteral("table"), o.pair.vectors.display()},
            {QStringLiteral("mode"), backfillModeName(o.mode)},
            {QStringLiteral("total"), r.total},
            {QStringLiteral("embedded"), r.embedded},
            {QStringLiteral("inserted"), r.inserted},
            {QStringLiteral("updated"), r.updated},
            {QStringLiteral("batches"), r.batches},
            {QStringLiteral("workers"), r.workers},
            {QStringLiteral("passes"), r.passes},
            {QStringLiteral("held_at_end"), r.heldAtEnd},
            {QStringLiteral("requests"), r.requests},
            {QStringLiteral("prompt_tokens"), r.promptTokens},
            {QStringLiteral("errors"), errors},
            {QStringLiteral("elapsed_ms"), r.elapsedMs},
            {QStringLiteral("rows_per_second"), r.rowsPerSecond()},
            {QStringLiteral("text"), r.text},
            {QStringLiteral("source"), r.source},
            {QStringLiteral("index_strategy"), r.indexStrategy},
            {QStringLiteral("index_strategy_reason"), r.strategyReason},
            {QStringLiteral("fill_ms"), r.fillMs},
            {QStringLiteral("build_ms"), r.buildMs}};
}

QJsonObject strategyJson(const IndexStrategyEstimate &e)
{
    return {{QStringLiteral("chosen"), indexStrategyName(e.chosen)},
            {QStringLiteral("asked"), e.asked},
            {QStringLiteral("indexes"), QJsonArray::fromStringList(e.indexes)},
            {QStringLiteral("rows"), e.rows},
            {QStringLiteral("table_rows"), e.tableRows},
            {QStringLiteral("in_place_seconds"), e.inPlaceSeconds},
            {QStringLiteral("rebuild_seconds"), e.rebuildSeconds},
            {QStringLiteral("rates"), QJsonObject{{QStringLiteral("fill"), e.rates.fill},
                                                  {QStringLiteral("in_place"), e.rates.inPlace},
                                                  {QStringLiteral("build"), e.rates.build},
                                                  {QStringLiteral("measured"), QJsonArray::fromStringList(e.rates.measured)}}},
            {QStringLiteral("reason"), e.reason}};
}
} // namespace

int runBackfill(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("backfill"),
                      QStringLiteral("Embeds content rows into their vector table, batch by batch, one transaction per "
                                     "batch: Ctrl-C (exit 130) or a crash keeps what was committed and a rerun resumes. "
                                     "Rows the provider rejects are listed and skipped; they do not change the exit code."));
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("stale"), QStringLiteral("Re-embed rows whose content changed after their vector (updated_at).")});
    cmd.addOption({QStringLiteral("all"), QStringLiteral("Re-embed every row (after a model change).")});
    cmd.addOption({QStringLiteral("dry-run"), QStringLiteral("Count rows and estimate tokens and cost; embed nothing.")});
    cmd.addOption({QStringLiteral("batch"), QStringLiteral("Rows per batch and transaction (default 256)."), QStringLiteral("n"),
                   QString::number(BackfillOptions::DefaultBatchSize)});
    cmd.addOption(
        {QStringLiteral("workers"),
         QStringLiteral("Batches in flight at once, each on its own connection (default %1).").arg(BackfillOptions::DefaultWorkers),
         QStringLiteral("n"), QString::number(BackfillOptions::DefaultWorkers)});
    cmd.addOption({QStringLiteral("provider"),
                   QStringLiteral("lexical (offline, default), lexical-stem (offline, Snowball-stemmed words), openai (the "
                                  "profile's model) or openai:MODEL."),
                   QStringLiteral("name"), QStringLiteral("lexical")});
    cmd.addOption({QStringLiteral("column"),
                   QStringLiteral("The vector column to fill (default: the table's first) — a second model's column, say."),
                   QStringLiteral("name")});
    cmd.addOption({QStringLiteral("price-per-million"), QStringLiteral("USD per million tokens, for --dry-run (default 0.02)."),
                   QStringLiteral("usd"), QStringLiteral("0.02")});
    cmd.addOption({QStringLiteral("requests-per-minute"), QStringLiteral("Limit provider requests."), QStringLiteral("n")});
    cmd.addOption({QStringLiteral("tokens-per-minute"), QStringLiteral("Limit estimated tokens sent."), QStringLiteral("n")});
    cmd.addOption({QStringLiteral("text"),
                   QStringLiteral("What to embed of each row: a column (content) or a template of columns "
                                  "(\"{title}\\n\\n{content}\"). Default: the text the column was last filled from "
                                  "here, else content — what the reference design's service embeds."),
                   QStringLiteral("template")});
    cmd.addOption({QStringLiteral("index-strategy"),
                   QStringLiteral("auto (default): the faster by the estimate; in-place: write through the column's ANN "
                                  "indexes; rebuild: drop them (recorded first), fill, build them again CONCURRENTLY — "
                                  "searches are exact meanwhile."),
                   QStringLiteral("how"), QStringLiteral("auto")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    BackfillOptions options;
    if (p.isSet(QStringLiteral("stale")) && p.isSet(QStringLiteral("all")))
        return cmd.usageError(QStringLiteral("give --stale or --all, not both"));
    options.mode = p.isSet(QStringLiteral("stale")) ? BackfillMode::Stale
                   : p.isSet(QStringLiteral("all")) ? BackfillMode::All
                                                    : BackfillMode::Missing;
    bool ok = false;
    options.batchSize = p.value(QStringLiteral("batch")).toInt(&ok);
    if (!ok || options.batchSize < 1 || options.batchSize > BackfillOptions::MaxBatchSize)
        return cmd.usageError(QStringLiteral("--batch must be 1-%1").arg(BackfillOptions::MaxBatchSize));
    options.workers = p.value(QStringLiteral("workers")).toInt(&ok);
    if (!ok || options.workers < 1 || options.workers > BackfillOptions::MaxWorkers)
        return cmd.usageError(QStringLiteral("--workers must be 1-%1").arg(BackfillOptions::MaxWorkers));
    const double price = p.value(QStringLiteral("price-per-million")).toDouble(&ok);
    if (!ok || price < 0)
        return cmd.usageError(QStringLiteral("--price-per-million must be a number of USD, 0 or more"));
    for (auto [name, out] :
         {std::pair{"requests-per-minute", &options.requestsPerMinute}, std::pair{"tokens-per-minute", &options.tokensPerMinute}}) {
        if (p.isSet(QLatin1String(name)) && ((*out = p.value(QLatin1String(name)).toDouble(&ok)) <= 0 || !ok))
            return cmd.usageError(QStringLiteral("--%1 must be a positive number").arg(QLatin1String(name)));
    }
    const auto strategy = parseIndexStrategy(p.value(QStringLiteral("index-strategy")));
    if (!strategy)
        return cmd.usageError(QStringLiteral("--index-strategy must be auto, in-place or rebuild"));
    options.indexStrategy = *strategy;
    options.rebuildsPath = IndexRebuilds::defaultPath();
    const QString providerName = p.value(QStringLiteral("provider"));
    if (!validProviderName(providerName))
        return cmd.usageError(QStringLiteral("--provider must be lexical, lexical-stem, openai or openai:MODEL"));

    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto pair = findPair(*conn.value(), p.value(QStringLiteral("type")));
    if (!pair.ok())
        return reportConnectionError(cmd, pair.error());
    options.pair = pair.value();
    options.text = p.value(QStringLiteral("text"));
    options.column = p.value(QStringLiteral("column"));
    options.sourcesPath = EmbeddingSources::defaultPath();
    SearchRequest named; // the column chosen, or the first
    named.pair = options.pair;
    named.column = options.column;
    const VectorColumn *column = SemanticSearch::columnOf(named);
    if (!column)
        return reportError(
            Error::invalid(options.column.isEmpty()
                               ? QStringLiteral("%1 has no vector column").arg(options.pair.vectors.display())
                               : QStringLiteral("%1 has no vector column %2").arg(options.pair.vectors.display(), options.column)),
            cmd.json());
    const int dims = column->dimensions;
    auto provider = makeProvider(providerFor(providerName, dims, conn.value()->profile().name));
    if (!provider.ok())
        return reportError(provider.error(), cmd.json());
    if (p.isSet(QStringLiteral("dry-run"))) {
        auto e = estimateBackfill(*conn.value(), options, price, provider.value().get());
        if (!e.ok())
            return reportError(e.error(), cmd.json());
        const BackfillEstimate &est = e.value();
        const QString &source = est.source;
        const bool local = provider.value()->computesLocally(); // the offline provider: no request, no bill
        const bool conflicts = est.sourceConflicts;
        const QString unique = est.keyIsUnique ? QString()
                                               : QStringLiteral("%1.%2 has no unique index: the application's own writers "
                                                                "can add a second vector row for a row this backfill fills "
                                                                "(vwb health; vwb migrate export --only one_vector_per_row)")
                                                     .arg(options.pair.vectors.display(), options.pair.foreignKey);
        if (cmd.json()) {
            printJson(QJsonObject{{QStringLiteral("table"), options.pair.vectors.display()},
                                  {QStringLiteral("mode"), backfillModeName(options.mode)},
                                  {QStringLiteral("rows"), est.rows},
                                  {QStringLiteral("characters"), est.characters},
                                  {QStringLiteral("estimated_tokens"), est.tokens},
                                  {QStringLiteral("price_per_million"), est.pricePerMillionTokens},
                                  {QStringLiteral("estimated_cost"), local ? 0.0 : est.cost},
                                  {QStringLiteral("provider_is_local"), local},
                                  {QStringLiteral("dry_run"), true},
                                  {QStringLiteral("text"), est.text},
                                  {QStringLiteral("source"), source},
                                  {QStringLiteral("source_conflicts"), conflicts},
                                  {QStringLiteral("key_unique"), est.keyIsUnique},
                                  {QStringLiteral("index_strategy"), strategyJson(est.indexes)}});
        } else {
            printLine(QStringLiteral("Dry run: %1 rows of %2 would be embedded (%3) from %4, ~%5 tokens, %6")
                          .arg(est.rows)
                          .arg(options.pair.content.display(), backfillModeName(options.mode),
                               QString(est.text).replace(QLatin1Char('\n'), QStringLiteral("\\n")))
                          .arg(est.tokens)
                          .arg(local ? QStringLiteral("no cost: %1 computes them here").arg(provider.value()->model())
                                     : QStringLiteral("~$%1 at $%2 per million tokens").arg(est.cost, 0, 'f', 4).arg(price)));
            printLine(QStringLiteral("Index strategy: ") + est.indexes.reason);
            if (!source.isEmpty())
                printLine((conflicts ? QStringLiteral("refused as it stands: ") : QString()) + source);
            if (!unique.isEmpty())
                printLine(QStringLiteral("warning: ") + unique);
        }
        return Ok;
    }

    auto job = std::make_unique<BackfillJob>(std::move(conn).value(), options, std::move(provider).value());
    const std::shared_ptr<const BackfillReport> report = job->report();
    ProgressDisplay display;
    const Error outcome = runInForeground(
        std::move(job), {[&](const JobProgress &p) { display.update(p.done, p.total, p.step, p.rowsPerSecond, p.etaMs); },
                         [&](const QString &line) {
                             display.clear();
                             printError(QStringLiteral("backfill: ") + line);
                         },
                         [&] {
                             display.clear();
                             printError(QStringLiteral("backfill: canceling (the batch in flight is rolled back)..."));
                         }});
    display.clear();
    const BackfillReport &r = *report;
    const bool canceled = outcome.isCanceled();
    if (!JobRunner::succeeded(outcome) && !canceled)
        return reportError(outcome, cmd.json(), reportJson(r, options));
    if (cmd.json()) {
        QJsonObject out = reportJson(r, options);
        out.insert(QStringLiteral("canceled"), canceled);
        printJson(out);
    } else {
        if (r.indexStrategy == QLatin1String("rebuild"))
            printLine(QStringLiteral("Filled without the column's ANN indexes in %1, built them again in %2")
                          .arg(duration(r.fillMs), duration(r.buildMs)));
        printLine(QStringLiteral("%1 %2 rows into %3 in %4 (%5 rows/s, %6 batches, %7 workers); %8 rejected")
                      .arg(canceled ? QStringLiteral("Canceled after embedding") : QStringLiteral("Embedded"))
                      .arg(r.embedded)
                      .arg(options.pair.vectors.display(), duration(r.elapsedMs))
                      .arg(r.rowsPerSecond(), 0, 'f', 0)
                      .arg(r.batches)
                      .arg(r.workers)
                      .arg(r.errors.size()));
        for (const BackfillRowError &e : r.errors)
            printLine(QStringLiteral("  rejected id %1: %2").arg(e.id, e.reason));
        if (r.heldAtEnd > 0)
            printLine(
                QStringLiteral("%1 row(s) were held by other transactions to the end: run the same command again once they are done.")
                    .arg(r.heldAtEnd));
        if (canceled)
            printLine(QStringLiteral("Committed batches are kept; run the same command again to resume."));
    }
    return canceled ? CanceledExit : Ok;
}
} // namespace vwb::cli
