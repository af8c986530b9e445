// app/cli/EvalRunCommand.cpp — vwb eval run | runs | show | baseline: a set run through a configuration.
#include "cli/EvalCli.h"

#include "cli/SearchOptions.h"
#include "eval/EvalRunner.h"
#include "eval/EvalStore.h"
#include "eval/RunFile.h"
#include <QJsonArray>
#include <cmath>

namespace vwb::cli {
namespace {

/// The configuration the options describe (--type, --column, --provider, knobs, ranking, mode…).
QString readConfig(const QCommandLineParser &p, EvalConfig &config)
{
    SearchRequest request;
    if (const QString bad = readKnobs(p, request); !bad.isEmpty())
        return bad;
    if (const QString bad = readRanking(p, request); !bad.isEmpty())
        return bad;
    config.type = p.value(typeOption());
    config.column = request.column;
    config.provider = p.value(QStringLiteral("provider"));
    if (p.isSet(QStringLiteral("metric")))
        config.metric = request.metric;
    config.exact = p.isSet(QStringLiteral("exact"));
    config.efSearch = request.efSearch;
    config.probes = request.probes;
    config.iterativeScan = request.iterativeScan;
    config.ranking = request.ranking;
    config.textConfig = request.textConfig;
    config.rrfK = request.rrfK;
    bool ok = false;
    config.limit = p.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || config.limit < 1 || config.limit > 10000)
        return QStringLiteral("--limit must be 1-10000");
    if (p.isSet(QStringLiteral("threshold"))) {
        config.threshold = p.value(QStringLiteral("threshold")).toDouble(&ok);
        if (!ok || !std::isfinite(config.threshold))
            return QStringLiteral("--threshold must be a number");
    }
    if (!parseEvalMode(p.value(QStringLiteral("mode")), &config.mode))
        return QStringLiteral("--mode must be full or rerank");
    config.collapseKey = p.value(QStringLiteral("collapse-key"));
    if (auto valid = config.validate(); !valid.ok())
        return valid.error().message;
    return {};
}

void printRunScores(CommandParser &cmd, const EvalRun &run, const QuerySet &set, const MetricOptions &options)
{
    const ScoredRun scored = scoreRun(run, set, options);
    const QCommandLineParser &p = cmd.parser();
    if (cmd.json()) {
        QJsonArray rows;
        for (int i = 0; i < scored.perQuery.size(); ++i) {
            QJsonObject row = scoresJson(scored.perQuery.at(i), options.k);
            row.insert(QStringLiteral("query"), scored.queryIds.at(i));
            if (const QueryRun *q = run.query(scored.queryIds.at(i))) {
                row.insert(QStringLiteral("ms"), q->ms);
                if (!q->error.isEmpty())
                    row.insert(QStringLiteral("error"), q->error);
            }
            rows << row;
        }
        printJson(QJsonObject{{QStringLiteral("run"), run.id ? QJsonValue(run.id) : QJsonValue()},
                              {QStringLiteral("name"), run.name},
                              {QStringLiteral("config"), run.config.toJson()},
                              {QStringLiteral("k"), options.k},
                              {QStringLiteral("queries"), scored.mean.queries},
                              {QStringLiteral("without_relevant"), scored.mean.withoutRelevant},
                              {QStringLiteral("failed"), scored.failed},
                              {QStringLiteral("total_ms"), run.totalMs},
                              {QStringLiteral("mean"), scoresJson(scored.mean.mean, options.k)},
                              {QStringLiteral("warnings"), QJsonArray::fromStringList(run.warnings)},
                              {QStringLiteral("per_query"), rows}});
        return;
    }
    if (p.isSet(QStringLiteral("csv"))) {
        printLine(QStringLiteral("query,map,mrr,p@%1,r@%1,ndcg@%1,hit@%1,judged@%1,ms,error").arg(options.k));
        for (int i = 0; i < scored.perQuery.size(); ++i) {
            const QueryScores &s = scored.perQuery.at(i);
            const QueryRun *q = run.query(scored.queryIds.at(i));
            QString error = q ? q->error : QString();
            error.replace(QLatin1Char('"'), QStringLiteral("\"\""));
            printLine(QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,\"%10\"")
                          .arg(scored.queryIds.at(i), QString::number(s.averagePrecision, 'f', 6),
                               QString::number(s.reciprocalRank, 'f', 6), QString::number(s.precisionAtK, 'f', 6),
                               QString::number(s.recallAtK, 'f', 6), QString::number(s.ndcgAtK, 'f', 6), QString::number(s.hitAtK, 'f', 6),
                               QString::number(s.judgedAtK, 'f', 6), QString::number(q ? q->ms : 0, 'f', 2), error));
        }
        return;
    }
    printLine(QStringLiteral("Run %1%2: %3")
                  .arg(run.id ? QString::number(run.id) : QStringLiteral("(not stored)"),
                       run.name.isEmpty() ? QString() : QStringLiteral(" \"%1\"").arg(run.name), run.config.summary()));
    printLine(scoresHeader(options.k));
    if (p.isSet(QStringLiteral("per-query")))
        for (int i = 0; i < scored.perQuery.size(); ++i)
            printLine(
                QStringLiteral("%1  %2%3")
                    .arg(scored.queryIds.at(i).left(10).leftJustified(10), scoresLine(scored.perQuery.at(i)),
                         scored.perQuery.at(i).hasRelevant() ? QString() : QStringLiteral("  (no relevant document: not averaged)")));
    printLine(QStringLiteral("%1  %2").arg(QStringLiteral("mean").leftJustified(10), scoresLine(scored.mean.mean)));
    printLine(QStringLiteral("-- %1 queries averaged (grade >= %2 relevant), %3 without a relevant document apart, %4 failed; "
                             "%5 unjudged result(s) in the top %6; %7 ms in all")
                  .arg(scored.mean.queries)
                  .arg(options.relevantFrom)
                  .arg(scored.mean.withoutRelevant)
                  .arg(scored.failed)
                  .arg(scored.mean.mean.unjudgedAtK)
                  .arg(options.k)
                  .arg(run.totalMs, 0, 'f', 0));
    for (const QString &w : run.warnings)
        printLine(QStringLiteral("warning: ") + w);
}

