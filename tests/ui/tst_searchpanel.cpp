// tests/ui/tst_searchpanel.cpp — the Search panel on the test cluster (label db): the threshold
// slider filters candidates and moves the histogram line without sending a query.
#include "TestWindow.h"

#include "charts/RecallCurveChart.h"
#include "charts/SimilarityHistogram.h"
#include "dialogs/RecallSweepDialog.h"
#include "mainwindow/MainWindow.h"
#include "models/SearchResultModel.h"
#include "panels/SearchPanel.h"
#include "session/ConnectionController.h"
#include "session/LiveSession.h"
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QTableWidget>
#include <QTemporaryDir>
#include <cmath>

using namespace vwb;
using namespace vwb::ui;

class TestSearchPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void thresholdFiltersOnTheClientWithNoQueryInFlight();
    void textSearchWithTheOfflineProvider();
    void returnInTheFilterSearchesWithIt();
    void tuneKeepsTheSweepsChoiceAndMovesTheKnobs();

private:
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    const QString m_schema = QStringLiteral("tst_search_panel");
};

void TestSearchPanel::initTestCase()
{
    test::resetSchema(
        m_schema,
        QStringLiteral(
            "SELECT setseed(0.7);"
            "CREATE TABLE topics (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL, content text NOT NULL);"
            "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int REFERENCES topics(id), forum_name varchar NOT NULL, vector vector(16) NOT NULL);"
            "INSERT INTO topics (forum_name, title, content) SELECT 'f' || (g % 3), 'topic ' || g, 'content ' || g FROM generate_series(1, 600) g;"
            "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, "
            "  (SELECT array_agg(random() - 0.5)::vector(16) FROM generate_series(1, 16) WHERE id > 0) FROM topics;"
            "CREATE INDEX ON topic_vectors USING hnsw (vector vector_cosine_ops); ANALYZE topic_vectors;"));
    qputenv("VWB_SEARCH_TUNING", m_dir.filePath(QStringLiteral("search-tuning.sqlite")).toUtf8()); // this run's own
    m_window = test::openWindowOn(m_schema, QStringLiteral("search"), m_dir.path(), QStringLiteral("Search"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isConnected(), 15000);
}

void TestSearchPanel::cleanupTestCase()
{
    m_window.reset();
    test::dropSchema(m_schema);
}

void TestSearchPanel::thresholdFiltersOnTheClientWithNoQueryInFlight()
{
    SearchPanel *panel = m_window->search();
    QAbstractItemModelTester tester(panel->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(panel, &SearchPanel::searchFinished);
    QTRY_VERIFY_WITH_TIMEOUT(panel->hasSchema(), 15000);
    panel->searchLike(m_schema + QStringLiteral(".topics"), QStringLiteral("5")); // "Find similar" from the browser
    QVERIFY(finished.wait(15000));
    QVERIFY(finished.last().first().toBool());
    QCOMPARE(panel->queriesSent(), 1);
    QCOMPARE(panel->model()->candidates().size(), SearchPanel::CandidatePool);
    QCOMPARE(panel->model()->rowCount(), 10);
    // ef_search 40 hands out fewer than the 200-row pool, but all 10 rows shown: nothing to warn about.
    QVERIFY2(!panel->warnings()->text().contains(QLatin1String("the index returned")), qPrintable(panel->warnings()->text()));
    const int sent = panel->queriesSent();
    const double before = panel->histogram()->thresholdLineX();
    panel->thresholdSlider()->setValue(980); // drag towards the most similar
    QCOMPARE(panel->queriesSent(), sent);
    QVERIFY(panel->model()->rowCount() < 10);
    QVERIFY(panel->histogram()->thresholdLineX() > before);
    for (int row = 0; row < panel->model()->rowCount(); ++row)
        QVERIFY(panel->model()->hitAt(row)->similarity >= panel->model()->threshold());
    if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty()) {
        panel->thresholdSlider()->setValue(700);
        m_window->grab().save(dir + QStringLiteral("/search-panel.png"));
    }
    panel->thresholdSlider()->setValue(0);
    QCOMPARE(panel->model()->rowCount(), 10);
    QCOMPARE(panel->queriesSent(), sent);
}

void TestSearchPanel::textSearchWithTheOfflineProvider()
{
    SearchPanel *panel = m_window->search();
    QSignalSpy finished(panel, &SearchPanel::searchFinished);
    panel->search(QStringLiteral("anything at all"));
    QVERIFY(finished.wait(15000));
    QVERIFY2(finished.first().first().toBool(), qPrintable(panel->timings()->text()));
    QVERIFY(panel->timings()->text().contains(QLatin1String("embed")));
    QCOMPARE(panel->model()->rowCount(), 10);
}

void TestSearchPanel::returnInTheFilterSearchesWithIt()
{
    SearchPanel *panel = m_window->search();
    auto *filter = panel->findChild<QLineEdit *>(QStringLiteral("searchFilter"));
    QVERIFY(filter);
    QSignalSpy finished(panel, &SearchPanel::searchFinished);
    filter->setText(QStringLiteral("F1")); // any case, as the service compares forum_name
    QTest::keyClick(filter, Qt::Key_Return);
    QVERIFY(finished.wait(15000));
    QCOMPARE(panel->model()->rowCount(), 10);
    for (int row = 0; row < panel->model()->rowCount(); ++row)
        QCOMPARE(panel->model()->index(row, SearchResultModel::Forum).data().toString(), QStringLiteral("f1"));
    filter->clear();
}

void TestSearchPanel::tuneKeepsTheSweepsChoiceAndMovesTheKnobs()
{
    SearchPanel *panel = m_window->search();
    QSignalSpy shown(panel, &SearchPanel::sweepShown);
    panel->runSweep(8, 5, 0.9);
    QVERIFY2(shown.wait(60000), qPrintable(panel->timings()->text()));
    auto *dialog = qobject_cast<RecallSweepDialog *>(shown.first().first().value<QDialog *>());
    QVERIFY(dialog);
    const int values = int(sweepValues(QStringLiteral("hnsw"), 5, 0).size());
    // Every point measured, in the chart and the table (a pass stops one value after meeting the target).
    QVERIFY2(dialog->chart()->pointCount() >= 2 && dialog->chart()->pointCount() <= 2 * values,
             qPrintable(QString::number(dialog->chart()->pointCount())));
    QCOMPARE(dialog->table()->rowCount(), dialog->chart()->pointCount());
    QVERIFY2(dialog->summary().startsWith(QLatin1String("Kept for this profile: ef_search ")), qPrintable(dialog->summary()));
    QVERIFY(!std::isnan(dialog->chart()->chosenPoint().y()));
    // The knobs moved to the kept setting, and a search sends it.
    const QString value = dialog->summary().section(QLatin1Char(' '), 5, 5);
    QCOMPARE(QString::number(panel->efSlider()->value()), value);
    QCOMPARE(panel->iterativeBox()->isChecked(), dialog->summary().contains(QLatin1String("with iterative scan")));
    dialog->close();
    // A window opened later on the same profile starts from the kept setting.
    auto again = test::openWindowOn(m_schema, QStringLiteral("search"), m_dir.path(), QStringLiteral("Search"));
    QTRY_VERIFY_WITH_TIMEOUT(again->session()->isConnected(), 15000);
    QTRY_COMPARE(QString::number(again->search()->efSlider()->value()), value);
}

QTEST_MAIN(TestSearchPanel)
#include "tst_searchpanel.moc"
