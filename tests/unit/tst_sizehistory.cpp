// tests/unit/tst_sizehistory.cpp — the local history of table sizes: samples written with explicit
// times come back after a restart, growth per day from known numbers, profiles kept apart, the
// sampling interval honoured, old samples thinned.
#include "metrics/SizeHistory.h"
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace vwb;
using namespace std::chrono_literals;

namespace {
const TableRef Topics{QStringLiteral("public"), QStringLiteral("topics")};
const TableRef Vectors{QStringLiteral("forum"), QStringLiteral("topic_vectors")};
const QDateTime T0(QDate(2025, 3, 1), QTime(12, 0), Qt::UTC);

SizeSample sample(const TableRef &table, qint64 total, qint64 rows = 100)
{
    // heap / index / toast in fixed proportions that add up to total
    const qint64 index = total / 4, toast = total / 8;
    return {table, total - index - toast, index, toast, total, rows};
}

SizeSnapshot snapshot(const QDateTime &at, const QList<SizeSample> &tables)
{
    return {at, tables};
}
} // namespace

class TestSizeHistory : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
private slots:
    void init() { QTest::failOnWarning(QRegularExpression(QStringLiteral("."))); }
    void samplesComeBackAfterARestart();
    void oneTableAndSinceNarrowTheSeries();
    void sameInstantReplacesTheSample();
    void growthPerDayFromKnownNumbers();
    void growthIsALeastSquaresFit();
    void growthNeedsTwoInstants();
    void profilesAreKeptApart();
    void shouldSampleHonoursTheInterval();
    void recordIfDueWritesOnceAcrossTwoWriters();
    void oldSamplesAreThinned();
    void defaultPathFollowsXdgDataHome();
};

void TestSizeHistory::samplesComeBackAfterARestart()
{
    const QString file = path("restart.sqlite");
    const QList<SizeSnapshot> written{snapshot(T0, {sample(Topics, 8192 * 10), sample(Vectors, 8192 * 4, -1)}),
                                      snapshot(T0.addSecs(3600), {sample(Topics, 8192 * 12), sample(Vectors, 8192 * 5)}),
                                      snapshot(T0.addDays(1), {sample(Topics, 8192 * 20), sample(Vectors, 8192 * 9)})};
    {
        SizeHistory history(file);
        for (const SizeSnapshot &s : written)
            QVERIFY(history.record(QStringLiteral("sandbox"), s).ok());
    } // the "app" exits: connections closed
    SizeHistory again(file);
    const auto read = again.samples(QStringLiteral("sandbox"));
    QVERIFY(read.ok());
    QCOMPARE(read.value().size(), 3);
    for (qsizetype i = 0; i < written.size(); ++i) {
        const SizeSnapshot &got = read.value().at(i), &want = written.at(i);
        QCOMPARE(got.at, want.at);
        QCOMPARE(got.at.timeSpec(), Qt::UTC);
        QCOMPARE(got.tables.size(), 2);
        for (const SizeSample &w : want.tables) {
            const SizeSample *g = got.find(w.table);
            QVERIFY(g);
            QCOMPARE(g->heapBytes, w.heapBytes);
            QCOMPARE(g->indexBytes, w.indexBytes);
            QCOMPARE(g->toastBytes, w.toastBytes);
            QCOMPARE(g->totalBytes, w.totalBytes);
            QCOMPARE(g->rowEstimate, w.rowEstimate);
            QCOMPARE(g->heapBytes + g->indexBytes + g->toastBytes, g->totalBytes);
        }
        QCOMPARE(got.totalBytes(), want.totalBytes());
    }
    QCOMPARE(again.lastSampledAt(QStringLiteral("sandbox")).value(), std::optional<QDateTime>(T0.addDays(1)));
}

