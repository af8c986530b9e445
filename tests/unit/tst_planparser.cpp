// tests/unit/tst_planparser.cpp — EXPLAIN output from a real server read into plans: exclusive
// times that add up, loops and parallel workers, InitPlans/SubPlans/CTEs, JSON and text agreeing,
// psql's frame, and malformed input that errors without crashing. What is read off the plans
// (estimates, hints, comparisons, reports) is tst_plananalysis.
#include "PlanFixtures.h"

#include "plan/PlanCompare.h"
#include "plan/PlanMetrics.h"
#include "plan/PlanReport.h"
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>

using namespace vwb;
using namespace vwb::test;

namespace {
/// The first number after `label` in a plan as printed, read by pattern rather than by the parser
/// under test: the root's "actual time=S..T" in a text plan (the root comes first) or its "Actual
/// Total Time" in a JSON one (the top node's keys come before its children), and "Execution Time".
double printed(const QString &text, const QString &label)
{
    const QRegularExpression pattern(label == QLatin1String("root")
                                         ? QStringLiteral("(?:actual time=[0-9.]+\\.\\.|\"Actual Total Time\":\\s*)([0-9.]+)")
                                         : QStringLiteral("Execution Time\"?:\\s*([0-9.]+)"));
    const QRegularExpressionMatch m = pattern.match(text);
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}
} // namespace

class TestPlanParser : public QObject
{
    Q_OBJECT
private slots:
    void exclusiveTimesAddUpToTheTotal_data();
    void exclusiveTimesAddUpToTheTotal();
    void loopsMultiplyPerLoopTimes();
    void parallelTimesAreSpreadOverTheProcesses();
    void cteTimeIsChargedToTheScansThatReadIt();
    void initPlanTimeIsChargedWhereItsParameterIsRead();
    void subPlanTimeIsPartOfTheNodeThatRunsIt();
    void dataModifyingCteAddsToTheTotal();
    void neverExecutedNodesHaveNoTimeOrEstimate();
    void jsonAndTextAgree_data();
    void jsonAndTextAgree();
    void psqlFramedInputParses();
    void timingOffAndEstimateOnlyPlansParse();
    void verboseWorkerLinesStayWithTheirNode();
    void partitionTargetsOfAnUpdateAreRead();
    void malformedInputIsAnError_data();
    void malformedInputIsAnError();
    void deepButValidPlanParses();
};

void TestPlanParser::exclusiveTimesAddUpToTheTotal_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("rootIsTotal"); // false: work ran outside the root node
    const struct
    {
        const char *name;
        const char *text;
        bool rootIsTotal;
    } rows[] = {
        {"seq scan, text", SeqScanText, true},
        {"seq scan, json", SeqScanJson, true},
        {"nested loop, text", NestLoopText, true},
        {"nested loop, json", NestLoopJson, true},
        {"hash join, text", HashJoinText, true},
        {"hash join, json", HashJoinJson, true},
        {"cte, text", CteText, true},
        {"cte, json", CteJson, true},
        {"subplan, text", SubPlanText, true},
        {"subplan, json", SubPlanJson, true},
        {"parallel, text", ParallelText, true},
        {"parallel, json", ParallelJson, true},
        {"hnsw, text", HnswText, true},
        {"hnsw, json", HnswJson, true},
        {"seq scan + sort, text", SeqSortText, true},
        {"seq scan + sort, json", SeqSortJson, true},
        {"never executed, text", NeverExecutedText, true},
        {"never executed, json", NeverExecutedJson, true},
        {"initplan, text", InitPlanText, true},
        {"modifying cte, text", ModifyingCteText, false},
        {"psql frame, text", HnswPsql, true},
        {"psql frame, json", SeqSortPsqlJson, true},
    };
    for (const auto &r : rows)
        QTest::newRow(r.name) << QString::fromUtf8(r.text) << r.rootIsTotal;
}

