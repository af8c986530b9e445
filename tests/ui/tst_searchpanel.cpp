// tests/ui/tst_searchpanel.cpp — the Search panel on the test cluster (label db): the threshold
// slider filters candidates and moves the histogram line without sending a query.
#include "TestWindow.h"

#include "charts/ChartExport.h"
#include "charts/RecallCurveChart.h"
#include "charts/SimilarityHistogram.h"
#include "dialogs/RecallSweepDialog.h"
#include "mainwindow/MainWindow.h"
#include "models/SearchResultModel.h"
#include "panels/BrowserPanel.h"
#include "panels/MaintenancePanel.h"
#include "panels/SearchPanel.h"
#include "search/SearchMetric.h"
#include "widgets/RecordDetailView.h"
#include "widgets/TableExportMenu.h"
#include "session/ConnectionController.h"
#include "session/LiveSession.h"
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QTableView>
#include <QComboBox>
#include <QDialog>
#include <QFile>
#include <QPushButton>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QSlider>
#include <QTableWidget>
#include <QTemporaryDir>
#include <algorithm>
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
    void aTableWithNoVectorsOffersItsBackfill();
    void resultsAreCopiedAsTheyAreShown();
    void theHistogramIsSavedAsPngAndSvg();
    void aResultOpensItsRecordInBrowse();
    void newDefaultsChangeTheResultsShown();

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
            "CREATE INDEX ON topic_vectors USING hnsw (vector vector_cosine_ops); ANALYZE topic_vectors;"
            "CREATE TABLE posts (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL, content text NOT NULL);"
            "CREATE TABLE post_vectors (id serial PRIMARY KEY, post_id int REFERENCES posts(id), forum_name varchar NOT NULL, vector vector(16) NOT NULL);"
            "INSERT INTO posts (forum_name, title, content) SELECT 'f1', 'post ' || g, 'content ' || g FROM generate_series(1, 40) g;"));
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
    // The count axis reads whole numbers (not "0, 0, 0, 1" for a step of 0.25) and holds the tallest bin.
    const SimilarityHistogram *histogram = panel->histogram();
    const QList<int> counts = histogram->counts();
    const int tallest = *std::max_element(counts.begin(), counts.end());
    QVERIFY(histogram->countStep() >= 1 && std::fmod(histogram->countStep(), 1.0) == 0);
    QVERIFY(histogram->countTop() >= tallest && std::fmod(histogram->countTop(), histogram->countStep()) == 0);
    QVERIFY2(histogram->countTop() / histogram->countStep() <= 5, qPrintable(QString::number(histogram->countStep())));
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


