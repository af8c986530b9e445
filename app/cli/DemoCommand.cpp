// app/cli/DemoCommand.cpp — vwb demo seed
#include "cli/CliSupport.h"

#include "demo/DemoSeeder.h"
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <cstdio>
#include <optional>
#include <unistd.h>

namespace vwb::cli {
namespace {

/// One "\r"-rewritten line on stderr, at most ten times a second; nothing unless stderr is a terminal.
class ProgressLine
{
public:
    ProgressLine() : m_enabled(::isatty(STDERR_FILENO) == 1) { m_clock.start(); }
    ~ProgressLine()
    {
        if (m_shown)
            std::fputc('\n', stderr);
    }
    void update(qint64 done, qint64 total)
    {
        if (!m_enabled || (done < total && m_shown && m_clock.elapsed() < 100))
            return;
        m_clock.restart();
        m_shown = true;
        const int percent = total > 0 ? int(done * 100 / total) : 100;
        std::fprintf(stderr, "\rloading demo data: %lld / %lld rows (%d%%)", static_cast<long long>(done), static_cast<long long>(total),
                     percent);
        std::fflush(stderr);
    }

private:
    bool m_enabled;
    bool m_shown = false;
    QElapsedTimer m_clock;
};

std::optional<qint64> parseCount(const QString &text, qint64 lo, qint64 hi)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    if (!ok || value < lo || value > hi)
        return std::nullopt;
    return value;
}

QJsonValue jsonNumber(quint64 value)
{
    // JSON numbers are doubles: beyond 2^53 a seed would come back changed, so give it as text.
    return value <= (quint64(1) << 53) ? QJsonValue(double(value)) : QJsonValue(QString::number(value));
}
} // namespace

