// tests/db/tst_browsequery.cpp — schema discovery and keyset paging on the test cluster, in a
// schema of its own built by the workbench's own migrations.
#include "../support/TestCluster.h"

#include "browse/ContentRecord.h"
#include "browse/BrowseExport.h"
#include "browse/CreatedSpan.h"
#include "migrations/MigrationRunner.h"
#include "connection/DatabaseUrl.h"
#include <QBuffer>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>

using namespace vwb;

class TestBrowseQuery : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void discoversPairsThroughForeignKeysNotNames();
    void pagesMissAndRepeatNoRowWhileRowsArrive_data();
    void pagesMissAndRepeatNoRowWhileRowsArrive();
    void aPageAtAnyPositionIsThePageReachedFromTheStart_data();
    void aPageAtAnyPositionIsThePageReachedFromTheStart();
    void hostileTextFiltersMatchLiterally_data();
    void hostileTextFiltersMatchLiterally();
    void forumFilterIsExact();
    void staleAndMissingVectorsAreFound();
    void recordJoinsContentAndVector();
    void pageQueryUsesNoOffset();
    void textFilterIsAnsweredFromTheTrigramIndexes();
    void cliPagesChainWithoutGapsOrRepeats();
    void createdSpanComesFromAnIndexOrTheStatistics();
    void anExportWritesEveryMatchingRowAPageAtATime();

private:
    ContentPair topics();
    bool seedTiesAndNulls();
    QString m_schema = QStringLiteral("tst_browse");
    std::unique_ptr<PgConnection> m_conn;
    DatabaseSchema m_discovered;
};

void TestBrowseQuery::initTestCase()
{
    auto admin = test::connect();
    QVERIFY(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1;").arg(m_schema)).ok());
    ConnectionProfile p = test::clusterProfile();
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    auto conn = PgConnection::open(p);
    QVERIFY(conn.ok());
    m_conn = std::move(conn).value();
    auto files = scanMigrations(QStringLiteral(VWB_TEST_DATA "/../../migrations"));
    QVERIFY(files.ok());
    MigrationRunner runner(*m_conn);
    auto plan = planMigrations(runner.status(files.value()).value(), files.value(), {MigrationAction::Latest, {}});
    QVERIFY(plan.ok());
    auto ran = runner.run(plan.value());
    QVERIFY2(ran.ok(), qPrintable(ran.ok() ? QString() : ran.error().message + ran.error().detail));
    // Extra shapes discovery must tell apart: content with an inline vector, and a bare vector table.
    QVERIFY(m_conn
                ->execScript(QStringLiteral("CREATE TABLE docs (id serial PRIMARY KEY, content text, embedding vector(3));"
                                            "CREATE TABLE stray_vectors (id serial PRIMARY KEY, v vector(4));"))
                .ok());
    auto schema = discoverSchema(*m_conn);
    QVERIFY(schema.ok());
    m_discovered = schema.value();
}

void TestBrowseQuery::cleanupTestCase()
{
    m_conn.reset();
    auto admin = test::connect();
    QVERIFY(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(m_schema)).ok());
}

ContentPair TestBrowseQuery::topics()
{
    for (const ContentPair &p : m_discovered.pairs)
        if (p.content == TableRef{m_schema, QStringLiteral("topics")})
            return p;
    qFatal("topics not discovered");
}

void TestBrowseQuery::discoversPairsThroughForeignKeysNotNames()
{
    QList<ContentPair> mine;
    for (const ContentPair &p : m_discovered.pairs)
        if (p.content.schema == m_schema)
            mine << p;
    QCOMPARE(mine.size(), 3);
    QCOMPARE(mine.at(0).content.name, QStringLiteral("topics"));
    QCOMPARE(mine.at(0).vectors.name, QStringLiteral("topic_vectors"));
    QCOMPARE(mine.at(0).foreignKey, QStringLiteral("topic_id"));
    QCOMPARE(mine.at(1).content.name, QStringLiteral("posts"));
    QCOMPARE(mine.at(1).foreignKey, QStringLiteral("post_id"));
    const VectorColumn &col = mine.at(0).columns.first();
    QCOMPARE(col.name, QStringLiteral("vector"));
    QCOMPARE(col.dimensions, 1536);
    QVERIFY(col.hasAnnIndex());
    const auto hnsw = std::find_if(col.indexes.begin(), col.indexes.end(),
                                   [](const VectorIndex &i) { return i.method == QLatin1String("hnsw"); });
    QVERIFY(hnsw != col.indexes.end());
    QCOMPARE(hnsw->opclass, QStringLiteral("vector_cosine_ops"));
    QCOMPARE(hnsw->distanceOperator(), QStringLiteral("<=>"));
    QVERIFY(mine.at(2).isInline());
    QCOMPARE(mine.at(2).content.name, QStringLiteral("docs"));
    QCOMPARE(mine.at(2).columns.first().dimensions, 3);
    QVERIFY(m_discovered.unpairedVectorTables.contains(TableRef{m_schema, QStringLiteral("stray_vectors")}));
}