int runSet(CommandParser &cmd, EvalStore &store, const QString &profile, const QuerySet &set, const MetricOptions &options)
{
    const QCommandLineParser &p = cmd.parser();
    EvalConfig config;
    if (const QString bad = readConfig(p, config); !bad.isEmpty())
        return cmd.usageError(bad);
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto pair = findPair(*conn.value(), config.type);
    if (!pair.ok())
        return reportConnectionError(cmd, pair.error());
    config.provider = applyColumnInUse(cmd, *conn.value(), pair.value(), config.column);
    auto run = runEvaluation(*conn.value(), set, config);
    if (!run.ok())
        return reportConnectionError(cmd, run.error());
    EvalRun done = run.value();
    done.name = p.value(QStringLiteral("name"));
    if (!p.isSet(QStringLiteral("no-store")))
        if (auto saved = store.saveRun(profile, p.value(QStringLiteral("set")), done); !saved.ok())
            return reportError(saved.error(), cmd.json());
    if (p.isSet(QStringLiteral("run-out")))
        if (auto written = writeRunFile(p.value(QStringLiteral("run-out")), done, done.name.isEmpty() ? config.summary() : done.name);
            !written.ok())
            return reportError(written.error(), cmd.json());
    printRunScores(cmd, done, set, options);
    return Ok;
}

int listRuns(CommandParser &cmd, EvalStore &store, const QString &profile)
{
    auto runs = store.runs(profile, cmd.parser().value(QStringLiteral("set")));
    if (!runs.ok())
        return reportError(runs.error(), cmd.json());
    if (cmd.json()) {
        QJsonArray rows;
        for (const RunSummary &r : runs.value())
            rows << QJsonObject{{QStringLiteral("id"), r.id},
                                {QStringLiteral("name"), r.name},
                                {QStringLiteral("config"), r.config},
                                {QStringLiteral("started_at"), r.startedAt.toString(Qt::ISODate)},
                                {QStringLiteral("total_ms"), r.totalMs},
                                {QStringLiteral("baseline"), r.baseline},
                                {QStringLiteral("queries"), r.queries}};
        printJson(QJsonObject{{QStringLiteral("runs"), rows}});
        return Ok;
    }
    if (runs.value().isEmpty())
        printLine(QStringLiteral("No runs yet: vwb eval run --set %1").arg(cmd.parser().value(QStringLiteral("set"))));
    for (const RunSummary &r : runs.value())
        printLine(QStringLiteral("%1%2  %3  %4  %5 queries, %6 ms  %7")
                      .arg(QString::number(r.id).rightJustified(4), r.baseline ? QStringLiteral(" *") : QStringLiteral("  "),
                           r.startedAt.toString(Qt::ISODate), r.name.isEmpty() ? QStringLiteral("-") : r.name)
                      .arg(r.queries)
                      .arg(r.totalMs, 0, 'f', 0)
                      .arg(r.config));
    if (!runs.value().isEmpty())
        printLine(QStringLiteral("-- * the baseline (vwb eval baseline --set NAME RUN)"));
    return Ok;
}
} // namespace

