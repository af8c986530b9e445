// tests/tools/screenshots.cpp — the README's screenshots, taken from the real window on a real
// database: each panel once the work it shows has finished (a search, a health check, a plan, a
// job's progress), at the window size given. packaging/screenshots.sh runs it on the sandbox.
#include "dialogs/AboutDialog.h"
#include "dialogs/SettingsDialog.h"
#include "mainwindow/MainWindow.h"
#include "models/ContentTableModel.h"
#include "panels/BrowserPanel.h"
#include "panels/HealthPanel.h"
#include "panels/MaintenancePanel.h"
#include "panels/PlansPanel.h"
#include "panels/QueryPanel.h"
#include "panels/SearchPanel.h"
#include "panels/SizesPanel.h"
#include "session/LiveSession.h"
#include "widgets/CoverageStrip.h"
#include "widgets/PlanCompareView.h"
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <cstdio>
#include <cstdlib>

using namespace vwb;
using namespace vwb::ui;

namespace {
constexpr int Patience = 120000; // ms for any one step: a cold server, a slow machine

[[noreturn]] void fail(const QString &what)
{
    std::fprintf(stderr, "screenshots: %s\n", qPrintable(what));
    std::exit(1);
}

void waitUntil(const std::function<bool()> &done, const QString &what)
{
    if (!QTest::qWaitFor(done, Patience))
        fail(QStringLiteral("%1 did not happen within %2 s").arg(what).arg(Patience / 1000));
}

template<typename Signal>
void waitForSignal(const typename QtPrivate::FunctionPointer<Signal>::Object *sender, Signal signal, const std::function<void()> &start,
                   const QString &what)
{
    QSignalSpy spy(sender, signal);
    start();
    waitUntil([&spy] { return !spy.isEmpty(); }, what);
}

class Camera
{
public:
    Camera(MainWindow &window, QString dir) : m_window(window), m_dir(std::move(dir)) {}
    void shoot(const QString &name) { shoot(&m_window, name); }
    void shoot(QWidget *widget, const QString &name)
    {
        QTest::qWait(300); // the last repaint and any chart's layout land
        const QString path = QDir(m_dir).filePath(name + QStringLiteral(".png"));
        if (!widget->grab().save(path))
            fail(QStringLiteral("cannot write %1").arg(path));
        std::printf("%s\n", qPrintable(path));
    }

private:
    MainWindow &m_window;
    QString m_dir;
};

/// The first HNSW index of the first vector column that has one (REINDEX CONCURRENTLY of it shows
/// the build phases and changes nothing).
QString firstHnswIndex(const DatabaseSchema &schema)
{
    for (const ContentPair &p : schema.pairs)
        for (const VectorColumn &c : p.columns)
            for (const VectorIndex &i : c.indexes)
                if (i.method == QLatin1String("hnsw"))
                    return i.name;
    return {};
}
} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Saves a PNG of each main panel of Vector Workbench after real use."));
    parser.addHelpOption();
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Folder for the PNGs."), QStringLiteral("dir"));
    const QCommandLineOption profileOption(QStringLiteral("profile"), QStringLiteral("Profile (default sandbox)."),
                                           QStringLiteral("name"), QStringLiteral("sandbox"));
    const QCommandLineOption queryOption(QStringLiteral("query"), QStringLiteral("The search shown."), QStringLiteral("text"),
                                         QStringLiteral("sourdough starter"));
    const QCommandLineOption sizeOption(QStringLiteral("size"), QStringLiteral("Window size (default 1280x800)."), QStringLiteral("WxH"),
                                        QStringLiteral("1280x800"));
    parser.addOptions({outOption, profileOption, queryOption, sizeOption});
    parser.process(app);
    if (!parser.isSet(outOption) || !QDir().mkpath(parser.value(outOption)))
        fail(QStringLiteral("give a folder to write to with --out"));
    const QStringList size = parser.value(sizeOption).split(QLatin1Char('x'));
    if (size.size() != 2 || size.at(0).toInt() < 640 || size.at(1).toInt() < 480)
        fail(QStringLiteral("--size is WIDTHxHEIGHT, at least 640x480"));

    MainWindow::Options options;
    options.profile = parser.value(profileOption);
    MainWindow window(options); // no layout file: the window as a new user first sees it
    window.resize(size.at(0).toInt(), size.at(1).toInt());
    window.show();
    Camera camera(window, parser.value(outOption));
    waitUntil([&] { return window.session()->isConnected(); }, QStringLiteral("connecting to ") + options.profile);
    camera.shoot(QStringLiteral("sandbox"));

    window.showPanel(QStringLiteral("Browse"));
    BrowserPanel *browse = window.browser();
    waitUntil([&] { return browse->model()->rowCount() > 0 && !browse->coverage()->coverage().isEmpty(); },
              QStringLiteral("Browse's first page and coverage"));
    waitForSignal(
        browse, &BrowserPanel::recordShown, [&] { browse->view()->setCurrentIndex(browse->model()->index(0, 0)); },
        QStringLiteral("Browse's record"));
    camera.shoot(QStringLiteral("browse"));

    window.showPanel(QStringLiteral("Search"));
    SearchPanel *search = window.search();
    waitForSignal(
        search, &SearchPanel::searchFinished, [&] { search->search(parser.value(queryOption)); }, QStringLiteral("the search"));
    if (search->resultsView()->model()->rowCount() > 0)
        search->resultsView()->setCurrentIndex(search->resultsView()->model()->index(0, 1));
    camera.shoot(QStringLiteral("search"));

    window.showPanel(QStringLiteral("Health"));
    waitForSignal(
        window.health(), &HealthPanel::refreshed, [&] { window.health()->refresh(); }, QStringLiteral("the health check"));
    window.health()->selectRow(0);
    camera.shoot(QStringLiteral("health"));

    window.showPanel(QStringLiteral("Sizes"));
    waitForSignal(
        window.sizes(), &SizesPanel::refreshed, [&] { window.sizes()->refresh(); }, QStringLiteral("the sizes"));
    camera.shoot(QStringLiteral("sizes"));

    // The nearest vectors to a stored one through the HNSW index, then the exact scan (an
    // expression the index does not serve), compared with it.
    window.showPanel(QStringLiteral("Plans"));
    PlansPanel *plans = window.plans();
    const auto explain = [&](const QString &sql) {
        plans->setInput(sql);
        QSignalSpy shown(plans, &PlansPanel::planShown), failed(plans, &PlansPanel::failed);
        plans->explain(true);
        waitUntil([&] { return !shown.isEmpty() || !failed.isEmpty(); }, QStringLiteral("EXPLAIN ANALYZE"));
        if (!failed.isEmpty())
            fail(QStringLiteral("EXPLAIN ANALYZE %1: %2").arg(sql, failed.first().first().toString()));
    };
    const QString nearest = QStringLiteral("SELECT topic_id FROM topic_vectors ORDER BY %1vector <=> (SELECT vector FROM topic_vectors "
                                           "ORDER BY topic_id LIMIT 1)%2 LIMIT 10");
    explain(nearest.arg(QString(), QString()));
    camera.shoot(QStringLiteral("plan-view"));
    plans->keepAsBaseline();
    explain(nearest.arg(QStringLiteral("("), QStringLiteral(") + 0")));
    plans->tabs()->setCurrentWidget(plans->compareView());
    camera.shoot(QStringLiteral("plan-compare"));

    // The query console: topics beside their posts' count, a batch of rows from a cursor.
    window.showPanel(QStringLiteral("Query"));
    QueryPanel *query = window.query();
    query->setText(QStringLiteral("SELECT t.id, t.forum_name, t.title, count(p.id) AS posts, max(p.created_at) AS last_post\n"
                                  "  FROM topics t LEFT JOIN posts p ON p.topic_id = t.id\n"
                                  " GROUP BY t.id ORDER BY posts DESC, t.id"));
    waitForSignal(
        query, &QueryPanel::finished, [&] { query->run(); }, QStringLiteral("the console's query"));
    camera.shoot(QStringLiteral("query"));

    // Browse at the end of its table: Ctrl+End, the last row fetched by position and opened.
    window.showPanel(QStringLiteral("Browse"));
    browse->setType(QStringLiteral("posts"));
    waitUntil([&] { return browse->model()->total() > 0; }, QStringLiteral("Browse counting the posts"));
    // What Ctrl+End does (a synthetic key press does not reach a window no window manager activated).
    QSignalSpy opened(browse, &BrowserPanel::recordShown);
    const int lastRow = browse->model()->rowCount() - 1;
    browse->view()->setCurrentIndex(browse->model()->index(lastRow, 0));
    browse->view()->scrollTo(browse->model()->index(lastRow, 0));
    waitUntil([&] { return browse->model()->rowAt(lastRow) != nullptr && !opened.isEmpty(); },
              QStringLiteral("Browse's last row, opened"));
    camera.shoot(QStringLiteral("browse-end"));

    // A job in the Jobs dock with its phase: REINDEX CONCURRENTLY of an HNSW index (no net change).
    const QString index = firstHnswIndex(window.session()->schema());
    if (index.isEmpty())
        fail(QStringLiteral("no HNSW index to rebuild for the Jobs dock's picture"));
    window.showPanel(QStringLiteral("Maintenance"));
    MaintenanceRequest reindex;
    reindex.kind = MaintenanceRequest::Kind::Reindex;
    reindex.index = index;
    reindex.concurrently = true;
    QSignalSpy progress(window.jobRunner(), &JobRunner::progressChanged);
    QSignalSpy finished(window.jobRunner(), &JobRunner::finished);
    window.maintenance()->startMaintenance(reindex);
    waitUntil(
        [&] {
            return !finished.isEmpty()
                   || std::any_of(progress.begin(), progress.end(), [](const QList<QVariant> &p) { return p.at(1).toLongLong() > 0; });
        },
        QStringLiteral("the REINDEX's progress"));
    camera.shoot(QStringLiteral("jobs"));
    waitUntil([&] { return !finished.isEmpty(); }, QStringLiteral("the REINDEX"));

    // Settings and About in both themes, and the search above in the dark one.
    for (const auto &[mode, name] : {std::pair{Theme::Mode::Light, "light"}, std::pair{Theme::Mode::Dark, "dark"}}) {
        Theme::apply(mode);
        SettingsDialog *settings = window.showSettings();
        if (!QTest::qWaitForWindowExposed(settings))
            fail(QStringLiteral("the Settings dialog did not show"));
        // Light: what a search starts with; dark: the profile's provider and where its key is kept.
        settings->findChild<QTabWidget *>()->setCurrentIndex(mode == Theme::Mode::Light ? 1 : 2);
        camera.shoot(settings, QStringLiteral("settings-") + QLatin1String(name));
        settings->reject();
        AboutDialog *about = window.showAbout();
        if (!QTest::qWaitForWindowExposed(about))
            fail(QStringLiteral("the About dialog did not show"));
        camera.shoot(about, QStringLiteral("about-") + QLatin1String(name));
        about->reject();
    }
    window.showPanel(QStringLiteral("Search"));
    camera.shoot(QStringLiteral("search-dark"));
    return 0;
}