void TestBrowseQuery::pagesMissAndRepeatNoRowWhileRowsArrive_data()
{
    QTest::addColumn<int>("sort");
    QTest::addColumn<bool>("descending");
    QTest::newRow("id") << int(BrowseSort::Id) << false;
    QTest::newRow("id desc") << int(BrowseSort::Id) << true;
    QTest::newRow("created_at with ties and NULLs") << int(BrowseSort::CreatedAt) << false;
    QTest::newRow("title desc") << int(BrowseSort::Title) << true;
}

bool TestBrowseQuery::seedTiesAndNulls()
{
    // 400 rows in 4 forums; ties in created_at (50 distinct values) and in title (97), NULL
    // created_at on every 37th row.
    return m_conn->execScript(QStringLiteral("TRUNCATE topics RESTART IDENTITY CASCADE")).ok()
           && m_conn
                  ->exec(QStringLiteral("INSERT INTO topics (forum_name, title, content, created_at) "
                                        "SELECT 'f' || (g % 4), 'title ' || (g % 97), 'c', "
                                        "CASE WHEN g % 37 = 0 THEN NULL ELSE timestamptz '2025-01-01' + (g % 50) * interval '1 hour' END "
                                        "FROM generate_series(1, 400) g"))
                  .ok();
}

void TestBrowseQuery::pagesMissAndRepeatNoRowWhileRowsArrive()
{
    QFETCH(int, sort);
    QFETCH(bool, descending);
    QVERIFY(seedTiesAndNulls());
    QSet<qint64> initial;
    for (int i = 1; i <= 400; ++i)
        initial.insert(i);
    const BrowseQuery query(topics(), {}, BrowseSort(sort), descending);
    QList<qint64> seen;
    std::optional<BrowseCursor> cursor;
    for (int pages = 0; pages < 100; ++pages) {
        auto page = query.fetchPage(*m_conn, cursor, 37);
        QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().message));
        for (const BrowseRow &r : page.value().rows)
            seen << r.key.toLongLong();
        // Rows keep arriving between pages, as on a live forum.
        QVERIFY(m_conn
                    ->exec(QStringLiteral("INSERT INTO topics (forum_name, title, content, created_at) "
                                          "VALUES ('f9', 'late', 'c', now())"))
                    .ok());
        if (!page.value().hasMore)
            break;
        cursor = page.value().next;
    }
    const QSet<qint64> unique(seen.begin(), seen.end());
    QCOMPARE(unique.size(), seen.size()); // no repeats
    QVERIFY2(unique.contains(initial), "every row present at the start was shown");
}

void TestBrowseQuery::aPageAtAnyPositionIsThePageReachedFromTheStart_data()
{
    QTest::addColumn<int>("sort");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<QString>("forum");
    QTest::newRow("id") << int(BrowseSort::Id) << false << QString();
    QTest::newRow("id desc, one forum") << int(BrowseSort::Id) << true << QStringLiteral("f1");
    QTest::newRow("created_at with ties and NULLs") << int(BrowseSort::CreatedAt) << false << QString();
    QTest::newRow("created_at desc with NULLs") << int(BrowseSort::CreatedAt) << true << QString();
    QTest::newRow("title") << int(BrowseSort::Title) << false << QStringLiteral("f2");
    QTest::newRow("title desc") << int(BrowseSort::Title) << true << QString();
}

