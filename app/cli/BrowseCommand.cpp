// app/cli/BrowseCommand.cpp — vwb topics / vwb topic: pages through content tables by keyset.
#include "cli/CliSupport.h"

#include "browse/ContentRecord.h"
#include <QJsonArray>

namespace vwb::cli {
namespace {

struct Target
{
    DatabaseSchema schema;
    ContentPair pair;
};

Result<Target> discover(PgConnection &conn, const QString &type)
{
    auto schema = discoverSchema(conn);
    if (!schema.ok())
        return schema.error();
    auto pair = schema.value().find(type);
    if (!pair) {
        QStringList known;
        for (const ContentPair &p : schema.value().pairs)
            known << p.kind();
        return Error{Error::Kind::Invalid,
                     known.isEmpty() ? QStringLiteral("No content table with vectors in this database (run vwb migrate latest?)")
                                     : QStringLiteral("No content table \"%1\" (found: %2)").arg(type, known.join(QStringLiteral(", "))),
                     QStringLiteral("usage"),
                     {}};
    }
    return Target{schema.value(), *pair};
}

QString when(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("-");
}
} // namespace

int runTopics(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("topics"),
                      QStringLiteral("Lists content rows a page at a time, by keyset (never OFFSET): pass the last key "
                                     "printed to --after for the next page. Keys of any type: numbers, uuids, text; a composite "
                                     "key as a JSON array."));
    const QCommandLineOption forumOpt(
        QStringLiteral("forum"), QStringLiteral("Only rows whose filter column (forum_name, a LangChain collection…) is this (exact)."),
        QStringLiteral("name"));
    const QCommandLineOption afterOpt(QStringLiteral("after"), QStringLiteral("Start after this key."), QStringLiteral("key"));
    const QCommandLineOption columnOpt(
        QStringLiteral("column"), QStringLiteral("The vector column --vectors looks at (default: the first)."), QStringLiteral("name"));
    const QCommandLineOption limitOpt(QStringLiteral("limit"), QStringLiteral("Rows per page (default 50, max 10000)."),
                                      QStringLiteral("n"), QStringLiteral("50"));
    const QCommandLineOption textOpt(QStringLiteral("text"), QStringLiteral("Title or content contains (any case)."),
                                     QStringLiteral("text"));
    const QCommandLineOption vectorsOpt(QStringLiteral("vectors"), QStringLiteral("has, missing or stale."), QStringLiteral("state"));
    const QCommandLineOption limitTimeOpt(
        QStringLiteral("statement-timeout"),
        QStringLiteral("Stop the page query after this many seconds (default 30; 0: the server's setting)."), QStringLiteral("s"),
        QStringLiteral("30"));
    for (const auto &o : {typeOption(), forumOpt, afterOpt, limitOpt, textOpt, vectorsOpt, columnOpt, limitTimeOpt})
        cmd.addOption(o);
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    if (!p.positionalArguments().isEmpty())
        return cmd.usageError(QStringLiteral("unexpected argument \"%1\"").arg(p.positionalArguments().first()));
    bool ok = false;
    const int limit = p.value(limitOpt).toInt(&ok);
    if (!ok || limit < 1 || limit > 10000)
        return cmd.usageError(QStringLiteral("--limit must be 1-10000"));
    const double limitSeconds = p.value(limitTimeOpt).toDouble(&ok);
    if (!ok || limitSeconds < 0 || limitSeconds > 86400)
        return cmd.usageError(QStringLiteral("--statement-timeout must be a number of seconds from 0 to 86400"));
    BrowseFilter filter;
    filter.column = p.value(columnOpt);
    filter.forum = p.value(forumOpt);
    filter.text = p.value(textOpt);
    static const QHash<QString, VectorFilter> states{{QStringLiteral("has"), VectorFilter::Has},
                                                     {QStringLiteral("missing"), VectorFilter::Missing},
                                                     {QStringLiteral("stale"), VectorFilter::Stale}};
    if (p.isSet(vectorsOpt) && !states.contains(p.value(vectorsOpt)))
        return cmd.usageError(QStringLiteral("--vectors must be has, missing or stale"));
    filter.vectors = states.value(p.value(vectorsOpt), VectorFilter::Any);

    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto target = discover(*conn.value(), p.value(typeOption()));
    if (!target.ok())
        return reportConnectionError(cmd, target.error());
    if (auto limited = conn.value()->setStatementTimeout(int(limitSeconds * 1000)); !limited.ok())
        return reportConnectionError(cmd, limited.error());
    const ContentPair &pair = target.value().pair;
    if (!filter.column.isEmpty() && !pair.column(filter.column))
        return cmd.usageError(QStringLiteral("%1 has no vector column \"%2\"").arg(pair.vectors.display(), filter.column));
    std::optional<BrowseCursor> after;
    if (p.isSet(afterOpt)) {
        auto key = parseKey(pair.key, p.value(afterOpt));
        if (!key.ok())
            return cmd.usageError(QStringLiteral("--after: ") + key.error().message);
        after = BrowseCursor{key.value(), key.value()};
    }
    const BrowseQuery query(pair, filter, BrowseSort::Id);
    auto page = query.fetchPage(*conn.value(), after, limit);
    if (!page.ok())
        return reportError(page.error(), cmd.json());
    const BrowsePage &pg = page.value();
    if (cmd.json()) {
        QJsonArray rows;
        for (const BrowseRow &r : pg.rows)
            rows.append(QJsonObject{{QStringLiteral("id"), keyJson(pair.key, r.key)},
                                    {QStringLiteral("forum_name"), r.forum},
                                    {QStringLiteral("title"), r.title},
                                    {QStringLiteral("created_at"),
                                     r.createdAt.isValid() ? QJsonValue(r.createdAt.toString(Qt::ISODateWithMs)) : QJsonValue()},
                                    {QStringLiteral("has_vector"), r.hasVector},
                                    {QStringLiteral("stale"), r.stale}});
        QJsonObject out{{QStringLiteral("table"), pair.content.display()},
                        {QStringLiteral("layout"), pair.layout},
                        {QStringLiteral("key"), pair.key.describe()},
                        {QStringLiteral("rows"), rows},
                        {QStringLiteral("has_more"), pg.hasMore}};
        // As --after takes it: the key (a composite key as its JSON array's text).
        out.insert(QStringLiteral("next_after"), !pg.hasMore              ? QJsonValue()
                                                 : pair.key.isComposite() ? QJsonValue(pg.next.key)
                                                                          : keyJson(pair.key, pg.next.key));
        printJson(out);
        return Ok;
    }
    for (const BrowseRow &r : pg.rows)
        printLine(QStringLiteral("%1  %2  %3  %4  %5")
                      .arg(r.key, 8)
                      .arg(r.forum.left(18), -18)
                      .arg(when(r.createdAt))
                      .arg(!r.hasVector ? QStringLiteral("no-vector")
                           : r.stale    ? QStringLiteral("stale    ")
                                        : QStringLiteral("vector   "))
                      .arg(r.title.simplified().left(80)));
    if (pg.hasMore)
        printLine(QStringLiteral("-- more: --after %1")
                      .arg(pg.next.key.contains(QLatin1Char(' ')) || pg.next.key.startsWith(QLatin1Char('['))
                               ? QLatin1Char('\'') + QString(pg.next.key).replace(QLatin1Char('\''), QStringLiteral("'\\''"))
                                     + QLatin1Char('\'')
                               : pg.next.key));
    else
        printLine(QStringLiteral("-- end (%1 rows on this page)").arg(pg.rows.size()));
    return Ok;
}

