// tests/unit/tst_plananalysis.cpp — what the workbench reads off a parsed plan: estimate bands,
// pgvector hints, the side-by-side comparison of two plans, the text report, and vector
// literals shortened for display.
#include "PlanFixtures.h"

#include "plan/PlanCompare.h"
#include "plan/PlanMetrics.h"
#include "plan/PlanReport.h"
#include <QJsonArray>
#include <QJsonObject>

using namespace vwb;
using namespace vwb::test;

class TestPlanAnalysis : public QObject
{
    Q_OBJECT
private slots:
    void estimateBandsAndDirection();
    void hintsFindTheSeqScanTheShortAnnScanAndTheWrongOperator();
    void comparePlansAlignsSeqScanWithIndexScan();
    void reportsCoverEveryNode();
    void longVectorLiteralsAreAbbreviated();
};

void TestPlanAnalysis::estimateBandsAndDirection()
{
    const Parsed misestimate = parse(MisestimateText); // 1 row planned, 100 came
    QVERIFY2(misestimate.ok(), qPrintable(misestimate.error));
    QCOMPARE(misestimate.plan.root.estimateFactor, 100.0);
    QCOMPARE(misestimate.plan.root.estimateDirection, EstimateDirection::Under);
    QCOMPARE(misestimate.plan.root.estimateBand, EstimateBand::Off100x);
    QCOMPARE(estimateText(misestimate.plan.root), QStringLiteral("↑100×"));

    const Parsed sort = parse(SeqSortText); // the Sort: 2000 planned, top-N gave 5
    QVERIFY2(sort.ok(), qPrintable(sort.error));
    const PlanNode *sortNode = sort.plan.node(1);
    QCOMPARE(sortNode->nodeType, QStringLiteral("Sort"));
    QCOMPARE(sortNode->estimateFactor, 400.0);
    QCOMPARE(sortNode->estimateDirection, EstimateDirection::Over);
    QCOMPARE(sortNode->estimateBand, EstimateBand::Off100x);
    QCOMPARE(estimateText(*sortNode), QStringLiteral("↓400×"));
    QCOMPARE(sort.plan.node(2)->estimateDirection, EstimateDirection::Exact); // 2000 and 2000

    const Parsed exact = parse(SeqScanText); // 100 and 100
    QVERIFY2(exact.ok(), qPrintable(exact.error));
    QCOMPARE(exact.plan.root.estimateFactor, 1.0);
    QCOMPARE(exact.plan.root.estimateBand, EstimateBand::Within10x);
    QCOMPARE(estimateText(exact.plan.root), QStringLiteral("1.0×"));

    const Parsed hashJoin = parse(HashJoinText); // HashAggregate: 10 and 10; Hash Join 20000 and 20000
    QVERIFY2(hashJoin.ok(), qPrintable(hashJoin.error));
    QCOMPARE(hashJoin.plan.root.estimateDirection, EstimateDirection::Exact);

    const Parsed cte = parse(CteText); // CTE Scan on big b: 333 planned, 500 came
    QVERIFY2(cte.ok(), qPrintable(cte.error));
    QCOMPARE(cte.plan.node(5)->estimateDirection, EstimateDirection::Under);
    QCOMPARE(cte.plan.node(5)->estimateBand, EstimateBand::Within10x);
    QVERIFY(near(cte.plan.node(5)->estimateFactor, 500.0 / 333.0));
}

void TestPlanAnalysis::hintsFindTheSeqScanTheShortAnnScanAndTheWrongOperator()
{
    const DatabaseSchema schema = vecsSchema();

    const Parsed seqSort = parse(SeqSortText);
    QVERIFY2(seqSort.ok(), qPrintable(seqSort.error));
    const QList<PlanHint> seqHints = planHints(seqSort.plan, schema);
    QCOMPARE(hintCodes(seqHints), QStringList{QStringLiteral("seq-scan-sort")});
    QCOMPARE(seqHints.first().nodeId, 1); // the Sort
    QCOMPARE(seqHints.first().severity, PlanHint::Severity::Warning);
    QVERIFY(seqHints.first().message.contains(QLatin1String("vecs_hnsw")));
    // Without the schema nobody knows about the index: no hint rather than a guess.
    QVERIFY(planHints(seqSort.plan, DatabaseSchema{}).isEmpty());

    const Parsed shortScan = parse(EfSearchShortText); // LIMIT 40 with hnsw.ef_search = 10
    QVERIFY2(shortScan.ok(), qPrintable(shortScan.error));
    const QList<PlanHint> shortHints = planHints(shortScan.plan, schema);
    QCOMPARE(hintCodes(shortHints), QStringList{QStringLiteral("ann-short")});
    QCOMPARE(shortHints.first().nodeId, 1); // the Index Scan
    QVERIFY(shortHints.first().message.contains(QLatin1String("ef_search")));
    QVERIFY(shortHints.first().fix.contains(QLatin1String("hnsw.ef_search")));

    const Parsed l2 = parse(L2SortText); // <-> against an index for <=>
    QVERIFY2(l2.ok(), qPrintable(l2.error));
    const QList<PlanHint> l2Hints = planHints(l2.plan, schema);
    QCOMPARE(hintCodes(l2Hints), QStringList{QStringLiteral("operator-mismatch")});
    QCOMPARE(l2Hints.first().severity, PlanHint::Severity::Critical);

    const Parsed hnsw = parse(HnswText); // the index served the LIMIT in full
    QVERIFY2(hnsw.ok(), qPrintable(hnsw.error));
    QVERIFY(planHints(hnsw.plan, schema).isEmpty());
}

