// tests/ui/tst_planspanel.cpp — the Plans panel explains on the test cluster, shows the tree with
// colour bands and the time chart, reads pasted plans, and compares two plans (label db).
#include "TestWindow.h"

#include "charts/PlanTimeChart.h"
#include "models/PlanTreeModel.h"
#include "plan/PlanCompare.h"
#include "plan/PlanParser.h"
#include "panels/PlansPanel.h"
#include "session/ConnectionController.h"
#include "session/LiveSession.h"
#include "widgets/PlanCompareView.h"
#include "widgets/PlanView.h"
#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QLabel>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>

using namespace vwb;
using namespace vwb::ui;

class TestPlansPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void analyzeShowsTheTreeBandsAndChart();
    void pastedTextPlanIsRead();
    void malformedPasteIsRefusedWithAMessage();
    void twoPlansAreCompared();
    void aComparisonOfLongNodesFitsItsWidth();
    void analyzeCanBeCanceledAndLeavesNothing();

private:
    bool explainAndWait(const QString &sql, bool analyze);
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    const QString m_schema = QStringLiteral("tst_plans_panel");
};

void TestPlansPanel::initTestCase()
{
    // a = b always: the planner multiplies two 1% selectivities and expects 100 times too few rows.
    test::resetSchema(m_schema,
                      QStringLiteral("CREATE TABLE probe (id int);"
                                     "CREATE TABLE pairs (id int PRIMARY KEY, a int, b int);"
                                     "INSERT INTO pairs SELECT g, g % 100, g % 100 FROM generate_series(1, 100000) g; ANALYZE pairs;"));
    m_window = test::openWindowOn(m_schema, QStringLiteral("plans"), m_dir.path(), QStringLiteral("Plans"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isConnected(), 15000);
}

void TestPlansPanel::cleanupTestCase()
{
    m_window.reset();
    test::dropSchema(m_schema);
}

bool TestPlansPanel::explainAndWait(const QString &sql, bool analyze)
{
    PlansPanel *panel = m_window->plans();
    QSignalSpy shown(panel, &PlansPanel::planShown), failed(panel, &PlansPanel::failed);
    panel->setInput(sql);
    panel->explain(analyze);
    if (!QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, 30000))
        return false;
    if (!failed.isEmpty())
        qWarning("%s", qPrintable(failed.first().first().toString()));
    return !shown.isEmpty();
}

void TestPlansPanel::analyzeShowsTheTreeBandsAndChart()
{
    QVERIFY(explainAndWait(QStringLiteral("SELECT count(*) FROM pairs WHERE a = 1 AND b = 1"), true));
    PlanView *view = m_window->plans()->view();
    PlanTreeModel *model = view->model();
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->rowCount(), 1);
    const Plan &plan = model->plan();
    QVERIFY(plan.analyzed);
    // The scan under the aggregate: 1000 rows where ~10 were expected.
    const PlanNode *scan = nullptr;
    for (const PlanNode *n : plan.nodes())
        if (n->relation == QLatin1String("pairs"))
            scan = n;
    QVERIFY(scan);
    QCOMPARE(scan->estimateDirection, EstimateDirection::Under);
    QVERIFY2(scan->estimateFactor >= 10, qPrintable(QString::number(scan->estimateFactor))); // ~100 (sampling moves it)
    QVERIFY(scan->estimateBand == EstimateBand::Off10x || scan->estimateBand == EstimateBand::Off100x);
    const QModelIndex factor = model->indexOfNode(scan->id, PlanTreeModel::Factor);
    QCOMPARE(model->data(factor, Qt::BackgroundRole).value<QColor>(), PlanTreeModel::bandColor(scan->estimateBand));
    QVERIFY(PlanTreeModel::bandColor(scan->estimateBand).isValid());
    QVERIFY2(model->data(factor).toString().startsWith(QStringLiteral("↑")), qPrintable(model->data(factor).toString()));
    // The chart: one bar per timed node, the axis covering the longest.
    const QList<double> values = view->chart()->values();
    QCOMPARE(values.size(), qsizetype(plan.nodes().size()));
    double sum = 0, longest = 0;
    for (double v : values) {
        sum += v;
        longest = qMax(longest, v);
    }
    QVERIFY(qAbs(sum - plan.root.inclusiveMs) < 0.01 * values.size()); // the root's printed total, not a sum of the bars

    QVERIFY(view->chart()->axisMaximum() >= longest);
    QVERIFY(view->chart()->categories().first().startsWith(QLatin1String("#0 ")));
    QVERIFY2(view->summary()->text().contains(QLatin1String("total")), qPrintable(view->summary()->text()));
    if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty()) {
        view->selectNode(scan->id);
        m_window->grab().save(dir + QStringLiteral("/plan-view.png"));
    }
}

void TestPlansPanel::pastedTextPlanIsRead()
{
    PlansPanel *panel = m_window->plans();
    panel->setInput(
        QStringLiteral("                                QUERY PLAN\n"
                       "---------------------------------------------------------------------------\n"
                       " Limit  (cost=0.00..0.35 rows=10 width=12) (actual time=0.010..0.020 rows=10 loops=1)\n"
                       "   ->  Seq Scan on pairs  (cost=0.00..1541.00 rows=100000 width=12) (actual time=0.009..0.015 rows=10 loops=1)\n"
                       " Planning Time: 0.050 ms\n"
                       " Execution Time: 0.040 ms\n"
                       "(4 rows)\n"));
    QVERIFY(panel->readInputAsPlan());
    const Plan &plan = panel->view()->model()->plan();
    QCOMPARE(plan.nodes().size(), 2);
    QCOMPARE(plan.root.nodeType, QStringLiteral("Limit"));
    QCOMPARE(plan.root.children.first().relation, QStringLiteral("pairs"));
}

