// app/cli/SearchCommand.cpp — vwb search, vwb recall, vwb import.
#include "cli/CliSupport.h"

#include "cli/SearchOptions.h"
#include "connection/ProfileArguments.h"
#include "core/ShellWords.h"
#include "data/CorpusImport.h"
#include "search/RecallCheck.h"
#include "search/SearchTuning.h"
#include <QJsonArray>
#include <cmath>

namespace vwb::cli {

int runSearch(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("search"),
                      QStringLiteral("Semantic search: vwb search TEXT, or vwb search --like-topic ID to search with a "
                                     "stored row's vector. SQL shaped so pgvector can use its index."));
    addSearchOptions(cmd);
    cmd.addOption({QStringLiteral("explain"), QStringLiteral("Print the plan of the exact SQL instead of results.")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    const QString text = p.positionalArguments().join(QLatin1Char(' ')).trimmed();
    SearchRequest request;
    if (const QString bad = readSearchOptions(p, text, request); !bad.isEmpty())
        return cmd.usageError(bad);

    auto profile = resolveProfile(cmd);
    if (!profile.ok())
        return reportConnectionError(cmd, profile.error());
    auto conn = openConnection(cmd, profile.value());
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto target = targetPair(cmd, *conn.value(), request);
    if (!target.ok())
        return reportConnectionError(cmd, target.error());
    const SearchQuery query{request, text, target.value(), true, SearchTuning::defaultPath()};
    if (p.isSet(QStringLiteral("explain"))) {
        auto embedded = embedSearch(*conn.value(), query);
        if (!embedded.ok())
            return reportConnectionError(cmd, embedded.error());
        auto plan = SemanticSearch::explain(*conn.value(), embedded.value(), true);
        if (!plan.ok())
            return reportError(plan.error(), cmd.json());
        cmd.json() ? printJson(QJsonObject{{QStringLiteral("plan"), plan.value()}}) : printLine(plan.value());
        return Ok;
    }
    auto searched = vwb::runSearch(*conn.value(), query);
    if (!searched.ok())
        return reportConnectionError(cmd, searched.error());
    const SearchOutcome &o = searched.value().outcome;
    const double embedMs = searched.value().embedMs;
    const MetricInfo metric = metricInfo(request.metric);
    QString backfill;
    if (o.noVectors) {
        QStringList words{QStringLiteral("vwb"), QStringLiteral("backfill"), QStringLiteral("--table"), request.pair.content.display()};
        if (!request.column.isEmpty())
            words << QStringLiteral("--column") << request.column;
        backfill = shellCommand(words + profileArguments(profile.value()));
    }
    if (cmd.json()) {
        QJsonArray hits;
        int rank = 0;
        for (const SearchHit &h : o.hits)
            hits.append(QJsonObject{{QStringLiteral("rank"), ++rank},
                                    {QStringLiteral("id"), keyJson(request.pair.key, h.key)},
                                    {QStringLiteral("title"), h.title},
                                    {QStringLiteral("forum_name"), h.forum},
                                    {QStringLiteral("distance"), std::isnan(h.distance) ? QJsonValue() : QJsonValue(h.distance)},
                                    {QStringLiteral("similarity"), std::isnan(h.similarity) ? QJsonValue() : QJsonValue(h.similarity)},
                                    {QStringLiteral("score"), h.score}});
        printJson(QJsonObject{
            {QStringLiteral("results"), hits},
            {QStringLiteral("table"), request.pair.content.display()},
            {QStringLiteral("column"), SemanticSearch::columnOf(request) ? SemanticSearch::columnOf(request)->name : QString()},
            {QStringLiteral("metric"), QLatin1String(metric.name)},
            {QStringLiteral("ranking"), QLatin1String(rankingName(request.ranking))},
            {QStringLiteral("ranked_by"), o.rankedBy},
            {QStringLiteral("exact"), request.exact},
            {QStringLiteral("precision"), precisionName(request.precision)},
            {QStringLiteral("index_used"), o.indexUsed ? QJsonValue(o.indexName) : QJsonValue()},
            {QStringLiteral("index_precision"), !o.indexUsed ? QJsonValue()
                                                : o.halfvecDimensions > 0
                                                    ? QJsonValue(QStringLiteral("halfvec(%1)").arg(o.halfvecDimensions))
                                                    : QJsonValue(QStringLiteral("full"))},
            {QStringLiteral("embed_ms"), embedMs},
            {QStringLiteral("query_ms"), o.queryMs},
            {QStringLiteral("settings"), QJsonArray::fromStringList(o.settings)},
            {QStringLiteral("tuned"), searched.value().tuned.isEmpty() ? QJsonValue() : QJsonValue(searched.value().tuned)},
            {QStringLiteral("warnings"), QJsonArray::fromStringList(o.warnings)},
            {QStringLiteral("backfill_command"), backfill.isEmpty() ? QJsonValue() : QJsonValue(backfill)}});
        return Ok;
    }
    int rank = 0;
    const bool bySimilarity = request.ranking == Ranking::Vector;
    for (const SearchHit &h : o.hits) {
        const QString similarity = std::isnan(h.similarity) ? QStringLiteral("  —   ") : QString::number(h.similarity, 'f', 4);
        const QString score = bySimilarity ? QString() : QStringLiteral("score %1  ").arg(h.score, 0, 'f', 4);
        const double bar = std::isnan(h.similarity) ? 0 : qBound(0.0, h.similarity, 1.0);
        printLine(QStringLiteral("%1. %2%3  %4  #%5  %6  (%7)")
                      .arg(++rank, 2)
                      .arg(score, similarity)
                      .arg(QString(int(bar * 10 + 0.5), QChar(0x2588)).leftJustified(10, QChar(0x2591)))
                      .arg(h.key, h.title.simplified().left(70), h.forum));
    }
    printLine(QStringLiteral("-- %1, %2, embed %3 ms, query %4 ms")
                  .arg(o.rankedBy, request.ranking == Ranking::Text ? QStringLiteral("no vectors compared")
                                   : request.exact                  ? QStringLiteral("exact")
                                   : o.indexUsed && o.halfvecDimensions > 0
                                       ? QStringLiteral("halfvec index %1 (ranked at full precision)").arg(o.indexName)
                                   : o.indexUsed ? QStringLiteral("index ") + o.indexName
                                                 : QStringLiteral("no index"))
                  .arg(embedMs, 0, 'f', 1)
                  .arg(o.queryMs, 0, 'f', 1));
    if (!searched.value().provider.isEmpty()) // the offline provider says it matches words, not meaning
        printLine(QStringLiteral("-- embedded by ") + searched.value().provider);
    if (!searched.value().tuned.isEmpty())
        printLine(QStringLiteral("-- tuned by vwb recall --sweep: ") + searched.value().tuned);
    for (const QString &w : o.warnings)
        printLine(QStringLiteral("warning: ") + w);
    if (!backfill.isEmpty())
        printLine(QStringLiteral("fill it with: ") + backfill);
    return Ok;
}

namespace {
/// vwb recall --sweep: the curve, the choice, and the choice kept for later searches.
int printSweep(const CommandParser &cmd, PgConnection &conn, const SearchRequest &request, int sample, int k, double target)
{
    std::optional<TunedSetting> tuned;
    auto swept = sweepAndKeep(conn, request, sample, k, target, SearchTuning::defaultPath(), &tuned, [&cmd](int done, int total) {
        if (!cmd.json() && (done % 50 == 0 || done == total))
            printError(QStringLiteral("recall: %1 / %2 searches").arg(done).arg(total));
    });
    if (!swept.ok())
        return reportError(swept.error(), cmd.json());
    const RecallSweepReport &r = swept.value();
    const QString kept = tuned ? tuned->describe() : QString();
    if (cmd.json()) {
        QJsonArray points;
        for (const SweepPoint &p : r.points)
            points.append(QJsonObject{{r.knob, p.value},
                                      {QStringLiteral("iterative"), p.iterative},
                                      {QStringLiteral("recall"), p.recall},
                                      {QStringLiteral("recall_low"), p.recallLow},
                                      {QStringLiteral("median_ms"), p.medianMs},
                                      {QStringLiteral("p90_ms"), p.p90Ms},
                                      {QStringLiteral("short_queries"), p.shortQueries}});
        printJson(QJsonObject{{QStringLiteral("index"), r.index},
                              {QStringLiteral("method"), r.method},
                              {QStringLiteral("knob"), r.knob},
                              {QStringLiteral("k"), r.k},
                              {QStringLiteral("samples"), r.samples},
                              {QStringLiteral("target"), r.target},
                              {QStringLiteral("forum"), r.forum.isEmpty() ? QJsonValue() : QJsonValue(r.forum)},
                              {QStringLiteral("exact_median_ms"), r.exactMedianMs},
                              {QStringLiteral("points"), points},
                              {QStringLiteral("chosen"), r.choice() ? QJsonValue(points.at(r.chosen)) : QJsonValue()},
                              {QStringLiteral("kept"), kept.isEmpty() ? QJsonValue() : QJsonValue(kept)}});
        return Ok;
    }
    printLine(QStringLiteral("%1 (%2) on %3 samples, k %4%5; exact search median %6 ms")
                  .arg(r.index, r.method)
                  .arg(r.samples)
                  .arg(r.k)
                  .arg(r.forum.isEmpty() ? QString() : QStringLiteral(", forum ") + r.forum)
                  .arg(r.exactMedianMs, 0, 'f', 2));
    printLine(QStringLiteral("%1  iterative  recall@%2  (95%: from)  median ms  p90 ms  short").arg(r.knob.leftJustified(9)).arg(r.k));
    for (int i = 0; i < r.points.size(); ++i) {
        const SweepPoint &p = r.points.at(i);
        printLine(QStringLiteral("%1  %2  %3  %4  %5  %6  %7%8")
                      .arg(p.value, 9)
                      .arg(p.iterative ? QStringLiteral("yes") : QStringLiteral("no"), -9)
                      .arg(p.recall, 9, 'f', 4)
                      .arg(p.recallLow, 11, 'f', 4)
                      .arg(p.medianMs, 9, 'f', 2)
                      .arg(p.p90Ms, 6, 'f', 2)
                      .arg(p.shortQueries, 5)
                      .arg(i == r.chosen ? QStringLiteral("  <- chosen") : QString()));
    }
    printLine(kept.isEmpty()
                  ? QStringLiteral("No setting reached recall@%1 %2 with %1 rows every time: nothing kept (build the index "
                                   "with a larger m / ef_construction, or more lists)")
                        .arg(r.k)
                        .arg(target)
                  : QStringLiteral("Kept for this profile: searches use %1 unless --ef-search / --probes say otherwise").arg(kept));
    return Ok;
}
} // namespace

int runRecall(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("recall"),
                      QStringLiteral("Recall@k of the ANN index against exact search, on stored vectors picked at random."));
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("sample"), QStringLiteral("Vectors to try (default 50)."), QStringLiteral("n"), QStringLiteral("50")});
    cmd.addOption({QStringLiteral("k"), QStringLiteral("Neighbours compared (default 10)."), QStringLiteral("k"), QStringLiteral("10")});
    cmd.addOption({QStringLiteral("sweep"),
                   QStringLiteral("Measure every ef_search (HNSW) or probes (IVFFlat) value, with and without iterative scan, "
                                  "and keep the cheapest that meets --target with k rows every time: searches on this profile "
                                  "use it unless told otherwise.")});
    cmd.addOption({QStringLiteral("target"), QStringLiteral("Recall the sweep must reach (default 0.95)."), QStringLiteral("recall"),
                   QStringLiteral("0.95")});
    addKnobs(cmd);
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    bool ok1 = false, ok2 = false;
    const int sample = p.value(QStringLiteral("sample")).toInt(&ok1);
    const int k = p.value(QStringLiteral("k")).toInt(&ok2);
    if (!ok1 || !ok2 || sample < 1 || sample > 10000 || k < 1 || k > 1000)
        return cmd.usageError(QStringLiteral("--sample must be 1-10000 and --k 1-1000"));
    SearchRequest request;
    if (const QString bad = readKnobs(p, request); !bad.isEmpty())
        return cmd.usageError(bad);
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    if (auto target = targetPair(cmd, *conn.value(), request); !target.ok())
        return reportConnectionError(cmd, target.error());
    if (p.isSet(QStringLiteral("sweep"))) {
        bool ok = false;
        const double target = p.value(QStringLiteral("target")).toDouble(&ok);
        if (!ok || target <= 0 || target > 1)
            return cmd.usageError(QStringLiteral("--target must be a recall above 0 and at most 1"));
        return printSweep(cmd, *conn.value(), request, sample, k, target);
    }
    auto report = measureRecall(*conn.value(), request, sample, k);
    if (!report.ok())
        return reportError(report.error(), cmd.json());
    const RecallReport &r = report.value();
    if (cmd.json()) {
        printJson(QJsonObject{{QStringLiteral("samples"), r.samples},
                              {QStringLiteral("k"), r.k},
                              {QStringLiteral("recall_mean"), r.meanRecall},
                              {QStringLiteral("recall_stddev"), r.stddevRecall},
                              {QStringLiteral("ann_median_ms"), r.annMedianMs},
                              {QStringLiteral("exact_median_ms"), r.exactMedianMs},
                              {QStringLiteral("index"), r.indexName.isEmpty() ? QJsonValue() : QJsonValue(r.indexName)}});
        return Ok;
    }
    printLine(QStringLiteral("recall@%1 = %2 ± %3 over %4 samples (%5)")
                  .arg(r.k)
                  .arg(r.meanRecall, 0, 'f', 4)
                  .arg(r.stddevRecall, 0, 'f', 4)
                  .arg(r.samples)
                  .arg(r.indexName.isEmpty() ? QStringLiteral("no index used: recall is exact by construction") : r.indexName));
    printLine(QStringLiteral("median latency: index %1 ms, exact %2 ms").arg(r.annMedianMs, 0, 'f', 2).arg(r.exactMedianMs, 0, 'f', 2));
    return Ok;
}

