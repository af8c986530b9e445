// app/cli/EvalCompareCommand.cpp — vwb eval compare | drift | threshold: reading stored runs.
#include "cli/EvalCli.h"

#include "eval/EvalStore.h"
#include "eval/RunComparison.h"
#include "eval/ThresholdCurve.h"
#include <QJsonArray>

namespace vwb::cli {

void addComparisonOptions(CommandParser &cmd)
{
    cmd.addOption({QStringLiteral("metric"), QStringLiteral("map (default), ndcg, p, r, mrr or hit."), QStringLiteral("metric"),
                   QStringLiteral("map")});
    cmd.addOption(
        {QStringLiteral("top"), QStringLiteral("Queries listed as moved most (default 10)."), QStringLiteral("n"), QStringLiteral("10")});
    cmd.addOption({QStringLiteral("csv"), QStringLiteral("CSV rows instead of a summary.")});
}

QString readComparisonOptions(const QCommandLineParser &p, EvalMetric &metric)
{
    if (!parseEvalMetric(p.value(QStringLiteral("metric")), &metric))
        return QStringLiteral("--metric must be map, ndcg, p, r, mrr or hit");
    bool ok = false;
    if (p.value(QStringLiteral("top")).toInt(&ok) < 0 || !ok)
        return QStringLiteral("--top must be 0 or more");
    return {};
}

int printComparison(CommandParser &cmd, const EvalRun &a, const EvalRun &b, const QuerySet &set, const MetricOptions &options,
                    EvalMetric metric)
{
    const Comparison c = compareRuns(scoreRun(a, set, options), scoreRun(b, set, options), metric);
    const QString name = evalMetricName(metric, options.k);
    const int shown = cmd.parser().value(QStringLiteral("top")).toInt();
    if (cmd.json()) {
        QJsonArray rows;
        for (const QueryDelta &d : c.perQuery)
            rows << QJsonObject{{QStringLiteral("query"), d.queryId},
                                {QStringLiteral("a"), d.a},
                                {QStringLiteral("b"), d.b},
                                {QStringLiteral("delta"), d.delta()}};
        printJson(QJsonObject{{QStringLiteral("metric"), name},
                              {QStringLiteral("a"), a.id},
                              {QStringLiteral("b"), b.id},
                              {QStringLiteral("queries"), c.queries},
                              {QStringLiteral("mean_a"), c.meanA},
                              {QStringLiteral("mean_b"), c.meanB},
                              {QStringLiteral("delta"), c.delta()},
                              {QStringLiteral("p_value"), c.pValue},
                              {QStringLiteral("permutations"), c.permutations},
                              {QStringLiteral("wins"), c.wins},
                              {QStringLiteral("losses"), c.losses},
                              {QStringLiteral("ties"), c.ties},
                              {QStringLiteral("per_query"), rows}});
        return Ok;
    }
    if (cmd.parser().isSet(QStringLiteral("csv"))) {
        printLine(QStringLiteral("query,a,b,delta"));
        for (const QueryDelta &d : c.perQuery)
            printLine(QStringLiteral("%1,%2,%3,%4")
                          .arg(d.queryId, QString::number(d.a, 'f', 6), QString::number(d.b, 'f', 6), QString::number(d.delta(), 'f', 6)));
        return Ok;
    }
    printLine(QStringLiteral("A  run %1: %2").arg(a.id).arg(a.config.summary()));
    printLine(QStringLiteral("B  run %1: %2").arg(b.id).arg(b.config.summary()));
    printLine(comparisonSentence(c, name));
    if (!c.perQuery.isEmpty() && shown > 0 && qAbs(c.perQuery.first().delta()) > 1e-12)
        printLine(QStringLiteral("moved most:"));
    for (int i = 0; i < qMin(shown, int(c.perQuery.size())); ++i) {
        const QueryDelta &d = c.perQuery.at(i);
        if (qAbs(d.delta()) < 1e-12)
            break;
        printLine(QStringLiteral("  %1  %2 -> %3  (%4%5)")
                      .arg(d.queryId.leftJustified(10))
                      .arg(d.a, 0, 'f', 4)
                      .arg(d.b, 0, 'f', 4)
                      .arg(d.delta() >= 0 ? QStringLiteral("+") : QString())
                      .arg(d.delta(), 0, 'f', 4));
    }
    return Ok;
}

namespace {

int drift(CommandParser &cmd, const EvalRun &baseline, const EvalRun &later, const QuerySet &set, const MetricOptions &options,
          EvalMetric metric)
{
    const QList<QueryDrift> drifts = driftFrom(baseline, scoreRun(baseline, set, options), later, scoreRun(later, set, options), metric,
                                               options.k);
    int changed = 0;
    for (const QueryDrift &d : drifts)
        changed += d.changed() ? 1 : 0;
    if (cmd.json()) {
        QJsonArray rows;
        for (const QueryDrift &d : drifts)
            rows << QJsonObject{{QStringLiteral("query"), d.queryId},
                                {QStringLiteral("entered"), QJsonArray::fromStringList(d.entered)},
                                {QStringLiteral("left"), QJsonArray::fromStringList(d.left)},
                                {QStringLiteral("score_shift"), d.scoreShift},
                                {QStringLiteral("metric_delta"), d.metricDelta}};
        printJson(QJsonObject{{QStringLiteral("baseline"), baseline.id},
                              {QStringLiteral("run"), later.id},
                              {QStringLiteral("metric"), evalMetricName(metric, options.k)},
                              {QStringLiteral("k"), options.k},
                              {QStringLiteral("changed"), changed},
                              {QStringLiteral("per_query"), rows}});
        return Ok;
    }
    printLine(QStringLiteral("Run %1 against the baseline, run %2: %3 of %4 queries changed in their top %5")
                  .arg(later.id)
                  .arg(baseline.id)
                  .arg(changed)
                  .arg(drifts.size())
                  .arg(options.k));
    for (const QueryDrift &d : drifts) {
        if (!d.changed())
            break;
        printLine(
            QStringLiteral("  %1  %2 %3%4  %5 new, %6 gone, mean score shift %7%8")
                .arg(d.queryId.leftJustified(10), evalMetricName(metric, options.k), d.metricDelta >= 0 ? QStringLiteral("+") : QString())
                .arg(d.metricDelta, 0, 'f', 4)
                .arg(d.entered.size())
                .arg(d.left.size())
                .arg(d.scoreShift, 0, 'f', 4)
                .arg(d.entered.isEmpty() ? QString() : QStringLiteral(" (new: %1)").arg(d.entered.mid(0, 5).join(QStringLiteral(", ")))));
    }
    return Ok;
}

int threshold(CommandParser &cmd, const EvalRun &run, const QuerySet &set, const MetricOptions &options)
{
    bool ok = false;
    const double target = cmd.parser().value(QStringLiteral("target-precision")).toDouble(&ok);
    if (!ok || target <= 0 || target > 1)
        return cmd.usageError(QStringLiteral("--target-precision must be in (0, 1]"));
    const ThresholdCurve curve = thresholdCurve(run, set, options.relevantFrom);
    const auto best = curve.bestF1();
    const auto meeting = curve.lowestMeeting(target);
    const auto pointJson = [](const ThresholdPoint &p) {
        return QJsonObject{{QStringLiteral("threshold"), p.threshold}, {QStringLiteral("precision"), p.precision},
                           {QStringLiteral("recall"), p.recall},       {QStringLiteral("f1"), p.f1},
                           {QStringLiteral("kept"), p.kept},           {QStringLiteral("unjudged"), p.unjudged}};
    };
    if (cmd.json()) {
        QJsonArray points;
        for (const ThresholdPoint &p : curve.points)
            points << pointJson(p);
        printJson(QJsonObject{{QStringLiteral("run"), run.id},
                              {QStringLiteral("relevant"), curve.relevantTotal},
                              {QStringLiteral("without_similarity"), curve.withoutSimilarity},
                              {QStringLiteral("best_f1"), best ? QJsonValue(pointJson(*best)) : QJsonValue()},
                              {QStringLiteral("target_precision"), target},
                              {QStringLiteral("lowest_meeting_target"), meeting ? QJsonValue(pointJson(*meeting)) : QJsonValue()},
                              {QStringLiteral("points"), points}});
        return Ok;
    }
    if (cmd.parser().isSet(QStringLiteral("csv"))) {
        printLine(QStringLiteral("threshold,precision,recall,f1,kept,unjudged"));
        for (const ThresholdPoint &p : curve.points)
            printLine(QStringLiteral("%1,%2,%3,%4,%5,%6")
                          .arg(QString::number(p.threshold, 'f', 6), QString::number(p.precision, 'f', 6),
                               QString::number(p.recall, 'f', 6), QString::number(p.f1, 'f', 6), QString::number(p.kept),
                               QString::number(p.unjudged)));
        return Ok;
    }
    if (curve.points.isEmpty()) {
        printLine(QStringLiteral("Run %1 has no similarities to set a threshold from (a full-text run?)").arg(run.id));
        return Ok;
    }
    printLine(QStringLiteral(
                  "Run %1: %2 relevant judged documents; precision over judged results only (%3 unjudged kept at the lowest threshold)")
                  .arg(run.id)
                  .arg(curve.relevantTotal)
                  .arg(curve.points.last().unjudged));
    printLine(QStringLiteral("threshold  precision  recall      F1   kept"));
    const int step = qMax(1, int(curve.points.size()) / 15);
    for (int i = 0; i < curve.points.size(); i += step) {
        const ThresholdPoint &p = curve.points.at(i);
        printLine(QStringLiteral("%1  %2  %3  %4  %5")
                      .arg(p.threshold, 9, 'f', 4)
                      .arg(p.precision, 9, 'f', 4)
                      .arg(p.recall, 6, 'f', 4)
                      .arg(p.f1, 6, 'f', 4)
                      .arg(p.kept, 5));
    }
    if (best)
        printLine(QStringLiteral("best F1 %1 at threshold %2 (precision %3, recall %4)")
                      .arg(best->f1, 0, 'f', 4)
                      .arg(best->threshold, 0, 'f', 4)
                      .arg(best->precision, 0, 'f', 4)
                      .arg(best->recall, 0, 'f', 4));
    printLine(meeting ? QStringLiteral("precision >= %1 down to threshold %2 (recall %3)")
                            .arg(target)
                            .arg(meeting->threshold, 0, 'f', 4)
                            .arg(meeting->recall, 0, 'f', 4)
                      : QStringLiteral("no threshold reaches precision %1").arg(target));
    return Ok;
}
} // namespace

int runEvalCompare(const QString &sub, const QStringList &args)
{
    CommandParser cmd(QStringLiteral("eval ") + sub,
                      sub == QLatin1String("compare")
                          ? QStringLiteral("vwb eval compare --set NAME RUN_A RUN_B: B against A on one metric, query by query, "
                                           "with a paired randomization test; the queries that moved most.")
                      : sub == QLatin1String("drift")
                          ? QStringLiteral("vwb eval drift --set NAME RUN: what changed since the set's baseline run (new ids in "
                                           "the top k, score shifts, metric deltas).")
                          : QStringLiteral("vwb eval threshold --set NAME RUN: precision, recall and F1 of keeping results at or above "
                                           "each similarity, with the threshold of best F1 and the lowest meeting a target precision."));
    cmd.addOption({QStringLiteral("set"), QStringLiteral("The query set's name."), QStringLiteral("name")});
    addMetricOptions(cmd);
    if (sub == QLatin1String("compare"))
        addComparisonOptions(cmd);
    if (sub == QLatin1String("drift"))
        cmd.addOption({QStringLiteral("metric"), QStringLiteral("map (default), ndcg, p, r, mrr or hit."), QStringLiteral("metric"),
                       QStringLiteral("map")});
    if (sub == QLatin1String("threshold")) {
        cmd.addOption({QStringLiteral("target-precision"), QStringLiteral("The precision to meet (default 0.8)."), QStringLiteral("p"),
                       QStringLiteral("0.8")});
        cmd.addOption({QStringLiteral("csv"), QStringLiteral("CSV rows instead of a summary.")});
    }
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    const QStringList pos = p.positionalArguments();
    const int runs = sub == QLatin1String("compare") ? 2 : 1;
    if (!p.isSet(QStringLiteral("set")) || pos.size() != runs)
        return cmd.usageError(runs == 2 ? QStringLiteral("give --set NAME and two runs (ids or names)")
                                        : QStringLiteral("give --set NAME and a run (id or name)"));
    MetricOptions options;
    if (const QString bad = readMetricOptions(p, options); !bad.isEmpty())
        return cmd.usageError(bad);
    EvalMetric metric = EvalMetric::AveragePrecision;
    if (sub == QLatin1String("compare"))
        if (const QString bad = readComparisonOptions(p, metric); !bad.isEmpty())
            return cmd.usageError(bad);
    if (sub == QLatin1String("drift") && !parseEvalMetric(p.value(QStringLiteral("metric")), &metric))
        return cmd.usageError(QStringLiteral("--metric must be map, ndcg, p, r, mrr or hit"));
    auto profile = evalProfileKey(cmd);
    if (!profile.ok())
        return reportConnectionError(cmd, profile.error());
    EvalStore store;
    const QString setName = p.value(QStringLiteral("set"));
    auto set = store.loadSet(profile.value(), setName);
    if (!set.ok())
        return reportError(set.error(), cmd.json());
    QList<EvalRun> loaded;
    for (const QString &ref : pos) {
        auto run = store.loadRun(profile.value(), setName, ref);
        if (!run.ok())
            return reportError(run.error(), cmd.json());
        loaded << run.value();
    }
    if (sub == QLatin1String("compare"))
        return printComparison(cmd, loaded.at(0), loaded.at(1), set.value(), options, metric);
    if (sub == QLatin1String("threshold"))
        return threshold(cmd, loaded.at(0), set.value(), options);
    auto summaries = store.runs(profile.value(), setName);
    if (!summaries.ok())
        return reportError(summaries.error(), cmd.json());
    for (const RunSummary &s : summaries.value()) {
        if (!s.baseline)
            continue;
        auto baseline = store.loadRun(profile.value(), setName, QString::number(s.id));
        if (!baseline.ok())
            return reportError(baseline.error(), cmd.json());
        return drift(cmd, baseline.value(), loaded.at(0), set.value(), options, metric);
    }
    return reportError(Error::invalid(QStringLiteral("\"%1\" has no baseline run yet: vwb eval baseline --set %1 RUN").arg(setName)),
                       cmd.json());
}
} // namespace vwb::cli