void TestPlanParser::exclusiveTimesAddUpToTheTotal()
{
    QFETCH(QString, text);
    QFETCH(bool, rootIsTotal);
    auto parsed = PlanParser::parse(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    const Plan &plan = parsed.value();
    QVERIFY(plan.analyzed);
    const QList<const PlanNode *> nodes = plan.nodes();
    const double tolerance = 0.01 * double(nodes.size()); // times are printed to the microsecond
    double sum = 0, shares = 0;
    for (int i = 0; i < nodes.size(); ++i) {
        QCOMPARE(nodes.at(i)->id, i);
        QVERIFY2(nodes.at(i)->exclusiveMs >= 0, qPrintable(describe(*nodes.at(i))));
        QVERIFY2(nodes.at(i)->exclusiveMs <= nodes.at(i)->inclusiveMs + 1e-9, qPrintable(describe(*nodes.at(i))));
        sum += nodes.at(i)->exclusiveMs;
        shares += nodes.at(i)->share;
    }
    QVERIFY(plan.totalMs() > 0);
    QVERIFY2(near(sum, plan.totalMs(), tolerance), qPrintable(QStringLiteral("sum %1, total %2").arg(sum).arg(plan.totalMs())));
    QVERIFY(near(shares, 1.0, 1e-9));
    // Against the plan as printed, not against sums of the parser's own figures.
    const double root = printed(text, QStringLiteral("root")), execution = printed(text, QStringLiteral("execution"));
    QVERIFY(root > 0 && execution > 0);
    QVERIFY2(near(plan.root.inclusiveMs, root, 1e-9),
             qPrintable(QStringLiteral("root %1, printed %2").arg(plan.root.inclusiveMs).arg(root)));
    if (rootIsTotal)
        QVERIFY2(near(plan.totalMs(), root, tolerance),
                 qPrintable(QStringLiteral("total %1, printed root %2").arg(plan.totalMs()).arg(root)));
    else
        QVERIFY2(plan.totalMs() > root + 1e-3, qPrintable(QStringLiteral("total %1, printed root %2").arg(plan.totalMs()).arg(root)));
    QVERIFY(plan.totalMs() <= execution + tolerance); // start-up and shut-down come on top of the nodes' time
    QVERIFY(plan.planningMs > 0);
    QCOMPARE(plan.executionMs, execution);
}

void TestPlanParser::loopsMultiplyPerLoopTimes()
{
    const Parsed p = parse(NestLoopText);
    QVERIFY2(p.ok(), qPrintable(p.error));
    QCOMPARE(p.plan.nodes().size(), 4);
    // Nested Loop 1.895 ms: Index Scan 0.085 ms x 1, Bitmap Heap Scan 0.091 ms x 19 loops (above a
    // Bitmap Index Scan 0.007 ms x 19).
    const PlanNode *outer = p.plan.node(1), *heap = p.plan.node(2), *index = p.plan.node(3);
    QVERIFY(outer && heap && index);
    QCOMPARE(heap->label(), QStringLiteral("Bitmap Heap Scan on orders o"));
    QCOMPARE(heap->actualLoops, 19.0);
    QCOMPARE(heap->actualRows, 20.0); // per loop, as printed
    QVERIFY(near(heap->inclusiveMs, 0.091 * 19));
    QVERIFY(near(index->inclusiveMs, 0.007 * 19));
    QVERIFY(near(heap->exclusiveMs, 0.091 * 19 - 0.007 * 19));
    QVERIFY(near(p.plan.root.exclusiveMs, 1.895 - 0.085 - 0.091 * 19));
    QCOMPARE(PlanSide::of(*heap).rows, 380.0); // all loops
    QCOMPARE(heap->relationship, PlanRelation::Inner);
    QCOMPARE(outer->relationship, PlanRelation::Outer);
    QCOMPARE(heap->buffers.sharedHit, 416);
    QCOMPARE(heap->buffers.sharedRead, 2);
    QVERIFY(index->buffers.reported);
}

void TestPlanParser::parallelTimesAreSpreadOverTheProcesses()
{
    for (const char *text : {ParallelText, ParallelJson}) {
        const Parsed p = parse(text);
        QVERIFY2(p.ok(), qPrintable(p.error));
        // Finalize Aggregate > Gather (2 workers + the leader) > Partial Aggregate x 3 > Parallel Seq Scan x 3
        QCOMPARE(p.plan.nodes().size(), 4);
        const PlanNode *gather = p.plan.node(1), *partial = p.plan.node(2), *scan = p.plan.node(3);
        QCOMPARE(gather->nodeType, QStringLiteral("Gather"));
        QCOMPARE(gather->workersPlanned, 2);
        QCOMPARE(gather->workersLaunched, 2);
        QCOMPARE(gather->timeDivisor, 1.0);
        QCOMPARE(partial->label(), QStringLiteral("Partial Aggregate"));
        QCOMPARE(partial->actualLoops, 3.0);
        QCOMPARE(partial->timeDivisor, 3.0);
        QCOMPARE(scan->label(), QStringLiteral("Parallel Seq Scan on orders"));
        QVERIFY(scan->parallelAware);
        QCOMPARE(scan->timeDivisor, 3.0);
        // Summed over three processes and divided by them: one process's time, which fits inside
        // the Gather's wall-clock time.
        QVERIFY(near(partial->inclusiveMs, partial->actualTotalMs));
        QVERIFY(near(scan->inclusiveMs, scan->actualTotalMs));
        QVERIFY(partial->inclusiveMs <= gather->inclusiveMs);
        QVERIFY(near(gather->exclusiveMs, gather->actualTotalMs - partial->actualTotalMs));
        QCOMPARE(PlanSide::of(*scan).rows, 5933.0 * 3);
    }
}

void TestPlanParser::cteTimeIsChargedToTheScansThatReadIt()
{
    const Parsed p = parse(CteText);
    QVERIFY2(p.ok(), qPrintable(p.error));
    const Plan &plan = p.plan;
    // Hash Join 8.333 | CTE big: HashAggregate 7.374 > Seq Scan 2.908 | InitPlan 2: Aggregate 0.538 >
    // CTE Scan on big 0.464 | CTE Scan on big b 7.832 (Filter: s > $1) | Hash 0.365 > Seq Scan 0.153
    QCOMPARE(plan.nodes().size(), 8);
    const PlanNode *cte = plan.node(1), *init = plan.node(3), *innerScan = plan.node(4), *b = plan.node(5);
    QCOMPARE(cte->subplanName, QStringLiteral("CTE big"));
    QCOMPARE(cte->relationship, PlanRelation::InitPlan);
    QCOMPARE(cte->label(), QStringLiteral("HashAggregate"));
    QCOMPARE(init->subplanName, QStringLiteral("InitPlan 2 (returns $1)"));
    QCOMPARE(innerScan->label(), QStringLiteral("CTE Scan on big"));
    QCOMPARE(b->label(), QStringLiteral("CTE Scan on big b"));
    QCOMPARE(b->relationship, PlanRelation::Outer);
    QCOMPARE(plan.node(6)->relationship, PlanRelation::Inner);
    // The CTE ran inside both scans that read it (in proportion to their times); InitPlan 2 ran
    // inside the scan whose filter reads $1. Neither is subtracted from the Hash Join again.
    const double cteInB = 7.374 * 7.832 / (0.464 + 7.832), cteInInner = 7.374 * 0.464 / (0.464 + 7.832);
    QVERIFY2(near(b->exclusiveMs, 7.832 - cteInB - 0.538), qPrintable(describe(*b)));
    QVERIFY2(near(innerScan->exclusiveMs, 0.464 - cteInInner), qPrintable(describe(*innerScan)));
    QVERIFY2(near(plan.root.exclusiveMs, 8.333 - 7.832 - 0.365), qPrintable(describe(plan.root)));
    QVERIFY2(near(cte->exclusiveMs, 7.374 - 2.908), qPrintable(describe(*cte)));
    QVERIFY(near(plan.totalMs(), 8.333, 1e-6));
}

void TestPlanParser::initPlanTimeIsChargedWhereItsParameterIsRead()
{
    const Parsed p = parse(InitPlanText);
    QVERIFY2(p.ok(), qPrintable(p.error));
    // Limit 0.162 | InitPlan 2: Result 0.135 | InitPlan 1: Limit 0.133 > Index Only Scan Backward
    // 0.132 | Result 0.160 (One-Time Filter: ($1 > 5)) > Seq Scan 0.022
    QCOMPARE(p.plan.nodes().size(), 6);
    const PlanNode *init2 = p.plan.node(1), *backward = p.plan.node(3), *result = p.plan.node(4);
    QCOMPARE(init2->subplanName, QStringLiteral("InitPlan 2 (returns $1)"));
    QCOMPARE(p.plan.node(2)->subplanName, QStringLiteral("InitPlan 1 (returns $0)"));
    QCOMPARE(backward->label(), QStringLiteral("Index Only Scan Backward using orders_pkey on orders"));
    QCOMPARE(backward->scanDirection, QStringLiteral("Backward"));
    QVERIFY2(near(result->exclusiveMs, 0.160 - 0.022 - 0.135), qPrintable(describe(*result)));
    QVERIFY2(near(p.plan.root.exclusiveMs, 0.162 - 0.160), qPrintable(describe(p.plan.root)));
    // $0 is read in InitPlan 2's output, which the plan does not show: subtracted from its owner.
    QVERIFY2(near(init2->exclusiveMs, 0.135 - 0.133), qPrintable(describe(*init2)));
}

void TestPlanParser::subPlanTimeIsPartOfTheNodeThatRunsIt()
{
    const Parsed p = parse(SubPlanText);
    QVERIFY2(p.ok(), qPrintable(p.error));
    const PlanNode *sub = p.plan.node(1);
    QCOMPARE(sub->relationship, PlanRelation::SubPlan);
    QCOMPARE(sub->subplanName, QStringLiteral("SubPlan 1"));
    QCOMPARE(sub->actualLoops, 100.0);
    QVERIFY(near(sub->inclusiveMs, 0.040 * 100));
    QVERIFY2(near(p.plan.root.exclusiveMs, 4.221 - 0.040 * 100), qPrintable(describe(p.plan.root)));
    QCOMPARE(p.plan.root.rowsRemovedByFilter, 900.0);
    QCOMPARE(p.plan.root.filter, QStringLiteral("(region = 1)"));
}

void TestPlanParser::dataModifyingCteAddsToTheTotal()
{
    const Parsed p = parse(ModifyingCteText);
    QVERIFY2(p.ok(), qPrintable(p.error));
    // Result 0.002 | CTE ins: Insert on customers 0.540 > Result 0.008. Nothing reads ins: the
    // executor finished it after the last row, outside the root's 0.002 ms.
    const PlanNode *insert = p.plan.node(1);
    QCOMPARE(insert->nodeType, QStringLiteral("ModifyTable"));
    QCOMPARE(insert->operation, QStringLiteral("Insert"));
    QCOMPARE(insert->label(), QStringLiteral("Insert on customers"));
    QVERIFY(near(p.plan.root.exclusiveMs, 0.002));
    QVERIFY(near(insert->exclusiveMs, 0.540 - 0.008));
    QVERIFY(near(p.plan.totalMs(), 0.002 + 0.540));
    for (const PlanNode *n : p.plan.nodes())
        QVERIFY(n->share >= 0 && n->share <= 1);
}

void TestPlanParser::neverExecutedNodesHaveNoTimeOrEstimate()
{
    for (const char *text : {NeverExecutedText, NeverExecutedJson}) {
        const Parsed p = parse(text);
        QVERIFY2(p.ok(), qPrintable(p.error));
        QCOMPARE(p.plan.nodes().size(), 4);
        for (int id : {2, 3}) {
            const PlanNode *n = p.plan.node(id);
            QVERIFY(n->neverExecuted());
            QCOMPARE(n->inclusiveMs, 0.0);
            QCOMPARE(n->exclusiveMs, 0.0);
            QCOMPARE(n->estimateBand, EstimateBand::None);
            QCOMPARE(estimateText(*n), QStringLiteral("never"));
        }
        QVERIFY(!p.plan.node(1)->neverExecuted());
        QCOMPARE(p.plan.node(1)->actualRows, 0.0);
    }
}

void TestPlanParser::jsonAndTextAgree_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("json");
    QTest::newRow("seq scan") << QString::fromUtf8(SeqScanText) << QString::fromUtf8(SeqScanJson);
    QTest::newRow("nested loop") << QString::fromUtf8(NestLoopText) << QString::fromUtf8(NestLoopJson);
    QTest::newRow("hash join") << QString::fromUtf8(HashJoinText) << QString::fromUtf8(HashJoinJson);
    QTest::newRow("cte") << QString::fromUtf8(CteText) << QString::fromUtf8(CteJson);
    QTest::newRow("subplan") << QString::fromUtf8(SubPlanText) << QString::fromUtf8(SubPlanJson);
    QTest::newRow("parallel") << QString::fromUtf8(ParallelText) << QString::fromUtf8(ParallelJson);
    QTest::newRow("hnsw") << QString::fromUtf8(HnswText) << QString::fromUtf8(HnswJson);
    QTest::newRow("seq scan + sort") << QString::fromUtf8(SeqSortText) << QString::fromUtf8(SeqSortJson);
    QTest::newRow("never executed") << QString::fromUtf8(NeverExecutedText) << QString::fromUtf8(NeverExecutedJson);
    QTest::newRow("psql frames") << QString::fromUtf8(HnswPsql) << QString::fromUtf8(HnswJson);
    QTest::newRow("psql frame, json") << QString::fromUtf8(SeqSortText) << QString::fromUtf8(SeqSortPsqlJson);
}