void TestSizeHistory::oneTableAndSinceNarrowTheSeries()
{
    SizeHistory history(path("narrow.sqlite"));
    QVERIFY(history.record(QStringLiteral("p"), snapshot(T0, {sample(Topics, 100)})).ok());
    QVERIFY(history.record(QStringLiteral("p"), snapshot(T0.addSecs(60), {sample(Topics, 200), sample(Vectors, 50)})).ok());
    QVERIFY(history.record(QStringLiteral("p"), snapshot(T0.addSecs(120), {})).ok()); // a database with no tables
    QVERIFY(history.record(QStringLiteral("p"), snapshot(T0.addSecs(180), {sample(Vectors, 70)})).ok());

    const auto all = history.samples(QStringLiteral("p"));
    QCOMPARE(all.value().size(), 4);
    QVERIFY(all.value().at(2).tables.isEmpty());

    const auto vectors = history.samples(QStringLiteral("p"), Vectors);
    QCOMPARE(vectors.value().size(), 2); // only the samples that hold it
    QCOMPARE(vectors.value().at(0).at, T0.addSecs(60));
    QCOMPARE(vectors.value().at(0).tables.size(), 1);
    QCOMPARE(vectors.value().at(1).tables.first().totalBytes, 70);

    const auto topics = history.samples(QStringLiteral("p"), TableRef{{}, QStringLiteral("topics")}); // schema defaults to public
    QCOMPARE(topics.value().size(), 2);

    const auto recent = history.samples(QStringLiteral("p"), {}, T0.addSecs(60));
    QCOMPARE(recent.value().size(), 3); // since is inclusive
    QCOMPARE(recent.value().first().at, T0.addSecs(60));
}

void TestSizeHistory::sameInstantReplacesTheSample()
{
    SizeHistory history(path("replace.sqlite"));
    QVERIFY(history.record(QStringLiteral("p"), snapshot(T0, {sample(Topics, 100), sample(Vectors, 10)})).ok());
    QVERIFY(history.record(QStringLiteral("p"), snapshot(T0, {sample(Topics, 300)})).ok());
    const auto read = history.samples(QStringLiteral("p"));
    QCOMPARE(read.value().size(), 1);
    QCOMPARE(read.value().first().tables.size(), 1);
    QCOMPARE(read.value().first().totalBytes(), 300);
}

void TestSizeHistory::growthPerDayFromKnownNumbers()
{
    SizeHistory history(path("growth.sqlite"));
    // topics: +2000 bytes a day on a straight line, sampled at 0, 12 and 48 hours
    QVERIFY(history.record(QStringLiteral("p"), snapshot(T0, {sample(Topics, 10000), sample(Vectors, 500)})).ok());
    QVERIFY(history.record(QStringLiteral("p"), snapshot(T0.addSecs(12 * 3600), {sample(Topics, 11000), sample(Vectors, 500)})).ok());
    QVERIFY(history.record(QStringLiteral("p"), snapshot(T0.addDays(2), {sample(Topics, 14000), sample(Vectors, 500)})).ok());

    const auto topics = history.growthPerDay(QStringLiteral("p"), Topics);
    QVERIFY(topics.ok());
    QVERIFY(topics.value().has_value());
    QCOMPARE(*topics.value(), 2000.0);
    QCOMPARE(*history.growthPerDay(QStringLiteral("p"), Vectors).value(), 0.0);
    QCOMPARE(*history.growthPerDay(QStringLiteral("p")).value(), 2000.0); // all tables together
    // Only the last two samples: 3000 bytes over 1.5 days.
    QCOMPARE(*history.growthPerDay(QStringLiteral("p"), Topics, T0.addSecs(12 * 3600)).value(), 2000.0);
    // A shrinking table grows by a negative amount.
    QVERIFY(history.record(QStringLiteral("q"), snapshot(T0, {sample(Topics, 9000)})).ok());
    QVERIFY(history.record(QStringLiteral("q"), snapshot(T0.addDays(3), {sample(Topics, 3000)})).ok());
    QCOMPARE(*history.growthPerDay(QStringLiteral("q"), Topics).value(), -2000.0);
}

void TestSizeHistory::growthIsALeastSquaresFit()
{
    // 0, 0, 30, 30 at days 0..3: the fitted slope is 12 a day (first/last would say 10).
    QList<std::pair<QDateTime, qint64>> points;
    const qint64 bytes[] = {0, 0, 30, 30};
    for (int day = 0; day < 4; ++day)
        points.append({T0.addDays(day), bytes[day]});
    QCOMPARE(fitGrowthPerDay(points), std::optional<double>(12.0));
    // Large sizes lose nothing: 1 TB plus 1 MB a day.
    const qint64 tb = 1LL << 40;
    QCOMPARE(fitGrowthPerDay({{T0, tb}, {T0.addDays(1), tb + (1 << 20)}, {T0.addDays(2), tb + (2 << 20)}}),
             std::optional<double>(double(1 << 20)));
}

