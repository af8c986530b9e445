// tests/unit/tst_evalruns.cpp — runs of a judged set: duplicate collapsing, the paired comparison
// and its randomization test, drift from a baseline, the threshold curve, configurations as JSON.
#include "eval/RunComparison.h"
#include "eval/ThresholdCurve.h"
#include <QTest>
#include <cmath>

using namespace vwb;

namespace {

QueryRun list(const QString &query, const QStringList &docs, const QList<double> &similarities = {})
{
    QueryRun q;
    q.queryId = query;
    for (int i = 0; i < docs.size(); ++i) {
        const double s = similarities.value(i, 1.0 - i * 0.1);
        q.ranked << RankedDoc{docs.at(i), s, s};
    }
    return q;
}

/// n queries, each with one relevant document "r" and one irrelevant "x".
QuerySet oneRelevantEach(int n)
{
    QuerySet set;
    for (int i = 1; i <= n; ++i) {
        const QString id = QStringLiteral("q%1").arg(i);
        set.queries << JudgedQuery{id, QStringLiteral("text ") + id, {}};
        set.judgments[id] = Judgments{{QStringLiteral("r"), 1}, {QStringLiteral("x"), 0}};
    }
    return set;
}
} // namespace

class TestEvalRuns : public QObject
{
    Q_OBJECT
private slots:
    void collapsedCopiesCarryTheirJudgment()
    {
        EvalRun run;
        run.config.collapseKey = QStringLiteral("text_sha1");
        run.keys = {{QStringLiteral("d1"), QStringLiteral("K")}, {QStringLiteral("d2"), QStringLiteral("K")}};
        run.queries << list(QStringLiteral("q"), {QStringLiteral("d1"), QStringLiteral("d2"), QStringLiteral("d3")});
        const Judgments judged{{QStringLiteral("d2"), 2}, {QStringLiteral("d3"), 0}};
        const ScoredList scored = scoredList(run, run.query(QStringLiteral("q")), judged);
        QCOMPARE(scored.ranked.size(), 2);                        // d2 is d1's copy: one entry
        QCOMPARE(scored.judgments.value(scored.ranked.at(0)), 2); // d1 inherits d2's grade
        const QueryScores s = scoreRanking(scored.ranked, scored.judgments, {1, 1});
        QCOMPARE(s.precisionAtK, 1.0);
        QCOMPARE(s.relevant, 1); // the copies are one relevant document, not two

        run.config.collapseKey.clear(); // without the key: d1 is unjudged, d2 relevant at rank 2
        const ScoredList plain = scoredList(run, run.query(QStringLiteral("q")), judged);
        QCOMPARE(plain.ranked.size(), 3);
        QCOMPARE(scoreRanking(plain.ranked, plain.judgments, {1, 1}).precisionAtK, 0.0);
    }

    void scoreRunReportsFailedAndMissingQueries()
    {
        const QuerySet set = oneRelevantEach(3);
        EvalRun run;
        run.queries << list(QStringLiteral("q1"), {QStringLiteral("r")});
        QueryRun failed;
        failed.queryId = QStringLiteral("q2");
        failed.error = QStringLiteral("429");
        run.queries << failed; // q3 is missing altogether
        const ScoredRun scored = scoreRun(run, set, {10, 1});
        QCOMPARE(scored.failed, 1);
        QCOMPARE(scored.mean.queries, 3);
        QCOMPARE(scored.mean.mean.averagePrecision, 1.0 / 3); // failed and missing lists score 0, not left out
    }