int runImport(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("import"),
                      QStringLiteral("Loads JSON Lines (.jsonl, .jsonl.gz) or CSV with a header row (.csv) into a content table "
                                     "and its vector table with COPY, in one transaction: vwb import --content FILE [--vectors "
                                     "FILE]. Every row is checked first; the first bad one is named with its line and nothing "
                                     "is loaded."));
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("content"), QStringLiteral("Content rows (with their ids)."), QStringLiteral("file")});
    cmd.addOption({QStringLiteral("vectors"), QStringLiteral("Vector rows referencing them."), QStringLiteral("file")});
    cmd.addOption({QStringLiteral("column"), QStringLiteral("The vector column to load (default: the first)."), QStringLiteral("name")});
    cmd.addOption({QStringLiteral("dry-run"), QStringLiteral("Read and check both files against the table; load nothing.")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    if (!p.isSet(QStringLiteral("content")) && !p.isSet(QStringLiteral("vectors")))
        return cmd.usageError(QStringLiteral("give --content FILE and/or --vectors FILE"));
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto pair = findPair(*conn.value(), p.value(typeOption()));
    if (!pair.ok())
        return reportConnectionError(cmd, pair.error());
    ImportRequest request{p.value(QStringLiteral("content")),
                          p.value(QStringLiteral("vectors")),
                          p.isSet(QStringLiteral("dry-run")),
                          {},
                          p.value(QStringLiteral("column"))};
    if (!cmd.json())
        request.progress = [](qint64 rows) { printError(QStringLiteral("import: %1 rows sent").arg(rows)); };
    auto report = importCorpus(*conn.value(), pair.value(), request);
    if (!report.ok())
        return reportError(report.error(), cmd.json());
    const ImportReport &r = report.value();
    const QString where = pair.value().vectors.display() + (r.vectorColumn.isEmpty() ? QString() : QLatin1Char('.') + r.vectorColumn);
    if (cmd.json()) {
        printJson(QJsonObject{{QStringLiteral("content_rows"), r.contentRows},
                              {QStringLiteral("vector_rows"), r.vectorRows},
                              {QStringLiteral("vector_column"), r.vectorColumn},
                              {QStringLiteral("ignored_fields"), QJsonArray::fromStringList(r.ignoredFields)},
                              {QStringLiteral("dry_run"), r.dryRun},
                              {QStringLiteral("elapsed_ms"), r.elapsedMs}});
        return Ok;
    }
    printLine(QStringLiteral("%1 %2 rows into %3 and %4 vectors into %5 in %6 ms")
                  .arg(r.dryRun ? QStringLiteral("Checked, nothing loaded: would import") : QStringLiteral("Imported"))
                  .arg(r.contentRows)
                  .arg(pair.value().content.display())
                  .arg(r.vectorRows)
                  .arg(where)
                  .arg(r.elapsedMs));
    if (!r.ignoredFields.isEmpty())
        printLine(QStringLiteral("Not loaded (no column of that name): %1").arg(r.ignoredFields.join(QStringLiteral(", "))));
    return Ok;
}
} // namespace vwb::cli