void TestSizeHistory::growthNeedsTwoInstants()
{
    QCOMPARE(fitGrowthPerDay({}), std::nullopt);
    QCOMPARE(fitGrowthPerDay({{T0, 100}}), std::nullopt);
    QCOMPARE(fitGrowthPerDay({{T0, 100}, {T0, 900}}), std::nullopt); // spans 0 s
    SizeHistory history(path("single.sqlite"));
    QCOMPARE(history.growthPerDay(QStringLiteral("p"), Topics).value(), std::nullopt); // no samples
    QVERIFY(history.record(QStringLiteral("p"), snapshot(T0, {sample(Topics, 100)})).ok());
    QCOMPARE(history.growthPerDay(QStringLiteral("p"), Topics).value(), std::nullopt);
}

void TestSizeHistory::profilesAreKeptApart()
{
    SizeHistory history(path("profiles.sqlite"));
    QVERIFY(history.record(QStringLiteral("sandbox"), snapshot(T0, {sample(Topics, 100)})).ok());
    QVERIFY(history.record(QStringLiteral("production"), snapshot(T0, {sample(Topics, 5000)})).ok());
    QVERIFY(history.record(QStringLiteral("production"), snapshot(T0.addDays(1), {sample(Topics, 7000)})).ok());

    QCOMPARE(history.samples(QStringLiteral("sandbox")).value().size(), 1);
    QCOMPARE(history.samples(QStringLiteral("sandbox")).value().first().totalBytes(), 100);
    QCOMPARE(history.samples(QStringLiteral("production")).value().size(), 2);
    QCOMPARE(history.growthPerDay(QStringLiteral("sandbox"), Topics).value(), std::nullopt);
    QCOMPARE(*history.growthPerDay(QStringLiteral("production"), Topics).value(), 2000.0);
    QCOMPARE(history.profiles().value(), (QStringList{QStringLiteral("production"), QStringLiteral("sandbox")}));
    QCOMPARE(history.lastSampledAt(QStringLiteral("sandbox")).value(), std::optional<QDateTime>(T0));

    QVERIFY(history.forget(QStringLiteral("production")).ok());
    QCOMPARE(history.samples(QStringLiteral("production")).value().size(), 0);
    QCOMPARE(history.samples(QStringLiteral("sandbox")).value().size(), 1);
    QCOMPARE(history.profiles().value(), QStringList{QStringLiteral("sandbox")});
}

void TestSizeHistory::shouldSampleHonoursTheInterval()
{
    SizeHistory history(path("interval.sqlite"));
    const QString p = QStringLiteral("sandbox");
    QCOMPARE(history.shouldSample(p, T0, 15min).value(), true); // nothing yet: sample on connect
    QCOMPARE(history.lastSampledAt(p).value(), std::nullopt);
    QVERIFY(history.record(p, snapshot(T0, {sample(Topics, 100)})).ok());
    QCOMPARE(history.shouldSample(p, T0.addSecs(60), 15min).value(), false); // reconnected a minute later
    QCOMPARE(history.shouldSample(p, T0.addSecs(14 * 60 + 59), 15min).value(), false);
    QCOMPARE(history.shouldSample(p, T0.addSecs(15 * 60), 15min).value(), true);                  // the timer's next tick
    QCOMPARE(history.shouldSample(p, T0.addSecs(-3600), 15min).value(), true);                    // the clock went back
    QCOMPARE(history.shouldSample(QStringLiteral("other"), T0.addSecs(60), 15min).value(), true); // per profile
    // An empty database's sample counts too, or every connect would sample it again.
    QVERIFY(history.record(QStringLiteral("empty"), snapshot(T0, {})).ok());
    QCOMPARE(history.shouldSample(QStringLiteral("empty"), T0.addSecs(60), 15min).value(), false);

    const auto skipped = history.recordIfDue(p, snapshot(T0.addSecs(5 * 60), {sample(Topics, 150)}), 15min);
    QVERIFY(skipped.ok());
    QCOMPARE(skipped.value(), false);
    QCOMPARE(history.samples(p).value().size(), 1);
    const auto written = history.recordIfDue(p, snapshot(T0.addSecs(20 * 60), {sample(Topics, 200)}), 15min);
    QVERIFY(written.ok());
    QCOMPARE(written.value(), true);
    QCOMPARE(history.samples(p).value().size(), 2);
    QCOMPARE(history.lastSampledAt(p).value(), std::optional<QDateTime>(T0.addSecs(20 * 60)));
}

