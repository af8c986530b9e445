// tests/ui/tst_browserpanel.cpp — the Browse panel against the test cluster (label db).
#include "TestWindow.h"

#include "mainwindow/MainWindow.h"
#include "panels/BrowserPanel.h"
#include "panels/SearchPanel.h"
#include "widgets/ConnectionOverview.h"
#include "session/ConnectionController.h"
#include "widgets/CoverageStrip.h"
#include "widgets/DatabaseSummary.h"
#include "search/SimilarRows.h"
#include "widgets/RecordDetailView.h"
#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>

using namespace vwb;
using namespace vwb::ui;

class TestBrowserPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void scrollsFiltersCountsAndShowsARecord();
    void theEndOfATableShowsItsLongKeysWhole();
    void similarRowsReadAsTheSearchPanelReadsThem();
    void theDateFilterDefaultsToTheTablesOwnDays();
    void savingWritesEveryMatchingRowNotTheLoadedPages();
    void theConnectionPageListsTheTablesAndOpensThem();

private:
    QTemporaryDir m_dir;
    const QString m_schema = QStringLiteral("tst_browser_panel");
};

void TestBrowserPanel::initTestCase()
{
    test::resetSchema(
        m_schema,
        QStringLiteral(
            "CREATE TABLE topics (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL,"
            "  content text NOT NULL, metadata jsonb DEFAULT '{}', created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now());"
            "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int REFERENCES topics(id) ON DELETE CASCADE,"
            "  forum_name varchar NOT NULL, vector vector(3) NOT NULL, created_at timestamp DEFAULT now(), updated_at timestamp DEFAULT now());"
            "INSERT INTO topics (forum_name, title, content, metadata, created_at) SELECT CASE WHEN g % 5 = 0 THEN 'astronomy' ELSE 'baking' END,"
            "  'topic ' || g, 'body ' || g, jsonb_build_object('tags', jsonb_build_array('t' || g), 'views', g),"
            "  timestamptz '2019-03-01 12:00+00' + g * interval '1 day' FROM generate_series(1, 450) g;"
            "ANALYZE topics;"
            "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, '[1,0,0]' FROM topics WHERE id % 3 = 0;"));
}

void TestBrowserPanel::cleanupTestCase()
{
    test::dropSchema(m_schema);
}

