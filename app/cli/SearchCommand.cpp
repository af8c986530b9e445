// app/cli/SearchCommand.cpp — vwb search, vwb recall, vwb import.
#include "cli/CliSupport.h"

#include "data/JsonlImport.h"
#include "embeddings/ProviderChoice.h"
#include "search/RecallCheck.h"
#include <QJsonArray>

namespace vwb::cli {
namespace {

QCommandLineOption typeOption()
{
    return {QStringLiteral("type"), QStringLiteral("topic (default), post, or any discovered content table."),
            QStringLiteral("type"), QStringLiteral("topic")};
}

Result<ContentPair> findPair(PgConnection &conn, const QString &type)
{
    auto schema = discoverSchema(conn);
    if (!schema.ok())
        return schema.error();
    auto pair = schema.value().find(type);
    if (!pair)
        return Error{Error::Kind::Invalid, QStringLiteral("No content table \"%1\" with vectors here (run vwb migrate latest?)").arg(type),
                     QStringLiteral("usage"), {}};
    return *pair;
}

/// Reads the search knobs shared by search and recall into `request`; a usage error as text.
QString readKnobs(const QCommandLineParser &p, SearchRequest &request)
{
    if (p.isSet(QStringLiteral("metric")) && !parseMetric(p.value(QStringLiteral("metric")), &request.metric))
        return QStringLiteral("--metric must be l2, cosine or ip");
    bool ok = true;
    if (p.isSet(QStringLiteral("probes")) && ((request.probes = p.value(QStringLiteral("probes")).toInt(&ok)) < 1 || !ok))
        return QStringLiteral("--probes must be a positive number");
    if (p.isSet(QStringLiteral("ef-search"))
        && ((request.efSearch = p.value(QStringLiteral("ef-search")).toInt(&ok)) < 1 || request.efSearch > 1000 || !ok))
        return QStringLiteral("--ef-search must be 1-1000");
    request.iterativeScan = p.isSet(QStringLiteral("iterative"));
    return {};
}

void addKnobs(CommandParser &cmd)
{
    cmd.addOption({QStringLiteral("metric"), QStringLiteral("l2, cosine or ip (default: what the column's index serves)."),
                   QStringLiteral("metric")});
    cmd.addOption({QStringLiteral("probes"), QStringLiteral("ivfflat.probes for this search."), QStringLiteral("n")});
    cmd.addOption({QStringLiteral("ef-search"), QStringLiteral("hnsw.ef_search for this search."), QStringLiteral("n")});
    cmd.addOption({QStringLiteral("iterative"), QStringLiteral("pgvector 0.8 iterative index scans (relaxed order).")});
}

SearchMetric defaultMetric(const ContentPair &pair);

/// Fills request.pair from --type, and request.metric (unless --metric was given) with the
/// metric the column's index serves.
Result<void> targetPair(CommandParser &cmd, PgConnection &conn, SearchRequest &request)
{
    auto pair = findPair(conn, cmd.parser().value(typeOption()));
    if (!pair.ok())
        return pair.error();
    request.pair = pair.value();
    if (!cmd.parser().isSet(QStringLiteral("metric")))
        request.metric = defaultMetric(request.pair);
    return {};
}

/// The metric the column's ANN index serves, so the default search can use it.
SearchMetric defaultMetric(const ContentPair &pair)
{
    for (const VectorIndex &i : pair.columns.isEmpty() ? QList<VectorIndex>{} : pair.columns.first().indexes) {
        SearchMetric m;
        if (i.valid && metricForOpclass(i.opclass, &m))
            return m;
    }
    return SearchMetric::Cosine;
}
} // namespace

int runSearch(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("search"),
                      QStringLiteral("Semantic search: vwb search TEXT, or vwb search --like-topic ID to search with a "
                                     "stored row's vector. SQL shaped so pgvector can use its index."));
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("forum"), QStringLiteral("Only this forum_name (exact)."), QStringLiteral("name")});
    cmd.addOption({QStringLiteral("limit"), QStringLiteral("Results (default 10)."), QStringLiteral("n"), QStringLiteral("10")});
    cmd.addOption({QStringLiteral("threshold"), QStringLiteral("Minimum similarity."), QStringLiteral("t")});
    cmd.addOption({QStringLiteral("exact"), QStringLiteral("Exact search: index scans off.")});
    cmd.addOption({QStringLiteral("like-topic"), QStringLiteral("Search with this row's stored vector (itself left out)."),
                   QStringLiteral("id")});
    cmd.addOption({QStringLiteral("provider"), QStringLiteral("lexical (offline, default) or openai."), QStringLiteral("name"),
                   QStringLiteral("lexical")});
    cmd.addOption({QStringLiteral("explain"), QStringLiteral("Print the plan of the exact SQL instead of results.")});
    addKnobs(cmd);
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    const QString text = p.positionalArguments().join(QLatin1Char(' ')).trimmed();
    SearchRequest request;
    bool ok = false;
    if (p.isSet(QStringLiteral("like-topic"))) {
        request.likeId = p.value(QStringLiteral("like-topic")).toLongLong(&ok);
        if (!ok || request.likeId < 1)
            return cmd.usageError(QStringLiteral("--like-topic needs an id"));
        if (!text.isEmpty())
            return cmd.usageError(QStringLiteral("give TEXT or --like-topic, not both"));
    } else if (text.isEmpty()) {
        return cmd.usageError(QStringLiteral("give the TEXT to search for, or --like-topic ID"));
    }
    request.limit = p.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || request.limit < 1 || request.limit > 10000)
        return cmd.usageError(QStringLiteral("--limit must be 1-10000"));
    if (p.isSet(QStringLiteral("threshold"))) {
        request.threshold = p.value(QStringLiteral("threshold")).toDouble(&ok);
        if (!ok)
            return cmd.usageError(QStringLiteral("--threshold must be a number"));
    }
    request.exact = p.isSet(QStringLiteral("exact"));
    request.forum = p.value(QStringLiteral("forum"));
    if (const QString bad = readKnobs(p, request); !bad.isEmpty())
        return cmd.usageError(bad);

    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    if (auto target = targetPair(cmd, *conn.value(), request); !target.ok())
        return reportConnectionError(cmd, target.error());

    double embedMs = 0;
    if (request.likeId == 0) {
        auto provider = makeQueryProvider(p.value(QStringLiteral("provider")), request.pair.columns.first().dimensions,
                                          conn.value()->profile().name);
        if (!provider.ok())
            return reportError(provider.error(), cmd.json());
        if (provider.value()->dimensions() != request.pair.columns.first().dimensions)
            return reportError(Error::invalid(QStringLiteral("The %1 provider makes %2-dimension vectors but %3.%4 has %5")
                                                  .arg(provider.value()->id())
                                                  .arg(provider.value()->dimensions())
                                                  .arg(request.pair.vectors.display(), request.pair.columns.first().name)
                                                  .arg(request.pair.columns.first().dimensions)),
                               cmd.json());
        auto vector = embedQuery(*provider.value(), text, &embedMs);
        if (!vector.ok())
            return reportError(vector.error(), cmd.json());
        request.vector = vector.value();
    }
    if (p.isSet(QStringLiteral("explain"))) {
        auto plan = SemanticSearch::explain(*conn.value(), request, true);
        if (!plan.ok())
            return reportError(plan.error(), cmd.json());
        cmd.json() ? printJson(QJsonObject{{QStringLiteral("plan"), plan.value()}}) : printLine(plan.value());
        return Ok;
    }
    auto outcome = SemanticSearch::run(*conn.value(), request);
    if (!outcome.ok())
        return reportError(outcome.error(), cmd.json());
    const SearchOutcome &o = outcome.value();
    const MetricInfo metric = metricInfo(request.metric);
    if (cmd.json()) {
        QJsonArray hits;
        int rank = 0;
        for (const SearchHit &h : o.hits)
            hits.append(QJsonObject{{QStringLiteral("rank"), ++rank}, {QStringLiteral("id"), h.id},
                                    {QStringLiteral("title"), h.title}, {QStringLiteral("forum_name"), h.forum},
                                    {QStringLiteral("distance"), h.distance}, {QStringLiteral("similarity"), h.similarity}});
        printJson(QJsonObject{{QStringLiteral("results"), hits},
                              {QStringLiteral("metric"), QLatin1String(metric.name)},
                              {QStringLiteral("exact"), request.exact},
                              {QStringLiteral("index_used"), o.indexUsed ? QJsonValue(o.indexName) : QJsonValue()},
                              {QStringLiteral("embed_ms"), embedMs},
                              {QStringLiteral("query_ms"), o.queryMs},
                              {QStringLiteral("settings"), QJsonArray::fromStringList(o.settings)},
                              {QStringLiteral("warnings"), QJsonArray::fromStringList(o.warnings)}});
        return Ok;
    }
    int rank = 0;
    for (const SearchHit &h : o.hits)
        printLine(QStringLiteral("%1. %2  %3  #%4  %5  (%6)")
                      .arg(++rank, 2)
                      .arg(h.similarity, 0, 'f', 4)
                      .arg(QString(int(qBound(0.0, h.similarity, 1.0) * 10 + 0.5), QChar(0x2588)).leftJustified(10, QChar(0x2591)))
                      .arg(h.id)
                      .arg(h.title.simplified().left(70), h.forum));
    printLine(QStringLiteral("-- %1 similarity (%2), %3, embed %4 ms, query %5 ms")
                  .arg(QLatin1String(metric.name), QLatin1String(metric.op),
                       request.exact ? QStringLiteral("exact") : o.indexUsed ? QStringLiteral("index ") + o.indexName
                                                                             : QStringLiteral("no index"))
                  .arg(embedMs, 0, 'f', 1)
                  .arg(o.queryMs, 0, 'f', 1));
    for (const QString &w : o.warnings)
        printLine(QStringLiteral("warning: ") + w);
    return Ok;
}

