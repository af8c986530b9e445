// tests/ui/tst_productionguard.cpp — the GUI on a locked production profile (label db): maintenance
// the server would run inside a read-only transaction (VACUUM, REINDEX) is refused by the
// workbench in the Jobs dock, and the table is as it was; once unlocked, the same job runs.
#include "TestWindow.h"

#include "connection/SessionUnlocks.h"
#include "mainwindow/MainWindow.h"
#include "maintenance/MaintenanceJob.h"
#include "panels/MaintenancePanel.h"
#include "session/ConnectionController.h"
#include "session/LiveSession.h"
#include "widgets/JobsDock.h"
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace vwb;
using namespace vwb::ui;

class TestProductionGuard : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    const QString m_schema = QStringLiteral("tst_production_guard");

    QString fingerprint()
    {
        return test::connect()
            ->exec(QStringLiteral("SELECT string_agg(relname || ':' || relfilenode || ':' || reltuples, ',' ORDER BY relname) "
                                  "FROM pg_class WHERE relnamespace = '%1'::regnamespace AND relname LIKE 'topic_vectors%'")
                       .arg(m_schema))
            .value()
            .scalar();
    }

private slots:
    void initTestCase()
    {
        test::resetSchema(
            m_schema,
            QStringLiteral("CREATE TABLE topics (id serial PRIMARY KEY, forum_name text NOT NULL, title text, content text NOT NULL);"
                           "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int REFERENCES topics(id), "
                           "  forum_name text NOT NULL, vector vector(3) NOT NULL) WITH (autovacuum_enabled = off);"
                           "INSERT INTO topics (forum_name, title, content) SELECT 'f', 't' || g, 'c' || g FROM generate_series(1, 50) g;"
                           "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, 'f', '[1,2,3]' FROM topics;"));
    }
    void cleanupTestCase() { test::dropSchema(m_schema); }

    void maintenanceOnALockedProfileIsRefusedUntilUnlocked()
    {
        ConnectionProfile p = test::profileInSchema(m_schema);
        p.production = true;
        p.params.sslmode = QStringLiteral("require");
        auto window = test::openWindowWith(p, QStringLiteral("prod-guard"), m_dir.path(), QStringLiteral("Maintenance"));
        QTRY_VERIFY_WITH_TIMEOUT(window->session()->isConnected(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(window->maintenance()->hasSchema(), 15000);
        const QString before = fingerprint();
        QVERIFY2(before.contains(QLatin1String("topic_vectors:")) && before.contains(QLatin1String(":-1")), qPrintable(before));

        JobsDock *dock = window->jobs();
        for (const auto kind : {MaintenanceRequest::Kind::Vacuum, MaintenanceRequest::Kind::Reindex}) {
            MaintenanceRequest r;
            r.kind = kind;
            r.table = {m_schema, QStringLiteral("topic_vectors")};
            const JobId id = window->maintenance()->startMaintenance(r);
            QTRY_VERIFY_WITH_TIMEOUT(!dock->isRunning(id) && dock->stepOf(id).startsWith(QLatin1String("failed")), 15000);
            QVERIFY2(dock->stepOf(id).contains(QLatin1String("is production and read-only in this session: unlock writes before")),
                     qPrintable(dock->stepOf(id)));
            // Shown for the job, the dock takes a quarter of the window, not half of it.
            QTRY_VERIFY(dock->isVisible());
            QVERIFY2(dock->height() <= window->height() / 3,
                     qPrintable(QStringLiteral("%1 of %2 px").arg(dock->height()).arg(window->height())));
        }
        QCOMPARE(fingerprint(), before); // neither ran: no new files, no statistics

        // Unlocked with the database's name typed, as the dialog asks: VACUUM runs.
        QSignalSpy unlocked(window->controller(), &ConnectionController::unlockFinished);
        window->controller()->unlockWrites(p.params.dbname);
        QVERIFY(unlocked.wait(10000));
        MaintenanceRequest vacuum;
        vacuum.kind = MaintenanceRequest::Kind::Vacuum;
        vacuum.table = {m_schema, QStringLiteral("topic_vectors")};
        const JobId id = window->maintenance()->startMaintenance(vacuum);
        QTRY_VERIFY_WITH_TIMEOUT(!dock->isRunning(id), 30000);
        QCOMPARE(dock->stepOf(id), QStringLiteral("done"));
        QVERIFY(fingerprint() != before);
        SessionUnlocks::lock(QStringLiteral("prod-guard"));
    }
};

QTEST_MAIN(TestProductionGuard)
#include "tst_productionguard.moc"
