// tests/unit/tst_evalstore.cpp — judged sets and runs in the local SQLite file: stored and read
// back whole, per profile, replaced only when asked, graded from the Search panel, exported to the
// files they were imported from.
#include "eval/EvalStore.h"
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace vwb;

namespace {

QuerySet smallSet()
{
    QuerySet set;
    set.queries << JudgedQuery{QStringLiteral("268"), QStringLiteral("Which bank?"), QStringLiteral("Good bank")}
                << JudgedQuery{QStringLiteral("q-2"), QStringLiteral("Where to eat\twell"), {}};
    set.judgments[QStringLiteral("268")] = Judgments{{QStringLiteral("268004"), 2}, {QStringLiteral("268010"), 0}};
    set.judgments[QStringLiteral("q-2")] = Judgments{{QStringLiteral("d9"), 1}};
    return set;
}

void compareSets(const QuerySet &a, const QuerySet &b)
{
    QCOMPARE(a.queries.size(), b.queries.size());
    for (int i = 0; i < a.queries.size(); ++i) {
        QCOMPARE(a.queries.at(i).id, b.queries.at(i).id);
        QCOMPARE(a.queries.at(i).text, b.queries.at(i).text);
        QCOMPARE(a.queries.at(i).title, b.queries.at(i).title);
    }
    QCOMPARE(a.judgments, b.judgments);
}
} // namespace

