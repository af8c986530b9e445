// tests/db/tst_backfillwriter.cpp — how a claimed batch reaches the vector table: straight COPY
// for missing rows where that writes what the merge would, the temporary-table merge otherwise,
// and the fall-back from one to the other when a unique index objects.
#include "../support/TestCluster.h"

#include "backfill/BackfillWriter.h"
#include "connection/SqlLiterals.h"
#include "embeddings/LexicalHashingProvider.h"

using namespace vwb;

namespace {
constexpr int Dims = 8;

/// The reference design's shape at 8 dimensions: no unique index on the foreign key, updated_at
/// defaulting to CURRENT_TIMESTAMP. `key` is the content key's type.
QString tablesSql(const QString &key)
{
    return QStringLiteral(
               "CREATE TABLE topics (id %1 PRIMARY KEY, forum_name varchar, title varchar(255), content text, "
               "updated_at timestamptz DEFAULT CURRENT_TIMESTAMP); "
               "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id %1 REFERENCES topics (id), forum_name varchar, "
               "vector vector(%2), created_at timestamp DEFAULT CURRENT_TIMESTAMP, updated_at timestamp DEFAULT CURRENT_TIMESTAMP); "
               "CREATE INDEX topic_vectors_topic_id_idx ON topic_vectors (topic_id);")
        .arg(key)
        .arg(Dims);
}
} // namespace

class TestBackfillWriter : public QObject
{
    Q_OBJECT
private slots:
    void cleanup();
    void missingRowsAreCopiedStraightInWithForumAndTimestamps_data();
    void missingRowsAreCopiedStraightInWithForumAndTimestamps();
    void aVectorWrittenMeanwhileSendsTheBatchThroughTheMerge();
    void straightCopyOnlyWhereItWritesWhatTheMergeWould();
    void staleRowsAreUpdatedThroughTheMerge();

private:
    BackfillSql discover(BackfillMode mode);
    BackfillBatch batch(const QStringList &keys, const QStringList &forums);
    qint64 count(const QString &sql);

    const QString m_schema = QStringLiteral("tst_backfillwriter");
    std::unique_ptr<PgConnection> m_conn;
};

void TestBackfillWriter::cleanup()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

BackfillSql TestBackfillWriter::discover(BackfillMode mode)
{
    auto schema = discoverSchema(*m_conn);
    if (!schema.ok() || !schema.value().find(m_schema + QStringLiteral(".topics")))
        qFatal("no topics pair in %s", qPrintable(m_schema));
    BackfillOptions o;
    o.pair = *schema.value().find(m_schema + QStringLiteral(".topics"));
    o.mode = mode;
    auto sql = BackfillSql::discover(*m_conn, o);
    if (!sql.ok())
        qFatal("%s", qPrintable(sql.error().message));
    return sql.value();
}

BackfillBatch TestBackfillWriter::batch(const QStringList &keys, const QStringList &forums)
{
    LexicalHashingProvider lexical(Dims);
    BackfillBatch b{keys, forums, {}};
    for (const QString &k : keys)
        b.vectors << lexical.embedOne(QStringLiteral("text of topic ") + k).value();
    return b;
}

qint64 TestBackfillWriter::count(const QString &sql)
{
    auto r = m_conn->exec(sql);
    return r.ok() ? r.value().scalar().toLongLong() : (qWarning("%s: %s", qPrintable(sql), qPrintable(r.error().message)), -1);
}

void TestBackfillWriter::missingRowsAreCopiedStraightInWithForumAndTimestamps_data()
{
    QTest::addColumn<QString>("keyType");
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<bool>("binary");
    QTest::newRow("integer keys: binary COPY") << QStringLiteral("integer") << QStringList{"1", "2", "3"} << true;
    QTest::newRow("uuid keys: text COPY") << QStringLiteral("uuid")
                                          << QStringList{"00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002",
                                                         "00000000-0000-0000-0000-000000000003"}
                                          << false;
}