int runTopic(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("topic"), QStringLiteral("Shows one content row and its vector as one record.\n"
                                                              "  vwb topic KEY [--table post] [--column NAME]"));
    cmd.addOption(typeOption());
    cmd.addOption({QStringLiteral("column"), QStringLiteral("The vector column to show (default: the first)."), QStringLiteral("name")});
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QStringList pos = cmd.parser().positionalArguments();
    if (pos.size() != 1)
        return cmd.usageError(QStringLiteral("give one key"));
    auto conn = openConnection(cmd);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error());
    auto target = discover(*conn.value(), cmd.parser().value(typeOption()));
    if (!target.ok())
        return reportConnectionError(cmd, target.error());
    const ContentPair &pair = target.value().pair;
    auto key = parseKey(pair.key, pos.first());
    if (!key.ok())
        return cmd.usageError(key.error().message);
    const QString column = cmd.parser().value(QStringLiteral("column"));
    if (!column.isEmpty() && !pair.column(column))
        return cmd.usageError(QStringLiteral("%1 has no vector column \"%2\"").arg(pair.vectors.display(), column));
    auto rec = fetchContentRecord(*conn.value(), target.value().schema, pair, key.value(), column);
    if (!rec.ok())
        return reportError(rec.error(), cmd.json());
    const ContentRecord &r = rec.value();
    if (cmd.json()) {
        printJson(r.toJson());
        return Ok;
    }
    printLine(QStringLiteral("%1 %2 — %3").arg(r.kind, r.key, r.title.isEmpty() ? r.content.left(60) : r.title));
    printLine(QStringLiteral("  forum      %1").arg(r.forum));
    printLine(QStringLiteral("  created    %1   updated %2").arg(when(r.createdAt), when(r.updatedAt)));
    printLine(QStringLiteral("  metadata   %1").arg(r.metadataJson));
    if (r.vector) {
        QStringList head;
        for (double v : r.vector->head)
            head << QString::number(v, 'g', 4);
        printLine(QStringLiteral("  vector     %1 dims, L2 norm %2, updated %3%4%5")
                      .arg(r.vector->dimensions)
                      .arg(r.vector->norm, 0, 'f', 4)
                      .arg(when(r.vector->updatedAt), r.stale ? QStringLiteral("  STALE (older than the content)") : QString(),
                           r.vectorRows > 1 ? QStringLiteral("  %1 vector rows (duplicates)").arg(r.vectorRows) : QString()));
        printLine(QStringLiteral("             [%1, …]").arg(head.join(QStringLiteral(", "))));
    } else {
        printLine(QStringLiteral("  vector     NONE"));
    }
    printLine(QString());
    printLine(r.content);
    if (!r.posts.isEmpty()) {
        printLine(QString());
        printLine(QStringLiteral("posts (%1):").arg(r.posts.size()));
        for (const BrowseRow &p : r.posts)
            printLine(QStringLiteral("  %1  %2  %3").arg(p.key, 8).arg(when(p.createdAt), p.snippet.simplified().left(90)));
    }
    return Ok;
}
} // namespace vwb::cli