void TestPlanParser::jsonAndTextAgree()
{
    QFETCH(QString, text);
    QFETCH(QString, json);
    auto fromText = PlanParser::parse(text);
    auto fromJson = PlanParser::parse(json);
    QVERIFY2(fromText.ok(), qPrintable(fromText.ok() ? QString() : fromText.error().message));
    QVERIFY2(fromJson.ok(), qPrintable(fromJson.ok() ? QString() : fromJson.error().message));
    const QList<const PlanNode *> a = fromText.value().nodes(), b = fromJson.value().nodes();
    QCOMPARE(a.size(), b.size());
    for (int i = 0; i < a.size(); ++i) {
        const PlanNode &t = *a.at(i), &j = *b.at(i);
        QCOMPARE(t.label(), j.label());
        QCOMPARE(t.nodeType, j.nodeType);
        QCOMPARE(t.joinType, j.joinType);
        QCOMPARE(t.strategy, j.strategy);
        QCOMPARE(t.partialMode, j.partialMode);
        QCOMPARE(t.relation, j.relation);
        QCOMPARE(t.alias, j.alias);
        QCOMPARE(t.indexName, j.indexName);
        QCOMPARE(t.cteName, j.cteName);
        QCOMPARE(t.parallelAware, j.parallelAware);
        QCOMPARE(t.relationship, j.relationship);
        QCOMPARE(t.subplanName, j.subplanName);
        QCOMPARE(t.depth, j.depth);
        QCOMPARE(t.planRows, j.planRows);
        QCOMPARE(t.totalCost, j.totalCost);
        QCOMPARE(t.actualRows, j.actualRows);
        QCOMPARE(t.actualLoops, j.actualLoops);
        QCOMPARE(t.neverExecuted(), j.neverExecuted());
        QCOMPARE(t.timeDivisor, j.timeDivisor);
        QCOMPARE(t.estimateBand, j.estimateBand);
        QCOMPARE(t.buffers.reported, j.buffers.reported);
        QCOMPARE(t.sortKey, j.sortKey);
        QCOMPARE(t.filter, j.filter);
        QCOMPARE(t.indexCond, j.indexCond);
        QCOMPARE(t.orderBy, j.orderBy);
        QCOMPARE(t.rowsRemovedByFilter, j.rowsRemovedByFilter);
        QCOMPARE(t.workersLaunched, j.workersLaunched);
    }
    QCOMPARE(fromText.value().analyzed, fromJson.value().analyzed);
}