void TestSearchPanel::aTableWithNoVectorsOffersItsBackfill()
{
    SearchPanel *panel = m_window->search();
    m_window->showPanel(QStringLiteral("Search"));
    QComboBox *type = nullptr;
    const QString posts = m_schema + QStringLiteral(".posts");
    for (QComboBox *box : panel->findChildren<QComboBox *>())
        if (box->findData(posts) >= 0)
            type = box;
    QVERIFY(type);
    QSignalSpy finished(panel, &SearchPanel::searchFinished);
    panel->search(QStringLiteral("content")); // on topics, which has vectors: no offer
    QVERIFY(finished.wait(15000));
    QVERIFY(panel->backfillButton()->isHidden());
    type->setCurrentIndex(type->findData(posts));
    panel->search(QStringLiteral("content"));
    QVERIFY(finished.wait(15000));
    QVERIFY2(finished.last().first().toBool(), qPrintable(panel->timings()->text()));
    QCOMPARE(panel->model()->rowCount(), 0);
    QVERIFY2(panel->warnings()->text().contains(QLatin1String("post_vectors.vector holds no vectors yet")),
             qPrintable(panel->warnings()->text()));
    QVERIFY2(!panel->warnings()->text().contains(QLatin1String("ran out")), qPrintable(panel->warnings()->text()));
    QVERIFY(!panel->backfillButton()->isHidden());
    // The button opens the backfill of that table, on the Maintenance panel.
    panel->backfillButton()->click();
    QTRY_VERIFY(m_window->maintenance()->isVisible());
    auto preview = []() -> QDialog * {
        for (QWidget *w : QApplication::topLevelWidgets())
            if (auto *d = qobject_cast<QDialog *>(w); d && d->isVisible() && d->windowTitle() == QLatin1String("Backfill missing vectors"))
                return d;
        return nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT(preview(), 15000);
    preview()->reject();
    type->setCurrentIndex(type->findData(m_schema + QStringLiteral(".topics")));
    panel->search(QStringLiteral("content"));
    QVERIFY(finished.wait(15000));
    QVERIFY(panel->backfillButton()->isHidden());
}

void TestSearchPanel::resultsAreCopiedAsTheyAreShown()
{
    SearchPanel *panel = m_window->search();
    QSignalSpy finished(panel, &SearchPanel::searchFinished);
    panel->search(QStringLiteral("content"));
    QVERIFY(finished.wait(15000));
    QTableView *view = panel->resultsView();
    // Every row shown, under the visible columns' headers.
    const TableRows all = tableRows(view, false);
    QCOMPARE(all.rows.size(), panel->model()->rowCount());
    int visible = 0;
    for (int c = 0; c < panel->model()->columnCount(); ++c)
        visible += view->isColumnHidden(c) ? 0 : 1;
    QCOMPARE(all.headers.size(), visible);
    // Two rows selected, copied as CSV from the context menu's action: a header and those two.
    view->selectionModel()->select(panel->model()->index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view->selectionModel()->select(panel->model()->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QAction *copy = nullptr;
    for (QAction *a : view->actions())
        if (a->text() == QLatin1String("Copy as CSV"))
            copy = a;
    QVERIFY(copy);
    copy->trigger();
    const QStringList lines = QApplication::clipboard()->text().split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.first(), all.headers.join(QLatin1Char(','))); // no header here needs quoting
    const TableRows picked = tableRows(view, true);
    QCOMPARE(picked.rows.size(), 2);
    QCOMPARE(picked.rows.first(), all.rows.first()); // the model's order, not the order of selection
}


void TestSearchPanel::theHistogramIsSavedAsPngAndSvg()
{
    SearchPanel *panel = m_window->search();
    const QString png = m_dir.filePath(QStringLiteral("histogram.png")), svg = m_dir.filePath(QStringLiteral("histogram.svg"));
    QVERIFY(saveChart(panel->histogram(), png).ok());
    QVERIFY(saveChart(panel->histogram(), svg).ok());
    QFile a(png), b(svg);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QVERIFY(a.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8));
    const QByteArray text = b.readAll();
    QVERIFY2(text.contains("<svg") && text.contains("similarity"), text.left(300).constData()); // the axis title, as text
    // A folder that is not there: an error that names the file, and nothing written.
    const auto failed = saveChart(panel->histogram(), m_dir.filePath(QStringLiteral("no/such/dir/h.png")));
    QVERIFY(!failed.ok());
    QVERIFY2(failed.error().message.contains(QLatin1String("no/such/dir/h.png")), qPrintable(failed.error().message));
}


void TestSearchPanel::aResultOpensItsRecordInBrowse()
{
    SearchPanel *panel = m_window->search();
    m_window->showPanel(QStringLiteral("Search"));
    QSignalSpy finished(panel, &SearchPanel::searchFinished);
    panel->search(QStringLiteral("content"));
    QVERIFY(finished.wait(15000));
    QTableView *view = panel->resultsView();
    const RowKey key = panel->model()->hitAt(1)->key;
    QSignalSpy shown(m_window->browser(), &BrowserPanel::recordShown);
    const QRect cell = view->visualRect(panel->model()->index(1, SearchResultModel::Title));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
    QVERIFY(shown.wait(15000));
    QCOMPARE(shown.last().first().value<RowKey>(), key);
    QVERIFY(m_window->browser()->isVisible());
    QVERIFY(m_window->browser()->detail()->titleLabel()->text().startsWith(QLatin1String("topic")));
    // Browsing another table: the topic's record doesn't stay beside the posts.
    m_window->browser()->setType(QStringLiteral("posts"));
    QCOMPARE(m_window->browser()->detail()->titleLabel()->text(), QStringLiteral("Select a row"));
}

void TestSearchPanel::newDefaultsChangeTheResultsShown()
{
    // Settings applied after a search: the shown results follow the knobs, never the old values.
    SearchPanel *panel = m_window->search();
    QSignalSpy finished(panel, &SearchPanel::searchFinished);
    panel->searchLike(m_schema + QStringLiteral(".topics"), QStringLiteral("7"));
    QVERIFY(finished.wait(15000));
    QCOMPARE(panel->model()->rowCount(), 10);
    const int sent = panel->queriesSent();
    panel->applyDefaults(QString(), 15, 0);
    QCOMPARE(panel->limitSlider()->value(), 15);
    QCOMPARE(panel->model()->rowCount(), 15); // from the candidates already fetched
    QCOMPARE(panel->queriesSent(), sent);
    panel->applyDefaults(QStringLiteral("l2"), 15, 0); // another metric: another search
    QVERIFY(finished.wait(15000));
    QCOMPARE(panel->queriesSent(), sent + 1);
    QCOMPARE(SearchMetric(panel->metricBox()->currentData().toInt()), SearchMetric::L2);
    panel->applyDefaults(QStringLiteral("cosine"), 10, 0);
    QVERIFY(finished.wait(15000));
    QCOMPARE(panel->model()->rowCount(), 10);
}

QTEST_MAIN(TestSearchPanel)
#include "tst_searchpanel.moc"
