// tests/ui/tst_sizespanel.cpp — the Sizes panel: the stacked bars add up to each table's total, the
// history is sampled on connect (once per interval) and read back after a restart (label db).
#include "TestWindow.h"

#include "charts/SizeHistoryChart.h"
#include "charts/TableSizeChart.h"
#include "metrics/SizeHistory.h"
#include "panels/SizesPanel.h"
#include "session/ConnectionController.h"
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace vwb;
using namespace vwb::ui;

class TestSizesPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void barsAddUpToEachTablesTotal();
    void historyIsReadBackAfterARestart();

private:
    std::unique_ptr<MainWindow> open(bool *recorded);
    QTemporaryDir m_dir;
    QTemporaryDir m_data; // where the size history lives (VWB_SIZE_HISTORY)
    // A database of its own: "all tables" sums every table in it, and the other tests of a
    // parallel run create and drop theirs in the shared one.
    const QString m_database = QStringLiteral("vwb_sizes_panel");
    ConnectionProfile m_profile;
};

void TestSizesPanel::initTestCase()
{
    qputenv("VWB_SIZE_HISTORY", (m_data.path() + QStringLiteral("/size-history.sqlite")).toUtf8());
    m_profile = test::freshDatabase(m_database);
    VERIFY_OK(test::connect(m_profile)->execScript(QStringLiteral(
        "CREATE EXTENSION vector;"
        "CREATE TABLE topics (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL, content text NOT NULL,"
        "  updated_at timestamptz DEFAULT now());"
        "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int REFERENCES topics(id), forum_name varchar NOT NULL,"
        "  vector vector(64) NOT NULL, updated_at timestamp DEFAULT now());"
        // content long and random enough to be compressed badly and moved to TOAST
        "INSERT INTO topics (forum_name, title, content) SELECT 'f', 't' || g, "
        "  (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 200) i) FROM generate_series(1, 300) g;"
        "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, 'f', array_fill(0.1, ARRAY[64])::vector FROM topics;"
        "ANALYZE topics; ANALYZE topic_vectors;")));
}

void TestSizesPanel::cleanupTestCase()
{
    (void)test::dropDatabase(m_database);
}

std::unique_ptr<MainWindow> TestSizesPanel::open(bool *recorded)
{
    auto window = test::openWindowWith(m_profile, QStringLiteral("sizes"), m_dir.path(), QStringLiteral("Sizes"));
    QSignalSpy refreshed(window->sizes(), &SizesPanel::refreshed);
    if (!QTest::qWaitFor([&] { return !refreshed.isEmpty(); }, 20000))
        return nullptr;
    *recorded = refreshed.first().first().toBool();
    return window;
}

void TestSizesPanel::barsAddUpToEachTablesTotal()
{
    bool recorded = false;
    auto window = open(&recorded);
    QVERIFY(window);
    QVERIFY(recorded); // the first sample of this profile
    QCOMPARE(window->sizes()->historyPath(), m_data.path() + QStringLiteral("/size-history.sqlite"));
    const TableSizeChart *bars = window->sizes()->barChart();
    const QStringList tables = bars->tables();
    QVERIFY(!tables.isEmpty());
    QVERIFY(tables.size() <= TableSizeChart::MaxTables);
    const QList<double> heap = bars->megabytes(0), index = bars->megabytes(1), toast = bars->megabytes(2);
    QCOMPARE(heap.size(), tables.size());
    // Each bar is its table's total as read (and recorded in the history), the largest first.
    SizeHistory store(window->sizes()->historyPath());
    const SizeSnapshot sample = store.samples(QStringLiteral("sizes")).value().value(0);
    double previous = std::numeric_limits<double>::max(), largest = 0;
    for (int i = 0; i < tables.size(); ++i) {
        const double total = heap.at(i) + index.at(i) + toast.at(i);
        const qsizetype dot = tables.at(i).indexOf(QLatin1Char('.'));
        const TableRef ref = dot > 0 ? TableRef{tables.at(i).left(dot), tables.at(i).mid(dot + 1)}
                                     : TableRef{QStringLiteral("public"), tables.at(i)};
        const SizeSample *recorded = sample.find(ref);
        QVERIFY2(recorded, qPrintable(tables.at(i)));
        QVERIFY2(qAbs(total - recorded->totalBytes / (1024.0 * 1024.0)) < 1e-9, qPrintable(tables.at(i)));
        QCOMPARE(recorded->heapBytes + recorded->indexBytes + recorded->toastBytes, recorded->totalBytes);
        QVERIFY(total <= previous);
        previous = total;
        largest = qMax(largest, total);
    }
    QVERIFY(bars->axisMaximum() >= largest);
    // The TOAST part is there for the table that has it (in a database of its own, topics is always shown).
    const qsizetype topics = tables.indexOf(QStringLiteral("topics"));
    QVERIFY2(topics >= 0, qPrintable(tables.join(QLatin1Char(','))));
    QVERIFY(toast.at(topics) > 0);
    const SizeHistoryChart *history = window->sizes()->historyChart();
    QCOMPARE(history->seriesNames().first(), QStringLiteral("all tables"));
    QCOMPARE(history->points(QStringLiteral("all tables")).size(), 1);
    const double at = history->points(QStringLiteral("all tables")).first().x(); // seconds ago, in minutes
    QCOMPARE(history->unit(), QStringLiteral("minutes"));
    QVERIFY(at <= 0 && at > -5);
    QVERIFY(history->axisStart() < at && at <= history->axisEnd());
    QVERIFY(history->axisMaximum() >= history->points(QStringLiteral("all tables")).first().y());
    if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty())
        window->grab().save(dir + QStringLiteral("/sizes.png"));
}

void TestSizesPanel::historyIsReadBackAfterARestart()
{
    // A sample from a day ago, half the size, as a cron job's `vwb sizes` might have left.
    {
        SizeHistory store;
        auto samples = store.samples(QStringLiteral("sizes"));
        QCOMPARE(samples.value().size(), 1);
        SizeSnapshot earlier = samples.value().first();
        earlier.at = earlier.at.addDays(-1);
        for (SizeSample &t : earlier.tables)
            t.totalBytes /= 2;
        QVERIFY(store.record(QStringLiteral("sizes"), earlier).ok());
    }
    bool recorded = true;
    auto window = open(&recorded);
    QVERIFY(window);
    QVERIFY(!recorded); // a sample is not due yet: the interval has not passed since the last one
    const QList<QPointF> points = window->sizes()->historyChart()->points(QStringLiteral("all tables"));
    QCOMPARE(points.size(), 3); // a day ago, the last sample, and the reading now (not stored)
    QVERIFY(points.at(0).y() < points.at(1).y());
    QVERIFY(qAbs(points.at(0).x() - (points.at(1).x() - 24)) < 1e-6); // a day before, in hours
    QVERIFY(points.at(2).x() >= points.at(1).x() && points.at(2).x() <= 0);
    // Nothing was written meanwhile, but autovacuum may have added a table's free-space and
    // visibility maps (kilobytes): the reading now is within a tenth of the last sample.
    QVERIFY2(qAbs(points.at(2).y() - points.at(1).y()) <= 0.1 * points.at(1).y(),
             qPrintable(QStringLiteral("%1 MB now, %2 MB sampled").arg(points.at(2).y()).arg(points.at(1).y())));
    QVERIFY(window->sizes()->historyChart()->axisStart() <= points.at(0).x());
    QVERIFY2(window->sizes()->summary()->text().contains(QLatin1String("growing +")), qPrintable(window->sizes()->summary()->text()));
}

QTEST_MAIN(TestSizesPanel)
#include "tst_sizespanel.moc"
