// app/cli/TablesCommand.cpp — vwb tables: what was found, and which column plays which part.
#include "cli/CliSupport.h"

#include "schema/DatabaseSchema.h"
#include "schema/KnownLayouts.h"
#include "schema/RoleOverrides.h"
#include <QJsonArray>

namespace vwb::cli {
namespace {
const char *const RoleNames[] = {"text", "title", "metadata", "filter"};

QString filterText(const ContentRoles &r)
{
    if (r.filter.isEmpty())
        return QStringLiteral("—");
    return r.lookup.isSet() ? QStringLiteral("%1 → %2.%3").arg(r.filter, r.lookup.table, r.lookup.label) : r.filter;
}

QJsonObject pairJson(const ContentPair &p)
{
    QJsonArray columns;
    for (const VectorColumn &c : p.columns) {
        QJsonArray indexes;
        for (const VectorIndex &i : c.indexes)
            indexes.append(QJsonObject{
                {QStringLiteral("name"), i.name}, {QStringLiteral("method"), i.method}, {QStringLiteral("opclass"), i.opclass}});
        columns.append(QJsonObject{{QStringLiteral("name"), c.name},
                                   {QStringLiteral("type"), c.type},
                                   {QStringLiteral("dimensions"), c.dimensions},
                                   {QStringLiteral("indexes"), indexes}});
    }
    return QJsonObject{{QStringLiteral("table"), p.content.display()},
                       {QStringLiteral("vectors"), p.vectors.display()},
                       {QStringLiteral("layout"), p.layout},
                       {QStringLiteral("description"), layoutDescription(p)},
                       {QStringLiteral("key"), p.key.describe()},
                       {QStringLiteral("text"), p.roles.text},
                       {QStringLiteral("title"), p.roles.title},
                       {QStringLiteral("metadata"), p.roles.metadata},
                       {QStringLiteral("filter"), p.roles.filter},
                       {QStringLiteral("filter_label"),
                        p.roles.lookup.isSet() ? p.roles.lookup.table + QLatin1Char('.') + p.roles.lookup.label : QString()},
                       {QStringLiteral("owner_embeds"), p.ownerEmbeds},
                       {QStringLiteral("columns"), columns}};
}

void printPair(const ContentPair &p)
{
    printLine(QStringLiteral("%1  — %2").arg(p.content.display(), layoutDescription(p)));
    auto or_ = [](const QString &s) { return s.isEmpty() ? QStringLiteral("—") : s; };
    printLine(QStringLiteral("    key %1 · text %2 · title %3 · metadata %4 · filter %5")
                  .arg(p.key.describe(), or_(p.roles.text), or_(p.roles.title), or_(p.roles.metadata), filterText(p.roles)));
    for (const VectorColumn &c : p.columns)
        printLine(QStringLiteral("    vectors %1.%2 %3(%4)%5")
                      .arg(p.vectors.display(), c.name, c.type)
                      .arg(c.dimensions)
                      .arg(c.hasAnnIndex() ? QString() : QStringLiteral("  no ANN index")));
    if (p.ownerEmbeds)
        printLine(QStringLiteral("    read-only: its owner embeds these vectors"));
}
} // namespace

int runTables(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("tables"),
                      QStringLiteral("The content tables with vectors found in the database: what made them (the reference design, "
                                     "LangChain, LlamaIndex, a pgai vectorizer, a table of your own), their key, and which column is "
                                     "the text, title, metadata and filter. Where the guess is wrong, choose:\n"
                                     "  vwb tables --table T --text COL [--title COL|none] [--metadata COL|none] [--filter COL|none]\n"
                                     "  vwb tables --table T --reset      (discovery's guesses again)\n"
                                     "Choices are kept per profile and table and apply to every panel and command."));
    cmd.addOption({QStringLiteral("table"), QStringLiteral("The table to choose columns for."), QStringLiteral("table")});
    for (const char *role : RoleNames)
        cmd.addOption({QLatin1String(role),
                       QStringLiteral("The column that is the %1 (none: the table has none).").arg(QLatin1String(role)),
                       QStringLiteral("column")});
    cmd.addOption({QStringLiteral("reset"), QStringLiteral("Forget the choices for --table.")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    if (!p.positionalArguments().isEmpty())
        return cmd.usageError(QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().first()));
    RoleChoice choice;
    std::optional<QString> *targets[] = {&choice.text, &choice.title, &choice.metadata, &choice.filter};
    for (int i = 0; i < 4; ++i)
        if (p.isSet(QLatin1String(RoleNames[i])))
            *targets[i] = p.value(QLatin1String(RoleNames[i])) == QLatin1String("none") ? QString(QLatin1String(""))
                                                                                        : p.value(QLatin1String(RoleNames[i]));
    const bool changing = !choice.isEmpty() || p.isSet(QStringLiteral("reset"));
    if (changing && !p.isSet(QStringLiteral("table")))
        return cmd.usageError(QStringLiteral("name the table whose columns you choose: --table T"));

    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    // A choice is checked against the guesses; a listing shows the tables with the choices in.
    auto schema = discoverSchema(*conn.value(), changing ? QString() : RoleChoice::defaultPath());
    if (!schema.ok())
        return reportConnectionError(cmd, schema.error());
    if (changing) {
        const auto pair = schema.value().find(p.value(QStringLiteral("table")));
        if (!pair)
            return cmd.usageError(QStringLiteral("no content table \"%1\" (vwb tables lists them)").arg(p.value(QStringLiteral("table"))));
        const QString path = RoleChoice::defaultPath();
        const QString key = conn.value()->profile().settingsKey();
        const QString table = pair->content.schema + QLatin1Char('.') + pair->content.name;
        if (p.isSet(QStringLiteral("reset"))) {
            if (auto cleared = RoleChoice::clear(path, key, table); !cleared.ok())
                return reportError(cleared.error(), cmd.json());
        } else {
            if (auto valid = choice.validate(*pair); !valid.ok())
                return cmd.usageError(valid.error().message);
            if (auto saved = choice.save(path, key, table); !saved.ok())
                return reportError(saved.error(), cmd.json());
        }
        schema = discoverSchema(*conn.value()); // with the choice just made
        if (!schema.ok())
            return reportConnectionError(cmd, schema.error());
    }
    const DatabaseSchema &s = schema.value();
    const auto chosen = s.find(p.value(QStringLiteral("table"))); // gone meanwhile: nothing listed
    if (cmd.json()) {
        QJsonArray pairs, unpaired;
        for (const ContentPair &pair : s.pairs)
            if (!changing || (chosen && pair.content == chosen->content))
                pairs.append(pairJson(pair));
        for (qsizetype i = 0; i < s.unpairedVectorTables.size(); ++i)
            unpaired.append(QJsonObject{{QStringLiteral("table"), s.unpairedVectorTables.at(i).display()},
                                        {QStringLiteral("reason"), s.unpairedReasons.value(i)}});
        printJson(QJsonObject{{QStringLiteral("tables"), pairs}, {QStringLiteral("unpaired"), unpaired}});
        return Ok;
    }
    if (s.pairs.isEmpty())
        printLine(QStringLiteral("No content table with vectors in this database."));
    for (const ContentPair &pair : s.pairs)
        if (!changing || (chosen && pair.content == chosen->content))
            printPair(pair);
    for (qsizetype i = 0; i < s.unpairedVectorTables.size(); ++i)
        printLine(QStringLiteral("not shown: %1").arg(s.unpairedReasons.value(i, s.unpairedVectorTables.at(i).display())));
    return Ok;
}
} // namespace vwb::cli
