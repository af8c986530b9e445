// tests/ui/tst_jobsdock.cpp — jobs started from the Maintenance panel run in the Jobs dock with
// live phase and percentage, and what they write reaches Browse and Sizes unasked (label db).
#include "TestWindow.h"

#include "mainwindow/MainWindow.h"
#include "panels/BrowserPanel.h"
#include "panels/MaintenancePanel.h"
#include "panels/SizesPanel.h"
#include "session/ConnectionController.h"
#include "session/LiveSession.h"
#include "widgets/CoverageStrip.h"
#include "widgets/JobsDock.h"
#include <QTableWidget>
#include <QTemporaryDir>

using namespace vwb;
using namespace vwb::ui;

class TestJobsDock : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void indexBuildShowsItsPhaseAndPercentage();
    void backfillFillsEveryMissingVector();

private:
    std::unique_ptr<MainWindow> m_window;
    static Coverage coverageOf(BrowserPanel *browse, const QString &table);
    static QString sizeOf(SizesPanel *sizes, const QString &table);
    QTemporaryDir m_dir;
    const QString m_schema = QStringLiteral("tst_jobs_dock");
};

void TestJobsDock::initTestCase()
{
    test::resetSchema(
        m_schema,
        QStringLiteral(
            "SELECT setseed(0.5);"
            "CREATE TABLE topics (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL, content text NOT NULL,"
            "  updated_at timestamptz DEFAULT now());"
            "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int REFERENCES topics(id), forum_name varchar NOT NULL,"
            "  vector vector(64) NOT NULL, updated_at timestamp DEFAULT now());"
            "INSERT INTO topics (forum_name, title, content) SELECT 'f', 'topic ' || g, 'words about sourdough and telescopes ' || g "
            "  FROM generate_series(1, 50000) g;"
            "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, 'f', "
            "  (SELECT array_agg(random())::vector(64) FROM generate_series(1, 64) WHERE id > 0) FROM topics WHERE id > 200;"
            "ANALYZE topics; ANALYZE topic_vectors;"));
    m_window = test::openWindowOn(m_schema, QStringLiteral("jobs"), m_dir.path(), QStringLiteral("Maintenance"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isConnected(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->maintenance()->hasSchema(), 15000);
}

void TestJobsDock::cleanupTestCase()
{
    m_window.reset();
    test::dropSchema(m_schema);
}

void TestJobsDock::indexBuildShowsItsPhaseAndPercentage()
{
    MaintenanceRequest r;
    r.kind = MaintenanceRequest::Kind::CreateIndex;
    r.table = {m_schema, QStringLiteral("topic_vectors")};
    r.column = QStringLiteral("vector");
    r.method = QStringLiteral("hnsw");
    r.efConstruction = 100; // ~20 s here: long enough to watch, short enough for the suite
    const JobId id = m_window->maintenance()->startMaintenance(r);
    JobsDock *dock = m_window->jobs();
    QVERIFY(dock->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(dock->stepOf(id).startsWith(QLatin1String("building index")) && dock->percentOf(id) > 0, 30000);
    if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty())
        m_window->grab().save(dir + QStringLiteral("/jobs-dock.png"));
    QTRY_VERIFY_WITH_TIMEOUT(!dock->isRunning(id), 120000);
    QCOMPARE(dock->stepOf(id), QStringLiteral("done"));
    QCOMPARE(dock->percentOf(id), 100);
}

void TestJobsDock::backfillFillsEveryMissingVector()
{
    // The column holds random vectors, which the offline provider did not make: refused, untouched.
    auto conn = test::connect(test::profileInSchema(m_schema));
    QVERIFY(m_window->maintenance()->selectTable(m_schema + QStringLiteral(".topics"))); // other tests' tables are there too
    const JobId refused = m_window->maintenance()->startBackfill(false);
    QVERIFY(refused != 0);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->jobs()->isRunning(refused), 60000);
    QVERIFY2(m_window->jobs()->stepOf(refused).contains(QLatin1String("was not filled by lexical")),
             qPrintable(m_window->jobs()->stepOf(refused)));
    QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM topic_vectors")).value().scalar(), QStringLiteral("49800"));

    // A column of the provider's own: emptied, and 1,000 topics left (50,000 through the HNSW index
    // the test above built take over a minute on this machine).
    VERIFY_OK(conn->execScript(QStringLiteral("TRUNCATE topic_vectors; DELETE FROM topics WHERE id > 1000; ANALYZE topics;")));
    // Browse and Sizes as a user has them open: read once (Refresh schema), then left alone.
    BrowserPanel *browse = m_window->browser();
    SizesPanel *sizes = m_window->sizes();
    const QString topics = m_schema + QStringLiteral(".topics"), vectors = m_schema + QStringLiteral(".topic_vectors");
    browse->reload();
    QTRY_VERIFY_WITH_TIMEOUT(coverageOf(browse, topics).total == 1000, 15000);
    QCOMPARE(coverageOf(browse, topics).withVector, 0);
    QTRY_VERIFY_WITH_TIMEOUT(!sizeOf(sizes, vectors).isEmpty(), 15000);
    const QString sizeBefore = sizeOf(sizes, vectors);

    const JobId id = m_window->maintenance()->startBackfill(false);
    QVERIFY(id != 0);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->jobs()->isRunning(id), 60000);
    QCOMPARE(m_window->jobs()->stepOf(id), QStringLiteral("done"));
    auto missing = conn->exec(
        QStringLiteral("SELECT count(*) FROM topics c WHERE NOT EXISTS (SELECT 1 FROM topic_vectors v WHERE v.topic_id = c.id)"));
    QCOMPARE(missing.value().scalar(), QStringLiteral("0"));

    // No Refresh pressed: the job's end told both views.
    QTRY_COMPARE_WITH_TIMEOUT(coverageOf(browse, topics).withVector, 1000, 15000);
    QCOMPARE(coverageOf(browse, topics).missing, 0);
    QTRY_VERIFY_WITH_TIMEOUT(sizeOf(sizes, vectors) != sizeBefore, 15000);
    if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty()) {
        m_window->showPanel(QStringLiteral("Browse"));
        m_window->grab().save(dir + QStringLiteral("/browse-after-backfill.png"));
        m_window->showPanel(QStringLiteral("Sizes"));
        m_window->grab().save(dir + QStringLiteral("/sizes-after-backfill.png"));
    }
}

Coverage TestJobsDock::coverageOf(BrowserPanel *browse, const QString &table)
{
    for (const Coverage &c : browse->coverage()->coverage())
        if (c.table == table)
            return c;
    return {};
}

QString TestJobsDock::sizeOf(SizesPanel *sizes, const QString &table)
{
    for (int row = 0; row < sizes->tables()->rowCount(); ++row)
        if (sizes->tables()->item(row, 0)->text() == table)
            return sizes->tables()->item(row, 5)->text();
    return {};
}

QTEST_MAIN(TestJobsDock)
#include "tst_jobsdock.moc"
