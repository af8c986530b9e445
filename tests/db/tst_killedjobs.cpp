// tests/db/tst_killedjobs.cpp — kill -9 of `vwb` in the middle of each write job that a
// transaction or a concurrent build carries (an import, a migration, an index build; the backfill's
// is in tst_backfillcli): the server stops the orphaned statement by itself within seconds, even
// while it still waits on a lock; nothing half-done is left but what the command that follows
// repairs; the audit log says "interrupted"; and running the command again does the job.
#include "../support/CliRun.h"
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include <QJsonArray>
#include <QTemporaryDir>

using namespace vwb;

class TestKilledJobs : public QObject
{
    Q_OBJECT
    const QString m_schema = QStringLiteral("tst_killed");
    QTemporaryDir m_dir; // the files, and the audit log of these runs alone
    std::unique_ptr<PgConnection> m_conn;

    QString one(const QString &sql)
    {
        auto r = m_conn->exec(sql);
        if (!r.ok())
            qFatal("%s: %s", qPrintable(sql), qPrintable(r.error().message));
        return r.value().scalar();
    }
    /// The URL of the test cluster in this test's schema, the runs named `name` on the server.
    QString url(const QString &name) const
    {
        ConnectionProfile p = test::profileInSchema(m_schema);
        p.params.extra.insert(QStringLiteral("application_name"), name);
        return toDatabaseUrl(p.params, true);
    }
    QHash<QString, QString> env() const { return {{QStringLiteral("XDG_DATA_HOME"), m_dir.filePath(QStringLiteral("data"))}}; }
    /// The server's sessions named `name` (that also meet `where`).
    QString sessions(const QString &name, const QString &where = QStringLiteral("true"))
    {
        return one(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name = '%1' AND %2").arg(name, where));
    }
    /// Starts `vwb args --url` as `name`, waits until its session waits on a lock that `blocker`
    /// holds, then kills it with SIGKILL and waits until the server has ended its session — while
    /// the blocker still holds the lock, so the server noticed the dead client by itself.
    void killWhileBlocked(const QStringList &args, const QString &name, const QString &waitEvent)
    {
        QProcess vwb;
        test::startVwb(vwb, args, url(name), env());
        QVERIFY(vwb.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(sessions(name, QStringLiteral("wait_event_type = 'Lock' AND wait_event = '%1'").arg(waitEvent)),
                                  QStringLiteral("1"), 30000);
        vwb.kill();
        QVERIFY(vwb.waitForFinished(10000));
        QCOMPARE(vwb.exitStatus(), QProcess::CrashExit);
        QTRY_COMPARE_WITH_TIMEOUT(sessions(name), QStringLiteral("0"), 15000);
    }
    /// The newest audit entry of these runs.
    QJsonObject lastAudit()
    {
        const test::CliRun audit = test::runVwb({QStringLiteral("audit"), QStringLiteral("--json")}, {}, env());
        return audit.json.value(QStringLiteral("entries")).toArray().first().toObject();
    }
    QString file(const QString &name, const QByteArray &text)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(f.fileName()));
        return f.fileName();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        test::resetSchema(m_schema, test::layoutSql(QStringLiteral("reference"), m_schema));
        m_conn = test::connect();
    }
    void cleanupTestCase()
    {
        m_conn.reset();
        test::dropSchema(m_schema);
    }

    void aKilledImportLeavesNothingAndRunsAgain()
    {
        QByteArray rows;
        for (int i = 1; i <= 40; ++i)
            rows += QStringLiteral("{\"id\": %1, \"forum_name\": \"f\", \"title\": \"t%1\", \"content\": \"c%1\"}\n").arg(i).toUtf8();
        const QStringList import{QStringLiteral("import"), QStringLiteral("--table"), m_schema + QStringLiteral(".topics"),
                                 QStringLiteral("--content"), file(QStringLiteral("rows.jsonl"), rows)};
        auto blocker = test::connect();
        QVERIFY(blocker->execScript(QStringLiteral("BEGIN; LOCK TABLE %1.topics IN SHARE ROW EXCLUSIVE MODE").arg(m_schema)).ok());
        killWhileBlocked(import, QStringLiteral("killed-import"), QStringLiteral("relation"));
        QVERIFY(blocker->execScript(QStringLiteral("COMMIT")).ok());

        QCOMPARE(one(QStringLiteral("SELECT count(*) FROM %1.topics").arg(m_schema)), QStringLiteral("0"));
        const QJsonObject audit = lastAudit();
        QCOMPARE(audit.value(QStringLiteral("action")).toString(), QStringLiteral("import"));
        QCOMPARE(audit.value(QStringLiteral("outcome")).toString(), QStringLiteral("interrupted"));

        const test::CliRun again = test::runVwb(import, url(QStringLiteral("import-again")), env());
        QVERIFY2(again.code == 0, qPrintable(again.err + again.out));
        QCOMPARE(one(QStringLiteral("SELECT count(*) FROM %1.topics").arg(m_schema)), QStringLiteral("40"));
    }

