// app/search/RecallCheck.cpp
#include "search/RecallCheck.h"

#include "connection/PgConnection.h"
#include <QSet>
#include <cmath>

namespace vwb {

double recallOf(const QList<RowKey> &found, const QList<RowKey> &truth)
{
    if (truth.isEmpty())
        return 1.0;
    const QSet<RowKey> truthSet(truth.begin(), truth.end());
    int hits = 0;
    for (const RowKey &id : found)
        hits += truthSet.contains(id) ? 1 : 0;
    return double(hits) / double(truthSet.size());
}

Result<QStringList> sampleStoredKeys(PgConnection &conn, const ContentPair &p, const VectorColumn &column, int samples)
{
    const auto quote = [&conn](const QString &s) { return conn.escapeIdentifier(s); };
    auto picked = conn.exec(QStringLiteral("SELECT %1 FROM %2.%3 v WHERE v.%4 IS NOT NULL ORDER BY random() LIMIT $1")
                                .arg(KeySql(p.vectorKey(), QStringLiteral("v"), quote).text(), quote(p.vectors.schema),
                                     quote(p.vectors.name), quote(column.name)),
                            {samples});
    if (!picked.ok())
        return picked.error();
    QStringList keys;
    for (const QStringList &row : picked.value().rows)
        keys << row.first();
    return keys;
}

Result<RecallReport> measureRecall(PgConnection &conn, const SearchRequest &base, int samples, int k,
                                   const std::function<bool()> &canceled)
{
    if (samples < 1 || k < 1)
        return Error::invalid(QStringLiteral("Recall needs at least one sample and k >= 1"));
    const ContentPair &p = base.pair;
    const VectorColumn *column = SemanticSearch::columnOf(base);
    if (!column)
        return Error::invalid(QStringLiteral("%1 has no vector column %2").arg(p.content.display(), base.column));
    auto picked = sampleStoredKeys(conn, p, *column, samples);
    if (!picked.ok())
        return picked.error();
    RecallReport report;
    report.k = k;
    QList<double> recalls, annMs, exactMs;
    for (const QString &key : picked.value()) {
        if (canceled && canceled())
            return Error::canceled();
        SearchRequest ann = base;
        ann.likeKey = key;
        ann.limit = k;
        ann.exact = false;
        ann.threshold = -std::numeric_limits<double>::infinity();
        SearchRequest exact = ann;
        exact.exact = true;
        auto a = SemanticSearch::runOnce(conn, ann); // the index alone: no refill of short lists
        if (!a.ok())
            return a.error();
        auto e = SemanticSearch::run(conn, exact);
        if (!e.ok())
            return e.error();
        QList<RowKey> found, truth;
        for (const SearchHit &h : a.value().hits)
            found << h.key;
        for (const SearchHit &h : e.value().hits)
            truth << h.key;
        recalls << recallOf(found, truth);
        annMs << a.value().queryMs;
        exactMs << e.value().queryMs;
        if (a.value().indexUsed)
            report.indexName = a.value().indexName;
    }
    report.samples = int(recalls.size());
    if (recalls.isEmpty())
        return report;
    double sum = 0;
    for (double r : recalls)
        sum += r;
    report.meanRecall = sum / recalls.size();
    double var = 0;
    for (double r : recalls)
        var += (r - report.meanRecall) * (r - report.meanRecall);
    report.stddevRecall = recalls.size() > 1 ? std::sqrt(var / (recalls.size() - 1)) : 0;
    auto median = [](QList<double> v) {
        std::sort(v.begin(), v.end());
        return v.size() % 2 ? v.at(v.size() / 2) : (v.at(v.size() / 2 - 1) + v.at(v.size() / 2)) / 2;
    };
    report.annMedianMs = median(annMs);
    report.exactMedianMs = median(exactMs);
    return report;
}
} // namespace vwb