void TestBrowserPanel::scrollsFiltersCountsAndShowsARecord()
{
    const auto window = test::openWindowOn(m_schema, QStringLiteral("browse"), m_dir.path(), QStringLiteral("Browse"));
    BrowserPanel *panel = window->browser();
    QSignalSpy ready(panel, &BrowserPanel::schemaReady);
    QVERIFY(ready.wait(15000));
    // A table this size is counted at once: every row is there to scroll to, a page is fetched
    // where the view looks.
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 450, 10000);
    QVERIFY(panel->countLabel()->text().startsWith(QLatin1String("450 matching rows (exact")));
    QVERIFY(panel->model()->heldRows() < 450);
    QSignalSpy opened(panel, &BrowserPanel::recordShown);
    panel->view()->setFocus();
    QTest::keyClick(panel->view(), Qt::Key_End, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(panel->model()->rowAt(449) != nullptr, 10000);
    QCOMPARE(panel->model()->rowAt(449)->key, QStringLiteral("450"));
    QCOMPARE(panel->view()->currentIndex().row(), 449);
    const QLabel *status = panel->findChild<QLabel *>(QStringLiteral("browseStatus"));
    QTRY_VERIFY2_WITH_TIMEOUT(status->text().endsWith(QStringLiteral("–450 of 450")), qPrintable(status->text()),
                              5000);                    // where the view is
    QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 10000); // the row made current opens once its page is there
    QCOMPARE(opened.last().first().toString(), QStringLiteral("450"));
    QVERIFY(panel->model()->heldRows() < 450);
    // Every pair of the database has its coverage (other tests' tables too): this schema's topics.
    const auto mine = [&]() -> std::optional<Coverage> {
        for (const Coverage &c : panel->coverage()->coverage())
            if (c.table == m_schema + QStringLiteral(".topics"))
                return c;
        return std::nullopt;
    };
    QTRY_VERIFY_WITH_TIMEOUT(mine().has_value(), 10000);
    QCOMPARE(mine()->withVector, 150);
    QCOMPARE(mine()->missing, 300);

    BrowseFilter filter;
    filter.forum = QStringLiteral("astronomy");
    filter.vectors = VectorFilter::Missing;
    panel->setFilter(filter);
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 60, 10000); // ids % 5 == 0 and not % 3 == 0: 90 - 30
    QSignalSpy counted(panel, &BrowserPanel::exactCountReady);
    panel->countExactly();
    QVERIFY(counted.wait(10000));
    QCOMPARE(counted.first().first().toLongLong(), 60);

    QSignalSpy shown(panel, &BrowserPanel::recordShown);
    panel->view()->setCurrentIndex(panel->model()->index(0, 0));
    QVERIFY(shown.wait(10000));
    QCOMPARE(shown.first().first().toLongLong(), 5);
    QVERIFY(panel->detail()->badge()->text().contains(QLatin1String("NO VECTOR")));
    QVERIFY(panel->detail()->metadataTree()->topLevelItemCount() >= 2);
    const QTabWidget *tabs = panel->detail()->tabs();
    QCOMPARE(tabs->isTabVisible(tabs->indexOf(panel->detail()->findChild<QListWidget *>(QStringLiteral("detailPosts")))),
             true);                                                                           // a topic's posts
    QCOMPARE(panel->findChild<QCheckBox *>(QStringLiteral("browseFrom"))->isEnabled(), true); // it has created_at
    if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty())       // for people
        window->grab().save(dir + QStringLiteral("/browser-panel.png"));
}


void TestBrowserPanel::theEndOfATableShowsItsLongKeysWhole()
{
    // Keys from 99,999,001 (8 digits) to 100,002,000 (9): the first page doesn't say how wide the last are.
    const QString schema = m_schema + QStringLiteral("_long");
    test::resetSchema(
        schema, QStringLiteral("CREATE TABLE topics (id bigserial PRIMARY KEY, forum_name text NOT NULL, title text NOT NULL,"
                               "  content text NOT NULL, created_at timestamptz DEFAULT now(), updated_at timestamptz DEFAULT now());"
                               "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id bigint REFERENCES topics(id),"
                               "  forum_name text NOT NULL, vector vector(3) NOT NULL);"
                               "SELECT setval('topics_id_seq', 99999000);"
                               "INSERT INTO topics (forum_name, title, content) SELECT 'f', 'topic ' || g, 'body'"
                               "  FROM generate_series(1, 3000) g;"
                               "ANALYZE topics;"));
    const auto window = test::openWindowOn(schema, QStringLiteral("browse-long"), m_dir.path(), QStringLiteral("Browse"));
    window->resize(1280, 800);
    BrowserPanel *panel = window->browser();
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 3000, 15000);
    panel->view()->setFocus();
    QTest::keyClick(panel->view(), Qt::Key_End, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(panel->model()->rowAt(2999) != nullptr, 10000);
    const QModelIndex last = panel->model()->index(2999, ContentTableModel::Id);
    QCOMPARE(last.data().toString(), QStringLiteral("100002000"));
    const int needed = panel->view()->fontMetrics().horizontalAdvance(QStringLiteral("100002000"));
    QVERIFY2(panel->view()->visualRect(last).width() > needed,
             qPrintable(QStringLiteral("%1 px for %2 px of text").arg(panel->view()->visualRect(last).width()).arg(needed)));
    // The status says which rows are in view, also after the view changes size (a dock opening).
    const QLabel *status = panel->findChild<QLabel *>(QStringLiteral("browseStatus"));
    const auto inView = [&] {
        const QTableView *view = panel->view();
        const int bottom = view->rowAt(view->viewport()->height() - 1);
        return QStringLiteral("rows %1–%2 of 3,000")
            .arg(QLocale().toString(view->rowAt(0) + 1), QLocale().toString(bottom < 0 ? 3000 : bottom + 1));
    };
    QTRY_COMPARE(status->text(), inView());
    const QString tall = status->text();
    window->resize(1280, 560);
    QTRY_COMPARE(status->text(), inView());
    QVERIFY(status->text() != tall);
    test::dropSchema(schema);
}