class TestEvalStore : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void setsRoundTripPerProfile()
    {
        EvalStore store(m_dir.filePath(QStringLiteral("a.sqlite")));
        QVERIFY(store.saveSet(QStringLiteral("dev"), QStringLiteral("ql"), smallSet(), 2, false).ok());
        int gradeMax = 0;
        auto back = store.loadSet(QStringLiteral("dev"), QStringLiteral("ql"), &gradeMax);
        QVERIFY(back.ok());
        compareSets(back.value(), smallSet());
        QCOMPARE(gradeMax, 2);
        QVERIFY(!store.loadSet(QStringLiteral("prod"), QStringLiteral("ql")).ok()); // another profile's sets are its own
        auto sets = store.sets(QStringLiteral("dev"));
        QVERIFY(sets.ok());
        QCOMPARE(sets.value().size(), 1);
        QCOMPARE(sets.value().first().queries, 2);
        QCOMPARE(sets.value().first().judgments, 3);
    }

    void replacingNeedsToBeAskedForAndDropsTheRuns()
    {
        EvalStore store(m_dir.filePath(QStringLiteral("b.sqlite")));
        QVERIFY(store.saveSet(QStringLiteral("dev"), QStringLiteral("s"), smallSet(), 2, false).ok());
        EvalRun run;
        run.name = QStringLiteral("first");
        run.startedAt = QDateTime::currentDateTimeUtc();
        QVERIFY(store.saveRun(QStringLiteral("dev"), QStringLiteral("s"), run).ok());
        QuerySet other;
        other.queries << JudgedQuery{QStringLiteral("x"), QStringLiteral("other"), {}};
        auto refused = store.saveSet(QStringLiteral("dev"), QStringLiteral("s"), other, 2, false);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(QStringLiteral("exists")));
        compareSets(store.loadSet(QStringLiteral("dev"), QStringLiteral("s")).value(), smallSet()); // untouched
        QVERIFY(store.saveSet(QStringLiteral("dev"), QStringLiteral("s"), other, 2, true).ok());
        compareSets(store.loadSet(QStringLiteral("dev"), QStringLiteral("s")).value(), other);
        QVERIFY(store.runs(QStringLiteral("dev"), QStringLiteral("s")).value().isEmpty());
    }

    void judgingFromTheSearchPanel()
    {
        EvalStore store(m_dir.filePath(QStringLiteral("c.sqlite")));
        const JudgedQuery q{QStringLiteral("free text"), QStringLiteral("free text"), {}};
        QVERIFY(store.judge(QStringLiteral("dev"), QStringLiteral("marks"), q, QStringLiteral("17"), 2).ok());
        QVERIFY(store.judge(QStringLiteral("dev"), QStringLiteral("marks"), q, QStringLiteral("18"), 0).ok());
        QVERIFY(store.judge(QStringLiteral("dev"), QStringLiteral("marks"), q, QStringLiteral("17"), 1).ok()); // regraded
        auto set = store.loadSet(QStringLiteral("dev"), QStringLiteral("marks"));
        QCOMPARE(set.value().queries.size(), 1);
        QCOMPARE(set.value().judgments.value(q.id), (Judgments{{QStringLiteral("17"), 1}, {QStringLiteral("18"), 0}}));
        QVERIFY(store.judge(QStringLiteral("dev"), QStringLiteral("marks"), q, QStringLiteral("18"), -1).ok()); // unmarked
        QCOMPARE(store.loadSet(QStringLiteral("dev"), QStringLiteral("marks")).value().judgments.value(q.id).size(), 1);
        auto tooHigh = store.judge(QStringLiteral("dev"), QStringLiteral("marks"), q, QStringLiteral("19"), 3);
        QVERIFY(!tooHigh.ok());
        QVERIFY(tooHigh.error().message.contains(QStringLiteral("0 to 2")));
    }

    void runsRoundTripAndOneBaseline()
    {
        EvalStore store(m_dir.filePath(QStringLiteral("d.sqlite")));
        QVERIFY(store.saveSet(QStringLiteral("dev"), QStringLiteral("s"), smallSet(), 2, false).ok());
        EvalRun run;
        run.name = QStringLiteral("hybrid");
        run.config.ranking = Ranking::Hybrid;
        run.config.mode = EvalMode::Rerank;
        run.config.collapseKey = QStringLiteral("text_sha1");
        run.startedAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
        run.totalMs = 12.5;
        run.warnings << QStringLiteral("a warning");
        QueryRun q1{QStringLiteral("268"),
                    {RankedDoc{QStringLiteral("268010"), 0.03, 0.5}, RankedDoc{QStringLiteral("268004"), 0.02, qQNaN()}},
                    3.5,
                    {}};
        QueryRun q2{QStringLiteral("q-2"), {}, 1.0, QStringLiteral("HTTP 429")};
        run.queries << q1 << q2;
        run.keys.insert(QStringLiteral("268004"), QStringLiteral("7aa2"));
        QVERIFY(store.saveRun(QStringLiteral("dev"), QStringLiteral("s"), run).ok());
        QVERIFY(run.id > 0);
        EvalRun second = run;
        second.name = QStringLiteral("other");
        QVERIFY(store.saveRun(QStringLiteral("dev"), QStringLiteral("s"), second).ok());

        auto back = store.loadRun(QStringLiteral("dev"), QStringLiteral("s"), QStringLiteral("hybrid"));
        QVERIFY(back.ok());
        QCOMPARE(back.value().id, run.id);
        QCOMPARE(back.value().config.toJson(), run.config.toJson());
        QCOMPARE(back.value().startedAt, run.startedAt);
        QCOMPARE(back.value().warnings, run.warnings);
        QCOMPARE(back.value().keys, run.keys);
        QCOMPARE(back.value().queries.size(), 2);
        QCOMPARE(back.value().queries.at(0).queryId, QStringLiteral("268")); // the set's order
        QCOMPARE(back.value().queries.at(0).ranked.at(0).id, QStringLiteral("268010"));
        QCOMPARE(back.value().queries.at(0).ranked.at(0).similarity, 0.5);
        QVERIFY(std::isnan(back.value().queries.at(0).ranked.at(1).similarity)); // no similarity stays none
        QCOMPARE(back.value().queries.at(1).error, QStringLiteral("HTTP 429"));
        QVERIFY(store.loadRun(QStringLiteral("dev"), QStringLiteral("s"), QString::number(second.id)).value().name
                == QStringLiteral("other"));
        QVERIFY(!store.loadRun(QStringLiteral("dev"), QStringLiteral("s"), QStringLiteral("nope")).ok());

        EvalRun unnamed; // the Evaluate panel's runs have no name
        QVERIFY(store.saveRun(QStringLiteral("dev"), QStringLiteral("s"), unnamed).ok());
        QCOMPARE(store.loadRun(QStringLiteral("dev"), QStringLiteral("s"), QString::number(unnamed.id)).value().name, QString());

        QVERIFY(store.setBaseline(QStringLiteral("dev"), QStringLiteral("s"), run.id).ok());
        QVERIFY(store.setBaseline(QStringLiteral("dev"), QStringLiteral("s"), second.id).ok());
        QList<qint64> baselines;
        const auto runs = store.runs(QStringLiteral("dev"), QStringLiteral("s"));
        for (const RunSummary &r : runs.value())
            if (r.baseline)
                baselines << r.id;
        QCOMPARE(baselines, QList<qint64>{second.id});
        QVERIFY(!store.setBaseline(QStringLiteral("dev"), QStringLiteral("s"), 999).ok());
    }

    void exportedFilesReadBackAsTheSameSet()
    {
        const QuerySet set = smallSet();
        const QString queries = m_dir.filePath(QStringLiteral("q.jsonl")), judgments = m_dir.filePath(QStringLiteral("j.tsv"));
        QVERIFY(set.writeQueries(queries).ok());
        QVERIFY(set.writeJudgments(judgments).ok());
        auto back = QuerySet::read(queries, judgments);
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.error().message));
        compareSets(back.value(), set);
        QFile file(queries);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readLine().startsWith("{\"id\":268,")); // whole-number ids stay numbers, as the source had them

        // Ids a number would not keep (past 2^53, leading zeros, signs) and texts a line could break.
        QuerySet odd;
        odd.queries = {{QStringLiteral("9007199254740993"), QStringLiteral("large"), {}},
                       {QStringLiteral("007"), QStringLiteral(" padded\ttab\nline "), QStringLiteral("t")},
                       {QStringLiteral("-5"), QStringLiteral("negative"), {}},
                       {QStringLiteral("%1%3"), QStringLiteral("placeholders in an id (found by fuzz_evalfiles)"), {}}};
        odd.judgments = {{QStringLiteral("9007199254740993"), {{QStringLiteral("doc 1"), 2}, {QStringLiteral("d2"), 0}}},
                         {QStringLiteral("-5"), {{QStringLiteral("x"), -1}, {QStringLiteral("100%3"), 1}}}};
        auto oddQueries = QuerySet::parseQueries(odd.queriesText(), QStringLiteral("q"));
        auto oddJudgments = QuerySet::parseJudgments(odd.judgmentsText(), QStringLiteral("j"));
        QVERIFY2(oddQueries.ok() && oddJudgments.ok(), qPrintable(odd.queriesText() + odd.judgmentsText()));
        compareSets(QuerySet{oddQueries.value(), oddJudgments.value()}, odd);
    }
};

QTEST_GUILESS_MAIN(TestEvalStore)
#include "tst_evalstore.moc"