void TestPlanParser::psqlFramedInputParses()
{
    const Parsed hnsw = parse(HnswPsql);
    QVERIFY2(hnsw.ok(), qPrintable(hnsw.error));
    QCOMPARE(hnsw.plan.nodes().size(), 2);
    QCOMPARE(hnsw.plan.node(1)->label(), QStringLiteral("Index Scan using vecs_hnsw on vecs"));
    QCOMPARE(hnsw.plan.node(1)->orderBy, QStringLiteral("(embedding <=> '[0.1,0.2,0.3]'::vector)"));
    QCOMPARE(hnsw.plan.planningMs, 1.099);
    QCOMPARE(hnsw.plan.executionMs, 1.303);
    bool planningBuffers = false;
    for (const auto &[key, value] : hnsw.plan.details)
        planningBuffers = planningBuffers || (key == QLatin1String("Planning Buffers") && value == QLatin1String("shared hit=98"));
    QVERIFY(planningBuffers);

    // As pasted from a session with \timing on.
    auto timed = PlanParser::parse(QString::fromUtf8(HnswPsql) + QStringLiteral("\n\nTime: 2.710 ms\n"));
    QVERIFY2(timed.ok(), qPrintable(timed.ok() ? QString() : timed.error().message));
    QCOMPARE(timed.value().nodes().size(), 2);

    const Parsed json = parse(SeqSortPsqlJson);
    QVERIFY2(json.ok(), qPrintable(json.error));
    QCOMPARE(json.plan.nodes().size(), 3);
    QCOMPARE(json.plan.node(2)->label(), QStringLiteral("Seq Scan on vecs"));
    QCOMPARE(json.plan.node(1)->sortKey, QStringList{QStringLiteral("((embedding <=> '[0.1,0.2,0.3]'::vector))")});

    const Parsed unaligned = parse(SeqScanUnaligned);
    QVERIFY2(unaligned.ok(), qPrintable(unaligned.error));
    QCOMPARE(unaligned.plan.nodes().size(), 1);
    QCOMPARE(unaligned.plan.root.label(), QStringLiteral("Seq Scan on customers"));
    QCOMPARE(unaligned.plan.root.rowsRemovedByFilter, 900.0);
    QCOMPARE(unaligned.plan.executionMs, 0.384);

    // Windows line ends and a pasted margin change nothing.
    QString pasted = QString::fromUtf8(NestLoopText);
    pasted = QStringLiteral("\n   ") + pasted.replace(QLatin1Char('\n'), QStringLiteral("\r\n   ")) + QStringLiteral("\r\n");
    auto fromPasted = PlanParser::parse(pasted);
    QVERIFY2(fromPasted.ok(), qPrintable(fromPasted.ok() ? QString() : fromPasted.error().message));
    QCOMPARE(fromPasted.value().nodes().size(), 4);
    QVERIFY(near(fromPasted.value().totalMs(), 1.895));
    QCOMPARE(fromPasted.value().executionMs, 2.159);
    QCOMPARE(fromPasted.value().root.buffers.sharedHit, 419); // not the planning's 179
    QCOMPARE(fromPasted.value().root.buffers.sharedRead, 2);
}