void TestBackfillWriter::missingRowsAreCopiedStraightInWithForumAndTimestamps()
{
    QFETCH(QString, keyType);
    QFETCH(QStringList, keys);
    QFETCH(bool, binary);
    test::resetSchema(m_schema, tablesSql(keyType));
    m_conn = test::connect(test::profileInSchema(m_schema));
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topics (id, forum_name, title) SELECT k, CASE WHEN n = 2 THEN NULL "
                                          "ELSE 'forum ' || n END, 'topic' FROM unnest($1::text[]::%1[]) WITH ORDINALITY AS u(k, n)")
                               .arg(keyType),
                           {textArrayLiteral(keys)}));
    const BackfillSql sql = discover(BackfillMode::Missing);
    QVERIFY(sql.directInsert);
    QCOMPARE(sql.binaryCopy, binary);

    // The forum names as the claim reads them: a NULL stays NULL, "\t" and "\\" survive text COPY.
    BackfillBatch b = batch(keys, {QStringLiteral("forum\t1"), QString(), QStringLiteral("forum \\3")});
    b.vectors[1].reset(); // a row the provider rejected: nothing written for it
    VERIFY_OK(m_conn->exec(QStringLiteral("BEGIN")));
    auto written = writeBackfillBatch(*m_conn, sql, BackfillMode::Missing, b);
    VERIFY_OK(written);
    VERIFY_OK(m_conn->exec(QStringLiteral("COMMIT")));
    QCOMPARE(written.value().inserted, 2);
    QCOMPARE(written.value().embedded, 2);
    QCOMPARE(written.value().updated, 0);

    auto rows = m_conn->exec(QStringLiteral("SELECT topic_id::text, forum_name, vector::text, updated_at IS NOT NULL, "
                                            "created_at IS NOT NULL FROM topic_vectors ORDER BY topic_id"));
    VERIFY_OK(rows);
    QCOMPARE(rows.value().rowCount(), 2);
    QCOMPARE(rows.value().value(0, 0), keys.at(0));
    QCOMPARE(rows.value().value(0, 1), QStringLiteral("forum\t1"));
    QCOMPARE(rows.value().value(1, 0), keys.at(2));
    QCOMPARE(rows.value().value(1, 1), QStringLiteral("forum \\3"));
    QCOMPARE(rows.value().value(0, 3), QStringLiteral("t"));
    QCOMPARE(rows.value().value(0, 4), QStringLiteral("t"));
    const QStringList stored = rows.value().value(0, 2).mid(1).chopped(1).split(QLatin1Char(','));
    QCOMPARE(stored.size(), Dims);
    for (int i = 0; i < Dims; ++i)
        QCOMPARE(stored.at(i).toFloat(), b.vectors.at(0)->at(i));

    // A NULL forum_name arrives as NULL.
    VERIFY_OK(m_conn->exec(QStringLiteral("BEGIN")));
    VERIFY_OK(writeBackfillBatch(*m_conn, sql, BackfillMode::Missing, batch({keys.at(1)}, {QString()})));
    VERIFY_OK(m_conn->exec(QStringLiteral("COMMIT")));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors WHERE forum_name IS NULL")), 1);
}

void TestBackfillWriter::aVectorWrittenMeanwhileSendsTheBatchThroughTheMerge()
{
    test::resetSchema(
        m_schema, tablesSql(QStringLiteral("integer"))
                      + QStringLiteral("CREATE UNIQUE INDEX topic_vectors_topic_id_unique ON topic_vectors (topic_id); "
                                       "INSERT INTO topics (id, forum_name, title) SELECT g, 'f', 't' FROM generate_series(1, 3) g;"));
    m_conn = test::connect(test::profileInSchema(m_schema));
    const BackfillSql sql = discover(BackfillMode::Missing);
    QVERIFY(sql.directInsert);
    // Another writer that takes no row lock (the application itself) got topic 2 in first.
    const QString placeholder = QStringLiteral("[1%1]").arg(QStringLiteral(",0").repeated(Dims - 1));
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) VALUES (2, 'f', $1)"), {placeholder}));

    VERIFY_OK(m_conn->exec(QStringLiteral("BEGIN")));
    auto written = writeBackfillBatch(*m_conn, sql, BackfillMode::Missing, batch({"1", "2", "3"}, {"f", "f", "f"}));
    VERIFY_OK(written);
    VERIFY_OK(m_conn->exec(QStringLiteral("COMMIT"))); // the transaction survived the failed COPY
    QCOMPARE(written.value().inserted, 2);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 3);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors WHERE topic_id = 2 AND vector = '%1'").arg(placeholder)), 1);
}

