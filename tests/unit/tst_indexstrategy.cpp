// tests/unit/tst_indexstrategy.cpp — how a backfill chooses between writing through the ANN index
// and filling without it, and how pgvector's "graph no longer fits" notice is told apart.
#include "backfill/IndexStrategy.h"
#include "maintenance/IndexBuild.h"
#include <QTest>

using namespace vwb;

class TestIndexStrategy : public QObject
{
    Q_OBJECT
private slots:
    void withoutAnAnnIndexItStaysInPlace();
    void aLargeFillIntoASmallTableRebuilds();
    void aFewRowsIntoALargeTableStayInPlace();
    void anAskedStrategyIsTakenAndTheEstimatesStillShown();
    void measuredRatesDecide();
    void ivfflatInsertsAreCheapEnoughToStayInPlace();
    void theProvidersLimitsSlowTheFillDown();
    void strategyNamesRoundTrip();
    void graphNoticeIsToldApart();
};

namespace {
const QList<ColumnIndex> Hnsw{
    {QStringLiteral("public"), QStringLiteral("v_idx"), QStringLiteral("hnsw"), QStringLiteral("CREATE INDEX …"), true}};
const QList<ColumnIndex> Ivfflat{
    {QStringLiteral("public"), QStringLiteral("v_ivf"), QStringLiteral("ivfflat"), QStringLiteral("CREATE INDEX …"), true}};
BackfillRates localRates(const QList<ColumnIndex> &indexes)
{
    return defaultBackfillRates(indexes, true, 0, 0, 256, 300);
}
} // namespace

void TestIndexStrategy::withoutAnAnnIndexItStaysInPlace()
{
    const auto e = chooseIndexStrategy(IndexStrategy::Auto, {}, 20000, 20000, localRates({}));
    QCOMPARE(e.chosen, IndexStrategy::InPlace);
    QVERIFY(e.reason.contains(QLatin1String("no ANN index")));
    // Asked to rebuild with nothing to rebuild: nothing is dropped either.
    QCOMPARE(chooseIndexStrategy(IndexStrategy::Rebuild, {}, 20000, 20000, localRates({})).chosen, IndexStrategy::InPlace);
}

void TestIndexStrategy::aLargeFillIntoASmallTableRebuilds()
{
    const auto e = chooseIndexStrategy(IndexStrategy::Auto, Hnsw, 20000, 20000, localRates(Hnsw));
    QCOMPARE(e.chosen, IndexStrategy::Rebuild);
    QVERIFY(e.rebuildSeconds < e.inPlaceSeconds);
    QCOMPARE(e.indexes, QStringList{QStringLiteral("public.v_idx")});
    QVERIFY2(e.reason.contains(QLatin1String("default rates")), qPrintable(e.reason));
    QVERIFY(!e.asked);
}

void TestIndexStrategy::aFewRowsIntoALargeTableStayInPlace()
{
    // A rebuild indexes the whole table again: 500 rows are not worth a million rows' build.
    const auto e = chooseIndexStrategy(IndexStrategy::Auto, Hnsw, 500, 1000000, localRates(Hnsw));
    QCOMPARE(e.chosen, IndexStrategy::InPlace);
    QCOMPARE(e.tableRows, 1000000);
    QVERIFY(e.rebuildSeconds > e.inPlaceSeconds);
}

void TestIndexStrategy::anAskedStrategyIsTakenAndTheEstimatesStillShown()
{
    const auto e = chooseIndexStrategy(IndexStrategy::InPlace, Hnsw, 20000, 20000, localRates(Hnsw));
    QCOMPARE(e.chosen, IndexStrategy::InPlace);
    QVERIFY(e.asked);
    QVERIFY(e.inPlaceSeconds > 0 && e.rebuildSeconds > 0);
    QVERIFY2(e.reason.startsWith(QLatin1String("in-place as asked")), qPrintable(e.reason));
}

void TestIndexStrategy::measuredRatesDecide()
{
    BackfillRates r = localRates(Hnsw);
    r.inPlace = 4000; // an index that costs little to write through, as measured here
    r.build = 500;
    r.measured = {QStringLiteral("in-place"), QStringLiteral("build")};
    const auto e = chooseIndexStrategy(IndexStrategy::Auto, Hnsw, 20000, 20000, r);
    QCOMPARE(e.chosen, IndexStrategy::InPlace);
    QVERIFY2(e.reason.contains(QLatin1String("measured here: in-place, build")), qPrintable(e.reason));
}

void TestIndexStrategy::ivfflatInsertsAreCheapEnoughToStayInPlace()
{
    const auto e = chooseIndexStrategy(IndexStrategy::Auto, Ivfflat, 5000, 100000, localRates(Ivfflat));
    QCOMPARE(e.chosen, IndexStrategy::InPlace);
}

void TestIndexStrategy::theProvidersLimitsSlowTheFillDown()
{
    // 60 requests a minute of 100 rows: 100 rows/s at most, whatever the machine.
    const BackfillRates limited = defaultBackfillRates(Hnsw, false, 60, 0, 100, 300);
    QCOMPARE(limited.fill, 100.0);
    QCOMPARE(limited.inPlace, limited.fill); // the index's writes hide behind the provider's waits
    // 600,000 tokens a minute at 300 a row: 33 rows/s.
    QVERIFY(qAbs(defaultBackfillRates(Hnsw, false, 0, 600000, 100, 300).fill - 33.33) < 0.01);
    // So slow a provider hides the index's cost: writing through it is nearly as fast.
    QCOMPARE(chooseIndexStrategy(IndexStrategy::Auto, Hnsw, 20000, 20000, limited).chosen, IndexStrategy::InPlace);
}

void TestIndexStrategy::strategyNamesRoundTrip()
{
    for (IndexStrategy s : {IndexStrategy::Auto, IndexStrategy::InPlace, IndexStrategy::Rebuild})
        QCOMPARE(parseIndexStrategy(indexStrategyName(s)), s);
    QVERIFY(!parseIndexStrategy(QStringLiteral("inplace")));
}

void TestIndexStrategy::graphNoticeIsToldApart()
{
    const QString notice = QStringLiteral("NOTICE:  hnsw graph no longer fits into maintenance_work_mem after 7247 tuples");
    QVERIFY(graphFitWarning(notice).startsWith(QLatin1String("hnsw graph no longer fits into maintenance_work_mem after 7247 tuples")));
    QVERIFY(graphFitWarning(notice).contains(QLatin1String("raise maintenance_work_mem")));
    QVERIFY(graphFitWarning(QStringLiteral("NOTICE:  ivfflat index created with little data")).isEmpty());
}

QTEST_GUILESS_MAIN(TestIndexStrategy)
#include "tst_indexstrategy.moc"
