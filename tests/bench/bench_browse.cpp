// tests/bench/bench_browse.cpp — the Browse panel's queries on a big topics table, beside psql
// running the same SQL, and the GUI's peak memory while scrolling 100 pages.
// Rows: VWB_BENCH_ROWS (default 1,000,000). Run: see README ("Benchmarks").
#include "BenchSupport.h"

#include "browse/BrowseQuery.h"
#include "connection/ProfileStore.h"
#include "demo/DemoSeeder.h"
#include "mainwindow/MainWindow.h"
#include "plan/PlanParser.h"
#include "panels/BrowserPanel.h"
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTableView>
#include <QTimer>
#include <cstdio>

using namespace vwb;
using namespace vwb::bench;
using namespace vwb::ui;

namespace {
constexpr int Runs = 30;
constexpr int PageRows = 100;
constexpr int ScrollPages = 100;

/// Waits, with the event loop running, until `done` holds or `ms` pass. Returns `done()`.
bool waitFor(const std::function<bool()> &done, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < ms) {
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return done();
}

/// The node types of a statement's plan as the workbench's connection gets it (planned for its
/// parameters), outermost first, with the index each scan uses.
QString planShape(PgConnection &conn, const BrowseStatement &st)
{
    auto json = conn.exec(QStringLiteral("EXPLAIN (FORMAT JSON) ") + st.sql, st.params);
    if (!json.ok())
        return json.error().message;
    auto plan = PlanParser::parseJson(json.value().scalar().toUtf8());
    if (!plan.ok())
        return plan.error().message;
    QStringList shape;
    for (const PlanNode *n : plan.value().nodes())
        shape << (n->indexName.isEmpty() ? n->nodeType : QStringLiteral("%1 (%2)").arg(n->nodeType, n->indexName));
    return shape.join(QStringLiteral(" > "));
}
} // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const qint64 rows = qEnvironmentVariableIsSet("VWB_BENCH_ROWS") ? qEnvironmentVariable("VWB_BENCH_ROWS").toLongLong() : 1000000;
    std::printf("bench_browse: %lld topics (VWB_BENCH_ROWS), median of %d runs each\n", static_cast<long long>(rows), Runs);
    std::printf("  method: the workbench timed around BrowseQuery::fetchPage (every statement a page sends), psql on the\n"
                "  same SQL and parameters as its \\timing reports each run (one warm-up untimed); every case counts in the verdict\n");
    BenchCluster cluster;
    if (!cluster.ok())
        return 1;
    auto opened = PgConnection::open(cluster.profile());
    if (!opened.ok())
        qFatal("%s", qPrintable(opened.error().message));
    PgConnection &conn = *opened.value();
    // The schema before the text-filter migration, loaded, then that migration: its trigram
    // indexes built CONCURRENTLY on a full table, as a database that already holds its rows gets them.
    applyMigrations(conn, QStringLiteral("20250201000003_vectors_storage_plain.sql"));

    DemoSeedOptions seed;
    seed.corpus.topics = rows;
    seed.corpus.postsPerTopic = 0;
    QElapsedTimer loadClock;
    loadClock.start();
    auto loaded = DemoSeeder(seed).run(conn);
    if (!loaded.ok())
        qFatal("seeding failed: %s", qPrintable(loaded.error().message));
    for (const char *table : {"topics", "topic_vectors"}) // VACUUM refuses a multi-statement query
        if (auto vacuumed = conn.exec(QStringLiteral("VACUUM ANALYZE %1").arg(QLatin1String(table))); !vacuumed.ok())
            qFatal("VACUUM failed: %s", qPrintable(vacuumed.error().message));
    // The load's dirty pages are written now, not by a checkpoint in the middle of the timings.
    if (auto flushed = conn.exec(QStringLiteral("CHECKPOINT")); !flushed.ok())
        qFatal("CHECKPOINT failed: %s", qPrintable(flushed.error().message));
    std::printf("  loaded %lld topics with the demo generator in %.1f s (COPY), then VACUUM ANALYZE and CHECKPOINT\n",
                static_cast<long long>(loaded.value().topics), loadClock.elapsed() / 1000.0);
    loadClock.restart();
    applyMigrations(conn); // 20250301000000_text_filter_trigram_indexes.sql
    auto sizes = conn.exec(QStringLiteral("SELECT string_agg(format('%s %s', c.relname, pg_size_pretty(pg_relation_size(c.oid))), ', ' "
                                          "ORDER BY c.relname) FROM pg_class c WHERE c.relname LIKE '%trgm_idx'"));
    std::printf("  the text-filter migration on them: %.1f s (%s; the table %s)\n", loadClock.elapsed() / 1000.0,
                sizes.ok() ? qPrintable(sizes.value().scalar()) : "?",
                qPrintable(conn.exec(QStringLiteral("SELECT pg_size_pretty(pg_relation_size('topics'))")).value().scalar()));
    if (auto flushed = conn.exec(QStringLiteral("CHECKPOINT")); !flushed.ok())
        qFatal("CHECKPOINT failed: %s", qPrintable(flushed.error().message));
    std::printf("\n");

    auto schema = discoverSchema(conn);
    const ContentPair topics = *schema.value().find(QStringLiteral("topic"));
    const QString forum = DemoCorpus(seed.corpus).forumNames().first();
    const auto quote = [&conn](const QString &s) { return conn.escapeIdentifier(s); };
    const qint64 firstId = loaded.value().firstTopicId, lastId = loaded.value().lastTopicId;

    struct Case
    {
        QString label;
        BrowseFilter filter;
        std::optional<BrowseCursor> after;
    };
    BrowseFilter byForum;
    byForum.forum = forum;
    BrowseFilter byText;
    byText.text = QStringLiteral("telescope");
    auto middle = conn.exec(QStringLiteral("SELECT created_at::text, id FROM topics ORDER BY created_at, id OFFSET $1 LIMIT 1"),
                            {rows / 2});
    const BrowseCursor middleByDate{middle.value().value(0, 0), middle.value().value(0, 1)};
    BrowseFilter noMatch;
    noMatch.text = QStringLiteral("no-such-word-anywhere");
    const QList<Case> cases{
        {QStringLiteral("first page"), {}, std::nullopt},
        {QStringLiteral("middle page"), {}, BrowseCursor{{}, QString::number(firstId + rows / 2)}},
        {QStringLiteral("last page"), {}, BrowseCursor{{}, QString::number(lastId - PageRows)}},
        {QStringLiteral("forum filter, first page"), byForum, std::nullopt},
        {QStringLiteral("text filter 'telescope', first page"), byText, std::nullopt},
    };
    const QList<Case> byDate{{QStringLiteral("by created_at, middle page"), {}, middleByDate}};
    const QList<Case> worst{{QStringLiteral("text filter, no match"), noMatch, std::nullopt}};
    std::printf("  (psql runs PREPARE/EXECUTE, whose plan may turn generic after five runs; the workbench's unnamed\n"
                "  statements are planned for their parameters every time: its plan is printed under each row)\n");
    std::printf("  %-34s %13s   %-6s %13s   %s\n", "query (100 rows)", "workbench", "", "psql", "ratio");
    bool within = true;
    auto measure = [&](const Case &c, BrowseSort sort) {
        const BrowseQuery query(topics, c.filter, sort);
        const double app = timeMedianMs(Runs, [&] {
            if (!query.fetchPage(conn, c.after, PageRows).ok())
                qFatal("page query failed");
        });
        const BrowseStatement st = query.page(quote, c.after, PageRows);
        const double psql = psqlMedianMs(cluster.url(), st.sql, st.params, Runs);
        printRow(c.label, app, psql, QStringLiteral("psql"));
        std::printf("    the workbench's plan: %s\n", qPrintable(planShape(conn, st)));
        within = within && app <= 50;
    };
    for (const Case &c : cases)
        measure(c, BrowseSort::Id);
    for (const Case &c : byDate)
        measure(c, BrowseSort::CreatedAt);
    // Counted in the verdict like every other case: a user typing a word no row holds waits for it too.
    for (const Case &c : worst)
        measure(c, BrowseSort::Id);
    std::printf("  target: every page, the no-match text filter included, <= 50 ms: %s\n", within ? "met" : "NOT met");
    std::printf("  (a text filter is answered from the migrations' trigram indexes: see each plan)\n\n");

    // The GUI: the Browse panel scrolled through 100 pages, offscreen; peak RSS of this process.
    QTemporaryDir settings;
    MainWindow::Options options;
    options.catalog.settingsPath = settings.filePath(QStringLiteral("profiles.ini"));
    options.sandboxBaseDir = cluster.baseDir();
    options.profile = QStringLiteral("sandbox");
    const double before = peakRssMb();
    {
        MainWindow window(options);
        window.showPanel(QStringLiteral("Browse"));
        window.show();
        BrowserPanel *panel = window.browser();
        if (!waitFor([&] { return panel->model()->rowCount() >= PageRows; }, 30000))
            qFatal("the Browse panel showed no rows");
        QElapsedTimer clock;
        clock.start();
        QList<double> pageTimes;
        for (int page = 1; page < ScrollPages; ++page) {
            QElapsedTimer one;
            one.start();
            panel->view()->scrollToBottom();
            if (!waitFor([&] { return panel->model()->rowCount() >= (page + 1) * PageRows; }, 30000))
                qFatal("scrolling stalled at page %d", page);
            pageTimes << one.nsecsElapsed() / 1e6;
        }
        std::printf("  GUI: scrolled %d pages (%d rows) in %.2f s, median %.1f ms a page (scroll to rows shown)\n", ScrollPages,
                    panel->model()->rowCount(), clock.elapsed() / 1000.0, median(pageTimes));
    }
    const double peak = peakRssMb();
    std::printf("  GUI peak RSS: %.1f MB (before the window: %.1f MB); target <= 150 MB: %s\n", peak, before,
                peak <= 150 ? "met" : "NOT met");
    return 0;
}