int runEvalRuns(const QString &sub, const QStringList &args)
{
    CommandParser cmd(
        QStringLiteral("eval ") + sub,
        sub == QLatin1String("run")
            ? QStringLiteral("Runs every query of a stored set through one search configuration, read-only, and stores "
                             "the ranked lists and timings as a run (vwb eval runs lists them). Full retrieval searches the "
                             "whole table; --mode rerank ranks only each query's judged documents (all of them).")
        : sub == QLatin1String("runs")     ? QStringLiteral("Lists the stored runs of a set.")
        : sub == QLatin1String("baseline") ? QStringLiteral("Marks RUN (id or name) the set's baseline: vwb eval drift compares with it.")
                                           : QStringLiteral("Scores a stored run (id or name)."));
    cmd.addOption({QStringLiteral("set"), QStringLiteral("The query set's name."), QStringLiteral("name")});
    if (sub == QLatin1String("run")) {
        cmd.addOption(typeOption());
        cmd.addOption({QStringLiteral("name"), QStringLiteral("A name for the run."), QStringLiteral("name")});
        cmd.addOption({QStringLiteral("provider"),
                       QStringLiteral("lexical (offline, default), lexical-stem (offline, Snowball-stemmed words), openai (the "
                                      "profile's model) or openai:MODEL."),
                       QStringLiteral("name"), QStringLiteral("lexical")});
        cmd.addOption({QStringLiteral("exact"), QStringLiteral("Exact search: index scans off.")});
        cmd.addOption({QStringLiteral("limit"), QStringLiteral("Full retrieval: results per query (default 100)."), QStringLiteral("n"),
                       QStringLiteral("100")});
        cmd.addOption({QStringLiteral("threshold"), QStringLiteral("Minimum similarity."), QStringLiteral("t")});
        cmd.addOption(
            {QStringLiteral("mode"), QStringLiteral("full (default) or rerank."), QStringLiteral("mode"), QStringLiteral("full")});
        cmd.addOption({QStringLiteral("collapse-key"), QStringLiteral("A metadata key whose equal values are one document (text_sha1)."),
                       QStringLiteral("key")});
        cmd.addOption({QStringLiteral("run-out"), QStringLiteral("Also write the run as a TREC run file."), QStringLiteral("file")});
        cmd.addOption({QStringLiteral("no-store"), QStringLiteral("Score it without storing it.")});
        addKnobs(cmd);
        addRankingOptions(cmd);
    }
    if (sub == QLatin1String("run") || sub == QLatin1String("show")) {
        addMetricOptions(cmd);
        cmd.addOption({QStringLiteral("per-query"), QStringLiteral("A line per query as well as the mean.")});
        cmd.addOption({QStringLiteral("csv"), QStringLiteral("One CSV row per query.")});
    }
    if (sub == QLatin1String("show"))
        cmd.addOption({QStringLiteral("run-out"), QStringLiteral("Write the run as a TREC run file."), QStringLiteral("file")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    if (!p.isSet(QStringLiteral("set")))
        return cmd.usageError(QStringLiteral("give --set NAME (vwb eval sets lists them)"));
    MetricOptions options;
    if (sub == QLatin1String("run") || sub == QLatin1String("show"))
        if (const QString bad = readMetricOptions(p, options); !bad.isEmpty())
            return cmd.usageError(bad);
    const QStringList pos = p.positionalArguments();
    if ((sub == QLatin1String("show") || sub == QLatin1String("baseline")) && pos.size() != 1)
        return cmd.usageError(QStringLiteral("name the RUN (its id or name; vwb eval runs --set lists them)"));
    auto profile = evalProfileKey(cmd);
    if (!profile.ok())
        return reportConnectionError(cmd, profile.error());
    EvalStore store;
    const QString setName = p.value(QStringLiteral("set"));
    if (sub == QLatin1String("runs"))
        return listRuns(cmd, store, profile.value());
    auto set = store.loadSet(profile.value(), setName);
    if (!set.ok())
        return reportError(set.error(), cmd.json());
    if (sub == QLatin1String("run"))
        return runSet(cmd, store, profile.value(), set.value(), options);
    auto run = store.loadRun(profile.value(), setName, pos.first());
    if (!run.ok())
        return reportError(run.error(), cmd.json());
    if (sub == QLatin1String("baseline")) {
        if (auto done = store.setBaseline(profile.value(), setName, run.value().id); !done.ok())
            return reportError(done.error(), cmd.json());
        cmd.json() ? printJson(QJsonObject{{QStringLiteral("baseline"), run.value().id}})
                   : printLine(QStringLiteral("Run %1 is the baseline of \"%2\"").arg(run.value().id).arg(setName));
        return Ok;
    }
    if (p.isSet(QStringLiteral("run-out")))
        if (auto written = writeRunFile(p.value(QStringLiteral("run-out")), run.value(),
                                        run.value().name.isEmpty() ? run.value().config.summary() : run.value().name);
            !written.ok())
            return reportError(written.error(), cmd.json());
    printRunScores(cmd, run.value(), set.value(), options);
    return Ok;
}
} // namespace vwb::cli
