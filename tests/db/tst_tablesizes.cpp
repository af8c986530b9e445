// tests/db/tst_tablesizes.cpp — heap + indexes + TOAST add up to pg_total_relation_size for every
// table, roles and coverage are right, and `vwb sizes --json` reports the server's own totals and
// records a sample in the history under XDG_DATA_HOME.
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include "metrics/SizeHistory.h"
#include "metrics/TableSizes.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

using namespace vwb;

class TestTableSizes : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void partsAddUpToPgTotalRelationSize();
    void rolesFollowTheDiscoveredSchema();
    void rowEstimatesAndCoverage();
    void cliTotalsEqualPgTotalRelationSize();
    void cliHistoryListsTheRecordedSample();

private:
    struct Server
    {
        qint64 total, tableSize, indexes, toast;
    };
    Server serverSizes(const TableRef &table);
    QList<TableSize> read(TableSizeOptions::Coverage coverage = TableSizeOptions::Coverage::Estimate);
    struct Run
    {
        int code;
        QJsonObject json;
        QString err;
    };
    Run vwb(const QStringList &args);

    const QString m_schema = QStringLiteral("tst_sizes");
    std::unique_ptr<PgConnection> m_conn;
    ConnectionProfile m_profile;
    QTemporaryDir m_home; // the CLI's XDG_DATA_HOME: its size history lands here
};

void TestTableSizes::initTestCase()
{
    QVERIFY(m_home.isValid());
    // topics.content: ~6.4 kB of random hex a row, stored EXTERNAL (no compression), so every row
    // goes to TOAST. notes stays empty and never analyzed. knex_migrations is the Knex ledger.
    test::resetSchema(
        m_schema,
        QStringLiteral(
            "CREATE TABLE topics (id serial PRIMARY KEY, title text NOT NULL, content text NOT NULL);"
            "ALTER TABLE topics ALTER COLUMN content SET STORAGE EXTERNAL;"
            "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int REFERENCES topics(id) ON DELETE CASCADE,"
            "  vector vector(3) NOT NULL);"
            "CREATE INDEX topic_vectors_topic_id ON topic_vectors (topic_id);"
            "CREATE TABLE notes (id int, body text);"
            "CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch int, migration_time timestamptz);"
            "INSERT INTO topics (title, content) SELECT 't' || g,"
            "  (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 200) i) FROM generate_series(1, 50) g;"
            "INSERT INTO topic_vectors (topic_id, vector) SELECT id, ARRAY[random(), random(), random()]::vector FROM topics WHERE id <= 40;"
            "CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL, content text NOT NULL);"
            "CREATE TABLE post_vectors (id serial PRIMARY KEY, post_id int REFERENCES posts(id), vector vector(3) NOT NULL);"
            "INSERT INTO posts (title, content) SELECT 'p' || g, 'c' FROM generate_series(1, 10) g;"));
    m_profile = test::profileInSchema(m_schema);
    auto conn = PgConnection::open(m_profile);
    QVERIFY(conn.ok());
    m_conn = std::move(conn).value();
    // VACUUM gives the heaps their free space and visibility maps, which count as heap; one
    // statement each (VACUUM refuses a multi-statement string).
    QVERIFY(m_conn->exec(QStringLiteral("VACUUM (ANALYZE) topics")).ok());
    QVERIFY(m_conn->exec(QStringLiteral("VACUUM (ANALYZE) topic_vectors")).ok());
    QVERIFY(m_conn->exec(QStringLiteral("VACUUM (ANALYZE) posts")).ok());
    QVERIFY(m_conn->exec(QStringLiteral("VACUUM (ANALYZE) post_vectors")).ok()); // counted: empty, and no statistics
}

void TestTableSizes::cleanupTestCase()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

TestTableSizes::Server TestTableSizes::serverSizes(const TableRef &table)
{
    auto r = m_conn->exec(
        QStringLiteral("SELECT pg_total_relation_size(c.oid), pg_table_size(c.oid), pg_indexes_size(c.oid), "
                       "  CASE WHEN c.reltoastrelid <> 0 THEN pg_total_relation_size(c.reltoastrelid) ELSE 0 END "
                       "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2"),
        {table.schema, table.name});
    if (!r.ok() || r.value().rowCount() != 1)
        qFatal("cannot read the sizes of %s", qPrintable(table.display()));
    const QStringList row = r.value().rows.first();
    return {row.at(0).toLongLong(), row.at(1).toLongLong(), row.at(2).toLongLong(), row.at(3).toLongLong()};
}

