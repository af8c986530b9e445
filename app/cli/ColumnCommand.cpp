// app/cli/ColumnCommand.cpp — vwb column add: a second model's vector column beside the application's.
#include "cli/CliSupport.h"

#include "cli/SearchOptions.h"
#include "schema/VectorColumnAdd.h"

namespace vwb::cli {

int runColumn(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("column"),
                      QStringLiteral("vwb column add NAME --dimensions N [--vector-type vector|halfvec] [--type T]: adds a nullable "
                                     "vector column to the table's vector table, for another model's vectors. A catalog change "
                                     "only (no rewrite); the application's inserts don't name it. Then: vwb backfill --column NAME "
                                     "--provider P, and vwb eval run --column NAME to compare it with the column in use."));
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("dimensions"), QStringLiteral("The new model's dimensions."), QStringLiteral("n")});
    cmd.addOption({QStringLiteral("vector-type"), QStringLiteral("vector (default) or halfvec (half the bytes)."), QStringLiteral("type"),
                   QStringLiteral("vector")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    const QStringList pos = p.positionalArguments();
    if (pos.size() != 2 || pos.first() != QLatin1String("add"))
        return cmd.usageError(QStringLiteral("vwb column add NAME --dimensions N"));
    bool ok = false;
    VectorColumnAdd column{pos.at(1), p.value(QStringLiteral("dimensions")).toInt(&ok), p.value(QStringLiteral("vector-type"))};
    if (!ok)
        return cmd.usageError(QStringLiteral("give --dimensions N (the new model's)"));
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto pair = findPair(*conn.value(), p.value(typeOption()));
    if (!pair.ok())
        return reportConnectionError(cmd, pair.error());
    if (pair.value().isInline())
        return reportError(Error::invalid(QStringLiteral("%1 holds its vectors inline: add the column with the application's own "
                                                         "migrations")
                                              .arg(pair.value().content.display())),
                           cmd.json());
    if (auto added = addVectorColumn(*conn.value(), pair.value(), column); !added.ok())
        return reportError(added.error(), cmd.json());
    const QString where = pair.value().vectors.display() + QLatin1Char('.') + column.name;
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
    printLine(QStringLiteral("next: vwb backfill --type %1 --column %2 --provider P, then vwb eval run --set S --column %2 --provider P "
                             "and vwb eval compare against a run of the column in use")
                  .arg(p.value(typeOption()), column.name));
    return Ok;
}
} // namespace vwb::cli
