// tests/ui/tst_querypanel.cpp — the query console in a window on the test cluster (label db):
// batches as the grid scrolls, the selection run alone, history, a write committed, cancel,
// EXPLAIN into the Plans panel, and a locked production profile kept read-only.
#include "TestWindow.h"

#include "connection/SessionUnlocks.h"
#include "session/LiveSession.h"
#include "mainwindow/MainWindow.h"
#include "models/ConsoleResultModel.h"
#include "panels/PlansPanel.h"
#include "panels/QueryPanel.h"
#include "models/PlanTreeModel.h"
#include "widgets/PlanView.h"
#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextCursor>
#include <QTest>

using namespace vwb;
using namespace vwb::ui;

class TestQueryPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void aBigResultComesAsTheGridScrolls();
    void theSelectionRunsAloneAndIsRemembered();
    void aWriteIsCommittedAndABadStatementSaysWhy();
    void aLongStatementCanBeCanceled();
    void explainShowsThePlanInThePlansPanel();
    void lockedProductionStaysReadOnly();

private:
    QString count(const QString &table);
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    const QString m_schema = QStringLiteral("tst_query_panel");
};

void TestQueryPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8()); // this run's own history
    test::resetSchema(m_schema, QStringLiteral("CREATE TABLE notes (id serial PRIMARY KEY, body text);"
                                               "INSERT INTO notes (body) SELECT 'note ' || g FROM generate_series(1, 3) g;"));
    m_window = test::openWindowOn(m_schema, QStringLiteral("query"), m_dir.path(), QStringLiteral("Query"));
    m_window->resize(1280, 800);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isConnected(), 15000);
}

void TestQueryPanel::cleanupTestCase()
{
    m_window.reset();
    test::dropSchema(m_schema);
}

QString TestQueryPanel::count(const QString &table)
{
    return test::connect()->exec(QStringLiteral("SELECT count(*) FROM %1.%2").arg(m_schema, table)).value().scalar();
}

void TestQueryPanel::aBigResultComesAsTheGridScrolls()
{
    QueryPanel *panel = m_window->query();
    QAbstractItemModelTester tester(panel->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(panel, &QueryPanel::finished);
    panel->setText(QStringLiteral("SELECT g AS n, 'row ' || g AS label, NULL::int AS nothing, repeat('long ', 100) AS long\n"
                                  "  FROM generate_series(1, 1234) g"));
    panel->run();
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(panel->model()->rowCount(), QueryPanel::BatchRows); // one batch, not the whole result
    QVERIFY2(panel->status()->text().contains(QLatin1String("so far")), qPrintable(panel->status()->text()));
    const QModelIndex nothing = panel->model()->index(0, 2);
    QCOMPARE(nothing.data().toString(), QStringLiteral("NULL"));
    QVERIFY(!nothing.data(Qt::EditRole).isValid()); // copied as nothing, not as the word
    QVERIFY(panel->model()->index(0, 3).data().toString().size() <= ConsoleResultModel::ShownChars + 1);
    QCOMPARE(panel->model()->index(0, 3).data(Qt::EditRole).toString().size(), 500);
    QCOMPARE(int(panel->model()->index(0, 0).data(Qt::TextAlignmentRole).toInt() & Qt::AlignRight), int(Qt::AlignRight));
    // Scrolling to the bottom brings the next batches, one at a time, until the last.
    for (int expected : {1000, 1234}) {
        QSignalSpy batch(panel, &QueryPanel::batchShown);
        panel->resultView()->scrollToBottom();
        QVERIFY(batch.wait(15000));
        QCOMPARE(panel->model()->rowCount(), expected);
    }
    QVERIFY(panel->model()->isDone());
    QVERIFY2(panel->status()->text().startsWith(QLatin1String("1,234 rows")), qPrintable(panel->status()->text()));
    QVERIFY(m_window->width() <= 1280);
}

void TestQueryPanel::theSelectionRunsAloneAndIsRemembered()
{
    QueryPanel *panel = m_window->query();
    panel->setText(QStringLiteral("SELECT 1 AS one;\nSELECT 2 AS two"));
    QTextCursor cursor = panel->editor()->textCursor();
    cursor.movePosition(QTextCursor::End);
    cursor.movePosition(QTextCursor::StartOfBlock, QTextCursor::KeepAnchor); // the second line
    panel->editor()->setTextCursor(cursor);
    QSignalSpy finished(panel, &QueryPanel::finished);
    panel->editor()->setFocus();
    QTest::keyClick(panel->editor(), Qt::Key_Return, Qt::ControlModifier); // Ctrl+Enter
    QVERIFY(finished.wait(15000));
    QCOMPARE(panel->model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("two"));
    QCOMPARE(panel->model()->index(0, 0).data().toString(), QStringLiteral("2"));
    // The whole text, two statements, is refused with the reason.
    panel->editor()->setPlainText(QStringLiteral("SELECT 1 AS one;\nSELECT 2 AS two"));
    panel->run();
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.last().first().toBool(), false);
    QVERIFY2(panel->status()->text().contains(QLatin1String("one statement at a time")), qPrintable(panel->status()->text()));
    // History, newest first: choosing an entry puts it back.
    QComboBox *history = panel->history();
    QCOMPARE(history->itemData(1).toString(), QStringLiteral("SELECT 1 AS one;\nSELECT 2 AS two"));
    QCOMPARE(history->itemData(2).toString(), QStringLiteral("SELECT 2 AS two"));
    panel->editor()->clear();
    history->activated(2);
    QCOMPARE(panel->editor()->toPlainText(), QStringLiteral("SELECT 2 AS two"));
}

