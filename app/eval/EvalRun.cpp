// app/eval/EvalRun.cpp
#include "eval/EvalRun.h"

namespace vwb {

const QueryRun *EvalRun::query(const QString &id) const
{
    for (const QueryRun &q : queries)
        if (q.queryId == id)
            return &q;
    return nullptr;
}

ScoredList scoredList(const EvalRun &run, const QueryRun *list, const Judgments &judgments)
{
    ScoredList out;
    const bool collapse = !run.config.collapseKey.isEmpty();
    // "k:" and "d:" keep a key from ever equalling a document id.
    const auto keyOf = [&](const QString &doc) {
        const QString key = collapse ? run.keys.value(doc) : QString();
        return key.isEmpty() ? QStringLiteral("d:") + doc : QStringLiteral("k:") + key;
    };
    for (auto it = judgments.cbegin(); it != judgments.cend(); ++it) {
        const QString key = keyOf(it.key());
        out.judgments[key] = qMax(out.judgments.value(key, it.value()), it.value());
    }
    if (!list)
        return out;
    QSet<QString> seen;
    for (const RankedDoc &d : list->ranked) {
        const QString key = keyOf(d.id);
        if (seen.contains(key))
            continue;
        seen.insert(key);
        out.ranked << key;
        out.similarity << d.similarity;
    }
    return out;
}

ScoredRun scoreRun(const EvalRun &run, const QuerySet &set, const MetricOptions &options)
{
    ScoredRun out;
    for (const JudgedQuery &q : set.queries) {
        const QueryRun *list = run.query(q.id);
        if (list && !list->error.isEmpty())
            ++out.failed;
        const ScoredList scored = scoredList(run, list, set.judgments.value(q.id));
        out.queryIds << q.id;
        out.perQuery << scoreRanking(scored.ranked, scored.judgments, options);
    }
    out.mean = averageScores(out.perQuery);
    return out;
}
} // namespace vwb
