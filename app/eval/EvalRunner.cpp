// app/eval/EvalRunner.cpp
#include "eval/EvalRunner.h"

#include "connection/PgConnection.h"
#include "connection/SqlLiterals.h"
#include "search/SearchService.h"
#include <QElapsedTimer>

namespace vwb {
namespace {

/// The documents' values of the metadata key, for collapsing copies.
Result<QHash<QString, QString>> duplicateKeys(PgConnection &conn, const ContentPair &pair, const QString &key, const QSet<QString> &docs)
{
    QHash<QString, QString> out;
    if (key.isEmpty() || docs.isEmpty())
        return out;
    if (pair.roles.metadata.isEmpty())
        return Error::invalid(QStringLiteral("%1 has no metadata column to collapse duplicates by").arg(pair.content.display()));
    const QString docKey = KeySql(pair.key, QStringLiteral("c"), [&conn](const QString &s) { return conn.escapeIdentifier(s); }).text();
    const QString metadata = QStringLiteral("c.%1::jsonb").arg(conn.escapeIdentifier(pair.roles.metadata));
    auto rows = conn.exec(QStringLiteral("SELECT %1, %2 ->> $1 FROM %3.%4 c WHERE %1 = ANY($2::text[]) AND %2 ? $1")
                              .arg(docKey, metadata, conn.escapeIdentifier(pair.content.schema), conn.escapeIdentifier(pair.content.name)),
                          {key, textArrayLiteral(QStringList(docs.cbegin(), docs.cend()))});
    if (!rows.ok())
        return rows.error();
    for (const QStringList &row : rows.value().rows)
        if (!row.at(1).isEmpty())
            out.insert(row.at(0), row.at(1));
    return out;
}

Result<QList<RowKey>> candidatesOf(const Judgments &judgments, const QString &queryId, const KeyShape &key)
{
    QList<RowKey> keys;
    for (auto it = judgments.cbegin(); it != judgments.cend(); ++it) {
        auto parsed = parseKey(key, it.key());
        if (!parsed.ok())
            return Error::invalid(QStringLiteral("Query %1 judges document \"%2\", which cannot be a row of this table: %3")
                                      .arg(queryId, it.key(), parsed.error().message));
        keys << parsed.value();
    }
    return keys;
}
} // namespace

QString evalQueryText(const JudgedQuery &query)
{
    return query.title.trimmed().isEmpty() ? query.text : query.title + QStringLiteral("\n\n") + query.text;
}

JudgedQuery judgedQueryFor(const QuerySet &set, const QString &text)
{
    for (const JudgedQuery &q : set.queries)
        if (q.text == text || evalQueryText(q) == text)
            return q;
    return JudgedQuery{text, text, {}};
}

Result<EvalRun> runEvaluation(PgConnection &conn, const QuerySet &set, const EvalConfig &config, const EvalProgress &progress)
{
    if (auto valid = config.validate(); !valid.ok())
        return valid.error();
    auto pair = findPair(conn, config.type);
    if (!pair.ok())
        return pair.error();
    EvalRun run;
    run.config = config;
    run.startedAt = QDateTime::currentDateTimeUtc();
    SearchQuery base;
    base.provider = config.provider;
    SearchRequest &r = base.request;
    r.pair = pair.value();
    r.column = config.column;
    r.metric = config.metric.value_or(defaultMetric(r.pair, config.column));
    run.config.metric = r.metric; // the run records the metric it used, not "what the index serves"
    r.exact = config.exact;
    r.efSearch = config.efSearch;
    r.probes = config.probes;
    r.iterativeScan = config.iterativeScan;
    r.limit = config.limit;
    r.threshold = config.threshold;
    r.ranking = config.ranking;
    r.textConfig = config.textConfig;
    r.rrfK = config.rrfK;

    // The set-up is checked once, before the queries: the provider made, its dimensions against
    // the column's. After that a query that fails (no words to embed, a 400) fails alone.
    if (config.ranking != Ranking::Text) {
        SearchQuery probe = base;
        probe.text = QStringLiteral("probe");
        probe.checkSource = false;
        if (auto ready = embedSearch(conn, probe); !ready.ok())
            return ready.error();
    }
    QElapsedTimer total;
    total.start();
    QSet<QString> docs;
    for (int i = 0; i < set.queries.size(); ++i) {
        if (progress.canceled && progress.canceled())
            return Error::canceled();
        const JudgedQuery &q = set.queries.at(i);
        const Judgments judged = set.judgments.value(q.id);
        SearchQuery query = base;
        query.text = evalQueryText(q);
        query.checkSource = i == 0; // once: the same column and provider for every query
        QueryRun out;
        out.queryId = q.id;
        if (config.mode == EvalMode::Rerank) {
            auto candidates = candidatesOf(judged, q.id, r.pair.key);
            if (!candidates.ok())
                return candidates.error();
            query.request.candidates = candidates.value();
            query.request.limit = qMax(1, int(candidates.value().size()));
        }
        QElapsedTimer clock;
        clock.start();
        if (config.mode == EvalMode::Rerank && query.request.candidates.isEmpty()) {
            out.ms = 0; // nothing judged: nothing to rank
        } else if (auto searched = runSearch(conn, query); searched.ok()) {
            for (const SearchHit &h : searched.value().outcome.hits)
                out.ranked << RankedDoc{h.key, h.score, h.similarity};
            if (run.warnings.isEmpty())
                run.warnings = searched.value().outcome.warnings;
        } else if (searched.error().kind == Error::Kind::Connection || searched.error().isCanceled()) {
            return searched.error(); // the server is gone, or the run was canceled: no point going on
        } else {
            out.error = searched.error().message;
        }
        out.ms = clock.nsecsElapsed() / 1e6;
        for (const RankedDoc &d : out.ranked)
            docs.insert(d.id);
        for (auto it = judged.cbegin(); it != judged.cend(); ++it)
            docs.insert(it.key());
        run.queries << out;
        if (progress.step)
            progress.step(i + 1, int(set.queries.size()));
    }
    run.totalMs = total.nsecsElapsed() / 1e6;
    auto keys = duplicateKeys(conn, r.pair, config.collapseKey, docs);
    if (!keys.ok())
        return keys.error();
    run.keys = keys.value();
    return run;
}
} // namespace vwb