void TestBrowseQuery::aPageAtAnyPositionIsThePageReachedFromTheStart()
{
    QFETCH(int, sort);
    QFETCH(bool, descending);
    QFETCH(QString, forum);
    QVERIFY(seedTiesAndNulls());
    BrowseFilter filter;
    filter.forum = forum;
    const BrowseQuery query(topics(), filter, BrowseSort(sort), descending);
    QStringList order; // every row, paged from the start
    std::optional<BrowseCursor> cursor;
    for (;;) {
        auto page = query.fetchPage(*m_conn, cursor, 37);
        QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().message));
        for (const BrowseRow &r : page.value().rows)
            order << r.key;
        if (!page.value().hasMore)
            break;
        cursor = page.value().next;
    }
    const qint64 total = query.fetchExactCount(*m_conn).value();
    QCOMPARE(qint64(order.size()), total);
    // From the start, around the middle, from the end (its last rows, a short last page).
    for (qint64 first : {qint64(1), qint64(36), total / 2 - 1, total / 2 + 1, total - 40, total - 37, total - 1}) {
        auto page = query.fetchPageAt(*m_conn, first, total, 37);
        QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().message));
        QStringList keys;
        for (const BrowseRow &r : page.value().rows)
            keys << r.key;
        QCOMPARE(keys, order.mid(first, 37));
        QCOMPARE(page.value().hasMore, first + 37 < total);
    }
}

void TestBrowseQuery::hostileTextFiltersMatchLiterally_data()
{
    QTest::addColumn<QString>("needle");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("percent") << "100%" << QStringList{"100% sure"};
    QTest::newRow("underscore") << "a_b" << QStringList{"a_b c"};
    QTest::newRow("backslash") << "C:\\x" << QStringList{"C:\\x path"};
    QTest::newRow("quote") << "O'Brien" << QStringList{"O'Brien said"};
    QTest::newRow("unicode any case") << "GRÜSSE" << QStringList{"grüsse aus Köln"};
    QTest::newRow("emoji") << "🚀" << QStringList{"launch 🚀"};
    QTest::newRow("long") << QString(3000, QLatin1Char('z')) << QStringList{};
    QTest::newRow("sql") << "'; DROP TABLE topics; --" << QStringList{};
}

void TestBrowseQuery::hostileTextFiltersMatchLiterally()
{
    QFETCH(QString, needle);
    QFETCH(QStringList, expected);
    QVERIFY(m_conn->execScript(QStringLiteral("TRUNCATE topics RESTART IDENTITY CASCADE")).ok());
    for (const QString &title : {QStringLiteral("100% sure"), QStringLiteral("1000 sure"), QStringLiteral("a_b c"),
                                 QStringLiteral("axb c"), QStringLiteral("C:\\x path"), QStringLiteral("C:x path"),
                                 QStringLiteral("O'Brien said"), QStringLiteral("grüsse aus Köln"), QStringLiteral("launch 🚀")})
        QVERIFY(m_conn->exec(QStringLiteral("INSERT INTO topics (forum_name, title, content) VALUES ('f', $1, 'body')"), {title}).ok());
    BrowseFilter filter;
    filter.text = needle;
    auto page = BrowseQuery(topics(), filter).fetchPage(*m_conn, std::nullopt, 100);
    QVERIFY2(page.ok(), qPrintable(page.ok() ? QString() : page.error().message));
    QStringList titles;
    for (const BrowseRow &r : page.value().rows)
        titles << r.title;
    QCOMPARE(titles, expected);
    auto count = BrowseQuery(topics(), filter).fetchExactCount(*m_conn);
    QCOMPARE(count.value(), qint64(expected.size()));
}

void TestBrowseQuery::forumFilterIsExact()
{
    QVERIFY(m_conn
                ->execScript(QStringLiteral("TRUNCATE topics RESTART IDENTITY CASCADE; "
                                            "INSERT INTO topics (forum_name, title, content) VALUES "
                                            "('Cats', 'a', 'x'), ('cats', 'b', 'x'), ('Cats''', 'c', 'x');"))
                .ok());
    BrowseFilter filter;
    filter.forum = QStringLiteral("Cats'");
    auto page = BrowseQuery(topics(), filter).fetchPage(*m_conn, std::nullopt, 10);
    QCOMPARE(page.value().rows.size(), 1);
    QCOMPARE(page.value().rows.first().title, QStringLiteral("c"));
    auto forums = fetchForumNames(*m_conn, topics());
    QCOMPARE(forums.value().size(), 3);
}

