// app/cli/ExplainCommand.cpp — vwb explain: a statement's plan with exclusive times, estimate
// factors and pgvector hints; saved or pasted plans read and compared without a server.
#include "cli/CliSupport.h"
#include "core/BoundedFile.h"

#include "search/SearchTuning.h"
#include "cli/SearchOptions.h"

#include "plan/ExplainRunner.h"
#include "plan/PlanParser.h"
#include "plan/Placeholders.h"
#include "plan/PlanReport.h"
#include <cstdio>
#include <unistd.h>

namespace vwb::cli {
namespace {

constexpr int DefaultStatementTimeoutMs = 30000;
constexpr int MaxStatementTimeoutMs = 24 * 3600 * 1000;

/// A file's text, or standard input's for "-".
Result<QString> readText(const QString &path)
{
    const bool standardInput = path == QLatin1String("-");
    if (!standardInput) {
        auto bytes = readRegularFile(path, PlanParser::MaxInputChars, QStringLiteral("the file"));
        if (!bytes.ok())
            return bytes.error();
        return QString::fromUtf8(bytes.value());
    }
    auto bytes = readStream(STDIN_FILENO, PlanParser::MaxInputChars, QStringLiteral("Standard input"));
    if (!bytes.ok())
        return bytes.error();
    return QString::fromUtf8(bytes.value());
}

Result<Plan> readPlan(const QString &path)
{
    auto text = readText(path);
    if (!text.ok())
        return text.error();
    auto plan = PlanParser::parse(text.value());
    if (!plan.ok())
        return Error{plan.error().kind, QStringLiteral("%1: %2").arg(path, plan.error().message), {}, plan.error().detail};
    return plan;
}

void printPlan(const Plan &plan, const QList<PlanHint> &hints, bool json, const QJsonObject &extra = {})
{
    if (json) {
        QJsonObject out = planToJson(plan, hints);
        for (auto it = extra.begin(); it != extra.end(); ++it)
            out.insert(it.key(), it.value());
        printJson(out);
        return;
    }
    for (const QString &line : planToText(plan, hints))
        printLine(line);
}

int runParse(CommandParser &cmd)
{
    const QStringList pos = cmd.parser().positionalArguments();
    if (!pos.isEmpty())
        return cmd.usageError(QStringLiteral("unexpected argument \"%1\" (--parse reads one file)").arg(pos.first()));
    auto plan = readPlan(cmd.parser().value(QStringLiteral("parse")));
    if (!plan.ok())
        return reportError(plan.error(), cmd.json());
    // No server: the hints that need the schema (which tables have ANN indexes) stay silent.
    printPlan(plan.value(), planHints(plan.value(), DatabaseSchema{}), cmd.json());
    return Ok;
}

int runCompare(CommandParser &cmd)
{
    const QStringList pos = cmd.parser().positionalArguments();
    if (pos.size() != 2)
        return cmd.usageError(QStringLiteral("--compare takes two plan files: BEFORE AFTER"));
    auto before = readPlan(pos.at(0));
    if (!before.ok())
        return reportError(before.error(), cmd.json());
    auto after = readPlan(pos.at(1));
    if (!after.ok())
        return reportError(after.error(), cmd.json());
    const PlanComparison comparison = comparePlans(before.value(), after.value());
    if (cmd.json()) {
        printJson(planComparisonToJson(comparison));
        return Ok;
    }
    for (const QString &line : planComparisonToText(comparison))
        printLine(line);
    return Ok;
}

/// Prints what an EXPLAIN on the server the options name gave.
int printExplained(CommandParser &cmd, PgConnection &conn, const Result<ExplainOutcome> &outcome, const ExplainOptions &options)
{
    if (!outcome.ok())
        return reportError(outcome.error(), cmd.json());
    const ExplainOutcome &o = outcome.value();
    QList<PlanHint> hints;
    if (auto schema = discoverSchema(conn); schema.ok())
        hints = planHints(o.plan, schema.value(), ExplainRunner::searchPath(conn));
    if (cmd.json()) {
        printPlan(o.plan, hints, true,
                  {{QStringLiteral("statement"), o.statement},
                   {QStringLiteral("settings"), QJsonArray::fromStringList(options.settings)},
                   {QStringLiteral("read_only"), o.readOnly},
                   {QStringLiteral("generic_plan"), o.genericPlan},
                   {QStringLiteral("notices"), QJsonArray::fromStringList(o.notices)}});
        return Ok;
    }
    for (const QString &s : options.settings)
        printLine(QStringLiteral("-- ") + s);
    printLine(QStringLiteral("-- ") + QString(o.statement).replace(QLatin1Char('\n'), QLatin1Char(' ')));
    if (o.genericPlan)
        printLine(QStringLiteral("-- the generic plan: no values were given for the placeholders (--param gives them)"));
    printPlan(o.plan, hints, false);
    for (const QString &n : o.notices)
        printLine(QStringLiteral("notice: ") + n);
    return Ok;
}
} // namespace

int runExplain(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("explain"),
                      QStringLiteral("A plan with each node's own (exclusive) time, rows against the estimate, and "
                                     "pgvector hints.\n"
                                     "  vwb explain SQL [--analyze]         one statement (EXPLAIN ANALYZE runs it, then rolls back)\n"
                                     "  vwb explain --file F [--analyze]    the statement in F ('-': standard input)\n"
                                     "  vwb explain --search TEXT [...]     the query vwb search TEXT runs, with its options\n"
                                     "  vwb explain --parse F               a saved or pasted plan (JSON or text, psql's frame "
                                     "too); no server\n"
                                     "  vwb explain --compare A B           two saved plans side by side; no server"));
    cmd.parser().addPositionalArgument(QStringLiteral("SQL"), QStringLiteral("The statement (or the search TEXT, or the two "
                                                                             "files of --compare)."));
    cmd.addOption({QStringLiteral("analyze"), QStringLiteral("EXPLAIN ANALYZE: run the statement (inside BEGIN ... ROLLBACK) "
                                                             "for actual times, rows and buffers.")});
    cmd.addOption(
        {QStringLiteral("statement-timeout"),
         QStringLiteral("statement_timeout for the EXPLAIN, in ms (default %1; 0: the server's).").arg(DefaultStatementTimeoutMs),
         QStringLiteral("ms"), QString::number(DefaultStatementTimeoutMs)});
    cmd.addOption(
        {QStringLiteral("file"), QStringLiteral("Read the statement from this file ('-': standard input)."), QStringLiteral("file")});
    cmd.addOption({QStringLiteral("search"), QStringLiteral("Explain the semantic search of TEXT (or --like-topic ID) as vwb "
                                                            "search runs it; takes the search options.")});
    cmd.addOption({QStringLiteral("parse"),
                   QStringLiteral("Read a plan from this file ('-': standard input) instead of "
                                  "asking a server."),
                   QStringLiteral("file")});
    cmd.addOption({QStringLiteral("compare"), QStringLiteral("Compare two saved plans given as arguments: BEFORE AFTER.")});
    cmd.addOption({QStringLiteral("param"),
                   QStringLiteral("A value for the statement's next placeholder (Knex's ? or $n), in order; repeat it. "
                                  "Without values a statement with placeholders gets its generic plan."),
                   QStringLiteral("value")});
    addSearchOptions(cmd);
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();