void TestPlanParser::timingOffAndEstimateOnlyPlansParse()
{
    const Parsed untimed = parse(TimingOffText);
    QVERIFY2(untimed.ok(), qPrintable(untimed.error));
    QVERIFY(untimed.plan.analyzed);
    QCOMPARE(untimed.plan.nodes().size(), 4);
    for (const PlanNode *n : untimed.plan.nodes()) {
        QVERIFY(n->analyzed && !n->timed && !n->hasCosts);
        QCOMPARE(n->inclusiveMs, 0.0);
        QCOMPARE(n->estimateBand, EstimateBand::None); // no estimate to hold the rows against
    }
    QCOMPARE(untimed.plan.root.actualRows, 380.0);
    QCOMPARE(untimed.plan.node(3)->label(), QStringLiteral("Index Scan using customers_pkey on customers c"));
    QCOMPARE(untimed.plan.totalMs(), 0.0);
    QCOMPARE(untimed.plan.executionMs, 9.865);

    const Parsed estimated = parse(EstimateOnlyText);
    QVERIFY2(estimated.ok(), qPrintable(estimated.error));
    QVERIFY(!estimated.plan.analyzed);
    QCOMPARE(estimated.plan.nodes().size(), 4);
    QCOMPARE(estimated.plan.root.totalCost, 370.57);
    QCOMPARE(estimated.plan.root.planRows, 380.0);
    QCOMPARE(estimated.plan.node(2)->relationship, PlanRelation::Inner);
    QCOMPARE(estimated.plan.planningMs, -1.0);
    QCOMPARE(estimated.plan.totalMs(), 0.0);
    QVERIFY(planToText(estimated.plan, {}).first().contains(QLatin1String("cost")));
    QVERIFY(planToJson(estimated.plan, {}).value(QStringLiteral("plan")).toObject().value(QStringLiteral("rows")).isNull());
}

