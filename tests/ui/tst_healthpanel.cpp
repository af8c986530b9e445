// tests/ui/tst_healthpanel.cpp — the Health panel shows the checks' findings worst first with their
// counts and fixes, and runs a fix it can run (label db).
#include "TestWindow.h"

#include "core/JobRunner.h"
#include "dialogs/PlanPreviewDialog.h"
#include "models/HealthFindingModel.h"
#include "panels/HealthPanel.h"
#include "panels/MaintenancePanel.h"
#include "session/ConnectionController.h"
#include "session/LiveSession.h"
#include "widgets/JobsDock.h"
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace vwb;
using namespace vwb::ui;

class TestHealthPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void findingsAreShownWorstFirstWithCounts();
    void sqlFixesAreCopiedNotRun();
    void runningTheBackfillFixClearsTheMissingVectors();

private:
    int rowOf(const QString &check) const;
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    const QString m_schema = QStringLiteral("tst_health_panel");
    // A database of its own: the checks cover every schema with content tables, and the other
    // tests of a parallel run leave problems of their own in the shared one (an invalid index,
    // orphans) while they run, which would change the counts and the summary asserted here.
    const QString m_database = QStringLiteral("vwb_health_panel");
    ConnectionProfile m_profile;
};

void TestHealthPanel::initTestCase()
{
    m_profile = test::freshDatabase(m_database);
    m_profile.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    VERIFY_OK(test::connect(m_profile)->execScript(
        QStringLiteral(
            "CREATE EXTENSION vector SCHEMA public; CREATE SCHEMA %1;"
            "CREATE TABLE topics (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL, content text NOT NULL,"
            "  updated_at timestamptz DEFAULT now());"
            "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int REFERENCES topics(id), forum_name varchar NOT NULL,"
            "  vector vector(64) NOT NULL, updated_at timestamp DEFAULT now());"
            "INSERT INTO topics (forum_name, title, content) SELECT 'f', 'topic ' || g, 'bread and telescopes ' || g FROM generate_series(1, 300) g;"
            "INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, 'f', array_fill(0.1, ARRAY[64])::vector FROM topics WHERE id > 7;"
            "INSERT INTO topic_vectors (topic_id, forum_name, vector) VALUES (NULL, 'f', array_fill(0.2, ARRAY[64])::vector);"
            "ANALYZE topics; ANALYZE topic_vectors;")
            .arg(m_schema)));
    m_window = test::openWindowWith(m_profile, QStringLiteral("health"), m_dir.path(), QStringLiteral("Health"));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isConnected(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->health()->model()->rowCount() > 0, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->maintenance()->hasSchema(), 15000); // the fixes run there
}

void TestHealthPanel::cleanupTestCase()
{
    m_window.reset();
    (void)test::dropDatabase(m_database);
}

int TestHealthPanel::rowOf(const QString &check) const
{
    const HealthFindingModel *model = m_window->health()->model();
    for (int row = 0; row < model->rowCount(); ++row)
        if (model->finding(row).check == check && model->finding(row).table.startsWith(m_schema))
            return row;
    return -1;
}

void TestHealthPanel::findingsAreShownWorstFirstWithCounts()
{
    const HealthFindingModel *model = m_window->health()->model();
    const int missing = rowOf(QStringLiteral("missing_vectors")), orphans = rowOf(QStringLiteral("orphan_vectors"));
    QVERIFY(missing >= 0 && orphans >= 0);
    QCOMPARE(model->data(model->index(missing, HealthFindingModel::Count)).toLongLong(), 7);
    QCOMPARE(model->data(model->index(orphans, HealthFindingModel::Count)).toLongLong(), 1);
    QCOMPARE(model->data(model->index(orphans, HealthFindingModel::Severity), Qt::BackgroundRole).value<QColor>(),
             HealthFindingModel::colorOf(HealthFinding::Severity::Problem));
    for (int row = 1; row < model->rowCount(); ++row)
        QVERIFY(int(model->finding(row - 1).severity) >= int(model->finding(row).severity));
    QVERIFY2(m_window->health()->summary()->text().startsWith(QLatin1String("Problems: 1 ")),
             qPrintable(m_window->health()->summary()->text()));
    if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty()) {
        m_window->health()->selectRow(missing);
        m_window->grab().save(dir + QStringLiteral("/health.png"));
    }
}

void TestHealthPanel::sqlFixesAreCopiedNotRun()
{
    HealthPanel *panel = m_window->health();
    panel->selectRow(rowOf(QStringLiteral("orphan_vectors")));
    QVERIFY(panel->fixView()->toPlainText().startsWith(QLatin1String("DELETE FROM")));
    QVERIFY(!panel->runButton()->isEnabled());
    // A check that passed, selected, says there is nothing to fix (not "select a finding").
    const HealthFindingModel *model = panel->model();
    int passed = -1;
    for (int row = 0; row < model->rowCount() && passed < 0; ++row)
        if (model->finding(row).severity == HealthFinding::Severity::Ok)
            passed = row;
    QVERIFY(passed >= 0);
    panel->selectRow(passed);
    QVERIFY(panel->fixView()->toPlainText().isEmpty());
    QCOMPARE(panel->fixView()->placeholderText(), QStringLiteral("Nothing to fix: this check found nothing wrong."));
    panel->selectRow(rowOf(QStringLiteral("missing_vectors")));
    QCOMPARE(panel->fixView()->toPlainText(),
             QStringLiteral("vwb backfill --table %1.topics --profile health").arg(m_schema)); // runs here, pasted
    QVERIFY(panel->runButton()->isEnabled());
}

void TestHealthPanel::runningTheBackfillFixClearsTheMissingVectors()
{
    HealthPanel *panel = m_window->health();
    QSignalSpy refreshed(panel, &HealthPanel::refreshed);
    const auto runBackfillFix = [&](const QString &rows) {
        refreshed.clear();
        panel->selectRow(rowOf(QStringLiteral("missing_vectors")));
        panel->runButton()->click();
        // The dry run's figures come first; going ahead starts the job, whose end refreshes the checks.
        PlanPreviewDialog *preview = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((preview = m_window->findChild<PlanPreviewDialog *>()) != nullptr, 15000);
        QVERIFY2(preview->planText().startsWith(rows + QStringLiteral(" rows of ")), qPrintable(preview->planText()));
        if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty())
            preview->grab().save(dir + QStringLiteral("/backfill-preview.png"));
        preview->accept();
        QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty(), 60000);
    };
    // The column's vectors (all 0.1) are not what the offline provider makes: the job refuses to
    // put its own beside them, and the finding stays.
    runBackfillFix(QStringLiteral("7"));
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("missing_vectors")) >= 0, 30000);
    QCOMPARE(panel->model()->finding(rowOf(QStringLiteral("missing_vectors"))).count, 7);
    auto conn = test::connect(m_profile);
    QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM topic_vectors")).value().scalar(), QStringLiteral("294"));

    VERIFY_OK(conn->exec(QStringLiteral("DELETE FROM topic_vectors")));
    refreshed.clear();
    panel->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!refreshed.isEmpty(), 30000);
    runBackfillFix(QStringLiteral("300"));
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("missing_vectors")) >= 0
                                 && panel->model()->finding(rowOf(QStringLiteral("missing_vectors"))).count == 0,
                             30000);
    QCOMPARE(panel->model()->finding(rowOf(QStringLiteral("missing_vectors"))).severity, HealthFinding::Severity::Ok);
}

QTEST_MAIN(TestHealthPanel)
#include "tst_healthpanel.moc"