int runRecall(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("recall"),
                      QStringLiteral("Recall@k of the ANN index against exact search, on stored vectors picked at random."));
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("sample"), QStringLiteral("Vectors to try (default 50)."), QStringLiteral("n"), QStringLiteral("50")});
    cmd.addOption({QStringLiteral("k"), QStringLiteral("Neighbours compared (default 10)."), QStringLiteral("k"), QStringLiteral("10")});
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
    auto report = measureRecall(*conn.value(), request, sample, k);
    if (!report.ok())
        return reportError(report.error(), cmd.json());
    const RecallReport &r = report.value();
    if (cmd.json()) {
        printJson(QJsonObject{{QStringLiteral("samples"), r.samples}, {QStringLiteral("k"), r.k},
                              {QStringLiteral("recall_mean"), r.meanRecall}, {QStringLiteral("recall_stddev"), r.stddevRecall},
                              {QStringLiteral("ann_median_ms"), r.annMedianMs}, {QStringLiteral("exact_median_ms"), r.exactMedianMs},
                              {QStringLiteral("index"), r.indexName.isEmpty() ? QJsonValue() : QJsonValue(r.indexName)}});
        return Ok;
    }
    printLine(QStringLiteral("recall@%1 = %2 ± %3 over %4 samples (%5)")
                  .arg(r.k).arg(r.meanRecall, 0, 'f', 4).arg(r.stddevRecall, 0, 'f', 4).arg(r.samples)
                  .arg(r.indexName.isEmpty() ? QStringLiteral("no index used: recall is exact by construction") : r.indexName));
    printLine(QStringLiteral("median latency: index %1 ms, exact %2 ms").arg(r.annMedianMs, 0, 'f', 2).arg(r.exactMedianMs, 0, 'f', 2));
    return Ok;
}

