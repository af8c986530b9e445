// app/cli/EvalSetsCommand.cpp — vwb eval import | sets | export | judge | drop: judged query sets.
#include "cli/EvalCli.h"

#include "eval/EvalStore.h"
#include <QJsonArray>

namespace vwb::cli {
namespace {

QCommandLineOption setOption()
{
    return {QStringLiteral("set"), QStringLiteral("The query set's name."), QStringLiteral("name")};
}

int importSet(CommandParser &cmd, EvalStore &store, const QString &profile)
{
    const QCommandLineParser &p = cmd.parser();
    for (const char *required : {"set", "queries", "judgments"})
        if (!p.isSet(QLatin1String(required)))
            return cmd.usageError(QStringLiteral("give --set, --queries and --judgments"));
    bool ok = false;
    const int gradeMax = p.value(QStringLiteral("grade-max")).toInt(&ok);
    if (!ok || gradeMax < 1 || gradeMax > 100)
        return cmd.usageError(QStringLiteral("--grade-max must be 1-100"));
    auto set = QuerySet::read(p.value(QStringLiteral("queries")), p.value(QStringLiteral("judgments")));
    if (!set.ok())
        return reportError(set.error(), cmd.json());
    int judged = 0, top = 0;
    for (const Judgments &j : set.value().judgments)
        for (int grade : j) {
            ++judged;
            top = qMax(top, grade);
        }
    if (top > gradeMax)
        return reportError(
            Error::invalid(
                QStringLiteral("The judgments grade up to %1 but the scale ends at %2 (give --grade-max %1)").arg(top).arg(gradeMax)),
            cmd.json());
    const QString name = p.value(QStringLiteral("set"));
    if (!p.isSet(QStringLiteral("dry-run")))
        if (auto saved = store.saveSet(profile, name, set.value(), gradeMax, p.isSet(QStringLiteral("replace"))); !saved.ok())
            return reportError(saved.error(), cmd.json());
    const QString verb = p.isSet(QStringLiteral("dry-run")) ? QStringLiteral("Would import") : QStringLiteral("Imported");
    if (cmd.json())
        printJson(QJsonObject{{QStringLiteral("set"), name},
                              {QStringLiteral("queries"), int(set.value().queries.size())},
                              {QStringLiteral("judged_queries"), int(set.value().judgments.size())},
                              {QStringLiteral("judgments"), judged},
                              {QStringLiteral("dry_run"), p.isSet(QStringLiteral("dry-run"))}});
    else
        printLine(QStringLiteral("%1 \"%2\": %3 queries, %4 judgments of %5 of them (grades 0-%6) into %7")
                      .arg(verb, name)
                      .arg(set.value().queries.size())
                      .arg(judged)
                      .arg(set.value().judgments.size())
                      .arg(gradeMax)
                      .arg(store.path()));
    return Ok;
}

int listSets(CommandParser &cmd, EvalStore &store, const QString &profile)
{
    auto sets = store.sets(profile);
    if (!sets.ok())
        return reportError(sets.error(), cmd.json());
    if (cmd.json()) {
        QJsonArray rows;
        for (const SetSummary &s : sets.value())
            rows << QJsonObject{
                {QStringLiteral("name"), s.name},           {QStringLiteral("queries"), s.queries},
                {QStringLiteral("judgments"), s.judgments}, {QStringLiteral("grade_max"), s.gradeMax},
                {QStringLiteral("runs"), s.runs},           {QStringLiteral("created_at"), s.createdAt.toString(Qt::ISODate)}};
        printJson(QJsonObject{{QStringLiteral("profile"), profile}, {QStringLiteral("sets"), rows}});
        return Ok;
    }
    if (sets.value().isEmpty())
        printLine(QStringLiteral("No query sets for %1 yet: vwb eval import --set NAME --queries FILE --judgments FILE").arg(profile));
    for (const SetSummary &s : sets.value())
        printLine(QStringLiteral("%1  %2 queries, %3 judgments (0-%4), %5 run(s), since %6")
                      .arg(s.name.leftJustified(20))
                      .arg(s.queries)
                      .arg(s.judgments)
                      .arg(s.gradeMax)
                      .arg(s.runs)
                      .arg(s.createdAt.toString(Qt::ISODate)));
    return Ok;
}

int exportSet(CommandParser &cmd, EvalStore &store, const QString &profile)
{
    const QCommandLineParser &p = cmd.parser();
    for (const char *required : {"set", "queries", "judgments"})
        if (!p.isSet(QLatin1String(required)))
            return cmd.usageError(QStringLiteral("give --set, --queries FILE and --judgments FILE to write"));
    auto set = store.loadSet(profile, p.value(QStringLiteral("set")));
    if (!set.ok())
        return reportError(set.error(), cmd.json());
    if (auto done = set.value().writeQueries(p.value(QStringLiteral("queries"))); !done.ok())
        return reportError(done.error(), cmd.json());
    if (auto done = set.value().writeJudgments(p.value(QStringLiteral("judgments"))); !done.ok())
        return reportError(done.error(), cmd.json());
    cmd.json()
        ? printJson(QJsonObject{{QStringLiteral("queries"), p.value(QStringLiteral("queries"))},
                                {QStringLiteral("judgments"), p.value(QStringLiteral("judgments"))}})
        : printLine(QStringLiteral("Wrote %1 and %2").arg(p.value(QStringLiteral("queries")), p.value(QStringLiteral("judgments"))));
    return Ok;
}

int judge(CommandParser &cmd, EvalStore &store, const QString &profile)
{
    const QCommandLineParser &p = cmd.parser();
    const QStringList pos = p.positionalArguments();
    if (!p.isSet(QStringLiteral("set")) || !p.isSet(QStringLiteral("query-id")) || pos.size() != 2)
        return cmd.usageError(QStringLiteral("vwb eval judge --set NAME --query-id ID [--text TEXT] DOC_ID GRADE (GRADE - removes it)"));
    bool ok = false;
    const int grade = pos.at(1) == QLatin1String("-") ? -1 : pos.at(1).toInt(&ok);
    if (pos.at(1) != QLatin1String("-") && (!ok || grade < 0))
        return cmd.usageError(QStringLiteral("GRADE must be 0 or more, or - to remove the judgment"));
    JudgedQuery query{p.value(QStringLiteral("query-id")), p.value(QStringLiteral("text")), {}};
    if (query.text.isEmpty()) { // an existing query keeps its text
        auto set = store.loadSet(profile, p.value(QStringLiteral("set")));
        for (const JudgedQuery &q : set.ok() ? set.value().queries : QList<JudgedQuery>{})
            if (q.id == query.id)
                query = q;
        if (query.text.isEmpty())
            return cmd.usageError(QStringLiteral("a new query needs its --text"));
    }
    if (auto done = store.judge(profile, p.value(QStringLiteral("set")), query, pos.at(0), grade); !done.ok())
        return reportError(done.error(), cmd.json());
    cmd.json()
        ? printJson(QJsonObject{{QStringLiteral("query"), query.id}, {QStringLiteral("doc"), pos.at(0)}, {QStringLiteral("grade"), grade}})
        : printLine(grade < 0 ? QStringLiteral("Removed the judgment of %1 for query %2").arg(pos.at(0), query.id)
                              : QStringLiteral("Judged %1 %2 for query %3").arg(pos.at(0)).arg(grade).arg(query.id));
    return Ok;
}
} // namespace

int runEvalSets(const QString &sub, const QStringList &args)
{
    CommandParser cmd(
        QStringLiteral("eval ") + sub,
        sub == QLatin1String("import")   ? QStringLiteral("Stores a judged query set for this profile: queries (JSONL: id, text, "
                                                            "title; or TSV) and judgments (TSV query_id, doc_id, grade, header "
                                                            "optional; or TREC qrels). Nothing is stored when a line is bad.")
        : sub == QLatin1String("export") ? QStringLiteral("Writes a stored set back as a queries JSONL and a judgments TSV.")
        : sub == QLatin1String("judge")  ? QStringLiteral("Grades one document for one query of a set (creating both).")
        : sub == QLatin1String("drop")   ? QStringLiteral("Deletes a stored set and its runs.")
                                         : QStringLiteral("Lists this profile's stored query sets."));
    if (sub != QLatin1String("sets"))
        cmd.addOption(setOption());
    if (sub == QLatin1String("import") || sub == QLatin1String("export")) {
        cmd.addOption({QStringLiteral("queries"), QStringLiteral("The queries file."), QStringLiteral("file")});
        cmd.addOption({QStringLiteral("judgments"), QStringLiteral("The judgments file."), QStringLiteral("file")});
    }
    if (sub == QLatin1String("import")) {
        cmd.addOption({QStringLiteral("grade-max"), QStringLiteral("The highest grade of the scale (default 2: 0, 1, 2)."),
                       QStringLiteral("n"), QStringLiteral("2")});
        cmd.addOption({QStringLiteral("replace"), QStringLiteral("Replace a set of that name (its runs are deleted).")});
        cmd.addOption({QStringLiteral("dry-run"), QStringLiteral("Read and check the files; store nothing.")});
    }
    if (sub == QLatin1String("judge")) {
        cmd.addOption({QStringLiteral("query-id"), QStringLiteral("The query's id."), QStringLiteral("id")});
        cmd.addOption({QStringLiteral("text"), QStringLiteral("The query's text (for a new query)."), QStringLiteral("text")});
    }
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    auto profile = evalProfileKey(cmd);
    if (!profile.ok())
        return reportConnectionError(cmd, profile.error());
    EvalStore store;
    if (sub == QLatin1String("import"))
        return importSet(cmd, store, profile.value());
    if (sub == QLatin1String("export"))
        return exportSet(cmd, store, profile.value());
    if (sub == QLatin1String("judge"))
        return judge(cmd, store, profile.value());
    if (sub == QLatin1String("drop")) {
        if (!cmd.parser().isSet(QStringLiteral("set")))
            return cmd.usageError(QStringLiteral("give --set NAME"));
        if (auto done = store.deleteSet(profile.value(), cmd.parser().value(QStringLiteral("set"))); !done.ok())
            return reportError(done.error(), cmd.json());
        cmd.json() ? printJson(QJsonObject{{QStringLiteral("dropped"), cmd.parser().value(QStringLiteral("set"))}})
                   : printLine(QStringLiteral("Dropped %1").arg(cmd.parser().value(QStringLiteral("set"))));
        return Ok;
    }
    return listSets(cmd, store, profile.value());
}
} // namespace vwb::cli