void TestPlanParser::verboseWorkerLinesStayWithTheirNode()
{
    const Parsed p = parse(ParallelVerboseText);
    QVERIFY2(p.ok(), qPrintable(p.error));
    // Finalize Aggregate > Gather > Partial Aggregate > Nested Loop > (Parallel Seq Scan, Index Only Scan)
    QCOMPARE(p.plan.nodes().size(), 6);
    const PlanNode *partial = p.plan.node(2), *scan = p.plan.node(4), *inner = p.plan.node(5);
    QCOMPARE(scan->schema, QStringLiteral("public"));
    QCOMPARE(scan->relation, QStringLiteral("customers"));
    QCOMPARE(scan->alias, QStringLiteral("c"));
    QCOMPARE(scan->label(), QStringLiteral("Parallel Seq Scan on public.customers c"));
    QCOMPARE(scan->filter, QStringLiteral("(c.region = 3)"));
    QCOMPARE(scan->buffers.sharedHit, 6);
    QStringList workers;
    for (const auto &[key, value] : partial->details) {
        if (key.startsWith(QLatin1String("Worker ")))
            workers << key;
    }
    QCOMPARE(workers, (QStringList{QStringLiteral("Worker 0"), QStringLiteral("Worker 1")}));
    QCOMPARE(partial->buffers.sharedHit, 207); // its own line, not a worker's
    // 100 inner loops over three processes: a third of the summed time each.
    QCOMPARE(inner->actualLoops, 100.0);
    QCOMPARE(inner->timeDivisor, 3.0);
    QVERIFY(near(inner->inclusiveMs, 0.006 * 100 / 3));
    QCOMPARE(inner->indexCond, QStringLiteral("(o.customer_id = c.id)"));
    double sum = 0;
    for (const PlanNode *n : p.plan.nodes())
        sum += n->exclusiveMs;
    QVERIFY(near(sum, p.plan.root.inclusiveMs, 0.06));
}

