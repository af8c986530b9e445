// tests/unit/tst_auditlog.cpp — the audit log: entries begun and finished, how a scope left early
// and a killed process read, what a summary keeps out, and the runner recording writing jobs.
#include "core/AuditLog.h"
#include "core/JobRunner.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace vwb;

namespace {
/// A writing job whose run() and rows are given.
class WritingJob : public Job
{
public:
    WritingJob(std::function<Result<void>(JobContext &)> body, qint64 rows) : m_body(std::move(body)), m_rows(rows) {}
    QString title() const override { return QStringLiteral("test write"); }
    Result<void> run(JobContext &ctx) override { return m_body(ctx); }
    std::optional<AuditSubject> audit() const override
    {
        return AuditSubject{QStringLiteral("audited"), QStringLiteral("REINDEX"), QStringLiteral("REINDEX INDEX CONCURRENTLY x")};
    }
    qint64 rowsWritten() const override { return m_rows; }

private:
    std::function<Result<void>(JobContext &)> m_body;
    qint64 m_rows;
};
} // namespace

class TestAuditLog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void anEntryIsBegunThenFinished();
    void readFiltersByProfileNewestFirst();
    void aScopeLeftWithoutAnOutcomeIsAFailure();
    void aWriteOfAProcessThatIsGoneReadsAsInterrupted();
    void summariesAreOneLineCappedAndKeepPasswordsOut();
    void theRunnerRecordsWritingJobsAndHowTheyEnded();
    void aJobThatOnlyReadsIsNotRecorded();

private:
    QList<AuditEntry> entriesOf(const QString &profile);
    QTemporaryDir m_dir;
};

void TestAuditLog::initTestCase()
{
    // AuditLog::shared() reads its path once: point it here before anything uses it.
    qputenv("XDG_DATA_HOME", m_dir.path().toUtf8());
    QCOMPARE(AuditLog::shared().path(), m_dir.filePath(QStringLiteral("vector-workbench/audit.sqlite")));
}

QList<AuditEntry> TestAuditLog::entriesOf(const QString &profile)
{
    auto read = AuditLog::shared().read(profile);
    if (!read.ok())
        qWarning() << read.error().message;
    return read.ok() ? read.value() : QList<AuditEntry>{};
}

void TestAuditLog::anEntryIsBegunThenFinished()
{
    AuditLog &log = AuditLog::shared();
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    auto id = log.begin(QStringLiteral("p1"), QStringLiteral("backfill"), QStringLiteral("embed the missing rows"));
    QVERIFY(id.ok());
    QList<AuditEntry> e = entriesOf(QStringLiteral("p1"));
    QCOMPARE(e.size(), 1);
    QCOMPARE(e.first().outcome, AuditEntry::Outcome::Running); // this process is alive
    QVERIFY(!e.first().endedAt.isValid());
    QVERIFY(e.first().startedAt.toMSecsSinceEpoch() >= before);
    QCOMPARE(e.first().pid, QCoreApplication::applicationPid());
    QVERIFY(!e.first().osUser.isEmpty());
    QCOMPARE(e.first().rows, -1);

    QVERIFY(log.finish(id.value(), AuditEntry::Outcome::Done, 1234, {}).ok());
    e = entriesOf(QStringLiteral("p1"));
    QCOMPARE(e.first().outcome, AuditEntry::Outcome::Done);
    QCOMPARE(e.first().rows, 1234);
    QVERIFY(e.first().endedAt >= e.first().startedAt);
    QCOMPARE(e.first().summary, QStringLiteral("embed the missing rows"));
}

void TestAuditLog::readFiltersByProfileNewestFirst()
{
    for (const char *p : {"f-a", "f-b", "f-a"})
        AuditedWrite(QLatin1String(p), QStringLiteral("ANALYZE"), QLatin1String(p)).finish(nullptr);
    const QList<AuditEntry> a = entriesOf(QStringLiteral("f-a"));
    QCOMPARE(a.size(), 2);
    QVERIFY(a.at(0).id > a.at(1).id);
    const QList<AuditEntry> all = entriesOf({});
    QVERIFY(all.size() >= 3);
    QCOMPARE(all.first().profile, QStringLiteral("f-a"));
    QCOMPARE(all.at(1).profile, QStringLiteral("f-b"));
    QCOMPARE(AuditLog::shared().read(QStringLiteral("f-a"), 1).value().size(), 1);
}