QList<TableSize> TestTableSizes::read(TableSizeOptions::Coverage coverage)
{
    auto schema = discoverSchema(*m_conn);
    if (!schema.ok())
        qFatal("%s", qPrintable(schema.error().message));
    TableSizeOptions options;
    options.schemas = {m_schema};
    options.coverage = coverage;
    auto sizes = readTableSizes(*m_conn, schema.value(), options);
    if (!sizes.ok())
        qFatal("%s", qPrintable(sizes.error().message));
    return sizes.value();
}

void TestTableSizes::partsAddUpToPgTotalRelationSize()
{
    const QList<TableSize> sizes = read();
    QStringList names;
    for (const TableSize &t : sizes) {
        names << t.table.name;
        QCOMPARE(t.table.schema, m_schema);
        const Server s = serverSizes(t.table);
        QCOMPARE(t.heapBytes + t.indexBytes + t.toastBytes, t.totalBytes);
        QCOMPARE(t.totalBytes, s.total);
        QCOMPARE(t.indexBytes, s.indexes);
        QCOMPARE(t.toastBytes, s.toast);
        QCOMPARE(t.heapBytes, s.tableSize - s.toast); // main + fsm + vm forks
        QVERIFY(t.heapBytes >= 0);
    }
    names.sort();
    QCOMPARE(names, (QStringList{QStringLiteral("knex_migrations"), QStringLiteral("notes"), QStringLiteral("post_vectors"),
                                 QStringLiteral("posts"), QStringLiteral("topic_vectors"), QStringLiteral("topics")}));
    // Largest first; topics is the one with the TOAST.
    QCOMPARE(sizes.first().table.name, QStringLiteral("topics"));
    for (qsizetype i = 1; i < sizes.size(); ++i)
        QVERIFY(sizes.at(i - 1).totalBytes >= sizes.at(i).totalBytes);
    const TableSize &topics = sizes.first();
    QVERIFY2(topics.toastBytes > 50 * 6000, qPrintable(QString::number(topics.toastBytes))); // 50 rows of ~6.4 kB
    QVERIFY(topics.toastBytes > topics.heapBytes);
    QVERIFY(topics.indexBytes > 0); // the primary key
    const QJsonObject json = topics.toJson();
    QCOMPARE(json.value(QStringLiteral("total_bytes")).toInteger(), topics.totalBytes);
    QCOMPARE(json.value(QStringLiteral("heap_bytes")).toInteger() + json.value(QStringLiteral("index_bytes")).toInteger()
                 + json.value(QStringLiteral("toast_bytes")).toInteger(),
             topics.totalBytes);
}

void TestTableSizes::rolesFollowTheDiscoveredSchema()
{
    QHash<QString, QString> roles;
    for (const TableSize &t : read())
        roles.insert(t.table.name, tableRoleName(t.role));
    QCOMPARE(roles.value(QStringLiteral("topics")), QStringLiteral("content"));
    QCOMPARE(roles.value(QStringLiteral("topic_vectors")), QStringLiteral("vectors"));
    QCOMPARE(roles.value(QStringLiteral("knex_migrations")), QStringLiteral("ledger"));
    QCOMPARE(roles.value(QStringLiteral("notes")), QStringLiteral("other"));
}

void TestTableSizes::rowEstimatesAndCoverage()
{
    QHash<QString, TableSize> byName;
    for (const TableSize &t : read())
        byName.insert(t.table.name, t);
    QCOMPARE(byName.value(QStringLiteral("topics")).rowEstimate, 50);
    QCOMPARE(byName.value(QStringLiteral("topic_vectors")).rowEstimate, 40);
    QCOMPARE(byName.value(QStringLiteral("notes")).rowEstimate, -1); // never analyzed
    // 40 of 50 topics have a vector: from the statistics...
    const TableSize estimated = byName.value(QStringLiteral("topics"));
    QVERIFY(estimated.coverage.has_value());
    QVERIFY(!estimated.coverageExact);
    QVERIFY2(qAbs(*estimated.coverage - 0.8) < 1e-6, qPrintable(QString::number(*estimated.coverage)));
    QVERIFY(!byName.value(QStringLiteral("topic_vectors")).coverage.has_value()); // only content tables
    QVERIFY(!byName.value(QStringLiteral("notes")).coverage.has_value());
    // A vector table known to be empty covers none of its content, rather than "not analyzed".
    QCOMPARE(byName.value(QStringLiteral("posts")).coverage, std::optional<double>(0.0));
    // ...and counted.
    for (const TableSize &t : read(TableSizeOptions::Coverage::Exact)) {
        if (t.table.name != QLatin1String("topics"))
            continue;
        QCOMPARE(t.coverage, std::optional<double>(0.8));
        QVERIFY(t.coverageExact);
    }
    for (const TableSize &t : read(TableSizeOptions::Coverage::None))
        QVERIFY(!t.coverage.has_value());
}

