// tests/ui/tst_contenttablemodel.cpp — the paging model with a page source that answers on demand.
#include "models/ContentTableModel.h"
#include "widgets/TableExportMenu.h"
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace vwb;
using namespace vwb::ui;

namespace {
/// Remembers what was asked; the test decides when and what it answers.
struct RecordingSource : PageSource
{
    QList<PageRequest> requests;
    void requestPage(const PageRequest &request) override { requests.append(request); }
};

BrowsePage page(qint64 firstId, int n, bool more)
{
    BrowsePage p;
    for (int i = 0; i < n; ++i) {
        BrowseRow r;
        r.key = QString::number(firstId + i);
        r.title = QStringLiteral("row %1").arg(r.key);
        r.hasVector = (firstId + i) % 2 == 0;
        p.rows << r;
    }
    p.hasMore = more;
    p.next = {QString::number(firstId + n - 1), QString::number(firstId + n - 1)};
    return p;
}
} // namespace

class TestContentTableModel : public QObject
{
    Q_OBJECT
private slots:
    void fetchMoreOnlyAsksAndRowsArriveLater();
    void onePageInFlightAtATime();
    void aNewerQueryDropsPagesOfTheOlderOne();
    void failureStopsPagingAndSaysWhy();
    void countedRowsAreAllReachableAndFetchedWhereTheViewLooks();
    void aPageAfterOneHeldFollowsItByKeyset();
    void onlyTheRecentlyUsedPagesAreHeld();
    void aSmallerCountDropsTheRowsPastIt();
    void copiesLeaveOutRowsNotHeld();
};

void TestContentTableModel::fetchMoreOnlyAsksAndRowsArriveLater()
{
    RecordingSource source;
    ContentTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&source);
    model.restart(); // the tester may ask for the first page itself, as a view would
    if (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(source.requests.size(), 1);
    QVERIFY(!source.requests.first().after.has_value());
    QCOMPARE(source.requests.first().page, 0);
    model.pageArrived(source.requests.first().generation, 0, page(1, 100, true));
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.index(0, ContentTableModel::Vector).data().toString(), QStringLiteral("missing"));
    if (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(source.requests.size(), 2);
    QCOMPARE(source.requests.last().after->key, QStringLiteral("100"));
    QCOMPARE(source.requests.last().page, 1);
    model.pageArrived(source.requests.last().generation, 1, page(101, 20, false));
    QCOMPARE(model.rowCount(), 120);
    QVERIFY(!model.canFetchMore({}));
}

void TestContentTableModel::onePageInFlightAtATime()
{
    RecordingSource source;
    ContentTableModel model;
    model.setSource(&source);
    model.restart();
    model.fetchMore({});
    QVERIFY(!model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(source.requests.size(), 1);
}

void TestContentTableModel::aNewerQueryDropsPagesOfTheOlderOne()
{
    RecordingSource source;
    ContentTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&source);
    model.restart();
    if (model.canFetchMore({}))
        model.fetchMore({});
    const int old = source.requests.last().generation;
    model.restart(); // the filter changed while the first page was on its way
    if (model.canFetchMore({}))
        model.fetchMore({});
    model.pageArrived(old, 0, page(1, 100, true));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.isLoading());
    model.pageArrived(source.requests.last().generation, 0, page(500, 3, false));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowAt(0)->key, QStringLiteral("500"));
}

void TestContentTableModel::failureStopsPagingAndSaysWhy()
{
    RecordingSource source;
    ContentTableModel model;
    model.setSource(&source);
    model.restart();
    QSignalSpy failed(&model, &ContentTableModel::failed);
    model.fetchMore({});
    model.pageFailed(source.requests.last().generation, QStringLiteral("connection lost"));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().first().toString(), QStringLiteral("connection lost"));
    QVERIFY(!model.canFetchMore({}));
}

namespace {
/// A model past its first page, counted at `total` rows.
void startCounted(ContentTableModel &model, RecordingSource &source, qint64 total)
{
    model.setSource(&source);
    model.restart();
    model.fetchMore({});
    model.pageArrived(model.generation(), 0, page(1, ContentTableModel::PageSize, true));
    model.setTotal(total);
    source.requests.clear();
}

/// What a view does when it paints row `row`: reads it, then the event loop runs.
QVariant paint(const ContentTableModel &model, int row)
{
    const QVariant shown = model.index(row, ContentTableModel::Title).data();
    QCoreApplication::processEvents();
    return shown;
}
} // namespace

