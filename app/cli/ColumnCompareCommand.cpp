// app/cli/ColumnCompareCommand.cpp — vwb column compare NAME --set S: the third step of a model
// change in one command (the set through the column in use and through NAME, both runs stored,
// NAME compared against the column in use).
#include "cli/EvalCli.h"

#include "cli/SearchOptions.h"
#include "embeddings/ColumnStatus.h"
#include "embeddings/ProviderSettings.h"
#include "eval/EvalRunner.h"
#include "eval/EvalStore.h"

namespace vwb::cli {

int runColumnCompare(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("column compare"),
                      QStringLiteral("vwb column compare NAME --set S: runs the judged set through the column in use and through "
                                     "NAME, each queried by the provider that fills it, stores both runs (vwb eval runs lists "
                                     "them) and compares NAME (B) against the column in use (A) with a paired randomization test."));
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("set"), QStringLiteral("The query set's name."), QStringLiteral("name")});
    cmd.addOption({QStringLiteral("mode"), QStringLiteral("full (default) or rerank."), QStringLiteral("mode"), QStringLiteral("full")});
    cmd.addOption({QStringLiteral("limit"), QStringLiteral("Full retrieval: results per query (default 100)."), QStringLiteral("n"),
                   QStringLiteral("100")});
    cmd.addOption({QStringLiteral("collapse-key"), QStringLiteral("A metadata key whose equal values are one document (text_sha1)."),
                   QStringLiteral("key")});
    cmd.addOption({QStringLiteral("provider"), QStringLiteral("The provider of NAME's queries (default: the one that filled it)."),
                   QStringLiteral("name")});
    addMetricOptions(cmd);
    addComparisonOptions(cmd);
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    const QStringList pos = p.positionalArguments();
    if (pos.size() != 1 || !p.isSet(QStringLiteral("set")))
        return cmd.usageError(QStringLiteral("vwb column compare NAME --set SET"));
    MetricOptions options;
    if (const QString bad = readMetricOptions(p, options); !bad.isEmpty())
        return cmd.usageError(bad);
    EvalMetric metric = EvalMetric::AveragePrecision;
    if (const QString bad = readComparisonOptions(p, metric); !bad.isEmpty())
        return cmd.usageError(bad);
    EvalConfig base;
    base.type = p.value(typeOption());
    bool ok = false;
    base.limit = p.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || !parseEvalMode(p.value(QStringLiteral("mode")), &base.mode))
        return cmd.usageError(QStringLiteral("--limit must be a number and --mode full or rerank"));
    base.collapseKey = p.value(QStringLiteral("collapse-key"));
    if (auto valid = base.validate(); !valid.ok())
        return cmd.usageError(valid.error().message);

    auto profile = evalProfileKey(cmd);
    if (!profile.ok())
        return reportConnectionError(cmd, profile.error());
    EvalStore store;
    const QString setName = p.value(QStringLiteral("set"));
    auto set = store.loadSet(profile.value(), setName);
    if (!set.ok())
        return reportError(set.error(), cmd.json());
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto pair = findPair(*conn.value(), base.type);
    if (!pair.ok())
        return reportConnectionError(cmd, pair.error());
    const auto use = loadColumnInUse(ProviderSettings::defaultPath(), conn.value()->profile(), pair.value());
    auto status = columnStatuses(*conn.value(), pair.value(), EmbeddingSources::defaultPath(), use);
    if (!status.ok())
        return reportConnectionError(cmd, status.error());
    const ColumnStatus *current = nullptr, *candidate = nullptr;
    for (const ColumnStatus &s : status.value()) {
        current = s.inUse ? &s : current;
        candidate = s.column.name == pos.first() ? &s : candidate;
    }
    if (!candidate)
        return reportError(Error::invalid(QStringLiteral("%1 has no vector column %2").arg(pair.value().vectors.display(), pos.first())),
                           cmd.json());
    if (candidate == current)
        return reportError(Error::invalid(QStringLiteral("%1 is the column in use: name the one to compare with it").arg(pos.first())),
                           cmd.json());
    if (candidate->filled == 0)
        return reportError(
            Error::invalid(QStringLiteral("%1 is empty: fill it first (vwb backfill --column %1 --provider P)").arg(pos.first())),
            cmd.json());
    if (!candidate->source && !p.isSet(QStringLiteral("provider")))
        return reportError(Error::invalid(QStringLiteral("Nothing records which provider filled %1: name the one that embeds its "
                                                         "queries with --provider")
                                              .arg(candidate->column.name)),
                           cmd.json());
    const QString profileProvider = ProviderSettings::load(ProviderSettings::defaultPath(), conn.value()->profile().name).provider;
    QList<EvalRun> runs;
    for (const ColumnStatus *column : {current, candidate}) {
        EvalConfig config = base;
        config.column = column == &status.value().first() ? QString() : column->column.name;
        config.provider = column == candidate && p.isSet(QStringLiteral("provider")) ? p.value(QStringLiteral("provider"))
                                                                                     : queryProviderOf(*column, use, profileProvider);
        auto run = runEvaluation(*conn.value(), set.value(), config);
        if (!run.ok())
            return reportConnectionError(cmd, run.error());
        EvalRun done = run.value();
        done.name = QStringLiteral("column %1").arg(column->column.name);
        if (auto saved = store.saveRun(profile.value(), setName, done); !saved.ok())
            return reportError(saved.error(), cmd.json());
        runs << done;
    }
    return printComparison(cmd, runs.at(0), runs.at(1), set.value(), options, metric);
}
} // namespace vwb::cli
