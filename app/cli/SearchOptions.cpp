// app/cli/SearchOptions.cpp
#include "cli/SearchOptions.h"

#include "embeddings/ColumnStatus.h"
#include "embeddings/ProviderSettings.h"

namespace vwb::cli {

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
    if (p.isSet(QStringLiteral("precision")) && !parsePrecision(p.value(QStringLiteral("precision")), &request.precision))
        return QStringLiteral("--precision must be auto, full or half");
    request.column = p.value(QStringLiteral("column"));
    return {};
}

QString readRanking(const QCommandLineParser &p, SearchRequest &request)
{
    if (!parseRanking(p.value(QStringLiteral("ranking")), &request.ranking))
        return QStringLiteral("--ranking must be vector, text or hybrid");
    request.textConfig = p.value(QStringLiteral("text-config"));
    if (!validTextConfig(request.textConfig))
        return QStringLiteral("--text-config must name a text search configuration (english, simple, …)");
    bool ok = false;
    request.rrfK = p.value(QStringLiteral("rrf-k")).toInt(&ok);
    if (!ok || request.rrfK < 1 || request.rrfK > 100000)
        return QStringLiteral("--rrf-k must be 1-100000");
    return {};
}

void addRankingOptions(CommandParser &cmd)
{
    cmd.addOption({QStringLiteral("ranking"),
                   QStringLiteral("vector (default), text (PostgreSQL full text, ts_rank_cd) or hybrid (both, fused by "
                                  "reciprocal rank)."),
                   QStringLiteral("ranking"), QStringLiteral("vector")});
    cmd.addOption({QStringLiteral("text-config"), QStringLiteral("Text search configuration of text ranking (default english)."),
                   QStringLiteral("name"), QStringLiteral("english")});
    cmd.addOption({QStringLiteral("rrf-k"), QStringLiteral("Hybrid: the rank fusion constant k in 1 / (k + rank) (default 60)."),
                   QStringLiteral("k"), QStringLiteral("60")});
}

void addKnobs(CommandParser &cmd)
{
    cmd.addOption({QStringLiteral("metric"), QStringLiteral("l2, cosine or ip (default: what the column's index serves)."),
                   QStringLiteral("metric")});
    cmd.addOption({QStringLiteral("probes"), QStringLiteral("ivfflat.probes for this search."), QStringLiteral("n")});
    cmd.addOption({QStringLiteral("ef-search"), QStringLiteral("hnsw.ef_search for this search."), QStringLiteral("n")});
    cmd.addOption({QStringLiteral("iterative"), QStringLiteral("pgvector 0.8 iterative index scans (relaxed order).")});
    cmd.addOption({QStringLiteral("precision"),
                   QStringLiteral("Through the column's own index (full), an index on column::halfvec(N) (half: half the size, "
                                  "results ranked at full precision), or half when there is one (auto, the default)."),
                   QStringLiteral("auto|full|half")});
    cmd.addOption({QStringLiteral("column"),
                   QStringLiteral("The vector column to search (default: the one vwb column use chose, else the table's first)."),
                   QStringLiteral("name")});
}

QString applyColumnInUse(const CommandParser &cmd, PgConnection &conn, const ContentPair &pair, QString &column)
{
    const QCommandLineParser &p = cmd.parser();
    const bool takesProvider = cmd.takes(QStringLiteral("provider"));
    const QString provider = takesProvider ? p.value(QStringLiteral("provider")) : QString();
    if (p.isSet(QStringLiteral("column")))
        return provider;
    const auto use = loadColumnInUse(ProviderSettings::defaultPath(), conn.profile(), pair);
    if (!use)
        return provider;
    column = use->column;
    return takesProvider && p.isSet(QStringLiteral("provider")) ? provider : use->provider;
}

Result<QString> targetPair(CommandParser &cmd, PgConnection &conn, SearchRequest &request)
{
    auto pair = findPair(conn, cmd.parser().value(typeOption()));
    if (!pair.ok())
        return pair.error();
    request.pair = pair.value();
    if (!request.likeKey.isEmpty()) { // read before the table was known: now checked against its key
        auto key = parseKey(request.pair.key, request.likeKey);
        if (!key.ok())
            return Error{Error::Kind::Invalid, QStringLiteral("--like-topic: ") + key.error().message, QStringLiteral("usage"), {}};
        request.likeKey = key.value();
    }
    const QString provider = applyColumnInUse(cmd, conn, request.pair, request.column);
    if (!cmd.parser().isSet(QStringLiteral("metric")))
        request.metric = defaultMetric(request.pair, request.column);
    return provider;
}

void addSearchOptions(CommandParser &cmd)
{
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("forum"),
                   QStringLiteral("Only rows whose filter column (forum_name, a LangChain collection…) is this; forum_name ignores case."),
                   QStringLiteral("name")});
    cmd.addOption({QStringLiteral("limit"), QStringLiteral("Results (default 10)."), QStringLiteral("n"), QStringLiteral("10")});
    cmd.addOption({QStringLiteral("threshold"), QStringLiteral("Minimum similarity."), QStringLiteral("t")});
    cmd.addOption({QStringLiteral("exact"), QStringLiteral("Exact search: index scans off.")});
    cmd.addOption({QStringList{QStringLiteral("like-topic"), QStringLiteral("like")},
                   QStringLiteral("Search with the stored vector of the row with this key (itself left out)."), QStringLiteral("key")});
    cmd.addOption({QStringLiteral("provider"),
                   QStringLiteral("lexical (offline, default), lexical-stem (offline, Snowball-stemmed words), openai (the "
                                  "profile's model) or openai:MODEL."),
                   QStringLiteral("name"), QStringLiteral("lexical")});
    addKnobs(cmd);
    addRankingOptions(cmd);
}

QString readSearchOptions(const QCommandLineParser &p, const QString &text, SearchRequest &request)
{
    bool ok = false;
    if (p.isSet(QStringLiteral("like-topic"))) {
        request.likeKey = p.value(QStringLiteral("like-topic")).trimmed();
        if (request.likeKey.isEmpty())
            return QStringLiteral("--like-topic needs a row's key");
        if (!text.isEmpty())
            return QStringLiteral("give TEXT or --like-topic, not both");
    } else if (text.isEmpty()) {
        return QStringLiteral("give the TEXT to search for, or --like-topic KEY");
    }
    request.limit = p.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || request.limit < 1 || request.limit > 10000)
        return QStringLiteral("--limit must be 1-10000");
    if (p.isSet(QStringLiteral("threshold"))) {
        request.threshold = p.value(QStringLiteral("threshold")).toDouble(&ok);
        if (!ok)
            return QStringLiteral("--threshold must be a number");
    }
    request.exact = p.isSet(QStringLiteral("exact"));
    request.forum = p.value(QStringLiteral("forum"));
    if (const QString bad = readRanking(p, request); !bad.isEmpty())
        return bad;
    if (request.ranking != Ranking::Vector && !request.likeKey.isEmpty())
        return QStringLiteral("--ranking text and hybrid match words: give a TEXT, not --like-topic");
    return readKnobs(p, request);
}
} // namespace vwb::cli
