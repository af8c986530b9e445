// tests/db/tst_backfillclaims.cpp — the claim's recheck, forced rather than hoped for: another
// backfill finishes a row after the claim's snapshot was taken and before the claim locks it. A
// row-level-security policy on the content table makes the claim wait at that row (for a role that
// is not a superuser, which RLS would not apply to) until the test has committed the row's vector.
#include "BackfillFixture.h"

#include "backfill/BackfillClaims.h"
#include <thread>

using namespace vwb;

class TestBackfillClaims : public QObject, test::BackfillFixture
{
    Q_OBJECT
public:
    TestBackfillClaims() : BackfillFixture(QStringLiteral("tst_backfill_claims")) {}

private slots:
    void init() { setUp(); }
    void cleanup()
    {
        tearDown();
        (void)test::connect()->execScript(QStringLiteral("DROP ROLE IF EXISTS vwb_claimer"));
    }

    void aRowFinishedBetweenTheClaimsSnapshotAndItsLockIsLetGo()
    {
        constexpr int Rows = 20, Target = 7, Pause = 7701;
        seed(Rows);
        VERIFY_OK(test::connect()->execScript(
            QStringLiteral("DROP ROLE IF EXISTS vwb_claimer; CREATE ROLE vwb_claimer LOGIN;"
                           "GRANT USAGE ON SCHEMA %1 TO vwb_claimer;"
                           "GRANT SELECT, UPDATE ON %1.topics TO vwb_claimer; GRANT SELECT ON %1.topic_vectors TO vwb_claimer;"
                           // Reading row Target waits until the test lets go of advisory lock Pause.
                           "CREATE FUNCTION %1.pause_at(id bigint) RETURNS boolean LANGUAGE plpgsql AS $f$ BEGIN "
                           "  IF id = %2 THEN PERFORM pg_advisory_lock_shared(%3); PERFORM pg_advisory_unlock_shared(%3); END IF;"
                           "  RETURN true; END $f$;"
                           "ALTER TABLE %1.topics ENABLE ROW LEVEL SECURITY;"
                           "CREATE POLICY pause ON %1.topics USING (%1.pause_at(id));")
                .arg(m_schema)
                .arg(Target)
                .arg(Pause)));
        ConnectionProfile claimer = profile();
        claimer.params.user = QStringLiteral("vwb_claimer");
        claimer.params.password.clear();
        auto on = test::connect(claimer);
        BackfillOptions options;
        options.pair = m_pair;
        auto sql = BackfillSql::discover(*on, options);
        VERIFY_OK(sql);
        BackfillClaims claims(sql.value(), BackfillMode::Missing, 50, {}, {}, [](const QString &) {});

        auto holder = test::connect();
        VERIFY_OK(holder->exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(Pause)));
        std::optional<Result<BackfillClaim>> claimed;
        std::thread worker([&] { claimed = claims.next(*on); });
        // The claim has its snapshot and waits at row Target, not yet locked.
        const QString waiting = QStringLiteral("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %1 AND NOT granted")
                                    .arg(Pause);
        QTRY_COMPARE_WITH_TIMEOUT(holder->exec(waiting).value().scalar(), QStringLiteral("1"), 15000);
        // Another backfill finishes that row and commits.
        VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, "
                                              "array_fill(0.5, ARRAY[%1])::vector FROM topics WHERE id = %2")
                                   .arg(test::BackfillDims)
                                   .arg(Target)));
        VERIFY_OK(holder->exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(Pause)));
        worker.join();

        QVERIFY(claimed.has_value());
        VERIFY_OK(*claimed);
        const QStringList keys = claimed->value().keys;
        QVERIFY2(!keys.contains(QString::number(Target)), qPrintable(keys.join(QLatin1Char(','))));
        QCOMPARE(keys.size(), Rows - 1); // every other row is still the claim's
        VERIFY_OK(on->exec(QStringLiteral("ROLLBACK")));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 1);
    }
};

QTEST_GUILESS_MAIN(TestBackfillClaims)
#include "tst_backfillclaims.moc"