void TestPlansPanel::malformedPasteIsRefusedWithAMessage()
{
    PlansPanel *panel = m_window->plans();
    const int before = int(panel->view()->model()->plan().nodes().size());
    panel->setInput(QStringLiteral("[{\"Plan\": {\"Node Type\": "));
    QVERIFY(!panel->readInputAsPlan());
    QVERIFY2(panel->status()->text().startsWith(QLatin1String("Not a plan")), qPrintable(panel->status()->text()));
    QCOMPARE(int(panel->view()->model()->plan().nodes().size()), before); // the plan shown stays
}

void TestPlansPanel::twoPlansAreCompared()
{
    PlansPanel *panel = m_window->plans();
    const QString query = QStringLiteral("SELECT id FROM pairs WHERE a = 7");
    QVERIFY(explainAndWait(query, true));
    panel->keepAsBaseline();
    auto conn = test::connect(test::profileInSchema(m_schema));
    QVERIFY(conn->exec(QStringLiteral("CREATE INDEX pairs_a ON pairs (a)")).ok());
    QVERIFY(explainAndWait(query, true));
    PlanCompareView *compare = panel->compareView();
    QTreeWidget *table = compare->table();
    QVERIFY(table->topLevelItemCount() >= 2);
    QStringList changes;
    for (int i = 0; i < table->topLevelItemCount(); ++i)
        changes << table->topLevelItem(i)->data(0, Qt::UserRole).toString();
    // Before: a scan of the heap; after: the new index. The aligned tree says something changed.
    QVERIFY2(changes.contains(QLatin1String("changed")) || changes.contains(QLatin1String("added")),
             qPrintable(changes.join(QLatin1Char(','))));
    QVERIFY2(table->topLevelItem(0)->text(PlanCompareView::DeltaMs).size() > 0, "the roots are paired and have a delta");
    QVERIFY2(compare->summary()->text().contains(QLatin1String("B is")), qPrintable(compare->summary()->text()));
    const QString after = [&] {
        QStringList labels;
        for (int i = 0; i < table->topLevelItemCount(); ++i)
            labels << table->topLevelItem(i)->text(PlanCompareView::After);
        return labels.join(QLatin1Char('|'));
    }();
    QVERIFY2(after.contains(QLatin1String("pairs_a")), qPrintable(after));
    if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty()) {
        panel->tabs()->setCurrentWidget(compare);
        m_window->grab().save(dir + QStringLiteral("/plan-compare.png"));
    }
}


void TestPlansPanel::aComparisonOfLongNodesFitsItsWidth()
{
    // An index scan under an alias made the A column 500 px wide and put B off screen at 1280.
    const QString longScan = QStringLiteral("Index Scan using topic_vectors_topic_id_unique_with_a_long_name on topic_vectors "
                                            "topic_vectors_alias_that_goes_on");
    const auto plan = [&](const QString &child) {
        return PlanParser::parseText(
            QStringLiteral("Limit  (cost=0.00..1.00 rows=10 width=4) (actual time=0.010..0.020 rows=10 loops=1)\n"
                           "  ->  %1  (cost=0.00..1.00 rows=10 width=4) (actual time=0.010..0.015 rows=10 loops=1)\n")
                .arg(child));
    };
    auto before = plan(longScan), after = plan(QStringLiteral("Seq Scan on topic_vectors"));
    QVERIFY(before.ok() && after.ok());
    PlanCompareView view;
    view.resize(700, 300);
    view.setComparison(comparePlans(before.value(), after.value()), QStringLiteral("A"), QStringLiteral("B"));
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTreeWidget *table = view.table();
    QVERIFY2(table->header()->length() <= table->viewport()->width(),
             qPrintable(QStringLiteral("%1 px of columns in %2 px").arg(table->header()->length()).arg(table->viewport()->width())));
    QVERIFY(table->header()->sectionSize(PlanCompareView::After) > 60);           // B keeps room to be read
    QCOMPARE(table->topLevelItem(1)->toolTip(PlanCompareView::Before), longScan); // the whole label, elided in the cell
}

void TestPlansPanel::analyzeCanBeCanceledAndLeavesNothing()
{
    PlansPanel *panel = m_window->plans();
    QSignalSpy shown(panel, &PlansPanel::planShown), failed(panel, &PlansPanel::failed);
    panel->setTimeoutMs(0); // only the cancel ends it
    panel->setInput(QStringLiteral("INSERT INTO %1.probe SELECT 1 FROM pg_sleep(60)").arg(m_schema));
    panel->explain(true);
    QVERIFY(panel->isRunning());
    auto conn = test::connect();
    const QString sleeping = QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                                            "AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()");
    QTRY_VERIFY_WITH_TIMEOUT(conn->exec(sleeping).value().value(0, 0).toInt() == 1, 15000); // the INSERT runs
    panel->cancel();
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 15000);
    QVERIFY2(failed.first().first().toString().startsWith(QStringLiteral("Canceled")), qPrintable(failed.first().first().toString()));
    QCOMPARE(shown.size(), 0);
    QVERIFY(!panel->isRunning());
    QCOMPARE(conn->exec(sleeping).value().value(0, 0).toInt(), 0);
    QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM %1.probe").arg(m_schema)).value().value(0, 0).toInt(), 0);
    // The panel's connection is usable again at once.
    QVERIFY(explainAndWait(QStringLiteral("SELECT 1"), true));
}

QTEST_MAIN(TestPlansPanel)
#include "tst_planspanel.moc"