void TestSizeHistory::recordIfDueWritesOnceAcrossTwoWriters()
{
    // Two objects on one file have separate SQLite connections, as the GUI and a CLI would.
    const QString file = path("two-writers.sqlite");
    SizeHistory gui(file), cli(file);
    QVERIFY(gui.recordIfDue(QStringLiteral("p"), snapshot(T0, {sample(Topics, 100)}), 10min).value());
    QVERIFY(!cli.recordIfDue(QStringLiteral("p"), snapshot(T0.addSecs(1), {sample(Topics, 101)}), 10min).value());
    QCOMPARE(cli.shouldSample(QStringLiteral("p"), T0.addSecs(2), 10min).value(), false);
    QCOMPARE(gui.samples(QStringLiteral("p")).value().size(), 1);
    QVERIFY(cli.recordIfDue(QStringLiteral("p"), snapshot(T0.addSecs(600), {sample(Topics, 120)}), 10min).value());
    QCOMPARE(gui.samples(QStringLiteral("p")).value().size(), 2);
}

void TestSizeHistory::oldSamplesAreThinned()
{
    SizeHistory history(path("prune.sqlite"));
    const QString p = QStringLiteral("p");
    const QDateTime now = T0;
    // 100 days ago: two hours of samples every 10 minutes (one day bucket, two hour buckets).
    const QDateTime ancient(now.date().addDays(-100), QTime(8, 0), Qt::UTC);
    // 10 days ago: the same, in two hour buckets.
    const QDateTime old(now.date().addDays(-10), QTime(8, 0), Qt::UTC);
    for (int i = 0; i < 12; ++i) {
        QVERIFY(history.record(p, snapshot(ancient.addSecs(i * 600), {sample(Topics, 1000 + i)})).ok());
        QVERIFY(history.record(p, snapshot(old.addSecs(i * 600), {sample(Topics, 2000 + i)})).ok());
    }
    QVERIFY(history.record(QStringLiteral("other"), snapshot(old, {sample(Topics, 1)})).ok());
    QVERIFY(history.record(QStringLiteral("other"), snapshot(old.addSecs(600), {sample(Topics, 2)})).ok());
    // The last day, every 10 minutes: all kept. Recording them thins what is behind.
    for (int i = 0; i < 6; ++i)
        QVERIFY(history.record(p, snapshot(now.addSecs(-3600 + i * 600), {sample(Topics, 3000 + i)})).ok());

    const auto left = history.samples(p);
    QVERIFY(left.ok());
    QList<qint64> totals;
    for (const SizeSnapshot &s : left.value())
        totals << s.totalBytes();
    // ancient: first of the day; old: first of each hour; recent: all.
    QCOMPARE(totals, (QList<qint64>{1000, 2000, 2006, 3000, 3001, 3002, 3003, 3004, 3005}));
    QCOMPARE(history.samples(p, Topics).value().size(), 9);               // no table rows left without their sample
    QCOMPARE(history.samples(QStringLiteral("other")).value().size(), 2); // another profile's are its own business
    QCOMPARE(history.prune(p, now).value(), 0);
    QCOMPARE(history.prune(QStringLiteral("other"), now).value(), 1);
    QCOMPARE(history.samples(QStringLiteral("other")).value().size(), 1);

    // A smaller retention thins further when asked.
    history.setRetention({std::chrono::hours(1), std::chrono::hours(24 * 90)});
    QCOMPARE(history.prune(p, now.addSecs(3600)).value(), 5); // the recent hour keeps its first
}

void TestSizeHistory::defaultPathFollowsXdgDataHome()
{
    const QByteArray saved = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", m_dir.path().toUtf8());
    QCOMPARE(SizeHistory::defaultPath(), m_dir.filePath(QStringLiteral("vector-workbench/size-history.sqlite")));
    qputenv("XDG_DATA_HOME", "relative/ignored");
    QVERIFY(SizeHistory::defaultPath().endsWith(QStringLiteral("/.local/share/vector-workbench/size-history.sqlite")));
    saved.isNull() ? qunsetenv("XDG_DATA_HOME") : qputenv("XDG_DATA_HOME", saved);
}

QTEST_GUILESS_MAIN(TestSizeHistory)
#include "tst_sizehistory.moc"
