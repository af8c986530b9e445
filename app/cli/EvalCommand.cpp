// app/cli/EvalCommand.cpp — vwb eval: search quality against analysts' judgments.
#include "cli/EvalCli.h"

#include "connection/ProfileCatalog.h"
#include "eval/QuerySet.h"
#include "eval/RunFile.h"
#include "metrics/SizeHistory.h"
#include <QJsonArray>

namespace vwb::cli {

void addMetricOptions(CommandParser &cmd)
{
    cmd.addOption({QStringLiteral("k"), QStringLiteral("Cut-off of P@k, R@k, nDCG@k, hit@k (default 10)."), QStringLiteral("k"),
                   QStringLiteral("10")});
    cmd.addOption({QStringLiteral("relevant-from"), QStringLiteral("The lowest grade that counts as relevant (default 1)."),
                   QStringLiteral("grade"), QStringLiteral("1")});
}

QString readMetricOptions(const QCommandLineParser &p, MetricOptions &options)
{
    bool ok1 = false, ok2 = false;
    options.k = p.value(QStringLiteral("k")).toInt(&ok1);
    options.relevantFrom = p.value(QStringLiteral("relevant-from")).toInt(&ok2);
    if (!ok1 || options.k < 1 || options.k > 10000)
        return QStringLiteral("--k must be 1-10000");
    if (!ok2)
        return QStringLiteral("--relevant-from must be a whole number (a grade)");
    return {};
}

QString scoresHeader(int k)
{
    return QStringLiteral("%1     MAP     MRR    P@%2    R@%2 nDCG@%2   hit@%2 judged@%2")
        .arg(QStringLiteral("query").leftJustified(10))
        .arg(k);
}

Result<QString> evalProfileKey(CommandParser &cmd)
{
    auto profile = resolveProfile(cmd);
    if (!profile.ok())
        return profile.error();
    return SizeHistory::profileKey(profile.value());
}

QJsonObject scoresJson(const QueryScores &s, int k)
{
    const QString at = QStringLiteral("@%1").arg(k);
    return {{QStringLiteral("map"), s.averagePrecision},  {QStringLiteral("mrr"), s.reciprocalRank},
            {QStringLiteral("p") + at, s.precisionAtK},   {QStringLiteral("r") + at, s.recallAtK},
            {QStringLiteral("ndcg") + at, s.ndcgAtK},     {QStringLiteral("hit") + at, s.hitAtK},
            {QStringLiteral("judged") + at, s.judgedAtK}, {QStringLiteral("relevant"), s.relevant},
            {QStringLiteral("retrieved"), s.retrieved},   {QStringLiteral("unjudged") + at, s.unjudgedAtK}};
}

QString scoresLine(const QueryScores &s)
{
    return QStringLiteral("%1  %2  %3  %4  %5  %6  %7")
        .arg(s.averagePrecision, 6, 'f', 4)
        .arg(s.reciprocalRank, 6, 'f', 4)
        .arg(s.precisionAtK, 6, 'f', 4)
        .arg(s.recallAtK, 6, 'f', 4)
        .arg(s.ndcgAtK, 6, 'f', 4)
        .arg(s.hitAtK, 6, 'f', 4)
        .arg(s.judgedAtK, 6, 'f', 4);
}

/// vwb eval score: a run file (TREC format) scored against a judged query set.
int runEvalScore(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("eval score"),
                      QStringLiteral("Scores a run file (TREC: query_id Q0 doc_id rank score tag) against judged queries with P@k, "
                                     "R@k, MRR, MAP, nDCG@k (gain 2^grade - 1), hit@k and judged@k; queries without a relevant "
                                     "document are reported apart, not averaged."));
    cmd.addOption({QStringLiteral("queries"), QStringLiteral("The queries (JSONL: id, text, title; or TSV)."), QStringLiteral("file")});
    cmd.addOption({QStringLiteral("judgments"), QStringLiteral("The judgments (TSV: query_id, doc_id, grade; TREC qrels too)."),
                   QStringLiteral("file")});
    cmd.addOption({QStringLiteral("run"), QStringLiteral("The ranked results to score (TREC run format)."), QStringLiteral("file")});
    addMetricOptions(cmd);
    cmd.addOption({QStringLiteral("per-query"), QStringLiteral("A line per query as well as the mean.")});
    cmd.addOption({QStringLiteral("csv"), QStringLiteral("One CSV row per query.")});
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    for (const char *required : {"queries", "judgments", "run"})
        if (!p.isSet(QLatin1String(required)))
            return cmd.usageError(QStringLiteral("give --queries, --judgments and --run"));
    MetricOptions options;
    if (const QString bad = readMetricOptions(p, options); !bad.isEmpty())
        return cmd.usageError(bad);
    auto set = QuerySet::read(p.value(QStringLiteral("queries")), p.value(QStringLiteral("judgments")));
    if (!set.ok())
        return reportError(set.error(), cmd.json());
    auto run = readRunFile(p.value(QStringLiteral("run")));
    if (!run.ok())
        return reportError(run.error(), cmd.json());