void TestBackfillWriter::straightCopyOnlyWhereItWritesWhatTheMergeWould()
{
    test::resetSchema(m_schema, tablesSql(QStringLiteral("integer")));
    m_conn = test::connect(test::profileInSchema(m_schema));
    QVERIFY(discover(BackfillMode::Missing).directInsert);
    QVERIFY(!discover(BackfillMode::Stale).directInsert); // updates: the merge's job
    QVERIFY(!discover(BackfillMode::All).directInsert);
    VERIFY_OK(m_conn->exec(QStringLiteral("ALTER TABLE topic_vectors ALTER COLUMN updated_at SET DEFAULT now()")));
    QVERIFY(discover(BackfillMode::Missing).directInsert);
    // The merge sets updated_at = now(); a COPY would leave NULL or some other default.
    VERIFY_OK(m_conn->exec(QStringLiteral("ALTER TABLE topic_vectors ALTER COLUMN updated_at DROP DEFAULT")));
    QVERIFY(!discover(BackfillMode::Missing).directInsert);
    VERIFY_OK(m_conn->exec(QStringLiteral("ALTER TABLE topic_vectors ALTER COLUMN updated_at SET DEFAULT '2000-01-01'")));
    QVERIFY(!discover(BackfillMode::Missing).directInsert);

    // Written the general way, the rows look the same: forum_name from the content row, updated_at now().
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topics (id, forum_name, title) VALUES (1, 'bread', 't'), (2, 'wine', 't')")));
    VERIFY_OK(m_conn->exec(QStringLiteral("BEGIN")));
    auto written = writeBackfillBatch(*m_conn, discover(BackfillMode::Missing), BackfillMode::Missing, batch({"1", "2"}, {}));
    VERIFY_OK(written);
    VERIFY_OK(m_conn->exec(QStringLiteral("COMMIT")));
    QCOMPARE(written.value().inserted, 2);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors v JOIN topics t ON t.id = v.topic_id "
                                  "WHERE v.forum_name = t.forum_name AND v.updated_at > '2001-01-01'")),
             2);
}

void TestBackfillWriter::staleRowsAreUpdatedThroughTheMerge()
{
    test::resetSchema(
        m_schema, tablesSql(QStringLiteral("bigint"))
                      + QStringLiteral("INSERT INTO topics (id, forum_name, title) SELECT g, 'new', 't' FROM generate_series(1, 2) g; "
                                       "INSERT INTO topic_vectors (topic_id, forum_name, updated_at) VALUES (1, 'old', '2000-01-01'), "
                                       "(1, 'old', '2000-01-01'), (2, 'old', '2000-01-01');"));
    m_conn = test::connect(test::profileInSchema(m_schema));
    const BackfillSql sql = discover(BackfillMode::Stale);
    VERIFY_OK(m_conn->exec(QStringLiteral("BEGIN")));
    auto written = writeBackfillBatch(*m_conn, sql, BackfillMode::Stale, batch({"1", "2"}, {}));
    VERIFY_OK(written);
    VERIFY_OK(m_conn->exec(QStringLiteral("COMMIT")));
    QCOMPARE(written.value().embedded, 2); // content rows
    QCOMPARE(written.value().updated, 3);  // vector rows, topic 1's duplicate included
    QCOMPARE(written.value().inserted, 0);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors WHERE forum_name = 'new' AND vector IS NOT NULL "
                                  "AND updated_at > '2001-01-01'")),
             3);
}

QTEST_GUILESS_MAIN(TestBackfillWriter)
#include "tst_backfillwriter.moc"
