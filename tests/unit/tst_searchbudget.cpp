// tests/unit/tst_searchbudget.cpp — the production searches-per-minute limit: counted per profile,
// across processes (two budgets on one file), over a sliding minute.
#include "search/SearchBudget.h"

#include <QTemporaryDir>
#include <QTest>

using namespace vwb;

class TestSearchBudget : public QObject
{
    Q_OBJECT
private slots:
    void theLimitHoldsForAMinuteThenFrees();
    void profilesCountApartAndProcessesTogether();
    void noLimitCountsNothing();

private:
    QString file(const char *name) const { return m_dir.filePath(QLatin1String(name)); }
    QTemporaryDir m_dir;
};

void TestSearchBudget::theLimitHoldsForAMinuteThenFrees()
{
    SearchBudget budget(file("a.sqlite"));
    const qint64 t0 = 1'000'000;
    for (int i = 0; i < 3; ++i)
        QVERIFY(budget.take(QStringLiteral("prod"), 3, t0 + i * 10'000).ok());
    auto refused = budget.take(QStringLiteral("prod"), 3, t0 + 30'000);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().sqlState, QStringLiteral("rate"));
    QVERIFY2(refused.error().message.startsWith(QLatin1String("3 searches ran on production profile \"prod\" in the last minute")),
             qPrintable(refused.error().message));
    QVERIFY2(refused.error().message.contains(QLatin1String("the next may run in 30 s")), qPrintable(refused.error().message));
    // A refused search is not counted: the first one ages out at t0 + 60 s, and one more may run.
    QVERIFY(!budget.take(QStringLiteral("prod"), 3, t0 + 59'999).ok());
    QVERIFY(budget.take(QStringLiteral("prod"), 3, t0 + 60'000).ok());
    QVERIFY(!budget.take(QStringLiteral("prod"), 3, t0 + 60'001).ok());
}

void TestSearchBudget::profilesCountApartAndProcessesTogether()
{
    SearchBudget gui(file("b.sqlite")), cron(file("b.sqlite"));
    const qint64 t0 = 5'000'000;
    QVERIFY(gui.take(QStringLiteral("prod"), 2, t0).ok());
    QVERIFY(cron.take(QStringLiteral("prod"), 2, t0 + 1).ok());
    QVERIFY(!gui.take(QStringLiteral("prod"), 2, t0 + 2).ok());
    QVERIFY(!cron.take(QStringLiteral("prod"), 2, t0 + 3).ok());
    QVERIFY(gui.take(QStringLiteral("other"), 2, t0 + 4).ok());
}

void TestSearchBudget::noLimitCountsNothing()
{
    SearchBudget budget(file("c.sqlite"));
    for (int i = 0; i < 50; ++i)
        QVERIFY(budget.take(QStringLiteral("prod"), 0, 1000).ok());
    QVERIFY(budget.take(QStringLiteral("prod"), 1, 1000).ok()); // none of those counted
    QVERIFY(!budget.take(QStringLiteral("prod"), 1, 1000).ok());
}

QTEST_GUILESS_MAIN(TestSearchBudget)
#include "tst_searchbudget.moc"
