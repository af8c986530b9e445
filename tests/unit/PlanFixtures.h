// tests/unit/PlanFixtures.h — plans captured from PostgreSQL 15 + pgvector 0.8 (tests/data/plans)
// and the helpers the plan tests share.
#pragma once

#include "plan/PlanHints.h"
#include "plan/PlanParser.h"
#include <QFile>
#include <QTest>
#include <map>
#include <string>

namespace vwb::test {

/// A plan captured from PostgreSQL 15 + pgvector 0.8 (psql output, JSON or text) in
/// tests/data/plans; loaded once, alive for the whole run.
inline const char *fixture(const char *file)
{
    static std::map<std::string, QByteArray> loaded;
    QByteArray &data = loaded[file];
    if (data.isEmpty()) {
        QFile f(QStringLiteral(VWB_TEST_DATA "/plans/") + QLatin1String(file));
        if (!f.open(QIODevice::ReadOnly))
            qFatal("missing plan fixture %s", file);
        data = f.readAll();
    }
    return data.constData();
}

// Captured with psql from PostgreSQL 15.20 and pgvector 0.8.0 (EXPLAIN (ANALYZE, BUFFERS) and
// EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON): two runs, so times differ, rows and loops do not) on
//   customers (id int PRIMARY KEY, name text, region int): 1000 rows, region = id % 10
//   orders (id int PRIMARY KEY, customer_id int, amount numeric): 20000 rows, INDEX orders_customer
//   vecs (id int PRIMARY KEY, embedding vector(3)): 2000 rows, INDEX vecs_hnsw USING hnsw
//     (embedding vector_cosine_ops)
// followed by ANALYZE. Each fixture's query is in the comment above it.

// SELECT * FROM customers WHERE region = 3
inline const char *const SeqScanText = fixture("seq-scan-text.txt");
inline const char *const SeqScanJson = fixture("seq-scan-json.json");

// SET enable_hashjoin = off; SET enable_mergejoin = off;
//   SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id < 20
inline const char *const NestLoopText = fixture("nest-loop-text.txt");
inline const char *const NestLoopJson = fixture("nest-loop-json.json");

// SELECT c.region, sum(o.amount) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.region
inline const char *const HashJoinText = fixture("hash-join-text.txt");
inline const char *const HashJoinJson = fixture("hash-join-json.json");

// WITH big AS MATERIALIZED (SELECT customer_id, sum(amount) s FROM orders GROUP BY customer_id)
//   SELECT c.name, b.s FROM big b JOIN customers c ON c.id = b.customer_id WHERE b.s > (SELECT avg(s) FROM big)
inline const char *const CteText = fixture("cte-text.txt");
inline const char *const CteJson = fixture("cte-json.json");

// SELECT c.name, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) FROM customers c WHERE c.region = 1
inline const char *const SubPlanText = fixture("sub-plan-text.txt");
inline const char *const SubPlanJson = fixture("sub-plan-json.json");

// SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
//   SELECT count(*), sum(amount) FROM orders WHERE amount > 10
inline const char *const ParallelText = fixture("parallel-text.txt");
inline const char *const ParallelJson = fixture("parallel-json.json");

// SET enable_seqscan = off; SELECT id FROM vecs ORDER BY embedding <=> '[0.1,0.2,0.3]' LIMIT 5
inline const char *const HnswText = fixture("hnsw-text.txt");
inline const char *const HnswJson = fixture("hnsw-json.json");

// SET enable_indexscan = off; SELECT id FROM vecs ORDER BY embedding <=> '[0.1,0.2,0.3]' LIMIT 5
inline const char *const SeqSortText = fixture("seq-sort-text.txt");
inline const char *const SeqSortJson = fixture("seq-sort-json.json");

// SET enable_hashjoin = off; SET enable_mergejoin = off;
//   SELECT * FROM (SELECT * FROM customers WHERE id < 0) c JOIN orders o ON o.customer_id = c.id
inline const char *const NeverExecutedText = fixture("never-executed-text.txt");
inline const char *const NeverExecutedJson = fixture("never-executed-json.json");

// SET hnsw.ef_search = 10; SELECT id FROM vecs ORDER BY embedding <=> '[0.1,0.2,0.3]' LIMIT 40
inline const char *const EfSearchShortText = fixture("ef-search-short-text.txt");

// SELECT id FROM vecs ORDER BY embedding <-> '[0.1,0.2,0.3]' LIMIT 5   (the index serves <=>)
inline const char *const L2SortText = fixture("l2-sort-text.txt");

// SELECT * FROM customers WHERE region = 3 AND id % 10 = 3 AND name LIKE 'c%'
inline const char *const MisestimateText = fixture("misestimate-text.txt");

// SELECT * FROM customers WHERE (SELECT max(id) FROM orders) > 5 LIMIT 3
inline const char *const InitPlanText = fixture("init-plan-text.txt");

// WITH ins AS (INSERT INTO customers VALUES (5001, 'x', 1) RETURNING *) SELECT 1
inline const char *const ModifyingCteText = fixture("modifying-cte-text.txt");

// The same queries as psql prints them: aligned (a frame, "+" marking wrapped JSON) and -A.
inline const char *const HnswPsql = fixture("hnsw-psql.txt");
inline const char *const SeqSortPsqlJson = fixture("seq-sort-psql-json.json");
inline const char *const SeqScanUnaligned = fixture("seq-scan-unaligned.txt");

// SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
//   EXPLAIN (ANALYZE, BUFFERS, VERBOSE)
//   SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.region = 3
inline const char *const ParallelVerboseText = fixture("parallel-verbose-text.txt");

// parted (id int, v int) PARTITION BY RANGE (id), parted_1 and parted_2 holding 100 rows each;
//   BEGIN; EXPLAIN (ANALYZE, BUFFERS) UPDATE parted SET v = v + 1 WHERE v % 2 = 0; ROLLBACK;
inline const char *const PartitionedUpdateText = fixture("partitioned-update-text.txt");

// The nested loop's join with its default plan: EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF), and EXPLAIN.
inline const char *const TimingOffText = fixture("timing-off-text.txt");
inline const char *const EstimateOnlyText = fixture("estimate-only-text.txt");

struct Parsed
{
    Plan plan;
    QString error;
    bool ok() const { return error.isEmpty(); }
};

inline Parsed parse(const char *text)
{
    auto plan = PlanParser::parse(QString::fromUtf8(text));
    if (!plan.ok())
        return {{}, plan.error().message.isEmpty() ? QStringLiteral("(an error without a message)") : plan.error().message};
    return {plan.value(), {}};
}

inline bool near(double a, double b, double tolerance = 1e-9)
{
    return qAbs(a - b) <= tolerance;
}

inline QString describe(const PlanNode &n)
{
    return QStringLiteral("#%1 %2: incl %3 excl %4").arg(n.id).arg(n.label()).arg(n.inclusiveMs, 0, 'f', 4).arg(n.exclusiveMs, 0, 'f', 4);
}

/// What the plan's pgvector hints know about vecs: an HNSW index for cosine distance.
inline DatabaseSchema vecsSchema()
{
    VectorIndex hnsw;
    hnsw.name = QStringLiteral("vecs_hnsw");
    hnsw.method = QStringLiteral("hnsw");
    hnsw.opclass = QStringLiteral("vector_cosine_ops");
    VectorColumn column;
    column.name = QStringLiteral("embedding");
    column.type = QStringLiteral("vector");
    column.dimensions = 3;
    column.indexes << hnsw;
    ContentPair pair;
    pair.content = {QStringLiteral("public"), QStringLiteral("vecs")};
    pair.vectors = pair.content;
    pair.columns << column;
    DatabaseSchema schema;
    schema.pairs << pair;
    return schema;
}

inline QStringList hintCodes(const QList<PlanHint> &hints)
{
    QStringList out;
    for (const PlanHint &h : hints)
        out << h.code;
    return out;
}

/// A plan `depth` nodes deep, one Result inside the other, each child one column further in.
inline QString nestedTextPlan(int depth)
{
    const QString figures = QStringLiteral("  (cost=0.00..0.01 rows=1 width=4) (actual time=0.001..0.002 rows=1 loops=1)");
    QString out = QStringLiteral("Result") + figures;
    for (int level = 1; level < depth; ++level)
        out += QLatin1Char('\n') + QString(level, QLatin1Char(' ')) + QStringLiteral("->  Result") + figures;
    return out + QStringLiteral("\nPlanning Time: 0.010 ms\nExecution Time: 0.020 ms");
}

inline QByteArray nestedJsonPlan(int depth)
{
    QByteArray out = "[{\"Plan\": ";
    for (int level = 1; level < depth; ++level)
        out += "{\"Node Type\": \"Result\", \"Plans\": [";
    out += "{\"Node Type\": \"Result\"}";
    for (int level = 1; level < depth; ++level)
        out += "]}";
    return out + "}]";
}
} // namespace vwb::test