void TestBrowseQuery::staleAndMissingVectorsAreFound()
{
    QVERIFY(m_conn
                ->execScript(QStringLiteral(
                    "TRUNCATE topics RESTART IDENTITY CASCADE;"
                    "INSERT INTO topics (forum_name, title, content, updated_at) VALUES "
                    "('f', 'fresh', 'x', '2025-01-01'), ('f', 'stale', 'x', '2025-03-01'), ('f', 'none', 'x', '2025-01-01');"
                    "INSERT INTO topic_vectors (topic_id, forum_name, vector, updated_at) "
                    "SELECT id, 'f', array_fill(0.5, ARRAY[1536])::vector, timestamp '2025-02-01' FROM topics WHERE title <> 'none';"))
                .ok());
    auto titles = [&](VectorFilter f) {
        BrowseFilter filter;
        filter.vectors = f;
        QStringList out;
        const auto page = BrowseQuery(topics(), filter).fetchPage(*m_conn, std::nullopt, 10);
        for (const BrowseRow &r : page.value().rows) {
            QString label = r.title;
            if (r.stale)
                label += QLatin1Char('*');
            if (!r.hasVector)
                label += QLatin1Char('-');
            out << label;
        }
        return out;
    };
    QCOMPARE(titles(VectorFilter::Any), (QStringList{"fresh", "stale*", "none-"}));
    QCOMPARE(titles(VectorFilter::Has), (QStringList{"fresh", "stale*"}));
    QCOMPARE(titles(VectorFilter::Missing), QStringList{"none-"});
    QCOMPARE(titles(VectorFilter::Stale), QStringList{"stale*"});
}

void TestBrowseQuery::recordJoinsContentAndVector()
{
    QVERIFY(m_conn
                ->execScript(QStringLiteral(
                    "TRUNCATE topics RESTART IDENTITY CASCADE;"
                    "INSERT INTO topics (forum_name, title, content, metadata) VALUES ('f', 't', 'body', '{\"tags\": [\"a\"]}');"
                    "INSERT INTO posts (topic_id, forum_name, content) VALUES (1, 'f', 'first reply'), (1, 'f', 'second reply');"
                    "INSERT INTO topic_vectors (topic_id, forum_name, vector) VALUES (1, 'f', array_fill(0.25, ARRAY[1536])::vector);"))
                .ok());
    auto rec = fetchContentRecord(*m_conn, m_discovered, topics(), QStringLiteral("1"));
    QVERIFY2(rec.ok(), qPrintable(rec.ok() ? QString() : rec.error().message));
    QVERIFY(rec.value().vector.has_value());
    QCOMPARE(rec.value().vector->dimensions, 1536);
    QVERIFY(qAbs(rec.value().vector->norm - 0.25 * std::sqrt(1536.0)) < 1e-3);
    QCOMPARE(rec.value().vector->head.size(), 8);
    QCOMPARE(rec.value().posts.size(), 2);
    QVERIFY(rec.value().metadataJson.contains(QLatin1String("tags")));
    auto missing = fetchContentRecord(*m_conn, m_discovered, topics(), QStringLiteral("999"));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().message, QStringLiteral("No topic with key 999 in %1.topics").arg(m_schema));
}

void TestBrowseQuery::pageQueryUsesNoOffset()
{
    const auto quote = [](const QString &s) { return QLatin1Char('"') + s + QLatin1Char('"'); };
    for (BrowseSort sort : {BrowseSort::Id, BrowseSort::CreatedAt, BrowseSort::Title}) {
        const BrowseStatement st = BrowseQuery(topics(), {}, sort).page(quote, BrowseCursor{QStringLiteral("x"), QStringLiteral("5")}, 50);
        QVERIFY(!st.sql.contains(QLatin1String("OFFSET"), Qt::CaseInsensitive));
        QVERIFY(st.sql.contains(QLatin1String("LIMIT $")));
        QCOMPARE(st.params.last().toInt(), 51);
    }
}