void TestPlanAnalysis::comparePlansAlignsSeqScanWithIndexScan()
{
    const Parsed before = parse(SeqSortJson), after = parse(HnswJson);
    QVERIFY2(before.ok(), qPrintable(before.error));
    QVERIFY2(after.ok(), qPrintable(after.error));
    const PlanComparison c = comparePlans(before.plan, after.plan);
    // Limit = Limit; the Sort's place is the Index Scan's; the Seq Scan below the Sort is gone.
    QCOMPARE(c.nodes.size(), 3);
    QCOMPARE(c.nodes.at(0).change, PlanNodeDelta::Change::Same);
    QCOMPARE(c.nodes.at(0).after.label, QStringLiteral("Limit"));
    QCOMPARE(c.nodes.at(1).change, PlanNodeDelta::Change::Changed);
    QCOMPARE(c.nodes.at(1).before.label, QStringLiteral("Sort"));
    QCOMPARE(c.nodes.at(1).after.label, QStringLiteral("Index Scan using vecs_hnsw on vecs"));
    QCOMPARE(c.nodes.at(1).depth, 1);
    QCOMPARE(c.nodes.at(2).change, PlanNodeDelta::Change::Removed);
    QCOMPARE(c.nodes.at(2).before.label, QStringLiteral("Seq Scan on vecs"));
    QCOMPARE(c.nodes.at(2).after.nodeId, -1);
    QCOMPARE(c.same, 1);
    QCOMPARE(c.changed, 1);
    QCOMPARE(c.removed, 1);
    QCOMPARE(c.added, 0);
    QCOMPARE(c.totalBefore.inclusiveMs, before.plan.totalMs());
    QCOMPARE(c.totalAfter.inclusiveMs, after.plan.totalMs());
    QVERIFY(near(c.nodes.at(0).inclusiveMsDelta(), after.plan.root.inclusiveMs - before.plan.root.inclusiveMs));

    const QJsonObject json = planComparisonToJson(c);
    QCOMPARE(json.value(QStringLiteral("nodes")).toArray().size(), 3);
    QCOMPARE(json.value(QStringLiteral("counts")).toObject().value(QStringLiteral("removed")).toInt(), 1);
    QCOMPARE(planComparisonToText(c).size(), 1 + 3 + 2); // header, nodes, blank line and totals

    // The same plan read from both formats lines up node for node.
    const Parsed text = parse(SeqSortText);
    QVERIFY2(text.ok(), qPrintable(text.error));
    const PlanComparison same = comparePlans(text.plan, before.plan);
    QCOMPARE(same.same, 3);
    QCOMPARE(same.changed + same.removed + same.added, 0);
}

void TestPlanAnalysis::reportsCoverEveryNode()
{
    for (const char *fixture : {CteText, CteJson, ParallelText, ModifyingCteText, SeqSortText}) {
        const Parsed p = parse(fixture);
        QVERIFY2(p.ok(), qPrintable(p.error));
        const QList<PlanHint> hints = planHints(p.plan, vecsSchema());
        const QJsonObject json = planToJson(p.plan, hints);
        QCOMPARE(json.value(QStringLiteral("total_ms")).toDouble(), p.plan.totalMs());
        QCOMPARE(json.value(QStringLiteral("hints")).toArray().size(), hints.size());
        int count = 0;
        QList<QJsonObject> todo{json.value(QStringLiteral("plan")).toObject()};
        while (!todo.isEmpty()) {
            const QJsonObject node = todo.takeLast();
            ++count;
            for (const QJsonValue &child : node.value(QStringLiteral("children")).toArray())
                todo << child.toObject();
        }
        QCOMPARE(count, p.plan.nodes().size());
        const QStringList text = planToText(p.plan, hints);
        for (const PlanNode *n : p.plan.nodes())
            QVERIFY2(text.join(QLatin1Char('\n')).contains(n->label()), qPrintable(n->label()));
    }
}

void TestPlanAnalysis::longVectorLiteralsAreAbbreviated()
{
    QStringList values;
    for (int i = 0; i < 1536; ++i)
        values << QString::number(i % 7 * 0.125);
    const QString cond = QStringLiteral("(embedding <=> '[%1]'::vector)").arg(values.join(QLatin1Char(',')));
    QCOMPARE(abbreviateVectorLiterals(cond), QStringLiteral("(embedding <=> '[0,0.125,0.25,…1536 dims]'::vector)"));
    const QString shortOne = QStringLiteral("(embedding <-> '[1,2,3]'::vector)");
    QCOMPARE(abbreviateVectorLiterals(shortOne), shortOne);
}

QTEST_GUILESS_MAIN(TestPlanAnalysis)
#include "tst_plananalysis.moc"