    void comparisonCountsWinsAndTestsSignificance()
    {
        QuerySet set = oneRelevantEach(4);
        set.queries << JudgedQuery{QStringLiteral("none"), QStringLiteral("nothing relevant"), {}};
        set.judgments[QStringLiteral("none")] = Judgments{{QStringLiteral("x"), 0}};
        EvalRun a, b;
        for (int i = 1; i <= 4; ++i) {
            const QString q = QStringLiteral("q%1").arg(i);
            a.queries << list(q, i <= 2 ? QStringList{QStringLiteral("r"), QStringLiteral("x")}
                                        : QStringList{QStringLiteral("x"), QStringLiteral("r")});
            b.queries << list(q, {QStringLiteral("r"), QStringLiteral("x")});
        }
        const Comparison c = compareRuns(scoreRun(a, set, {10, 1}), scoreRun(b, set, {10, 1}), EvalMetric::AveragePrecision);
        QCOMPARE(c.queries, 4); // "none" has no relevant document: not compared
        QCOMPARE(c.meanA, 0.75);
        QCOMPARE(c.meanB, 1.0);
        QCOMPARE(c.wins, 2);
        QCOMPARE(c.losses, 0);
        QCOMPARE(c.ties, 2);
        QCOMPARE(c.perQuery.first().delta(), 0.5); // largest move first
        // Two equal non-zero differences: the exact p is 2/4 = 0.5 (both signs alike).
        QVERIFY2(c.pValue > 0.47 && c.pValue < 0.53, qPrintable(QString::number(c.pValue)));
        const QString said = comparisonSentence(c, QStringLiteral("MAP"));
        QVERIFY2(said.contains(QStringLiteral("MAP over 4 queries: A 0.7500, B 1.0000, B − A +0.2500")), qPrintable(said));
        QVERIFY2(said.contains(QStringLiteral("not significant at 0.05); B better on 2, worse on 0, equal on 2")), qPrintable(said));

        const Comparison same = compareRuns(scoreRun(a, set, {10, 1}), scoreRun(a, set, {10, 1}), EvalMetric::AveragePrecision);
        QCOMPARE(same.pValue, 1.0);
        QCOMPARE(same.ties, 4);
    }

    void consistentGainsAreSignificant()
    {
        const QuerySet set = oneRelevantEach(12);
        EvalRun a, b;
        for (const JudgedQuery &q : set.queries) {
            a.queries << list(q.id, {QStringLiteral("x"), QStringLiteral("r")});
            b.queries << list(q.id, {QStringLiteral("r"), QStringLiteral("x")});
        }
        const Comparison c = compareRuns(scoreRun(a, set, {10, 1}), scoreRun(b, set, {10, 1}), EvalMetric::Ndcg);
        QCOMPARE(c.wins, 12);
        // Exact: 2 of 4096 sign patterns are as extreme, p = 0.00049.
        QVERIFY2(c.pValue < 0.01, qPrintable(QString::number(c.pValue)));
        // The same runs the other way round: the same p, losses instead of wins.
        const Comparison back = compareRuns(scoreRun(b, set, {10, 1}), scoreRun(a, set, {10, 1}), EvalMetric::Ndcg);
        QCOMPARE(back.losses, 12);
        QCOMPARE(back.pValue, c.pValue);
    }

    void driftListsNewAndGoneDocuments()
    {
        const QuerySet set = oneRelevantEach(2);
        EvalRun before, after;
        before.queries << list(QStringLiteral("q1"), {QStringLiteral("r"), QStringLiteral("x"), QStringLiteral("y")})
                       << list(QStringLiteral("q2"), {QStringLiteral("r"), QStringLiteral("x")});
        after.queries << list(QStringLiteral("q1"), {QStringLiteral("x"), QStringLiteral("r"), QStringLiteral("z")})
                      << list(QStringLiteral("q2"), {QStringLiteral("r"), QStringLiteral("x")});
        const QList<QueryDrift> drift = driftFrom(before, scoreRun(before, set, {3, 1}), after, scoreRun(after, set, {3, 1}),
                                                  EvalMetric::AveragePrecision, 3);
        QCOMPARE(drift.size(), 2);
        QCOMPARE(drift.first().queryId, QStringLiteral("q1")); // changed first
        QCOMPARE(drift.first().entered, QStringList{QStringLiteral("z")});
        QCOMPARE(drift.first().left, QStringList{QStringLiteral("y")});
        QCOMPARE(drift.first().metricDelta, -0.5);
        QVERIFY(drift.first().scoreShift > 0); // r and x swapped scores
        QVERIFY(!drift.last().changed());
    }