void TestPlanParser::partitionTargetsOfAnUpdateAreRead()
{
    const Parsed p = parse(PartitionedUpdateText);
    QVERIFY2(p.ok(), qPrintable(p.error));
    QCOMPARE(p.plan.root.label(), QStringLiteral("Update on parted"));
    QStringList targets;
    for (const auto &[key, value] : p.plan.root.details) {
        if (key == QLatin1String("Target Table"))
            targets << value;
    }
    QCOMPARE(targets, (QStringList{QStringLiteral("Update on parted_1"), QStringLiteral("Update on parted_2")}));
    QCOMPARE(p.plan.root.buffers.sharedHit, 224);
    QCOMPARE(p.plan.nodes().size(), 4);
    QCOMPARE(p.plan.node(1)->nodeType, QStringLiteral("Append"));
    QCOMPARE(p.plan.node(2)->relationship, PlanRelation::Member);
    QCOMPARE(p.plan.node(3)->relationship, PlanRelation::Member);
    QVERIFY(near(p.plan.node(1)->exclusiveMs, 0.065 - 0.037 - 0.018));
}

void TestPlanParser::malformedInputIsAnError_data()
{
    QTest::addColumn<QByteArray>("input");
    const QByteArray nestLoop(NestLoopText), cte(CteJson);
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("blank") << QByteArray("  \n\r\n\t ");
    QTest::newRow("psql frame, no rows") << QByteArray(" QUERY PLAN \n------------\n(0 rows)\n");
    QTest::newRow("truncated json") << cte.left(cte.size() / 2);
    QTest::newRow("empty object in a list") << QByteArray("[{}]");
    QTest::newRow("empty list") << QByteArray("[]");
    QTest::newRow("plan not an object") << QByteArray(R"([{"Plan": 5}])");
    QTest::newRow("node type not a string") << QByteArray(R"({"Node Type": 7})");
    QTest::newRow("negative loops") << QByteArray(R"([{"Plan": {"Node Type": "Seq Scan", "Actual Loops": -1}}])");
    QTest::newRow("huge cost") << QByteArray(R"([{"Plan": {"Node Type": "Result", "Total Cost": 1e300}}])");
    QTest::newRow("child not an object") << QByteArray(R"([{"Plan": {"Node Type": "Result", "Plans": [1]}}])");
    QTest::newRow("plans not a list") << QByteArray(R"([{"Plan": {"Node Type": "Result", "Plans": {}}}])");
    QTest::newRow("sort key of numbers") << QByteArray(R"([{"Plan": {"Node Type": "Sort", "Sort Key": [1]}}])");
    QTest::newRow("text garbage") << QByteArray("hello world");
    QTest::newRow("truncated text") << nestLoop.left(nestLoop.indexOf("rows=19") + 4);
    QTest::newRow("unreadable actual") << QByteArray("Seq Scan on t  (cost=0.00..1.00 rows=1 width=4) (actual time=abc rows=1 loops=1)");
    QTest::newRow("initplan without a plan") << QByteArray("Result  (cost=0.00..0.01 rows=1 width=4)\n  InitPlan 1 (returns $0)\n");
    QTest::newRow("trailer without colon") << QByteArray("Result  (cost=0.00..0.01 rows=1 width=4)\nthat was it");
    QTest::newRow("deep json, 5000 levels") << nestedJsonPlan(5000);
    QTest::newRow("deep text, 5000 levels") << nestedTextPlan(5000).toUtf8();
    QRandomGenerator random(20240611);
    for (int size : {1, 7, 64, 1000, 65536}) {
        QByteArray bytes(size, Qt::Uninitialized);
        for (char &b : bytes)
            b = char(random.bounded(256));
        QTest::newRow(qPrintable(QStringLiteral("random bytes, %1").arg(size))) << bytes;
        QTest::newRow(qPrintable(QStringLiteral("random bytes after [, %1").arg(size))) << QByteArray("[") + bytes;
    }
}