int runImport(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("import"),
                      QStringLiteral("Loads JSON Lines (.jsonl or .jsonl.gz) into a content table and its vector table "
                                     "with COPY, in one transaction: vwb import --content FILE [--vectors FILE]."));
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("content"), QStringLiteral("Content rows (with their ids)."), QStringLiteral("file")});
    cmd.addOption({QStringLiteral("vectors"), QStringLiteral("Vector rows referencing them."), QStringLiteral("file")});
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
    auto report = importJsonl(*conn.value(), pair.value(), p.value(QStringLiteral("content")), p.value(QStringLiteral("vectors")));
    if (!report.ok())
        return reportError(report.error(), cmd.json());
    const ImportReport &r = report.value();
    cmd.json() ? printJson(QJsonObject{{QStringLiteral("content_rows"), r.contentRows},
                                       {QStringLiteral("vector_rows"), r.vectorRows},
                                       {QStringLiteral("elapsed_ms"), r.elapsedMs}})
               : printLine(QStringLiteral("Imported %1 rows into %2 and %3 vectors into %4 in %5 ms")
                               .arg(r.contentRows).arg(pair.value().content.display()).arg(r.vectorRows)
                               .arg(pair.value().vectors.display()).arg(r.elapsedMs));
    return Ok;
}
} // namespace vwb::cli