void TestBrowserPanel::similarRowsReadAsTheSearchPanelReadsThem()
{
    RecordDetailView view;
    SimilarRow row;
    row.key = QStringLiteral("7");
    row.forum = QStringLiteral("baking");
    row.title = QStringLiteral("Sourdough");
    row.distance = 0.512;
    view.showSimilar({row}, QStringLiteral("<=>")); // cosine: similarity 1 - d, as Search shows it
    QCOMPARE(view.similarList()->count(), 1);
    QVERIFY2(view.similarList()->item(0)->text().startsWith(QLatin1String("similarity 0.4880  #7  Sourdough")),
             qPrintable(view.similarList()->item(0)->text()));
    QVERIFY(view.similarList()->item(0)->toolTip().contains(QLatin1String("0.512")));
    view.showSimilar({row}, QStringLiteral("<->")); // L2: the reference design's 1 / (1 + d)
    QVERIFY2(view.similarList()->item(0)->text().startsWith(QLatin1String("similarity 0.6614")),
             qPrintable(view.similarList()->item(0)->text()));

    // "Find similar" lists them here; going to the Search panel is a button of its own.
    QSignalSpy listed(&view, &RecordDetailView::findSimilarRequested);
    QSignalSpy searched(&view, &RecordDetailView::searchLikeRequested);
    ContentRecord record;
    record.key = QStringLiteral("7");
    record.vector = VectorSummary{};
    view.showRecord(record);
    QVERIFY(view.searchLikeButton()->isEnabled());
    view.searchLikeButton()->click();
    QCOMPARE(searched.size(), 1);
    QCOMPARE(searched.first().first().value<RowKey>(), QStringLiteral("7"));
    QCOMPARE(listed.size(), 0);
    view.showRecord(ContentRecord{}); // no vector: nothing to search like
    QVERIFY(!view.searchLikeButton()->isEnabled());
}

void TestBrowserPanel::theDateFilterDefaultsToTheTablesOwnDays()
{
    // The rows were created from 2019-03-02 to 2020-05-24: "the last twelve months" held none.
    const auto window = test::openWindowOn(m_schema, QStringLiteral("browse-dates"), m_dir.path(), QStringLiteral("Browse"));
    BrowserPanel *panel = window->browser();
    QSignalSpy ready(panel, &BrowserPanel::schemaReady);
    QVERIFY(ready.wait(15000));
    auto *from = panel->findChild<QDateEdit *>(QStringLiteral("browseFromDate"));
    auto *to = panel->findChild<QDateEdit *>(QStringLiteral("browseToDate"));
    QVERIFY(from && to);
    const auto localDay = [](const char *utc) { return QDateTime::fromString(QLatin1String(utc), Qt::ISODate).toLocalTime().date(); };
    QTRY_COMPARE_WITH_TIMEOUT(from->date(), localDay("2019-03-02T12:00:00Z"), 10000);
    QCOMPARE(to->date(), localDay("2020-05-24T12:00:00Z").addDays(1));                                          // "to" is exclusive
    QVERIFY2(from->toolTip().contains(QLatin1String("the planner's statistics")), qPrintable(from->toolTip())); // no created_at index
    // Defaults only: no filter is on, every row is still listed.
    QVERIFY(!panel->findChild<QCheckBox *>(QStringLiteral("browseFrom"))->isChecked());
}