void TestContentTableModel::countedRowsAreAllReachableAndFetchedWhereTheViewLooks()
{
    RecordingSource source;
    ContentTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    startCounted(model, source, 1'000'000);
    QCOMPARE(model.rowCount(), 1'000'000); // every row, not the hundred fetched
    QVERIFY(!model.canFetchMore({}));
    // The last row, painted before its page is held: a placeholder, and its page asked for by position.
    QCOMPARE(paint(model, 999'999).toString(), QStringLiteral("…"));
    QVERIFY(model.rowAt(999'999) == nullptr);
    QCOMPARE(source.requests.size(), 1);
    QCOMPARE(source.requests.last().page, 9'999);
    QCOMPARE(source.requests.last().total, 1'000'000);
    QVERIFY(!source.requests.last().after.has_value());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.pageArrived(model.generation(), 9'999, page(999'901, 100, false));
    QCOMPARE(model.rowAt(999'999)->key, QStringLiteral("1000000"));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().first().toModelIndex().row(), 999'900);
    // A view that jumped on while one page was on its way gets the page it looks at now.
    paint(model, 500'000);
    paint(model, 400'000);
    QCOMPARE(source.requests.size(), 2);
    paint(model, 300'000);
    QCOMPARE(source.requests.size(), 2); // one at a time
    model.pageArrived(model.generation(), source.requests.last().page, page(1, 100, true));
    QCOMPARE(source.requests.size(), 3);
    QCOMPARE(source.requests.last().page, 3'000);
}

void TestContentTableModel::aPageAfterOneHeldFollowsItByKeyset()
{
    RecordingSource source;
    ContentTableModel model;
    startCounted(model, source, 5'000);
    paint(model, 150);
    QCOMPARE(source.requests.size(), 1);
    QCOMPARE(source.requests.last().page, 1);
    QVERIFY(source.requests.last().after.has_value());
    QCOMPARE(source.requests.last().after->key, QStringLiteral("100"));
}

void TestContentTableModel::onlyTheRecentlyUsedPagesAreHeld()
{
    RecordingSource source;
    ContentTableModel model;
    startCounted(model, source, 1'000'000);
    for (int p = 1; p <= 500; ++p) { // scrolling down through 50,000 rows
        paint(model, p * ContentTableModel::PageSize);
        QCOMPARE(source.requests.last().page, p);
        model.pageArrived(model.generation(), p, page(qint64(p) * ContentTableModel::PageSize + 1, 100, true));
    }
    QCOMPARE(model.heldRows(), ContentTableModel::KeptPages * ContentTableModel::PageSize);
    QVERIFY(model.rowAt(500 * ContentTableModel::PageSize) != nullptr); // the newest are kept
    QVERIFY(model.rowAt(0) == nullptr);                                 // the oldest released
    QCOMPARE(paint(model, 5).toString(), QStringLiteral("…"));          // and fetched again when seen
    QCOMPARE(source.requests.last().page, 0);
}

void TestContentTableModel::aSmallerCountDropsTheRowsPastIt()
{
    RecordingSource source;
    ContentTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSource(&source);
    model.restart();
    model.fetchMore({});
    model.pageArrived(model.generation(), 0, page(1, 100, true));
    model.setTotal(60); // rows deleted between the page and the count
    QCOMPARE(model.rowCount(), 60);
    QVERIFY(model.rowAt(59) != nullptr);
    QVERIFY(model.rowAt(60) == nullptr);
}

void TestContentTableModel::copiesLeaveOutRowsNotHeld()
{
    RecordingSource source;
    ContentTableModel model;
    startCounted(model, source, 1'000'000);
    QTableView view;
    view.setModel(&model);
    const TableRows rows = tableRows(&view, false);
    QCOMPARE(rows.rows.size(), ContentTableModel::PageSize);
    QCOMPARE(rows.rows.first().first().toString(), QStringLiteral("1"));
    QVERIFY(source.requests.isEmpty()); // and copying asked for no page
}

QTEST_MAIN(TestContentTableModel)
#include "tst_contenttablemodel.moc"