    void aKilledMigrationLeavesTheLedgerAndLockAsTheyWere()
    {
        const QStringList migrate{QStringLiteral("migrate"), QStringLiteral("latest"), QStringLiteral("--dir"),
                                  QStringLiteral(VWB_TEST_DATA "/migrations-blocking")};
        auto blocker = test::connect();
        QVERIFY(blocker->exec(QStringLiteral("SELECT pg_advisory_lock(4242)")).ok()); // the migration waits on it
        killWhileBlocked(migrate, QStringLiteral("killed-migrate"), QStringLiteral("advisory"));
        QVERIFY(blocker->exec(QStringLiteral("SELECT pg_advisory_unlock(4242)")).ok());

        // Knex's lock row is free again (it was taken in the rolled-back transaction), nothing ran.
        QCOMPARE(one(QStringLiteral("SELECT count(*) FROM %1.vwb_migrations").arg(m_schema)), QStringLiteral("0"));
        QCOMPARE(one(QStringLiteral("SELECT string_agg(is_locked::text, ',') FROM %1.vwb_migrations_lock").arg(m_schema)),
                 QStringLiteral("0"));
        QCOMPARE(one(QStringLiteral("SELECT to_regclass('%1.blocked_done') IS NULL").arg(m_schema)), QStringLiteral("t"));
        const QJsonObject audit = lastAudit();
        QVERIFY2(audit.value(QStringLiteral("action")).toString().startsWith(QLatin1String("migrate")),
                 qPrintable(audit.value("action").toString()));
        QCOMPARE(audit.value(QStringLiteral("outcome")).toString(), QStringLiteral("interrupted"));

        const test::CliRun again = test::runVwb(migrate, url(QStringLiteral("migrate-again")), env());
        QVERIFY2(again.code == 0, qPrintable(again.err + again.out));
        QCOMPARE(one(QStringLiteral("SELECT string_agg(name, ',') FROM %1.vwb_migrations").arg(m_schema)),
                 QStringLiteral("20250101000000_waits_for_the_test.sql"));
    }

    void aKilledConcurrentIndexBuildIsLeftInvalidAndRepaired()
    {
        QVERIFY(m_conn
                    ->execScript(QStringLiteral("INSERT INTO %1.topics (id, forum_name, content) SELECT g, 'f', 'c' FROM "
                                                "generate_series(1001, 1200) g ON CONFLICT DO NOTHING; "
                                                "INSERT INTO %1.topic_vectors (topic_id, forum_name, vector) SELECT g, 'f', "
                                                "array_fill((g % 7 + 1)::real, ARRAY[16])::vector FROM generate_series(1001, 1200) g")
                                     .arg(m_schema))
                    .ok());
        const QString name = QStringLiteral("killed_l2_idx");
        const QStringList create{QStringLiteral("index"),         QStringLiteral("create"),
                                 QStringLiteral("--table"),       m_schema + QStringLiteral(".topic_vectors"),
                                 QStringLiteral("--column"),      QStringLiteral("vector"),
                                 QStringLiteral("--metric"),      QStringLiteral("l2"),
                                 QStringLiteral("--name"),        name,
                                 QStringLiteral("--concurrently")};
        // A snapshot older than the build: CREATE INDEX CONCURRENTLY builds, then waits for it to go.
        auto blocker = test::connect();
        QVERIFY(blocker->execScript(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM %1.topics").arg(m_schema))
                    .ok());
        killWhileBlocked(create, QStringLiteral("killed-index"), QStringLiteral("virtualxid"));
        QVERIFY(blocker->execScript(QStringLiteral("COMMIT")).ok());

        const QString valid = QStringLiteral("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('%1.%2')").arg(m_schema, name);
        QCOMPARE(one(valid), QStringLiteral("f")); // an invalid index: what a cut-off concurrent build leaves
        const QJsonObject audit = lastAudit();
        QCOMPARE(audit.value(QStringLiteral("outcome")).toString(), QStringLiteral("interrupted"));

        const test::CliRun listed = test::runVwb({QStringLiteral("index"), QStringLiteral("list"), QStringLiteral("--table"),
                                                  m_schema + QStringLiteral(".topic_vectors"), QStringLiteral("--json")},
                                                 url(QStringLiteral("index-list")), env());
        QVERIFY2(listed.code == 0, qPrintable(listed.err + listed.out));
        QVERIFY2(listed.out.contains(name), qPrintable(listed.out));
        const test::CliRun repaired = test::runVwb({QStringLiteral("index"), QStringLiteral("repair"), m_schema + QLatin1Char('.') + name},
                                                   url(QStringLiteral("index-repair")), env());
        QVERIFY2(repaired.code == 0, qPrintable(repaired.err + repaired.out));
        QCOMPARE(one(valid), QStringLiteral("t"));
    }
};

QTEST_GUILESS_MAIN(TestKilledJobs)
#include "tst_killedjobs.moc"