TestTableSizes::Run TestTableSizes::vwb(const QStringList &args)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(VWB_CLI), QStringList{QStringLiteral("sizes"), QStringLiteral("--url"), toDatabaseUrl(m_profile.params, false),
                                                 QStringLiteral("--json")}
                                         + args);
    if (!p.waitForFinished(30000))
        return {-1, {}, QStringLiteral("timed out")};
    return {p.exitCode(), QJsonDocument::fromJson(p.readAllStandardOutput()).object(), QString::fromUtf8(p.readAllStandardError())};
}

void TestTableSizes::cliTotalsEqualPgTotalRelationSize()
{
    const Run run = vwb({});
    QVERIFY2(run.code == 0, qPrintable(run.err));
    const QJsonArray tables = run.json.value(QStringLiteral("tables")).toArray();
    QVERIFY(!tables.isEmpty());
    qint64 sum = 0;
    int mine = 0;
    for (const QJsonValue &v : tables) {
        const QJsonObject t = v.toObject();
        const qint64 total = t.value(QStringLiteral("total_bytes")).toInteger();
        sum += total;
        QCOMPARE(t.value(QStringLiteral("heap_bytes")).toInteger() + t.value(QStringLiteral("index_bytes")).toInteger()
                     + t.value(QStringLiteral("toast_bytes")).toInteger(),
                 total);
        if (t.value(QStringLiteral("schema")).toString() != m_schema)
            continue; // other test files' tables may be changing right now
        ++mine;
        const TableRef ref{m_schema, t.value(QStringLiteral("name")).toString()};
        QCOMPARE(total, serverSizes(ref).total);
    }
    QCOMPARE(mine, 6);
    QCOMPARE(run.json.value(QStringLiteral("total_bytes")).toInteger(), sum);
    // Indexes with their sizes and scans, from the same catalog IndexList reads.
    QStringList indexes;
    for (const QJsonValue &v : run.json.value(QStringLiteral("indexes")).toArray())
        if (v.toObject().value(QStringLiteral("schema")).toString() == m_schema) {
            indexes << v.toObject().value(QStringLiteral("name")).toString();
            QVERIFY(v.toObject().contains(QStringLiteral("scans")));
            QVERIFY(v.toObject().value(QStringLiteral("size_bytes")).toInteger() > 0);
        }
    QVERIFY2(indexes.contains(QStringLiteral("topic_vectors_topic_id")), qPrintable(indexes.join(QLatin1Char(','))));
    QVERIFY(QDateTime::fromString(run.json.value(QStringLiteral("sampled_at")).toString(), Qt::ISODateWithMs).isValid());
    // Recorded in the history under the CLI's XDG_DATA_HOME, keyed by the URL's target.
    QVERIFY(run.json.value(QStringLiteral("recorded")).toBool());
    const QString file = m_home.filePath(QStringLiteral("data/vector-workbench/size-history.sqlite"));
    QCOMPARE(run.json.value(QStringLiteral("history_file")).toString(), file);
    QVERIFY(QFile::exists(file));
    const QString key = run.json.value(QStringLiteral("profile")).toString();
    QVERIFY2(key.startsWith(QStringLiteral("url:")), qPrintable(key));
    SizeHistory history(file);
    const auto samples = history.samples(key, {m_schema, QStringLiteral("topics")});
    QVERIFY(samples.ok());
    QCOMPARE(samples.value().size(), 1);
    QCOMPARE(samples.value().first().tables.first().totalBytes, serverSizes({m_schema, QStringLiteral("topics")}).total);
}

void TestTableSizes::cliHistoryListsTheRecordedSample()
{
    const Run run = vwb({QStringLiteral("--history"), QStringLiteral("--no-record")});
    QVERIFY2(run.code == 0, qPrintable(run.err));
    QVERIFY(!run.json.value(QStringLiteral("recorded")).toBool());
    const QJsonObject history = run.json.value(QStringLiteral("history")).toObject();
    QCOMPARE(history.value(QStringLiteral("profile")).toString(), run.json.value(QStringLiteral("profile")).toString());
    QCOMPARE(history.value(QStringLiteral("samples")).toArray().size(), 1); // the previous run's, not this one
    bool found = false;
    for (const QJsonValue &v : history.value(QStringLiteral("growth")).toArray()) {
        const QJsonObject g = v.toObject();
        if (g.value(QStringLiteral("schema")).toString() != m_schema
            || g.value(QStringLiteral("name")).toString() != QLatin1String("topics"))
            continue;
        found = true;
        QCOMPARE(g.value(QStringLiteral("samples")).toInt(), 1);
        QVERIFY(g.value(QStringLiteral("growth_bytes_per_day")).isNull()); // one sample: no growth yet
    }
    QVERIFY(found);
}

QTEST_GUILESS_MAIN(TestTableSizes)
#include "tst_tablesizes.moc"
