// tests/unit/tst_queryadvice.cpp — what a vector query's text says about index use, and the
// index-friendly rewrite of the reference design's search (no database).
#include "advice/QueryAdvice.h"
#include <QTest>

using namespace vwb;

namespace {
// The reference service's search as pg_stat_statements records it (Knex's ? become $n).
const QString Reference = QStringLiteral(
    "\n      SELECT \n        v.topic_id,\n        t.*,\n        1 / (1 + (v.vector <-> $1::vector)) as similarity\n"
    "      FROM topic_vectors v\n      JOIN topics t ON t.id = v.topic_id \n      WHERE LOWER(v.forum_name) = LOWER($2)\n"
    "      AND 1 / (1 + (v.vector <-> $3::vector)) >= $4\n      ORDER BY similarity DESC\n      LIMIT $5\n    ");

DatabaseSchema schemaWith(const QString &opclass)
{
    ContentPair p;
    p.content = {QStringLiteral("public"), QStringLiteral("topics")};
    p.vectors = {QStringLiteral("public"), QStringLiteral("topic_vectors")};
    p.foreignKey = QStringLiteral("topic_id");
    VectorColumn c;
    c.name = QStringLiteral("vector");
    c.type = QStringLiteral("vector");
    c.dimensions = 1536;
    c.indexes << VectorIndex{QStringLiteral("topic_vectors_vector_hnsw_idx"),
                             QStringLiteral("hnsw"),
                             opclass,
                             true,
                             {},
                             QStringLiteral("vector(1536)"),
                             false,
                             false};
    p.columns << c;
    DatabaseSchema s;
    s.pairs << p;
    return s;
}
} // namespace

class TestQueryAdvice : public QObject
{
    Q_OBJECT
private slots:
    void referenceSearchCanUseNoIndexAndSaysWhy();
    void referenceSearchIsRewrittenForTheIndex();
    void nearestNeighbourShapeIsServedByAMatchingIndex();
    void otherShapesGetNoRewrite_data();
    void otherShapesGetNoRewrite();
};

void TestQueryAdvice::referenceSearchCanUseNoIndexAndSaysWhy()
{
    const QueryAdvice a = adviseVectorQuery(Reference, schemaWith(QStringLiteral("vector_cosine_ops")));
    QCOMPARE(a.op, QStringLiteral("<->"));
    QCOMPARE(a.table, QStringLiteral("topic_vectors"));
    QCOMPARE(a.column, QStringLiteral("vector"));
    QVERIFY(!a.ordersByDistance);
    QVERIFY(!a.indexable());
    QCOMPARE(a.reasons.size(), 2);
    QVERIFY2(a.reasons.at(0).startsWith(QLatin1String("it orders by similarity DESC")), qPrintable(a.reasons.at(0)));
    QVERIFY2(a.reasons.at(1).contains(QLatin1String("topic_vectors_vector_hnsw_idx serves <=>")), qPrintable(a.reasons.at(1)));
    QCOMPARE(a.suggestedIndex, QStringLiteral("CREATE INDEX CONCURRENTLY ON topic_vectors USING hnsw (vector vector_l2_ops)"));
}

void TestQueryAdvice::referenceSearchIsRewrittenForTheIndex()
{
    QString note;
    const QString rewrite = indexFriendlyRewrite(Reference, &note);
    QCOMPARE(rewrite, QStringLiteral("SELECT nearest.topic_id, t.*, 1 / (1 + nearest.distance) AS similarity\n"
                                     "FROM (\n"
                                     "    SELECT v.*, v.vector <-> $1::vector AS distance\n"
                                     "    FROM topic_vectors v\n"
                                     "    WHERE LOWER(v.forum_name) = LOWER($2)\n"
                                     "    ORDER BY v.vector <-> $1::vector\n"
                                     "    LIMIT $3\n"
                                     ") nearest\n"
                                     "JOIN topics t ON t.id = nearest.topic_id\n"
                                     "WHERE 1 / (1 + nearest.distance) >= $4\n"
                                     "ORDER BY nearest.distance"));
    QVERIFY2(note.contains(QLatin1String("$3 = the original $5")) && note.contains(QLatin1String("$4 = the original $4")),
             qPrintable(note));
    // With the index the rewrite asks for, the advice for it is clean.
    const QueryAdvice a = adviseVectorQuery(rewrite, schemaWith(QStringLiteral("vector_l2_ops")));
    QVERIFY(a.ordersByDistance);
    QCOMPARE(a.servedBy, QStringLiteral("topic_vectors_vector_hnsw_idx"));
    QVERIFY2(a.reasons.isEmpty(), qPrintable(a.reasons.join(QLatin1Char('\n'))));
}

void TestQueryAdvice::nearestNeighbourShapeIsServedByAMatchingIndex()
{
    const QString sql = QStringLiteral("SELECT topic_id FROM topic_vectors ORDER BY vector <=> $1 LIMIT $2");
    QueryAdvice a = adviseVectorQuery(sql, schemaWith(QStringLiteral("vector_cosine_ops")));
    QVERIFY(a.indexable());
    QVERIFY(a.reasons.isEmpty());
    QVERIFY(a.suggestedIndex.isEmpty());
    QVERIFY(a.rewrite.isEmpty());
    a = adviseVectorQuery(sql, schemaWith(QStringLiteral("vector_ip_ops")));
    QVERIFY(a.ordersByDistance);
    QVERIFY(!a.indexable());
    QCOMPARE(a.suggestedIndex, QStringLiteral("CREATE INDEX CONCURRENTLY ON topic_vectors USING hnsw (vector vector_cosine_ops)"));
    QVERIFY(adviseVectorQuery(QStringLiteral("SELECT 1"), schemaWith(QStringLiteral("vector_cosine_ops"))).op.isEmpty());
}

void TestQueryAdvice::otherShapesGetNoRewrite_data()
{
    QTest::addColumn<QString>("sql");
    QTest::newRow("already nearest-first") << "SELECT id FROM topic_vectors ORDER BY vector <-> $1 LIMIT 5";
    QTest::newRow("no threshold") << "SELECT v.topic_id, 1 / (1 + (v.vector <-> $1)) AS s FROM topic_vectors v JOIN topics t "
                                     "ON t.id = v.topic_id WHERE v.forum_name = $2 ORDER BY s DESC LIMIT $3";
    QTest::newRow("ascending") << "SELECT v.topic_id, 1 / (1 + (v.vector <-> $1)) AS s FROM topic_vectors v JOIN topics t "
                                  "ON t.id = v.topic_id WHERE 1 / (1 + (v.vector <-> $1)) >= $2 ORDER BY s ASC LIMIT $3";
}

void TestQueryAdvice::otherShapesGetNoRewrite()
{
    QFETCH(QString, sql);
    QCOMPARE(indexFriendlyRewrite(sql), QString());
}

QTEST_GUILESS_MAIN(TestQueryAdvice)
#include "tst_queryadvice.moc"