void TestBrowseQuery::textFilterIsAnsweredFromTheTrigramIndexes()
{
    // The migrations' pg_trgm indexes must match the filter as BrowseQuery writes it (title::text
    // ILIKE …): with every other way of reading the table off, the plan reads them, and still
    // finds exactly the matching rows.
    QVERIFY(m_conn
                ->execScript(QStringLiteral("TRUNCATE topics RESTART IDENTITY CASCADE; "
                                            "INSERT INTO topics (forum_name, title, content) SELECT 'f', 'Topic ' || g, "
                                            "CASE WHEN g % 100 = 7 THEN 'a refractor telescope' ELSE 'bread and cheese' END "
                                            "FROM generate_series(1, 2000) g; ANALYZE topics"))
                .ok());
    const auto quote = [this](const QString &s) { return m_conn->escapeIdentifier(s); };
    for (const auto &[text, expected] : {std::pair{QStringLiteral("TELESCOPE"), 20}, std::pair{QStringLiteral("no such words"), 0}}) {
        BrowseFilter filter;
        filter.text = text;
        const BrowseStatement st = BrowseQuery(topics(), filter, BrowseSort::Id).page(quote, std::nullopt, 100);
        auto plan = m_conn->execScript(QStringLiteral("BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
                                                      "SET LOCAL enable_indexonlyscan = off"));
        QVERIFY(plan.ok());
        auto explained = m_conn->exec(QStringLiteral("EXPLAIN ") + st.sql, st.params);
        auto rows = m_conn->exec(st.sql, st.params);
        QVERIFY(m_conn->exec(QStringLiteral("ROLLBACK")).ok());
        QVERIFY(explained.ok() && rows.ok());
        QStringList lines;
        for (const QStringList &row : explained.value().rows)
            lines << row.first();
        const QString planText = lines.join(QLatin1Char('\n'));
        QVERIFY2(planText.contains(QLatin1String("topics_title_trgm_idx")) && planText.contains(QLatin1String("topics_content_trgm_idx")),
                 qPrintable(planText));
        QCOMPARE(rows.value().rowCount(), expected);
    }
}

void TestBrowseQuery::cliPagesChainWithoutGapsOrRepeats()
{
    QVERIFY(m_conn
                ->execScript(QStringLiteral("TRUNCATE topics RESTART IDENTITY CASCADE; "
                                            "INSERT INTO topics (forum_name, title, content) "
                                            "SELECT 'f', 't' || g, 'c' FROM generate_series(1, 53) g; "
                                            "DELETE FROM topics WHERE id % 10 = 0;"))
                .ok()); // gaps in the ids
    ConnectionProfile p = test::clusterProfile();
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    const QString url = toDatabaseUrl(p.params, false);
    QList<qint64> seen;
    QString after;
    for (int page = 0; page < 20; ++page) {
        QStringList args{QStringLiteral("topics"),  QStringLiteral("--url"), url,
                         QStringLiteral("--limit"), QStringLiteral("7"),     QStringLiteral("--json")};
        if (!after.isEmpty())
            args << QStringLiteral("--after") << after;
        QProcess vwb;
        vwb.start(QStringLiteral(VWB_CLI), args);
        QVERIFY(vwb.waitForFinished(15000));
        QCOMPARE(vwb.exitCode(), 0);
        const QJsonObject out = QJsonDocument::fromJson(vwb.readAllStandardOutput()).object();
        for (const QJsonValue &row : out.value(QStringLiteral("rows")).toArray())
            seen << row.toObject().value(QStringLiteral("id")).toInteger();
        if (!out.value(QStringLiteral("has_more")).toBool())
            break;
        after = QString::number(out.value(QStringLiteral("next_after")).toInteger());
    }
    QList<qint64> expected;
    for (qint64 id = 1; id <= 53; ++id)
        if (id % 10 != 0)
            expected << id;
    QCOMPARE(seen, expected);
}