void TestAuditLog::aScopeLeftWithoutAnOutcomeIsAFailure()
{
    {
        AuditedWrite write(QStringLiteral("early"), QStringLiteral("import"), QStringLiteral("a.jsonl into topics"));
    }
    const QList<AuditEntry> e = entriesOf(QStringLiteral("early"));
    QCOMPARE(e.size(), 1);
    QCOMPARE(e.first().outcome, AuditEntry::Outcome::Failed);
    QCOMPARE(e.first().message, QStringLiteral("ended without an outcome"));

    const Error canceled = Error::canceled();
    AuditedWrite(QStringLiteral("stopped"), QStringLiteral("backfill"), {}).finish(&canceled, 10);
    QCOMPARE(entriesOf(QStringLiteral("stopped")).first().outcome, AuditEntry::Outcome::Canceled);
}

void TestAuditLog::aWriteOfAProcessThatIsGoneReadsAsInterrupted()
{
    // A process that ran and ended: its pid is free now (a kill -9 mid-write leaves the same row).
    QProcess gone;
    gone.start(QStringLiteral("true"), {});
    QVERIFY(gone.waitForStarted());
    const qint64 pid = gone.processId();
    QVERIFY(gone.waitForFinished());
    auto id = AuditLog::shared().begin(QStringLiteral("killed"), QStringLiteral("backfill"), {});
    QVERIFY(id.ok());
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("poke"));
        db.setDatabaseName(AuditLog::shared().path());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("UPDATE entries SET pid = %1 WHERE id = %2").arg(pid).arg(id.value())));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("poke"));
    QCOMPARE(entriesOf(QStringLiteral("killed")).first().outcome, AuditEntry::Outcome::Interrupted);
    QCOMPARE(outcomeName(AuditEntry::Outcome::Interrupted), QStringLiteral("interrupted"));
}

void TestAuditLog::summariesAreOneLineCappedAndKeepPasswordsOut()
{
    QCOMPARE(auditSummary(QStringLiteral("  REINDEX\n\tINDEX  x\x1b[2J ")), QStringLiteral("REINDEX INDEX x [2J"));
    QCOMPARE(auditSummary(QStringLiteral("ALTER ROLE app PASSWORD 'se''cret' VALID UNTIL 'x'")),
             QStringLiteral("ALTER ROLE app PASSWORD '…' VALID UNTIL 'x'"));
    QCOMPARE(auditSummary(QStringLiteral("create role r with password\n'p'")), QStringLiteral("create role r with password '…'"));
    const QString cut = auditSummary(QString(5000, QLatin1Char('a')), 100);
    QCOMPARE(cut.size(), 100);
    QVERIFY(cut.endsWith(QChar(0x2026)));
    // What reaches the file is the summary, not the text given.
    AuditedWrite(QStringLiteral("secret"), QStringLiteral("console"), QStringLiteral("ALTER ROLE a PASSWORD 'hunter2'")).finish(nullptr);
    QCOMPARE(entriesOf(QStringLiteral("secret")).first().summary, QStringLiteral("ALTER ROLE a PASSWORD '…'"));
}

void TestAuditLog::theRunnerRecordsWritingJobsAndHowTheyEnded()
{
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.start(std::make_unique<WritingJob>([](JobContext &) { return Result<void>(); }, 42));
    QVERIFY(finished.wait(5000));
    runner.start(
        std::make_unique<WritingJob>([](JobContext &) { return Result<void>(Error::invalid(QStringLiteral("no such index"))); }, 0));
    QVERIFY(finished.wait(5000));
    const QList<AuditEntry> e = entriesOf(QStringLiteral("audited"));
    QCOMPARE(e.size(), 2);
    QCOMPARE(e.at(1).action, QStringLiteral("REINDEX"));
    QCOMPARE(e.at(1).summary, QStringLiteral("REINDEX INDEX CONCURRENTLY x"));
    QCOMPARE(e.at(1).outcome, AuditEntry::Outcome::Done);
    QCOMPARE(e.at(1).rows, 42);
    QCOMPARE(e.at(0).outcome, AuditEntry::Outcome::Failed);
    QCOMPARE(e.at(0).message, QStringLiteral("no such index"));
}

void TestAuditLog::aJobThatOnlyReadsIsNotRecorded()
{
    class ReadingJob : public Job
    {
    public:
        QString title() const override { return QStringLiteral("read"); }
        Result<void> run(JobContext &) override { return {}; }
    };
    const int before = int(entriesOf({}).size());
    JobRunner runner;
    QSignalSpy finished(&runner, &JobRunner::finished);
    runner.start(std::make_unique<ReadingJob>());
    QVERIFY(finished.wait(5000));
    QCOMPARE(int(entriesOf({}).size()), before);
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
