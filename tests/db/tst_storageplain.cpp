// tests/db/tst_storageplain.cpp — the project's storage-plain migration moves vectors out of TOAST.
#include "../support/TestCluster.h"

#include "migrations/MigrationFiles.h"
#include "migrations/MigrationPlan.h"
#include "migrations/MigrationRunner.h"

using namespace vwb;

class TestStoragePlain : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void upInlinesStoredVectorsAndDownRestoresTheTypesStorage();

private:
    Result<MigrationOutcome> migrate(MigrationAction action, const QString &name = {});
    QString scalar(const QString &sql);
    const QString m_schema = QStringLiteral("tst_storageplain");
    QList<MigrationFile> m_files;
    std::unique_ptr<PgConnection> m_conn;
};

void TestStoragePlain::initTestCase()
{
    test::resetSchema(m_schema);
    m_conn = test::connect(test::profileInSchema(m_schema));
    QVERIFY(m_conn);
    auto files = scanMigrations(defaultMigrationsDir());
    QVERIFY2(files.ok(), files.ok() ? "" : qPrintable(files.error().message));
    m_files = files.value();
}

void TestStoragePlain::cleanupTestCase()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

Result<MigrationOutcome> TestStoragePlain::migrate(MigrationAction action, const QString &name)
{
    MigrationRunner runner(*m_conn);
    auto status = runner.status(m_files);
    if (!status.ok())
        return status.error();
    auto plan = planMigrations(status.value(), m_files, {action, name});
    if (!plan.ok())
        return plan.error();
    return runner.run(plan.value());
}

QString TestStoragePlain::scalar(const QString &sql)
{
    auto r = m_conn->exec(sql);
    if (!r.ok())
        qFatal("%s: %s", qPrintable(sql), qPrintable(r.error().message));
    return r.value().scalar();
}

void TestStoragePlain::upInlinesStoredVectorsAndDownRestoresTheTypesStorage()
{
    auto before = migrate(MigrationAction::To, QStringLiteral("20250201000002_drop_redundant_fk_indexes.sql"));
    QVERIFY2(before.ok(), before.ok() ? "" : qPrintable(before.error().message));
    const QString toastSize = QStringLiteral("SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE oid = 'topic_vectors'::regclass");
    const QString storage = QStringLiteral("SELECT attstorage FROM pg_attribute WHERE attrelid = '%1'::regclass AND attname = 'vector'");
    auto seeded = m_conn->execScript(
        QStringLiteral("INSERT INTO topics (forum_name, title, content) SELECT 'f', 't' || g, 'c' FROM generate_series(1, 50) g;"
                       "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, "
                       "(SELECT array_agg(random())::vector(1536) FROM generate_series(1, 1536) WHERE id > 0) FROM topics"));
    QVERIFY2(seeded.ok(), seeded.ok() ? "" : qPrintable(seeded.error().message));
    const QString typeStorage = scalar(QStringLiteral("SELECT typstorage FROM pg_type WHERE typname = 'vector'"));
    QCOMPARE(scalar(storage.arg(QStringLiteral("topic_vectors"))), typeStorage);
    QVERIFY2(scalar(toastSize).toLongLong() > 0, "50 vectors of 1536 dimensions should start out in TOAST");

    auto up = migrate(MigrationAction::To, QStringLiteral("20250201000003_vectors_storage_plain.sql"));
    QVERIFY2(up.ok(), up.ok() ? "" : qPrintable(up.error().message));
    QCOMPARE(scalar(storage.arg(QStringLiteral("topic_vectors"))), QStringLiteral("p"));
    QCOMPARE(scalar(storage.arg(QStringLiteral("post_vectors"))), QStringLiteral("p"));
    QCOMPARE(scalar(toastSize), QStringLiteral("0"));
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM topic_vectors WHERE vector_dims(vector) = 1536")), QStringLiteral("50"));

    auto down = migrate(MigrationAction::Down);
    QVERIFY2(down.ok(), down.ok() ? "" : qPrintable(down.error().message));
    QCOMPARE(scalar(storage.arg(QStringLiteral("topic_vectors"))), typeStorage);
    QCOMPARE(scalar(storage.arg(QStringLiteral("post_vectors"))), typeStorage);
}

QTEST_GUILESS_MAIN(TestStoragePlain)
#include "tst_storageplain.moc"