int runDemo(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("demo"),
                      QStringLiteral("A deterministic synthetic forum for trying the workbench: the same options give "
                                     "the same rows on every machine.\n"
                                     "  vwb demo seed [--topics N] [--posts-per-topic M] [--forums K] [--seed S] "
                                     "[--if-empty]\n"
                                     "Loads topics and posts (run `vwb migrate latest` first) in one transaction."));
    const QCommandLineOption topicsOpt(QStringLiteral("topics"), QStringLiteral("Topics to add (default 2000)."), QStringLiteral("n"),
                                       QStringLiteral("2000"));
    const QCommandLineOption postsOpt(QStringLiteral("posts-per-topic"), QStringLiteral("Replies per topic (default 3)."),
                                      QStringLiteral("m"), QStringLiteral("3"));
    const QCommandLineOption forumsOpt(QStringLiteral("forums"), QStringLiteral("Forums, 1-%1 (default 8).").arg(DemoCorpus::MaxForums),
                                       QStringLiteral("k"), QStringLiteral("8"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Generator seed (default 42)."), QStringLiteral("s"),
                                     QStringLiteral("42"));
    const QCommandLineOption ifEmptyOpt(QStringLiteral("if-empty"), QStringLiteral("Do nothing when topics already has rows."));
    cmd.parser().addPositionalArgument(QStringLiteral("action"), QStringLiteral("seed: load the demo forum."), QStringLiteral("seed"));
    for (const auto &o : {topicsOpt, postsOpt, forumsOpt, seedOpt, ifEmptyOpt})
        cmd.addOption(o);
    addConnectionOptions(cmd);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QCommandLineParser &p = cmd.parser();
    const QStringList pos = p.positionalArguments();
    if (pos.isEmpty())
        return cmd.usageError(QStringLiteral("give an action: seed"));
    if (pos.first() != QLatin1String("seed"))
        return cmd.usageError(QStringLiteral("unknown action \"%1\" (seed)").arg(pos.first()));
    if (pos.size() > 1)
        return cmd.usageError(QStringLiteral("unexpected argument \"%1\"").arg(pos.at(1)));

    DemoSeedOptions options;
    options.ifEmpty = p.isSet(ifEmptyOpt);
    const auto topics = parseCount(p.value(topicsOpt), 0, DemoCorpus::MaxTopics);
    if (!topics)
        return cmd.usageError(QStringLiteral("--topics must be a whole number from 0 to %1").arg(DemoCorpus::MaxTopics));
    const auto posts = parseCount(p.value(postsOpt), 0, DemoCorpus::MaxPostsPerTopic);
    if (!posts)
        return cmd.usageError(QStringLiteral("--posts-per-topic must be a whole number from 0 to %1").arg(DemoCorpus::MaxPostsPerTopic));
    const auto forums = parseCount(p.value(forumsOpt), 1, DemoCorpus::MaxForums);
    if (!forums)
        return cmd.usageError(QStringLiteral("--forums must be a whole number from 1 to %1").arg(DemoCorpus::MaxForums));
    bool seedOk = false;
    const quint64 seed = p.value(seedOpt).trimmed().toULongLong(&seedOk);
    if (!seedOk || p.value(seedOpt).trimmed().startsWith(QLatin1Char('-')))
        return cmd.usageError(QStringLiteral("--seed must be a whole number from 0 to 18446744073709551615"));
    options.corpus = {*topics, int(*posts), int(*forums), seed};

    auto resolved = resolveProfile(cmd);
    if (!resolved.ok())
        return reportConnectionError(cmd, resolved.error());
    const ConnectionProfile &profile = resolved.value();
    const QJsonObject base{{QStringLiteral("profile"), profile.name}, {QStringLiteral("target"), profile.params.displayTarget()}};
    auto conn = openConnection(cmd, profile);
    if (!conn.ok())
        return reportConnectionError(cmd, conn.error(), base);
    if (conn.value()->isWriteLocked())
        return reportError(Error{Error::Kind::Invalid,
                                 QStringLiteral("\"%1\" is a production profile and writes are locked: add "
                                                "--unlock-writes %2 to load demo data into it")
                                     .arg(profile.name, conn.value()->server().database),
                                 QStringLiteral("25006"),
                                 {}},
                           cmd.json(), base);

    Result<DemoSeedReport> seeded = Error::internal(QStringLiteral("not run"));
    {
        ProgressLine line;
        seeded = DemoSeeder(options).run(*conn.value(), [&line](qint64 done, qint64 total) { line.update(done, total); });
    }
    if (!seeded.ok())
        return reportError(seeded.error(), cmd.json(), base);
    const DemoSeedReport &r = seeded.value();
    const qint64 rows = r.topics + r.posts;
    const double seconds = double(std::max<qint64>(r.elapsedMs, 1)) / 1000.0;
    const qint64 rowsPerSecond = qint64(double(rows) / seconds);
    const QStringList forumNames = DemoCorpus(options.corpus).forumNames();
    if (cmd.json()) {
        QJsonObject out = base;
        out.insert(QStringLiteral("skipped"), r.skipped);
        if (!r.note.isEmpty())
            out.insert(QStringLiteral("note"), r.note);
        out.insert(QStringLiteral("topics"), double(r.topics));
        out.insert(QStringLiteral("posts"), double(r.posts));
        out.insert(QStringLiteral("first_topic_id"), r.topics > 0 ? QJsonValue(double(r.firstTopicId)) : QJsonValue());
        out.insert(QStringLiteral("last_topic_id"), r.topics > 0 ? QJsonValue(double(r.lastTopicId)) : QJsonValue());
        out.insert(QStringLiteral("elapsed_ms"), double(r.elapsedMs));
        out.insert(QStringLiteral("rows_per_second"), double(rowsPerSecond));
        out.insert(QStringLiteral("seed"), jsonNumber(seed));
        out.insert(QStringLiteral("posts_per_topic"), int(*posts));
        out.insert(QStringLiteral("forums"), QJsonArray::fromStringList(forumNames));
        printJson(out);
        return Ok;
    }
    if (r.skipped) {
        printLine(QStringLiteral("%1 (--if-empty): %2").arg(profile.name, r.note));
        return Ok;
    }
    printLine(QStringLiteral("Loaded %1 topics and %2 posts into %3 (%4) in %5 s, %6 rows/s")
                  .arg(r.topics)
                  .arg(r.posts)
                  .arg(profile.name, profile.params.displayTarget())
                  .arg(seconds, 0, 'f', 2)
                  .arg(rowsPerSecond));
    if (r.topics > 0)
        printLine(QStringLiteral("  topic ids  %1-%2").arg(r.firstTopicId).arg(r.lastTopicId));
    printLine(QStringLiteral("  forums     %1").arg(forumNames.join(QStringLiteral(", "))));
    printLine(QStringLiteral("  seed       %1").arg(seed));
    return Ok;
}
} // namespace vwb::cli