    const bool search = p.isSet(QStringLiteral("search")), file = p.isSet(QStringLiteral("file"));
    const bool parse = p.isSet(QStringLiteral("parse")), compare = p.isSet(QStringLiteral("compare"));
    if (int(search) + int(file) + int(parse) + int(compare) > 1)
        return cmd.usageError(QStringLiteral("give one of --search, --file, --parse and --compare"));
    if ((parse || compare) && p.isSet(QStringLiteral("analyze")))
        return cmd.usageError(QStringLiteral("--analyze needs a server; --parse and --compare read saved plans"));
    if (parse)
        return runParse(cmd);
    if (compare)
        return runCompare(cmd);

    ExplainOptions options;
    options.analyze = p.isSet(QStringLiteral("analyze"));
    bool ok = false;
    options.timeoutMs = p.value(QStringLiteral("statement-timeout")).toInt(&ok);
    if (!ok || options.timeoutMs < 0 || options.timeoutMs > MaxStatementTimeoutMs)
        return cmd.usageError(QStringLiteral("--statement-timeout must be 0-%1 ms").arg(MaxStatementTimeoutMs));
    const QString positional = p.positionalArguments().join(QLatin1Char(' ')).trimmed();

    if (search) {
        SearchRequest request;
        if (const QString bad = readSearchOptions(p, positional, request); !bad.isEmpty())
            return cmd.usageError(bad);
        auto conn = openConnection(cmd);
        if (!conn.ok())
            return reportConnectionError(cmd, conn.error());
        PgConnection &c = *conn.value();
        auto target = targetPair(cmd, c, request);
        if (!target.ok())
            return reportConnectionError(cmd, target.error());
        const SearchQuery query{request, positional, target.value(), false, SearchTuning::defaultPath()};
        const auto outcome = explainSearch(c, query, options);
        if (outcome.ok())
            options.settings = outcome.value().settings;
        return printExplained(cmd, c, outcome, options);
    }

    QString sql = positional;
    if (file) {
        if (!positional.isEmpty())
            return cmd.usageError(QStringLiteral("give the statement as an argument or with --file, not both"));
        auto text = readText(p.value(QStringLiteral("file")));
        if (!text.ok())
            return reportError(text.error(), cmd.json());
        sql = text.value();
    }
    // Checked before connecting: an empty or multi-statement text is a usage problem.
    if (auto single = ExplainRunner::singleStatement(sql); !single.ok())
        return cmd.usageError(single.error().message);
    for (const char *knob :
         {"type", "forum", "limit", "threshold", "exact", "like-topic", "provider", "metric", "probes", "ef-search", "iterative"}) {
        if (p.isSet(QLatin1String(knob)))
            return cmd.usageError(QStringLiteral("--%1 is a search option: use it with --search").arg(QLatin1String(knob)));
    }
    QVariantList params;
    for (const QString &v : p.values(QStringLiteral("param")))
        params << v;
    if (auto single = ExplainRunner::singleStatement(sql); single.ok()) {
        auto placeholders = Placeholders::scan(single.value());
        if (!placeholders.ok())
            return cmd.usageError(placeholders.error().message);
        const int wanted = placeholders.value().count;
        if (!params.isEmpty() && params.size() != wanted)
            return cmd.usageError(QStringLiteral("the statement takes %1 value(s); %2 --param given").arg(wanted).arg(params.size()));
        if (params.isEmpty() && wanted > 0 && options.analyze)
            return cmd.usageError(QStringLiteral("the statement takes %1 value(s): give --param for each to EXPLAIN ANALYZE "
                                                 "it, or leave out --analyze for its generic plan")
                                      .arg(wanted));
    }
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    return printExplained(cmd, *conn.value(), ExplainRunner::run(*conn.value(), sql, params, options), options);
}
} // namespace vwb::cli
