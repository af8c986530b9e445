// app/search/RecallSweep.cpp
#include "search/RecallSweep.h"

#include "connection/PgConnection.h"
#include "search/RecallCheck.h"
#include <QRegularExpression>
#include <algorithm>
#include <cmath>

namespace vwb {
namespace {
constexpr int MaxEfSearch = 1000; // pgvector's limit

double percentileOf(QList<double> v, double q)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const double at = q * double(v.size() - 1);
    const qsizetype lo = qsizetype(at);
    const qsizetype hi = std::min(lo + 1, v.size() - 1);
    return v.at(lo) + (v.at(hi) - v.at(lo)) * (at - double(lo));
}
} // namespace

QList<int> sweepValues(const QString &method, int k, int lists)
{
    QList<int> out;
    if (method == QLatin1String("hnsw")) {
        for (int v : {10, 20, 40, 64, 100, 160, 250, 400, 640, MaxEfSearch})
            if (v >= k)
                out << v;
        if (out.isEmpty() || out.first() != std::min(k, MaxEfSearch))
            out.prepend(std::min(k, MaxEfSearch));
    } else {
        for (int v = 1; v < std::max(lists, 1); v *= 2)
            out << v;
        out << std::max(lists, 1);
    }
    return out;
}

int chooseSweepPoint(const QList<SweepPoint> &points, double target)
{
    int best = -1;
    for (int i = 0; i < points.size(); ++i) {
        const SweepPoint &p = points.at(i);
        if (p.recallLow + 1e-9 < target || p.shortQueries > 0)
            continue;
        if (best < 0)
            best = i;
        const SweepPoint &b = points.at(best);
        if (p.medianMs < b.medianMs || (p.medianMs == b.medianMs && (p.value < b.value || (p.value == b.value && !p.iterative))))
            best = i;
    }
    return best;
}

Result<RecallSweepReport> sweepRecall(PgConnection &conn, const SearchRequest &base, int samples, int k, double target,
                                      const std::function<bool()> &canceled, const std::function<void(int, int)> &progress)
{
    if (samples < 1 || k < 1 || target <= 0 || target > 1)
        return Error::invalid(QStringLiteral("A sweep needs at least one sample, k >= 1 and a target recall in (0, 1]"));
    const VectorColumn *column = SemanticSearch::columnOf(base);
    if (!column)
        return Error::invalid(QStringLiteral("%1 has no vector column %2").arg(base.pair.content.display(), base.column));
    const QString op = QLatin1String(metricInfo(base.metric).op);
    const VectorIndex *index = chooseIndex(*column, base.metric, base.precision).index;
    if (!index)
        return Error::invalid(QStringLiteral("No valid %5HNSW or IVFFlat index on %1.%2 serves %3 (%4): nothing to tune")
                                  .arg(base.pair.vectors.display(), column->name, QLatin1String(metricInfo(base.metric).name), op,
                                       base.precision == SearchPrecision::Half   ? QStringLiteral("halfvec ")
                                       : base.precision == SearchPrecision::Full ? QStringLiteral("full-precision ")
                                                                                 : QString()));
    RecallSweepReport report;
    report.index = index->name;
    report.method = index->method;
    report.knob = index->method == QLatin1String("hnsw") ? QStringLiteral("ef_search") : QStringLiteral("probes");
    report.k = k;
    report.target = target;
    report.forum = base.forum;
    static const QRegularExpression listsIn(QStringLiteral("lists\\s*=\\s*'?(\\d+)"));
    const auto lists = listsIn.match(index->definition);
    const QList<int> values = sweepValues(index->method, k, lists.hasMatch() ? lists.captured(1).toInt() : 100);

    auto picked = sampleStoredKeys(conn, base.pair, *column, samples);
    if (!picked.ok())
        return picked.error();
    const int total = int(picked.value().size()) * int(1 + 2 * values.size());
    int done = 0;
    auto step = [&] {
        ++done;
        if (progress)
            progress(done, total);
    };
    // The truth once per sample: exact search with the same filter.
    QList<SearchRequest> requests;
    QList<QList<RowKey>> truths;
    QList<double> exactMs;
    for (const QString &key : picked.value()) {
        if (canceled && canceled())
            return Error::canceled();
        SearchRequest r = base;
        r.likeKey = key;
        r.limit = k;
        r.threshold = -std::numeric_limits<double>::infinity();
        r.efSearch = r.probes = 0;
        r.iterativeScan = false;
        r.exact = true;
        auto exact = SemanticSearch::run(conn, r);
        if (!exact.ok())
            return exact.error();
        QList<RowKey> truth;
        for (const SearchHit &h : exact.value().hits)
            truth << h.key;
        r.exact = false;
        requests << r;
        truths << truth;
        exactMs << exact.value().queryMs;
        step();
    }
    report.samples = int(requests.size());
    report.exactMedianMs = percentileOf(exactMs, 0.5);
    // A first pass through the index, not measured: the first setting would pay for reading it into memory.
    for (SearchRequest r : requests) {
        (report.method == QLatin1String("hnsw") ? r.efSearch : r.probes) = values.first();
        if (auto warm = SemanticSearch::runOnce(conn, r); !warm.ok())
            return warm.error();
    }
    for (bool iterative : {false, true}) {
        const int passEnd = done + int(values.size() * requests.size());
        bool met = false;
        for (int value : values) {
            SweepPoint point{value, iterative, 0, 0, 0, 0, 0};
            QList<double> ms, recalls;
            for (qsizetype i = 0; i < requests.size(); ++i) {
                if (canceled && canceled())
                    return Error::canceled();
                SearchRequest r = requests.at(i);
                (report.method == QLatin1String("hnsw") ? r.efSearch : r.probes) = value;
                r.iterativeScan = iterative;
                auto ann = SemanticSearch::runOnce(conn, r); // the index alone: no refill of short lists
                if (!ann.ok())
                    return ann.error();
                QList<RowKey> found;
                for (const SearchHit &h : ann.value().hits)
                    found << h.key;
                recalls << recallOf(found, truths.at(i));
                point.shortQueries += found.size() < truths.at(i).size() ? 1 : 0;
                ms << ann.value().queryMs;
                step();
            }
            double sum = 0, squares = 0;
            for (double r : recalls)
                sum += r;
            point.recall = recalls.isEmpty() ? 1.0 : sum / double(recalls.size());
            for (double r : recalls)
                squares += (r - point.recall) * (r - point.recall);
            const double n = double(recalls.size());
            point.recallLow = n > 1 ? point.recall - 1.96 * std::sqrt(squares / (n - 1)) / std::sqrt(n) : point.recall;
            point.medianMs = percentileOf(ms, 0.5);
            point.p90Ms = percentileOf(ms, 0.9);
            report.points << point;
            if (met) // one value past the first that met the target, to show where the curve goes
                break;
            met = point.recallLow + 1e-9 >= target && point.shortQueries == 0;
        }
        done = passEnd; // the values left out count as done
        if (progress)
            progress(done, total);
    }
    report.chosen = chooseSweepPoint(report.points, target);
    return report;
}
} // namespace vwb
