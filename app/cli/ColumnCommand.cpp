// app/cli/ColumnCommand.cpp — vwb column add | list | use: the steps of a model change that are
// about columns (a second model's column beside the application's, and switching searches to it).
#include "cli/CliSupport.h"

#include "cli/SearchOptions.h"
#include "embeddings/ColumnStatus.h"
#include "embeddings/ProviderSettings.h"
#include "metrics/SizeHistory.h"
#include "schema/VectorColumnAdd.h"
#include <QJsonArray>

namespace vwb::cli {
namespace {

int addColumn(CommandParser &cmd, PgConnection &conn, const ContentPair &pair, const QString &name)
{
    const QCommandLineParser &p = cmd.parser();
    bool ok = false;
    VectorColumnAdd column{name, p.value(QStringLiteral("dimensions")).toInt(&ok), p.value(QStringLiteral("vector-type"))};
    if (!ok)
        return cmd.usageError(QStringLiteral("give --dimensions N (the new model's)"));
    if (pair.isInline())
        return reportError(Error::invalid(QStringLiteral("%1 holds its vectors inline: add the column with the application's own "
                                                         "migrations")
                                              .arg(pair.content.display())),
                           cmd.json());
    if (auto added = addVectorColumn(conn, pair, column); !added.ok())
        return reportError(added.error(), cmd.json());
    const QString where = pair.vectors.display() + QLatin1Char('.') + column.name;
    if (cmd.json()) {
        printJson(QJsonObject{{QStringLiteral("column"), where},
                              {QStringLiteral("type"), QStringLiteral("%1(%2)").arg(column.type).arg(column.dimensions)},
                              {QStringLiteral("indexable"), column.dimensions <= column.indexableDimensions()}});
        return Ok;
    }
    printLine(QStringLiteral("Added %1 %2(%3), empty.").arg(where, column.type).arg(column.dimensions));
    if (column.dimensions > column.indexableDimensions())
        printLine(QStringLiteral("note: pgvector indexes at most %1 dimensions of %2: searches of this column will be exact")
                      .arg(column.indexableDimensions())
                      .arg(column.type));
    printLine(QStringLiteral("next: vwb backfill --type %1 --column %2 --provider P, then vwb column compare %2 --set S, then vwb "
                             "column use %2")
                  .arg(p.value(typeOption()), column.name));
    return Ok;
}

QJsonObject statusJson(const ColumnStatus &s)
{
    QJsonObject o{{QStringLiteral("column"), s.column.name},
                  {QStringLiteral("type"), QStringLiteral("%1(%2)").arg(s.column.type).arg(s.column.dimensions)},
                  {QStringLiteral("rows"), s.rows},
                  {QStringLiteral("filled"), s.filled},
                  {QStringLiteral("in_use"), s.inUse},
                  {QStringLiteral("source"), QJsonValue()}};
    if (s.source)
        o.insert(QStringLiteral("source"), QJsonObject{{QStringLiteral("provider"), providerNameOf(*s.source)},
                                                       {QStringLiteral("model"), s.source->model},
                                                       {QStringLiteral("dimensions"), s.source->dimensions},
                                                       {QStringLiteral("text"), s.source->text},
                                                       {QStringLiteral("filled_at"), s.source->filledAt.toString(Qt::ISODate)}});
    return o;
}

int listColumns(CommandParser &cmd, const QList<ColumnStatus> &status, const ContentPair &pair)
{
    if (cmd.json()) {
        QJsonArray rows;
        for (const ColumnStatus &s : status)
            rows << statusJson(s);
        printJson(QJsonObject{{QStringLiteral("table"), pair.content.display()}, {QStringLiteral("columns"), rows}});
        return Ok;
    }
    if (status.isEmpty())
        printLine(QStringLiteral("%1 has no vector column").arg(pair.content.display()));
    for (const ColumnStatus &s : status)
        printLine(QStringLiteral("%1 %2  %3(%4)  %5")
                      .arg(s.inUse ? QLatin1Char('*') : QLatin1Char(' '))
                      .arg(s.column.name.leftJustified(20), s.column.type)
                      .arg(s.column.dimensions)
                      .arg(s.describe()));
    if (!status.isEmpty())
        printLine(
            QStringLiteral("-- * the column the workbench searches %1 with (vwb column use NAME switches)").arg(pair.content.display()));
    return Ok;
}

int useColumn(CommandParser &cmd, PgConnection &conn, const QList<ColumnStatus> &status, const ContentPair &pair, const QString &name)
{
    const QCommandLineParser &p = cmd.parser();
    const QString settings = ProviderSettings::defaultPath();
    if (p.isSet(QStringLiteral("reset")) || name == pair.columns.first().name) { // the application's column: the default
        if (auto cleared = saveColumnInUse(settings, conn.profile(), pair, std::nullopt); !cleared.ok())
            return reportError(cleared.error(), cmd.json());
        cmd.json()
            ? printJson(QJsonObject{{QStringLiteral("column"), pair.columns.first().name}})
            : printLine(
                QStringLiteral("Searches of %1 use its first column, %2, again").arg(pair.content.display(), pair.columns.first().name));
        return Ok;
    }
    auto use = switchColumn(status, name, p.isSet(QStringLiteral("provider")) ? p.value(QStringLiteral("provider")) : QString(),
                            p.isSet(QStringLiteral("allow-missing")));
    if (!use.ok())
        return reportError(use.error(), cmd.json());
    if (auto saved = saveColumnInUse(settings, conn.profile(), pair, use.value()); !saved.ok())
        return reportError(saved.error(), cmd.json());
    if (cmd.json()) {
        printJson(QJsonObject{{QStringLiteral("column"), use.value().column}, {QStringLiteral("provider"), use.value().provider}});
        return Ok;
    }
    printLine(QStringLiteral("The workbench now searches and evaluates %1 with %2.%3, queries embedded by %4 (profile %5).")
                  .arg(pair.content.display(), pair.vectors.display(), use.value().column, use.value().provider,
                       SizeHistory::profileKey(conn.profile())));
    printLine(QStringLiteral("The application is unchanged: it still writes and searches %1. Its own switch is a change to its code "
                             "and embedder; keep filling %2 (vwb backfill --column %2) until it has made it.")
                  .arg(pair.columns.first().name, use.value().column));
    return Ok;
}
} // namespace

int runColumnCompare(const QStringList &args); // ColumnCompareCommand.cpp

int runColumn(const QStringList &args)
{
    if (args.value(0) == QLatin1String("compare"))
        return runColumnCompare(args.mid(1));
    CommandParser cmd(QStringLiteral("column"),
                      QStringLiteral("A model change, column by column. vwb column add NAME --dimensions N [--vector-type "
                                     "vector|halfvec]: adds a nullable vector column to the table's vector table (a catalog change "
                                     "only; the application's inserts don't name it). vwb column list: each vector column, how "
                                     "full it is and what filled it. vwb column use NAME [--provider P]: the workbench's searches "
                                     "and evaluations of the table take that column (--reset: the first again). Between them: "
                                     "vwb backfill --column NAME --provider P, and vwb column compare NAME --set S (its own --help)."));
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("dimensions"), QStringLiteral("add: the new model's dimensions."), QStringLiteral("n")});
    cmd.addOption({QStringLiteral("vector-type"), QStringLiteral("add: vector (default) or halfvec (half the bytes)."),
                   QStringLiteral("type"), QStringLiteral("vector")});
    cmd.addOption({QStringLiteral("provider"),
                   QStringLiteral("use: the provider that embeds queries for the column (default: the one that filled it)."),
                   QStringLiteral("name")});
    cmd.addOption({QStringLiteral("allow-missing"), QStringLiteral("use: switch although some rows have no vector in the column.")});
    cmd.addOption({QStringLiteral("reset"), QStringLiteral("use: back to the table's first column.")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    const QStringList pos = p.positionalArguments();
    const QString sub = pos.value(0);
    const bool reset = sub == QLatin1String("use") && p.isSet(QStringLiteral("reset"));
    if (!((sub == QLatin1String("add") && pos.size() == 2) || (sub == QLatin1String("list") && pos.size() == 1)
          || (sub == QLatin1String("use") && pos.size() == (reset ? 1 : 2))))
        return cmd.usageError(QStringLiteral("vwb column add NAME --dimensions N | vwb column list | vwb column use NAME|--reset"));
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto pair = findPair(*conn.value(), p.value(typeOption()));
    if (!pair.ok())
        return reportConnectionError(cmd, pair.error());
    if (sub == QLatin1String("add"))
        return addColumn(cmd, *conn.value(), pair.value(), pos.at(1));
    if (pair.value().columns.isEmpty())
        return reportError(Error::invalid(QStringLiteral("%1 has no vector column").arg(pair.value().content.display())), cmd.json());
    const auto inUse = loadColumnInUse(ProviderSettings::defaultPath(), conn.value()->profile(), pair.value());
    auto status = columnStatuses(*conn.value(), pair.value(), EmbeddingSources::defaultPath(), inUse);
    if (!status.ok())
        return reportConnectionError(cmd, status.error());
    if (sub == QLatin1String("list"))
        return listColumns(cmd, status.value(), pair.value());
    return useColumn(cmd, *conn.value(), status.value(), pair.value(), pos.value(1));
}
} // namespace vwb::cli