void TestPlanParser::malformedInputIsAnError()
{
    QFETCH(QByteArray, input);
    const auto text = PlanParser::parse(QString::fromUtf8(input));
    QVERIFY(!text.ok());
    QVERIFY(!text.error().message.isEmpty());
    QCOMPARE(text.error().kind, Error::Kind::Invalid);
    QVERIFY(!PlanParser::parseJson(input).ok());
}

void TestPlanParser::deepButValidPlanParses()
{
    const int depth = 900; // below PlanParser::MaxDepth: every recursion over the plan gets this deep
    auto parsed = PlanParser::parse(nestedTextPlan(depth));
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    const Plan &plan = parsed.value();
    QCOMPARE(plan.nodes().size(), depth);
    QCOMPARE(plan.nodes().last()->depth, depth - 1);
    QVERIFY(near(plan.totalMs(), 0.002));
    QVERIFY(near(plan.nodes().last()->exclusiveMs, 0.002));
    QCOMPARE(comparePlans(plan, plan).same, depth);
    QCOMPARE(planToText(plan, {}).size(), depth + 4); // header, nodes, blank, totals, footnote
    QVERIFY(planToJson(plan, planHints(plan, vecsSchema())).contains(QStringLiteral("plan")));
}

QTEST_GUILESS_MAIN(TestPlanParser)
#include "tst_planparser.moc"
