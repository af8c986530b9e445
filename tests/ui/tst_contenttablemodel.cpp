// tests/ui/tst_contenttablemodel.cpp — the paging model with a page source that answers on demand.
#include "models/ContentTableModel.h"
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace vwb;
using namespace vwb::ui;

namespace {
/// Remembers what was asked; the test decides when and what it answers.
struct RecordingSource : PageSource
{
    struct Request
    {
        int generation;
        std::optional<BrowseCursor> after;
        int limit;
    };
    QList<Request> requests;
    void requestPage(int generation, const std::optional<BrowseCursor> &after, int limit) override
    {
        requests.append({generation, after, limit});
    }
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
    QCOMPARE(source.requests.first().limit, ContentTableModel::PageSize);
    model.appendPage(source.requests.first().generation, page(1, 100, true));
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.index(0, ContentTableModel::Vector).data().toString(), QStringLiteral("missing"));
    if (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(source.requests.size(), 2);
    QCOMPARE(source.requests.last().after->key, QStringLiteral("100"));
    model.appendPage(source.requests.last().generation, page(101, 20, false));
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
    model.appendPage(old, page(1, 100, true));
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.isLoading());
    model.appendPage(source.requests.last().generation, page(500, 3, false));
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

QTEST_MAIN(TestContentTableModel)
#include "tst_contenttablemodel.moc"
