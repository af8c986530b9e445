// tests/db/tst_productionguardcli.cpp — every maintenance command of the CLI on a production
// profile whose writes are locked: refused by the workbench's own words, and nothing changed.
// PostgreSQL itself runs VACUUM, ANALYZE, REINDEX and CLUSTER inside a read-only transaction, so
// these checks stand for the guard alone; each compares the relations' files, row estimates,
// index list and validity, and the storage of the vector columns, before and after.
#include "../support/CliRun.h"
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include "embeddings/ProviderSettings.h"
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace vwb;

class TestProductionGuardCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void maintenanceIsRefused_data();
    void maintenanceIsRefused();
    void theStorageMigrationIsRefused();
    void unlockedTheSameCommandRuns();
    void productionTextSearchesAreLimitedPerMinute();

private:
    QString url(bool production) const;
    QString fingerprint() const;
    const QString m_schema = QStringLiteral("tst_prodguard_cli");
    std::unique_ptr<PgConnection> m_conn;
};

void TestProductionGuardCli::initTestCase()
{
    m_conn = test::connect(test::profileInSchema(m_schema));
    // The workbench's migrations up to the storage one (left pending), a table autovacuum leaves
    // alone and that was never analyzed (any VACUUM or ANALYZE would set its reltuples), and an
    // invalid index left by a failed concurrent build (what `index repair` rebuilds).
    test::resetSchema(m_schema);
    const test::CliRun migrated = test::runVwb({QStringLiteral("migrate"), QStringLiteral("latest"), QStringLiteral("--to"),
                                                QStringLiteral("20250201000002_drop_redundant_fk_indexes.sql")},
                                               url(false));
    QVERIFY2(migrated.code == 0, qPrintable(migrated.out + migrated.err));
    VERIFY_OK(m_conn->execScript(
        QStringLiteral("CREATE TABLE guard_items (id int PRIMARY KEY, k int, embedding vector(3)) WITH (autovacuum_enabled = off);"
                       "CREATE INDEX guard_items_k ON guard_items (k);"
                       "INSERT INTO guard_items SELECT g, g % 2, '[1,2,3]' FROM generate_series(1, 200) g;")));
    QVERIFY(!m_conn->exec(QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY guard_items_k_unique ON guard_items (k)")).ok());
    const QString before = fingerprint();
    QVERIFY2(before.contains(QLatin1String("guard_items:"))
                 && before.contains(QRegularExpression(QStringLiteral("guard_items_k_unique:\\d+:0:invalid"))),
             qPrintable(before));
    QVERIFY2(before.contains(QLatin1String("topic_vectors.vector:e")), qPrintable(before)); // pgvector's EXTERNAL
}

void TestProductionGuardCli::cleanupTestCase()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

QString TestProductionGuardCli::url(bool production) const
{
    ConnectionParams params = test::clusterProfile().params;
    params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    if (production)
        params.sslmode = QStringLiteral("require");
    return toDatabaseUrl(params, true);
}

/// Every relation of the schema with its file, row estimate and (for indexes) validity; the
/// workbench's migrations recorded; the storage of each vector column.
QString TestProductionGuardCli::fingerprint() const
{
    auto r = m_conn->exec(
        QStringLiteral(
            "SELECT (SELECT string_agg(c.relname || ':' || c.relfilenode || ':' || c.reltuples "
            "  || CASE WHEN i.indisvalid = false THEN ':invalid' ELSE '' END, ',' ORDER BY c.relname) "
            " FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relnamespace = $1::regnamespace "
            " AND c.relkind IN ('r', 'i', 't')) "
            "|| ' | ' || (SELECT string_agg(name, ',' ORDER BY name) FROM vwb_migrations) "
            "|| ' | ' || (SELECT string_agg(c.relname || '.' || a.attname || ':' || a.attstorage::text, ',' ORDER BY c.relname) "
            " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = $1::regnamespace "
            " AND a.atttypid = 'vector'::regtype AND c.relkind = 'r')"),
        {m_schema});
    return r.ok() ? r.value().scalar() : QStringLiteral("(unreadable: %1)").arg(r.error().message);
}

void TestProductionGuardCli::maintenanceIsRefused_data()
{
    QTest::addColumn<QStringList>("args");
    const QString table = m_schema + QStringLiteral(".guard_items");
    QTest::newRow("vacuum") << QStringList{QStringLiteral("vacuum"), QStringLiteral("--table"), table};
    QTest::newRow("vacuum, every table") << QStringList{QStringLiteral("vacuum")};
    QTest::newRow("analyze") << QStringList{QStringLiteral("analyze"), QStringLiteral("--table"), table};
    QTest::newRow("reindex") << QStringList{QStringLiteral("reindex"), QStringLiteral("--table"), table};
    QTest::newRow("reindex one index, concurrently")
        << QStringList{QStringLiteral("reindex"), QStringLiteral("--index"), m_schema + QStringLiteral(".guard_items_k"),
                       QStringLiteral("--concurrently")};
    QTest::newRow("reindex, then vacuum") << QStringList{QStringLiteral("reindex"), QStringLiteral("--table"), table,
                                                         QStringLiteral("--then-vacuum")};
    QTest::newRow("index repair") << QStringList{QStringLiteral("index"), QStringLiteral("repair"),
                                                 m_schema + QStringLiteral(".guard_items_k_unique")};
    QTest::newRow("index create") << QStringList{QStringLiteral("index"),    QStringLiteral("create"),   QStringLiteral("--table"), table,
                                                 QStringLiteral("--column"), QStringLiteral("embedding")};
    QTest::newRow("index drop") << QStringList{QStringLiteral("index"), QStringLiteral("drop"),
                                               m_schema + QStringLiteral(".guard_items_k")};
}

void TestProductionGuardCli::maintenanceIsRefused()
{
    QFETCH(QStringList, args);
    const QString before = fingerprint();
    const test::CliRun run = test::runVwb(args + QStringList{QStringLiteral("--production")}, url(true));
    QCOMPARE(run.code, 1);
    QVERIFY2(run.err.contains(QLatin1String("is production and read-only: add --unlock-writes")), qPrintable(run.out + run.err));
    QCOMPARE(fingerprint(), before);
}

void TestProductionGuardCli::theStorageMigrationIsRefused()
{
    // ALTER ... SET STORAGE PLAIN, then VACUUM FULL: outside a transaction, and the VACUUM FULL
    // alone would get through a read-only session.
    const QString before = fingerprint();
    const test::CliRun run = test::runVwb({QStringLiteral("migrate"), QStringLiteral("latest"), QStringLiteral("--production")},
                                          url(true));
    QCOMPARE(run.code, 1);
    QVERIFY2(run.err.contains(QLatin1String("is production and read-only in this session")), qPrintable(run.out + run.err));
    QVERIFY2(!run.err.contains(QLatin1String("cannot execute")), qPrintable(run.err)); // not the server's refusal
    QCOMPARE(fingerprint(), before);
}

void TestProductionGuardCli::unlockedTheSameCommandRuns()
{
    // The comparison above can tell: the same kind of command, unlocked, changes what it compares.
    const QString before = fingerprint();
    QTemporaryDir data; // the audit log of these runs alone
    const QHash<QString, QString> env{{QStringLiteral("XDG_DATA_HOME"), data.path()}};
    const test::CliRun wrong = test::runVwb({QStringLiteral("analyze"), QStringLiteral("--table"),
                                             m_schema + QStringLiteral(".guard_items"), QStringLiteral("--production"),
                                             QStringLiteral("--unlock-writes"), QStringLiteral("not-the-name")},
                                            url(true), env);
    QCOMPARE(wrong.code, 2);
    const test::CliRun run = test::runVwb({QStringLiteral("analyze"), QStringLiteral("--table"),
                                           m_schema + QStringLiteral(".guard_items"), QStringLiteral("--production"),
                                           QStringLiteral("--unlock-writes"), test::clusterProfile().params.dbname},
                                          url(true), env);
    QVERIFY2(run.code == 0, qPrintable(run.out + run.err));
    QVERIFY(fingerprint() != before);

    // The audit log has both unlocks (the refused one too) and the write, newest first, with who
    // ran them and what ran — and no connection string.
    const test::CliRun audit = test::runVwb({QStringLiteral("audit"), QStringLiteral("--json")}, {}, env);
    QVERIFY2(audit.code == 0, qPrintable(audit.out + audit.err));
    const QJsonArray entries = audit.json.value(QStringLiteral("entries")).toArray();
    QCOMPARE(entries.size(), 3);
    const QJsonObject analyzed = entries.at(0).toObject(), unlocked = entries.at(1).toObject(), refused = entries.at(2).toObject();
    QCOMPARE(analyzed.value(QStringLiteral("action")).toString(), QStringLiteral("ANALYZE"));
    QCOMPARE(analyzed.value(QStringLiteral("outcome")).toString(), QStringLiteral("done"));
    QVERIFY2(analyzed.value(QStringLiteral("summary")).toString().contains(QLatin1String("guard_items")), qPrintable(audit.out));
    QCOMPARE(unlocked.value(QStringLiteral("action")).toString(), QStringLiteral("unlock writes"));
    QCOMPARE(unlocked.value(QStringLiteral("outcome")).toString(), QStringLiteral("done"));
    QCOMPARE(refused.value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"));
    QVERIFY(!refused.value(QStringLiteral("message")).toString().contains(QLatin1String("not-the-name")));
    for (const QJsonValue &e : entries) {
        QCOMPARE(e.toObject().value(QStringLiteral("profile")).toString(), analyzed.value(QStringLiteral("profile")).toString());
        QVERIFY(!e.toObject().value(QStringLiteral("os_user")).toString().isEmpty());
    }
    QVERIFY2(!audit.out.contains(QLatin1String("postgres://")) && !audit.out.contains(QLatin1String("postgresql://")),
             qPrintable(audit.out));
}

void TestProductionGuardCli::productionTextSearchesAreLimitedPerMinute()
{
    QTemporaryDir home;
    ProviderSettings settings;
    settings.searchesPerMinute = 2;
    VERIFY_OK(settings.save(home.filePath(QStringLiteral("config/vector-workbench/embeddings.ini")), QStringLiteral("url")));
    const QHash<QString, QString> env{{QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config"))},
                                      {QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data"))}};
    auto search = [&](bool production) {
        QStringList args{QStringLiteral("search"), QStringLiteral("rate limited words")};
        if (production)
            args << QStringLiteral("--production");
        return test::runVwb(args, url(production), env);
    };
    for (int i = 0; i < 2; ++i) {
        const test::CliRun ran = search(true);
        QVERIFY2(ran.code == 0, qPrintable(ran.out + ran.err));
    }
    const test::CliRun refused = search(true);
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains(QLatin1String("2 searches ran on production profile \"url\" in the last minute")),
             qPrintable(refused.err));
    // The same database as a development profile is not limited.
    const test::CliRun development = search(false);
    QVERIFY2(development.code == 0, qPrintable(development.out + development.err));
}

QTEST_GUILESS_MAIN(TestProductionGuardCli)
#include "tst_productionguardcli.moc"