void TestBrowserPanel::savingWritesEveryMatchingRowNotTheLoadedPages()
{
    const auto window = test::openWindowOn(m_schema, QStringLiteral("browse-export"), m_dir.path(), QStringLiteral("Browse"));
    BrowserPanel *panel = window->browser();
    QSignalSpy ready(panel, &BrowserPanel::schemaReady);
    QVERIFY(ready.wait(15000));
    QTRY_COMPARE_WITH_TIMEOUT(panel->model()->rowCount(), 450, 10000); // counted,
    QVERIFY(panel->model()->heldRows() < 450);                         // and only the pages in view held
    const QList<QAction *> actions = panel->view()->actions();
    QVERIFY(std::any_of(actions.begin(), actions.end(),
                        [](QAction *a) { return a->text() == QStringLiteral("Save every matching row as CSV…"); }));

    BrowseFilter filter;
    filter.forum = QStringLiteral("baking"); // 360 of the 450
    panel->setFilter(filter);
    const QString path = m_dir.filePath(QStringLiteral("baking.csv"));
    QSignalSpy finished(panel, &BrowserPanel::exportFinished);
    panel->exportMatchingRows(path, ExportFormat::Csv);
    QVERIFY(finished.wait(15000));
    QCOMPARE(finished.first().at(0).toLongLong(), 360);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 362); // the header, 360 rows, the empty piece after the last line end
    QVERIFY2(lines.at(1).contains(",baking,topic 1,2019-03-02T12:00:00.000Z,"), lines.at(1).constData());
    // Said, and still said once the count and the view's position come in after it.
    const QLabel *status = panel->findChild<QLabel *>(QStringLiteral("browseStatus"));
    QVERIFY2(status->text().startsWith(QStringLiteral("saved 360 rows to baking.csv")), qPrintable(status->text()));
    QTRY_VERIFY_WITH_TIMEOUT(panel->model()->total() == 360, 10000);
    QTRY_VERIFY2(status->text()
                     == QStringLiteral("saved 360 rows to baking.csv · rows 1–%1 of 360")
                            .arg(panel->view()->rowAt(panel->view()->viewport()->height() - 1) + 1),
                 qPrintable(status->text()));
}

void TestBrowserPanel::theConnectionPageListsTheTablesAndOpensThem()
{
    // The Connection page was two-thirds empty: it lists what the database holds, with a way in.
    const auto window = test::openWindowOn(m_schema, QStringLiteral("browse-summary"), m_dir.path(), QStringLiteral("Connection"));
    QSignalSpy shown(window->summary(), &DatabaseSummary::shown);
    QVERIFY(shown.wait(15000));
    QTableWidget *table = window->summary()->table();
    int row = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, DatabaseSummary::Table)->text() == m_schema + QStringLiteral(".topics"))
            row = r;
    QVERIFY(row >= 0);
    QCOMPARE(table->item(row, DatabaseSummary::Rows)->text(), QStringLiteral("450")); // reltuples after the ANALYZE
    QVERIFY2(table->item(row, DatabaseSummary::Vectors)->text().startsWith(QLatin1String("vector: vector(3), no ANN index")),
             qPrintable(table->item(row, DatabaseSummary::Vectors)->text()));
    QVERIFY2(window->summary()->isVisible() && window->summary()->geometry().bottom() <= window->overview()->height(), "on the page");

    auto *links = qobject_cast<QLabel *>(table->cellWidget(row, DatabaseSummary::Open));
    QVERIFY(links);
    emit links->linkActivated(QStringLiteral("browse"));
    QTRY_VERIFY(window->browser()->isVisible());
    QCOMPARE(window->browser()->findChild<QComboBox *>()->currentText(), m_schema + QStringLiteral(".topics"));
    emit links->linkActivated(QStringLiteral("search"));
    QTRY_VERIFY(window->search()->isVisible());
}

QTEST_MAIN(TestBrowserPanel)
#include "tst_browserpanel.moc"