    void thresholdCurveByHand()
    {
        QuerySet set;
        set.queries << JudgedQuery{QStringLiteral("q"), QStringLiteral("t"), {}};
        set.judgments[QStringLiteral("q")] = Judgments{{QStringLiteral("a"), 2}, {QStringLiteral("b"), 0}, {QStringLiteral("c"), 1}};
        EvalRun run;
        // x is unjudged.
        run.queries << list(QStringLiteral("q"), {QStringLiteral("a"), QStringLiteral("x"), QStringLiteral("b"), QStringLiteral("c")},
                            {0.9, 0.8, 0.7, 0.6});
        const ThresholdCurve curve = thresholdCurve(run, set, 1);
        QCOMPARE(curve.relevantTotal, 2);
        QCOMPARE(curve.points.size(), 4);
        QCOMPARE(curve.points.at(0).precision, 1.0);
        QCOMPARE(curve.points.at(0).recall, 0.5);
        QCOMPARE(curve.points.at(1).unjudged, 1);
        QCOMPARE(curve.points.at(1).precision, 1.0); // the unjudged result is not counted against it
        QCOMPARE(curve.points.at(2).precision, 0.5);
        QCOMPARE(curve.points.at(3).recall, 1.0);
        QCOMPARE(curve.bestF1()->threshold, 0.6); // P 2/3, R 1: F1 0.8
        QVERIFY(qAbs(curve.bestF1()->f1 - 0.8) < 1e-12);
        QCOMPARE(curve.lowestMeeting(0.9)->threshold, 0.8); // 0.9 and 0.8 both have precision 1
        QVERIFY(!curve.lowestMeeting(1.01));
    }

    void equalSimilaritiesAreOnePoint()
    {
        QuerySet set;
        set.queries << JudgedQuery{QStringLiteral("q"), QStringLiteral("t"), {}};
        set.judgments[QStringLiteral("q")] = Judgments{{QStringLiteral("a"), 1}, {QStringLiteral("b"), 0}};
        EvalRun run;
        run.queries << list(QStringLiteral("q"), {QStringLiteral("a"), QStringLiteral("b")}, {0.5, 0.5});
        const ThresholdCurve curve = thresholdCurve(run, set, 1);
        QCOMPARE(curve.points.size(), 1); // a threshold keeps both or neither
        QCOMPARE(curve.points.first().precision, 0.5);
    }

    void configurationRoundTripsThroughJson()
    {
        EvalConfig c;
        c.type = QStringLiteral("posts");
        c.column = QStringLiteral("alternative_vector");
        c.metric = SearchMetric::InnerProduct;
        c.efSearch = 80;
        c.ranking = Ranking::Hybrid;
        c.rrfK = 20;
        c.mode = EvalMode::Rerank;
        c.collapseKey = QStringLiteral("text_sha1");
        c.threshold = 0.25;
        auto back = EvalConfig::fromJson(c.toJson());
        QVERIFY(back.ok());
        QCOMPARE(back.value().toJson(), c.toJson());
        QCOMPARE(back.value().summary(), c.summary());
        QVERIFY(c.summary().contains(QStringLiteral("hybrid k=20")));

        QJsonObject broken = c.toJson();
        broken.insert(QStringLiteral("ranking"), QStringLiteral("magic"));
        QVERIFY(!EvalConfig::fromJson(broken).ok());
        broken = c.toJson();
        broken.insert(QStringLiteral("collapse_key"), QStringLiteral("a'; drop"));
        QVERIFY(!EvalConfig::fromJson(broken).ok());
        broken = c.toJson();
        broken.insert(QStringLiteral("limit"), 0);
        QVERIFY(EvalConfig::fromJson(broken).error().message.contains(QStringLiteral("limit")));
    }
};

QTEST_GUILESS_MAIN(TestEvalRuns)
#include "tst_evalruns.moc"