    QList<QueryScores> scores;
    QStringList missing; // judged queries the run has no results for: scored as empty lists
    for (const JudgedQuery &q : set.value().queries) {
        if (!run.value().contains(q.id) && set.value().judgments.contains(q.id))
            missing << q.id;
        scores << scoreRanking(run.value().value(q.id), set.value().judgments.value(q.id), options);
    }
    const AverageScores avg = averageScores(scores);
    const bool perQuery = p.isSet(QStringLiteral("per-query"));
    if (cmd.json()) {
        QJsonArray rows;
        for (int i = 0; i < scores.size(); ++i) {
            QJsonObject row = scoresJson(scores.at(i), options.k);
            row.insert(QStringLiteral("query"), set.value().queries.at(i).id);
            rows << row;
        }
        printJson(QJsonObject{{QStringLiteral("k"), options.k},
                              {QStringLiteral("relevant_from"), options.relevantFrom},
                              {QStringLiteral("queries"), avg.queries},
                              {QStringLiteral("without_relevant"), avg.withoutRelevant},
                              {QStringLiteral("missing_from_run"), QJsonArray::fromStringList(missing)},
                              {QStringLiteral("mean"), scoresJson(avg.mean, options.k)},
                              {QStringLiteral("per_query"), rows}});
        return Ok;
    }
    if (p.isSet(QStringLiteral("csv"))) {
        printLine(QStringLiteral("query,relevant,retrieved,map,mrr,p@%1,r@%1,ndcg@%1,hit@%1,judged@%1,unjudged@%1").arg(options.k));
        for (int i = 0; i < scores.size(); ++i) {
            const QueryScores &s = scores.at(i);
            printLine(QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11")
                          .arg(set.value().queries.at(i).id)
                          .arg(s.relevant)
                          .arg(s.retrieved)
                          .arg(s.averagePrecision, 0, 'f', 6)
                          .arg(s.reciprocalRank, 0, 'f', 6)
                          .arg(s.precisionAtK, 0, 'f', 6)
                          .arg(s.recallAtK, 0, 'f', 6)
                          .arg(s.ndcgAtK, 0, 'f', 6)
                          .arg(s.hitAtK, 0, 'f', 6)
                          .arg(s.judgedAtK, 0, 'f', 6)
                          .arg(s.unjudgedAtK));
        }
        return Ok;
    }
    printLine(scoresHeader(options.k));
    if (perQuery)
        for (int i = 0; i < scores.size(); ++i)
            printLine(QStringLiteral("%1  %2%3")
                          .arg(set.value().queries.at(i).id.left(10).leftJustified(10), scoresLine(scores.at(i)),
                               scores.at(i).hasRelevant() ? QString() : QStringLiteral("  (no relevant document: not averaged)")));
    printLine(QStringLiteral("%1  %2").arg(QStringLiteral("mean").leftJustified(10), scoresLine(avg.mean)));
    printLine(QStringLiteral("-- over %1 queries with a relevant document (grade >= %2); %3 without one reported apart; "
                             "%4 unjudged result(s) in the top %5")
                  .arg(avg.queries)
                  .arg(options.relevantFrom)
                  .arg(avg.withoutRelevant)
                  .arg(avg.mean.unjudgedAtK)
                  .arg(options.k));
    if (!missing.isEmpty())
        printLine(QStringLiteral("warning: the run has no results for %1 judged quer%2 (scored as empty): %3")
                      .arg(missing.size())
                      .arg(missing.size() == 1 ? QStringLiteral("y") : QStringLiteral("ies"))
                      .arg(missing.mid(0, 10).join(QStringLiteral(", "))));
    return Ok;
}
int runEval(const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == QLatin1String("score"))
        return runEvalScore(args.mid(1));
    for (const char *name : {"import", "sets", "export", "judge", "drop"})
        if (sub == QLatin1String(name))
            return runEvalSets(sub, args.mid(1));
    for (const char *name : {"run", "runs", "show", "baseline"})
        if (sub == QLatin1String(name))
            return runEvalRuns(sub, args.mid(1));
    for (const char *name : {"compare", "drift", "threshold"})
        if (sub == QLatin1String(name))
            return runEvalCompare(sub, args.mid(1));
    CommandParser cmd(
        QStringLiteral("eval"),
        QStringLiteral("Search quality against analysts' judgments (each command has its own --help):\n"
                       "  vwb eval import --set NAME --queries Q --judgments J   store a judged query set (per profile)\n"
                       "  vwb eval sets | export --set NAME | drop --set NAME | judge --set NAME …\n"
                       "  vwb eval run --set NAME [--ranking vector|text|hybrid] [--mode full|rerank] …   run and store\n"
                       "  vwb eval runs --set NAME | show --set NAME RUN | baseline --set NAME RUN\n"
                       "  vwb eval compare --set NAME RUN_A RUN_B   deltas with a paired randomization test\n"
                       "  vwb eval drift --set NAME RUN             what changed since the baseline\n"
                       "  vwb eval threshold --set NAME RUN         precision, recall and F1 against the similarity threshold\n"
                       "  vwb eval score --queries Q --judgments J --run R   score a TREC run file"));
    if (auto exit = cmd.parse(args))
        return *exit;
    return cmd.usageError(sub.isEmpty() ? QStringLiteral("name an eval command") : QStringLiteral("no eval command \"%1\"").arg(sub));
}
} // namespace vwb::cli