void TestQueryPanel::aWriteIsCommittedAndABadStatementSaysWhy()
{
    QueryPanel *panel = m_window->query();
    QSignalSpy finished(panel, &QueryPanel::finished);
    panel->setText(QStringLiteral("INSERT INTO notes (body) VALUES ('from the console')"));
    panel->run();
    QVERIFY(finished.wait(15000));
    QVERIFY2(panel->status()->text().contains(QLatin1String("INSERT 0 1, committed")), qPrintable(panel->status()->text()));
    QCOMPARE(count(QStringLiteral("notes")), QStringLiteral("4")); // seen from another session
    panel->setText(QStringLiteral("SELECT no_such_column FROM notes"));
    panel->run();
    QVERIFY(finished.wait(15000));
    QVERIFY2(panel->status()->text().contains(QLatin1String("no_such_column")), qPrintable(panel->status()->text()));
    QCOMPARE(panel->model()->rowCount(), 0); // the earlier result is not left under the error
}

void TestQueryPanel::aLongStatementCanBeCanceled()
{
    QueryPanel *panel = m_window->query();
    QSignalSpy finished(panel, &QueryPanel::finished);
    panel->setText(QStringLiteral("SELECT pg_sleep(30)"));
    panel->run();
    QVERIFY(panel->isRunning());
    // Running on the console's own connection (its rows are fetched from a cursor: FETCH is the statement).
    QTRY_VERIFY_WITH_TIMEOUT(test::connect()
                                     ->exec(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                                                           "'vector-workbench console' AND state = 'active'"))
                                     .value()
                                     .scalar()
                                 == QStringLiteral("1"),
                             10000);
    panel->cancel();
    QVERIFY(finished.wait(10000));
    QVERIFY2(panel->status()->text().startsWith(QLatin1String("Canceled")), qPrintable(panel->status()->text()));
    // The console's session is usable at once.
    panel->setText(QStringLiteral("SELECT 'after' AS word"));
    panel->run();
    QVERIFY(finished.wait(15000));
    QCOMPARE(panel->model()->index(0, 0).data().toString(), QStringLiteral("after"));
}

void TestQueryPanel::explainShowsThePlanInThePlansPanel()
{
    QueryPanel *panel = m_window->query();
    QSignalSpy planned(m_window->plans(), &PlansPanel::planShown);
    panel->setText(QStringLiteral("SELECT * FROM notes WHERE id = 2"));
    panel->editor()->setFocus();
    QTest::keyClick(panel->editor(), Qt::Key_E, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(planned.wait(15000));
    QVERIFY(m_window->plans()->isVisible());
    QVERIFY(m_window->plans()->view()->model()->rowCount() > 0);
}

void TestQueryPanel::lockedProductionStaysReadOnly()
{
    ConnectionProfile p = test::profileInSchema(m_schema);
    p.production = true;
    p.params.sslmode = QStringLiteral("require");
    SessionUnlocks::lock(QStringLiteral("query-prod"));
    const auto window = test::openWindowWith(p, QStringLiteral("query-prod"), m_dir.path(), QStringLiteral("Query"));
    QTRY_VERIFY_WITH_TIMEOUT(window->session()->isConnected(), 15000);
    QueryPanel *panel = window->query();
    QTRY_VERIFY(panel->mode()->text().startsWith(QLatin1String("READ ONLY")));
    QSignalSpy finished(panel, &QueryPanel::finished);
    panel->setText(QStringLiteral("DELETE FROM notes"));
    panel->run();
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.last().first().toBool(), false);
    QVERIFY2(panel->status()->text().contains(QLatin1String("Unlock writes")), qPrintable(panel->status()->text()));
    QCOMPARE(count(QStringLiteral("notes")), QStringLiteral("4"));
    panel->setText(QStringLiteral("SELECT count(*) FROM notes"));
    panel->run();
    QVERIFY(finished.wait(15000));
    QCOMPARE(panel->model()->index(0, 0).data().toString(), QStringLiteral("4"));
    QVERIFY2(panel->status()->text().contains(QLatin1String("read-only transaction")), qPrintable(panel->status()->text()));
}

QTEST_MAIN(TestQueryPanel)
#include "tst_querypanel.moc"
