// tests/bench/bench_browse.cpp — the Browse panel's queries on a big topics table, beside psql
// running the same SQL; the GUI's jump to the last row and to rows anywhere, and its memory after
// scrolling every row.
// Rows: VWB_BENCH_ROWS (default 1,000,000). Run: see README ("Benchmarks").
#include "BenchSupport.h"

#include "browse/BrowseQuery.h"
#include "connection/ProfileStore.h"
#include "demo/DemoSeeder.h"
#include "mainwindow/MainWindow.h"
#include "models/ContentTableModel.h"
#include "plan/PlanParser.h"
#include "panels/BrowserPanel.h"
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLabel>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <malloc.h>

using namespace vwb;
using namespace vwb::bench;
using namespace vwb::ui;

namespace {
constexpr int Runs = 30;
constexpr int PageRows = 100;
constexpr int ScrollPages = 100;

/// Waits, with the event loop running, until `done` holds or `ms` pass: wakes for each page the
/// model receives (and every 20 ms). Returns `done()`.
bool waitForRows(const std::function<bool()> &done, ContentTableModel *model, int ms)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < ms) {
        QEventLoop loop;
        QObject::connect(model, &ContentTableModel::rowsArrived, &loop, &QEventLoop::quit);
        QObject::connect(model, &ContentTableModel::rowsInserted, &loop, &QEventLoop::quit);
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
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

    // The GUI: the Browse panel counts the table, jumps to its end and to rows anywhere, then is
    // scrolled through every row; this process's memory afterwards.
    malloc_trim(0); // what the load freed goes back to the system: the figures below are the window's
    QTemporaryDir settings;
    MainWindow::Options options;
    options.catalog.settingsPath = settings.filePath(QStringLiteral("profiles.ini"));
    options.sandboxBaseDir = cluster.baseDir();
    options.profile = QStringLiteral("sandbox");
    const double before = rssMb();
    bool met = true;
    {
        MainWindow window(options);
        window.resize(1280, 800);
        window.showPanel(QStringLiteral("Browse"));
        window.show();
        BrowserPanel *panel = window.browser();
        ContentTableModel *model = panel->model();
        QTableView *view = panel->view();
        QElapsedTimer clock;
        clock.start();
        if (!waitForRows([&] { return model->total() == rows; }, model, 60000))
            qFatal("the Browse panel did not count the table (%lld of %lld)", static_cast<long long>(model->total()),
                   static_cast<long long>(rows));
        std::printf("  GUI: the window counted the %lld rows %.0f ms after it opened (%s)\n", static_cast<long long>(rows),
                    clock.nsecsElapsed() / 1e6, qPrintable(panel->countLabel()->text()));
        const int last = model->rowCount() - 1;
        view->setFocus();
        clock.restart();
        QTest::keyClick(view, Qt::Key_End, Qt::ControlModifier);
        if (!waitForRows([&] { return model->rowAt(last) != nullptr; }, model, 30000))
            qFatal("Ctrl+End did not show the last row");
        const double toEnd = clock.nsecsElapsed() / 1e6;
        // psql: the same two statements (the row before the last page, counted from the end; the page).
        const BrowseQuery shown(topics, {}, BrowseSort::Id);
        const qint64 lastPage = qint64(last / ContentTableModel::PageSize) * ContentTableModel::PageSize;
        const double psqlEnd = psqlMedianMs(cluster.url(), shown.rowAt(quote, rows - lastPage, true).sql,
                                            shown.rowAt(quote, rows - lastPage, true).params, Runs)
                               + psqlMedianMs(
                                   cluster.url(),
                                   shown.page(quote, BrowseCursor{{}, QString::number(lastId - (rows - lastPage))}, PageRows).sql,
                                   shown.page(quote, BrowseCursor{{}, QString::number(lastId - (rows - lastPage))}, PageRows).params,
                                   Runs);
        printRow(QStringLiteral("Ctrl+End: the last row on screen"), toEnd, psqlEnd, QStringLiteral("psql"));
        std::printf("    (the key press to the row painted: the count was already there; psql: the row before the page, the page)\n");
        met = met && toEnd <= 100;
        // Rows anywhere: 20 jumps (a dragged scroll bar), each to a page not held.
        QList<double> jumps;
        for (int i = 1; i <= 20; ++i) {
            const int row = int(qint64(last) * ((i * 7919) % 20 + 0.5) / 20);
            clock.restart();
            view->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtCenter);
            if (!waitForRows([&] { return model->rowAt(row) != nullptr; }, model, 30000))
                qFatal("a jump to row %d never showed it", row);
            jumps << clock.nsecsElapsed() / 1e6;
        }
        std::printf("  GUI: a jump to a row anywhere: median %.1f ms, slowest %.1f ms (20 jumps, an OFFSET from the nearer end\n"
                    "    over the primary key, then the page: the middle of the table is the slowest place to land)\n",
                    median(jumps), *std::max_element(jumps.begin(), jumps.end()));
        // Every row, a page at a time, top to bottom.
        clock.restart();
        double peakHeld = 0;
        for (int row = 0; row <= last; row += ContentTableModel::PageSize) {
            view->scrollTo(model->index(row, 0), QAbstractItemView::PositionAtTop);
            if (!waitForRows([&] { return model->rowAt(row) != nullptr; }, model, 30000))
                qFatal("scrolling stalled at row %d", row);
            peakHeld = qMax(peakHeld, double(model->heldRows()));
        }
        const double after = rssMb();
        std::printf("  GUI: scrolled all %d rows a page at a time in %.1f s; at most %.0f rows held at once\n", last + 1,
                    clock.elapsed() / 1000.0, peakHeld);
        std::printf("  GUI RSS after scrolling the whole table: %.1f MB (%.1f MB before the window); target <= 80 MB: %s\n", after,
                    before, after <= 80 ? "met" : "NOT met");
        met = met && after <= 80;
    }
    std::printf("  targets (jump to the last row <= 100 ms, RSS after the whole table <= 80 MB): %s\n", met ? "met" : "NOT met");
    return 0;
}