void TestBrowseQuery::createdSpanComesFromAnIndexOrTheStatistics()
{
    const auto localDay = [](const char *utc) { return QDateTime::fromString(QLatin1String(utc), Qt::ISODate).toLocalTime().date(); };
    // topics has the migrations' created_at index: min and max, exact.
    QVERIFY(m_conn
                ->execScript(QStringLiteral("INSERT INTO topics (forum_name, title, content, created_at) VALUES "
                                            "('f', 'oldest', 'c', '1999-01-01 12:00+00'), ('f', 'newest', 'c', '2031-06-30 12:00+00')"))
                .ok());
    auto indexed = fetchCreatedSpan(*m_conn, topics());
    QVERIFY(m_conn->execScript(QStringLiteral("DELETE FROM topics WHERE title IN ('oldest', 'newest')")).ok());
    QVERIFY(indexed.ok() && indexed.value().has_value());
    QCOMPARE(indexed.value()->first, localDay("1999-01-01T12:00:00Z"));
    QCOMPARE(indexed.value()->last, localDay("2031-06-30T12:00:00Z"));
    QVERIFY(indexed.value()->exact);

    // No index: nothing until the table is analyzed (never a scan), then its histogram's ends.
    QVERIFY(m_conn
                ->execScript(QStringLiteral("CREATE TABLE span_plain (id int PRIMARY KEY, created_at timestamptz) "
                                            "WITH (autovacuum_enabled = off);"
                                            "INSERT INTO span_plain SELECT g, timestamptz '2019-03-01 12:00+00' + g * interval '1 day' "
                                            "FROM generate_series(1, 300) g;"))
                .ok());
    ContentPair plain;
    plain.content = {m_schema, QStringLiteral("span_plain")};
    plain.contentColumns = {QStringLiteral("id"), QStringLiteral("created_at")};
    auto unknown = fetchCreatedSpan(*m_conn, plain);
    QVERIFY(unknown.ok() && !unknown.value().has_value());
    QVERIFY(m_conn->execScript(QStringLiteral("ANALYZE span_plain")).ok());
    auto sampled = fetchCreatedSpan(*m_conn, plain);
    QVERIFY(sampled.ok() && sampled.value().has_value());
    QCOMPARE(sampled.value()->first, localDay("2019-03-02T12:00:00Z"));
    QCOMPARE(sampled.value()->last, localDay("2019-12-26T12:00:00Z"));
    QVERIFY(!sampled.value()->exact);
    plain.contentColumns = {QStringLiteral("id")}; // a table without created_at has no span
    auto none = fetchCreatedSpan(*m_conn, plain);
    QVERIFY(none.ok() && !none.value().has_value());
    QVERIFY(m_conn->execScript(QStringLiteral("DROP TABLE span_plain")).ok());
}

void TestBrowseQuery::anExportWritesEveryMatchingRowAPageAtATime()
{
    QVERIFY(m_conn
                ->execScript(
                    QStringLiteral("INSERT INTO topics (forum_name, title, content) SELECT 'export-f', 'row ' || g || ', \"quoted\"', "
                                   "'c' FROM generate_series(1, 23) g;"))
                .ok());
    BrowseFilter filter;
    filter.forum = QStringLiteral("export-f");
    const BrowseQuery query(topics(), filter);
    QBuffer csv;
    QVERIFY(csv.open(QIODevice::WriteOnly));
    QList<qint64> seen;
    auto written = exportBrowseRows(
        *m_conn, query, ExportFormat::Csv, csv, [&](qint64 n) { return seen << n, true; }, 5);
    QVERIFY2(written.ok(), qPrintable(written.ok() ? QString() : written.error().message));
    QCOMPARE(written.value(), 23);
    QCOMPARE(seen, (QList<qint64>{5, 10, 15, 20, 23})); // five pages of five or fewer, never the whole set at once
    const QList<QByteArray> lines = csv.data().split('\n');
    QCOMPARE(lines.size(), 25); // header, 23 rows, the empty piece after the last line end
    QVERIFY2(lines.first().startsWith("id,forum_name,title,created_at,updated_at,vector"), lines.first().constData());
    QVERIFY2(lines.at(1).contains(",export-f,\"row 1, \"\"quoted\"\"\",") && lines.at(1).endsWith(",missing\r"), lines.at(1).constData());

    QBuffer json;
    QVERIFY(json.open(QIODevice::WriteOnly));
    QVERIFY(exportBrowseRows(*m_conn, query, ExportFormat::Json, json, {}, 4).ok());
    const QJsonArray objects = QJsonDocument::fromJson(json.data()).array();
    QCOMPARE(objects.size(), 23);
    QSet<QString> keys;
    for (const QJsonValue &o : objects)
        keys.insert(o.toObject().value(QStringLiteral("id")).toString());
    QCOMPARE(keys.size(), 23); // no page repeated or skipped

    QBuffer stopped;
    QVERIFY(stopped.open(QIODevice::WriteOnly));
    auto canceled = exportBrowseRows(
        *m_conn, query, ExportFormat::Csv, stopped, [](qint64 n) { return n < 10; }, 5);
    QVERIFY(!canceled.ok() && canceled.error().isCanceled());
    QCOMPARE(canceled.error().message, QStringLiteral("Export canceled after 10 rows"));
    QVERIFY(m_conn->execScript(QStringLiteral("DELETE FROM topics WHERE forum_name = 'export-f'")).ok());
}

QTEST_GUILESS_MAIN(TestBrowseQuery)
#include "tst_browsequery.moc"
