// tests/interop/tst_knexinterop.cpp — the workbench and the real Knex CLI (knex@3 and pg@8 from npm,
// installed into the build tree by the knex_install fixture) on one ledger: each reads what the
// other wrote and each honours the other's lock. Every test works in its own schema: the
// workbench through `options=-c search_path=<schema>,public`, Knex through its `searchPath`.
#include "support/TestCluster.h"
#include "interop/KnexCliSupport.h"

#include "connection/DatabaseUrl.h"
#include "migrations/MigrationRunner.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace vwb;
using namespace vwb::test::knex;

namespace {


const QString JsData = QStringLiteral(VWB_TEST_DATA "/knex-js-migrations");
const QString SqlData = QStringLiteral(VWB_TEST_DATA "/migrations-simple");
const QString Authors = QStringLiteral("20240101120000_create_authors.js");
const QString Books = QStringLiteral("20240102090000_create_books.js");
const QString PublishedOn = QStringLiteral("20240215083000_add_books_published_on.js");
const QString SqlA = QStringLiteral("20250101000000_a.sql");
const QString SqlB = QStringLiteral("20250102000000_b.sql");
const QString SqlC = QStringLiteral("20250103000000_c.sql");

} // namespace

class TestKnexInterop : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();
    void knexLatestThenUpIsReadWithKnexNamesAndBatches();
    void workbenchRefusesToRunKnexJavaScript();
    void workbenchSqlRunLeavesKnexLedgerWhole();
    void workbenchSqlRunOnItsOwnLedger();
    void workbenchLedgerTablesAreTheOnesKnexCreates();
    void sqlMigrationInAKnexFolderNeverReachesKnexLedger();
    void lockStopsKnexUntilTheWorkbenchUnlocks();

private:
    ConnectionProfile profile() const;
    QString url() const;
    /// A folder of its own in the test's temporary directory holding copies of `names` from `from`.
    QString folderWith(const QString &folder, const QString &from, const QStringList &names);
    bool copyInto(const QString &folder, const QString &from, const QString &name);
    /// Writes the knexfile every later knex() call uses: client pg, the test cluster, the test's
    /// schema as searchPath, `dir` as migrations.directory with `extensions` as loadExtensions.
    QString writeKnexfile(const QString &dir, const QStringList &extensions);
    Finished knex(const QStringList &args);
    Finished vwb(const QStringList &args);
    Result<MigrationStatus> status(const QString &dir, const QStringList &extensions = defaultMigrationExtensions());
    QStringList ledger();   // "name:batch" by id
    QStringList lockRows(); // "index:is_locked" by index
    QString scalar(const QString &sql);

    QString m_schema;
    std::unique_ptr<PgConnection> m_conn;
    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_knexfile;
};

ConnectionProfile TestKnexInterop::profile() const
{
    ConnectionProfile p = test::clusterProfile();
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    return p;
}

QString TestKnexInterop::url() const
{
    return toDatabaseUrl(profile().params, false);
}

bool TestKnexInterop::copyInto(const QString &folder, const QString &from, const QString &name)
{
    return QFile::copy(from + QLatin1Char('/') + name, folder + QLatin1Char('/') + name);
}

QString TestKnexInterop::folderWith(const QString &folder, const QString &from, const QStringList &names)
{
    const QString path = m_tmp->filePath(folder);
    if (!QDir().mkpath(path))
        return {};
    for (const QString &name : names) {
        if (!copyInto(path, from, name))
            return {};
    }
    return path;
}

QString TestKnexInterop::writeKnexfile(const QString &dir, const QStringList &extensions)
{
    const ConnectionParams cluster = test::clusterProfile().params;
    QJsonObject connection{{QStringLiteral("host"), cluster.host},
                           {QStringLiteral("port"), cluster.port.toInt()},
                           {QStringLiteral("user"), cluster.user},
                           {QStringLiteral("database"), cluster.dbname},
                           {QStringLiteral("ssl"), false}};
    if (!cluster.password.isEmpty())
        connection.insert(QStringLiteral("password"), cluster.password);
    // The configuration at the top level (no environment keys), so NODE_ENV cannot pick another.
    const QJsonObject config{
        {QStringLiteral("client"), QStringLiteral("pg")},
        {QStringLiteral("connection"), connection},
        {QStringLiteral("searchPath"), QJsonArray{m_schema}},
        {QStringLiteral("migrations"),
         QJsonObject{{QStringLiteral("directory"), dir}, {QStringLiteral("loadExtensions"), QJsonArray::fromStringList(extensions)}}}};
    m_knexfile = m_tmp->filePath(QStringLiteral("knexfile.js"));
    QFile file(m_knexfile);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return {};
    file.write("// Written by tst_knexinterop for one test.\nmodule.exports = ");
    file.write(QJsonDocument(config).toJson(QJsonDocument::Indented));
    file.write(";\n");
    return file.error() == QFileDevice::NoError ? m_knexfile : QString();
}

Finished TestKnexInterop::knex(const QStringList &args)
{
    QProcessEnvironment env = quietEnvironment();
    env.insert(QStringLiteral("NODE_ENV"), QStringLiteral("test"));
    env.insert(QStringLiteral("NO_COLOR"), QStringLiteral("1"));
    env.insert(QStringLiteral("KNEX_PATH"), knexModuleDir());
    // The knexfile's folder as working directory, as the CLI would otherwise change to it.
    const QStringList all = QStringList{QStringLiteral(VWB_KNEX_CLI)} + args + QStringList{QStringLiteral("--knexfile"), m_knexfile};
    return runProcess(QStringLiteral(VWB_NODE), all, env, QFileInfo(m_knexfile).absolutePath());
}

Finished TestKnexInterop::vwb(const QStringList &args)
{
    const QStringList all = QStringList{QStringLiteral("migrate")} + args + QStringList{QStringLiteral("--url"), url()};
    return runProcess(QStringLiteral(VWB_CLI), all, quietEnvironment());
}

Result<MigrationStatus> TestKnexInterop::status(const QString &dir, const QStringList &extensions)
{
    auto files = scanMigrations(dir, extensions);
    if (!files.ok())
        return files.error();
    MigrationRunner runner(*m_conn, MigrationRunner::ledgerFor(files.value()));
    return runner.status(files.value());
}

QStringList TestKnexInterop::ledger()
{
    auto r = m_conn->exec(QStringLiteral("SELECT name || ':' || batch FROM knex_migrations ORDER BY id"));
    if (!r.ok())
        return {r.error().message};
    QStringList out;
    for (const QStringList &row : r.value().rows)
        out << row.first();
    return out;
}

QStringList TestKnexInterop::lockRows()
{
    auto r = m_conn->exec(QStringLiteral("SELECT index || ':' || coalesce(is_locked::text, 'NULL') "
                                         "FROM knex_migrations_lock ORDER BY index"));
    if (!r.ok())
        return {r.error().message};
    QStringList out;
    for (const QStringList &row : r.value().rows)
        out << row.first();
    return out;
}

QString TestKnexInterop::scalar(const QString &sql)
{
    auto r = m_conn->exec(sql);
    return r.ok() ? r.value().scalar() : r.error().message;
}

void TestKnexInterop::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(VWB_KNEX_CLI)),
             "the Knex CLI is not installed: run the suite through ctest so the knex_install fixture installs it");
    QVERIFY2(QFileInfo::exists(knexModuleDir() + QStringLiteral("/../pg/package.json")), "pg is not installed next to knex");
    const Finished version = runProcess(QStringLiteral(VWB_NODE), {QStringLiteral(VWB_KNEX_CLI), QStringLiteral("--version")},
                                        quietEnvironment());
    QVERIFY2(version.exitCode == 0 && version.out.contains(QLatin1String("Knex CLI version")), qPrintable(version.report()));
}

void TestKnexInterop::init()
{
    m_schema = QStringLiteral("tst_knex_%1").arg(QString::fromLatin1(QTest::currentTestFunction()).toLower().left(40));
    m_tmp = std::make_unique<QTemporaryDir>();
    QVERIFY(m_tmp->isValid());
    auto admin = test::connect();
    QVERIFY(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1;").arg(m_schema)).ok());
    auto conn = PgConnection::open(profile());
    QVERIFY(conn.ok());
    m_conn = std::move(conn).value();
}

void TestKnexInterop::cleanup()
{
    m_conn.reset();
    m_tmp.reset();
    m_knexfile.clear();
    auto admin = test::connect();
    QVERIFY(admin->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(m_schema)).ok());
}

void TestKnexInterop::knexLatestThenUpIsReadWithKnexNamesAndBatches()
{
    const QString dir = folderWith(QStringLiteral("js"), JsData, {Authors, Books});
    QVERIFY(!dir.isEmpty());
    QVERIFY(!writeKnexfile(dir, {QStringLiteral(".js")}).isEmpty());

    const Finished latest = knex({QStringLiteral("migrate:latest")});
    QVERIFY2(latest.exitCode == 0 && latest.out.contains(QLatin1String("Batch 1 run: 2 migrations")), qPrintable(latest.report()));
    QVERIFY(copyInto(dir, JsData, PublishedOn)); // a later file, as a new commit brings it

    // Between the batches: two applied as batch 1, one pending, the lock free.
    auto between = status(dir);
    QVERIFY2(between.ok(), qPrintable(between.ok() ? QString() : between.error().message));
    QVERIFY(between.value().ledgerExists);
    QCOMPARE(between.value().names(MigrationState::Applied), (QStringList{Authors, Books}));
    QCOMPARE(between.value().names(MigrationState::Pending), QStringList{PublishedOn});
    QCOMPARE(between.value().lock, LockState::Free);
    const Finished listBetween = knex({QStringLiteral("migrate:list")});
    QVERIFY2(listBetween.exitCode == 0, qPrintable(listBetween.report()));
    const ListedMigrations knexBetween = parseMigrationList(listBetween.out);
    QVERIFY2(knexBetween.problem.isEmpty(), qPrintable(knexBetween.problem + listBetween.report()));
    QCOMPARE(knexBetween.completed, between.value().names(MigrationState::Applied));
    QCOMPARE(knexBetween.pending, between.value().names(MigrationState::Pending));

    const Finished up = knex({QStringLiteral("migrate:up")});
    QVERIFY2(up.exitCode == 0 && up.out.contains(QStringLiteral("Batch 2 ran the following migrations:\n") + PublishedOn),
             qPrintable(up.report()));

    // What Knex wrote, row by row, is what the workbench reports.
    QCOMPARE(ledger(), (QStringList{Authors + QStringLiteral(":1"), Books + QStringLiteral(":1"), PublishedOn + QStringLiteral(":2")}));
    auto after = status(dir);
    QVERIFY(after.ok());
    const MigrationStatus &s = after.value();
    QCOMPARE(s.names(MigrationState::Applied), (QStringList{Authors, Books, PublishedOn}));
    QCOMPARE(s.count(MigrationState::Pending) + s.count(MigrationState::PendingOutOfOrder), 0);
    QCOMPARE(s.count(MigrationState::Missing), 0);
    QCOMPARE(s.lock, LockState::Free);
    QCOMPARE(s.lastBatch, 2);
    QCOMPARE(s.nextRollback, QStringList{PublishedOn});
    QVERIFY2(s.problems.isEmpty(), qPrintable(s.problems.join(QLatin1Char('\n'))));
    auto times = m_conn->exec(QStringLiteral("SELECT name, batch, (extract(epoch FROM migration_time) * 1000)::bigint "
                                             "FROM knex_migrations ORDER BY id"));
    QVERIFY(times.ok());
    QCOMPARE(times.value().rowCount(), 3);
    for (const QStringList &row : times.value().rows) {
        const auto entry = std::find_if(s.entries.begin(), s.entries.end(),
                                        [&row](const MigrationEntry &e) { return e.name == row.at(0); });
        QVERIFY(entry != s.entries.end());
        QCOMPARE(entry->batch, row.at(1).toInt());
        QCOMPARE(entry->appliedAt.toMSecsSinceEpoch(), row.at(2).toLongLong()); // Knex writes a JS Date: ms
        QCOMPARE(entry->timesApplied, 1);
    }

    // The same through the CLI, as JSON and as text.
    const Finished json = vwb({QStringLiteral("status"), QStringLiteral("--json"), QStringLiteral("--dir"), dir});
    QVERIFY2(json.exitCode == 0, qPrintable(json.report()));
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("applied")).toInt(), 3);
    QCOMPARE(o.value(QStringLiteral("pending")).toInt(), 0);
    QCOMPARE(o.value(QStringLiteral("missing")).toInt(), 0);
    QCOMPARE(o.value(QStringLiteral("last_batch")).toInt(), 2);
    QCOMPARE(o.value(QStringLiteral("lock")).toObject().value(QStringLiteral("state")).toString(), QStringLiteral("free"));
    QStringList jsonRows;
    for (const QJsonValue &m : o.value(QStringLiteral("migrations")).toArray())
        jsonRows << QStringLiteral("%1:%2:%3")
                        .arg(m[QStringLiteral("name")].toString(), m[QStringLiteral("status")].toString())
                        .arg(m[QStringLiteral("batch")].toInt());
    QCOMPARE(jsonRows, (QStringList{Authors + QStringLiteral(":applied:1"), Books + QStringLiteral(":applied:1"),
                                    PublishedOn + QStringLiteral(":applied:2")}));

    const Finished list = knex({QStringLiteral("migrate:list")});
    QVERIFY2(list.exitCode == 0, qPrintable(list.report()));
    const ListedMigrations byKnex = parseMigrationList(list.out);
    QVERIFY2(byKnex.problem.isEmpty(), qPrintable(byKnex.problem + list.report()));
    const Finished text = vwb({QStringLiteral("status"), QStringLiteral("--dir"), dir});
    QVERIFY2(text.exitCode == 0, qPrintable(text.report()));
    const ListedMigrations byWorkbench = parseMigrationList(text.out);
    QVERIFY2(byWorkbench.problem.isEmpty(), qPrintable(byWorkbench.problem + text.report()));
    QCOMPARE(byKnex.completed, (QStringList{Authors, Books, PublishedOn}));
    QCOMPARE(byKnex.pending, QStringList{});
    QCOMPARE(byWorkbench.completed, byKnex.completed);
    QCOMPARE(byWorkbench.pending, byKnex.pending);
}

void TestKnexInterop::workbenchRefusesToRunKnexJavaScript()
{
    const QString dir = folderWith(QStringLiteral("js"), JsData, {Authors});
    QVERIFY(!dir.isEmpty());
    QVERIFY(!writeKnexfile(dir, {QStringLiteral(".js")}).isEmpty());
    const Finished latest = knex({QStringLiteral("migrate:latest")});
    QVERIFY2(latest.exitCode == 0, qPrintable(latest.report()));
    QVERIFY(copyInto(dir, JsData, Books));
    QVERIFY(copyInto(dir, JsData, PublishedOn));

    for (const QString &action : {QStringLiteral("latest"), QStringLiteral("up")}) {
        const Finished run = vwb({action, QStringLiteral("--dir"), dir});
        QVERIFY2(run.exitCode == 1, qPrintable(run.report()));
        QVERIFY2(run.err.contains(Books) && run.err.contains(QLatin1String("Knex")) && run.err.contains(QLatin1String("knex migrate:")),
                 qPrintable(run.report()));
    }
    auto files = scanMigrations(dir);
    QVERIFY(files.ok());
    auto s = status(dir);
    QVERIFY(s.ok());
    auto plan = planMigrations(s.value(), files.value(), {MigrationAction::Latest, {}});
    QVERIFY(!plan.ok());
    QVERIFY2(plan.error().message.contains(Books) && plan.error().message.contains(PublishedOn)
                 && plan.error().message.contains(QLatin1String("npx knex migrate:latest")),
             qPrintable(plan.error().message));

    QCOMPARE(ledger(), QStringList{Authors + QStringLiteral(":1")});
    QCOMPARE(lockRows(), QStringList{QStringLiteral("1:0")});
    QCOMPARE(scalar(QStringLiteral("SELECT to_regclass('interop_books') IS NULL")), QStringLiteral("t"));
}

void TestKnexInterop::workbenchSqlRunLeavesKnexLedgerWhole()
{
    // A Knex project beside the workbench's own .sql migrations, on one database.
    const QString dir = folderWith(QStringLiteral("js"), JsData, {Authors});
    QVERIFY(!dir.isEmpty());
    QVERIFY(!writeKnexfile(dir, {QStringLiteral(".js")}).isEmpty());
    const Finished latest = knex({QStringLiteral("migrate:latest")});
    QVERIFY2(latest.exitCode == 0, qPrintable(latest.report()));

    // Asked to record its .sql migrations in Knex's ledger, the workbench refuses and changes nothing.
    const Finished refused = vwb(
        {QStringLiteral("latest"), QStringLiteral("--dir"), SqlData, QStringLiteral("--table"), QStringLiteral("knex_migrations")});
    QVERIFY2(refused.exitCode == 1 && refused.err.contains(QLatin1String("is Knex's ledger")), qPrintable(refused.report()));
    QCOMPARE(ledger(), QStringList{Authors + QStringLiteral(":1")});
    QCOMPARE(scalar(QStringLiteral("SELECT to_regclass('mig_a') IS NULL")), QStringLiteral("t"));
    // On a database a Knex project manages it does not apply them in a ledger of its own either.
    const Finished managed = vwb({QStringLiteral("latest"), QStringLiteral("--dir"), SqlData});
    QVERIFY2(managed.exitCode == 1 && managed.err.contains(QLatin1String("managed by Knex"))
                 && managed.err.contains(QLatin1String("vwb migrate export")),
             qPrintable(managed.report()));
    QCOMPARE(scalar(QStringLiteral("SELECT to_regclass('vwb_migrations') IS NULL")), QStringLiteral("t"));

    // Knex's own commands all still work, in both directions.
    for (const QString &command : {QStringLiteral("migrate:list"), QStringLiteral("migrate:rollback"), QStringLiteral("migrate:up"),
                                   QStringLiteral("migrate:down"), QStringLiteral("migrate:latest")}) {
        const Finished run = knex({command});
        QVERIFY2(run.exitCode == 0 && !run.err.contains(QLatin1String("corrupt")), qPrintable(run.report()));
    }
    QCOMPARE(ledger(), QStringList{Authors + QStringLiteral(":1")});
}

void TestKnexInterop::workbenchSqlRunOnItsOwnLedger()
{
    const Finished run = vwb({QStringLiteral("latest"), QStringLiteral("--to"), SqlB, QStringLiteral("--dir"), SqlData});
    QVERIFY2(run.exitCode == 0 && run.out.contains(QLatin1String("Batch 1 run: 2 migrations")), qPrintable(run.report()));
    QCOMPARE(scalar(QStringLiteral("SELECT to_regclass('knex_migrations') IS NULL")), QStringLiteral("t")); // never made
    QCOMPARE(scalar(QStringLiteral("SELECT string_agg(name || ':' || batch, ',' ORDER BY id) FROM vwb_migrations")),
             SqlA + QStringLiteral(":1,") + SqlB + QStringLiteral(":1"));
    auto s = status(SqlData);
    QVERIFY(s.ok());
    QCOMPARE(s.value().names(MigrationState::Applied), (QStringList{SqlA, SqlB}));
    QCOMPARE(s.value().names(MigrationState::Pending), QStringList{SqlC});

    // A Knex project adopting the database later finds a ledger of its own to start.
    const QString dir = folderWith(QStringLiteral("js"), JsData, {Authors});
    QVERIFY(!writeKnexfile(dir, {QStringLiteral(".js")}).isEmpty());
    const Finished latest = knex({QStringLiteral("migrate:latest")});
    QVERIFY2(latest.exitCode == 0 && latest.out.contains(QLatin1String("Batch 1 run: 1 migrations")), qPrintable(latest.report()));
    const Finished list = knex({QStringLiteral("migrate:list")});
    QVERIFY2(list.exitCode == 0, qPrintable(list.report()));
    QCOMPARE(parseMigrationList(list.out).completed, QStringList{Authors});

    // The workbench's lock is its own: a stuck one is freed without touching Knex's.
    QVERIFY(m_conn->exec(QStringLiteral("UPDATE vwb_migrations_lock SET is_locked = 1")).ok());
    QCOMPARE(status(SqlData).value().lock, LockState::Locked);
    const Finished unlock = vwb({QStringLiteral("unlock"), QStringLiteral("--yes"), QStringLiteral("--dir"), SqlData});
    QVERIFY2(unlock.exitCode == 0, qPrintable(unlock.report()));
    QCOMPARE(status(SqlData).value().lock, LockState::Free);
    QCOMPARE(lockRows(), QStringList{QStringLiteral("1:0")});
}

void TestKnexInterop::workbenchLedgerTablesAreTheOnesKnexCreates()
{
    // Each ledger's two tables, columns, defaults, keys and lock rows, with the name of the ledger
    // written as Knex's: the workbench's vwb_migrations has exactly the layout of knex_migrations.
    const auto describeLedger = [this](const QString &ledger) {
        QStringList out;
        auto columns = m_conn->exec(
            QStringLiteral("SELECT table_name || '.' || column_name || ' ' || data_type || "
                           "coalesce('(' || character_maximum_length || ')', '') || ' null:' || "
                           "is_nullable || ' default:' || coalesce(column_default, '-') "
                           "FROM information_schema.columns WHERE table_schema = $1 "
                           "AND table_name::text IN ($2::text, $2::text || '_lock') ORDER BY table_name, ordinal_position"),
            {m_schema, ledger});
        auto keys = m_conn->exec(QStringLiteral("SELECT conrelid::regclass::text || ' ' || contype::text || ' ' || conname || ' ' || "
                                                "pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = $1::regnamespace "
                                                "AND conrelid::regclass::text IN ($2::text, $2::text || '_lock') ORDER BY 1"),
                                 {m_schema, ledger});
        auto locks = m_conn->exec(QStringLiteral("SELECT index || ':' || coalesce(is_locked::text, 'NULL') FROM %1 ORDER BY index")
                                      .arg(ledger + QStringLiteral("_lock")));
        for (const auto *r : {&columns, &keys, &locks}) {
            if (!r->ok())
                return QStringList{r->error().message};
            for (const QStringList &row : r->value().rows)
                out << QString(row.first()).replace(ledger, QStringLiteral("LEDGER"));
        }
        return out;
    };

    // Knex creates both tables and the lock row on first use, even for a list.
    const QString dir = folderWith(QStringLiteral("js"), JsData, {Authors});
    QVERIFY(!writeKnexfile(dir, {QStringLiteral(".js")}).isEmpty());
    const Finished list = knex({QStringLiteral("migrate:list")});
    QVERIFY2(list.exitCode == 0, qPrintable(list.report()));
    const QStringList byKnex = describeLedger(QStringLiteral("knex_migrations"));
    QVERIFY2(byKnex.size() > 6, qPrintable(byKnex.join(QLatin1Char('\n'))));

    const Finished run = vwb({QStringLiteral("latest"), QStringLiteral("--to"), SqlA, QStringLiteral("--dir"), SqlData});
    QVERIFY2(run.exitCode == 0, qPrintable(run.report()));
    QCOMPARE(describeLedger(QStringLiteral("vwb_migrations")).join(QLatin1Char('\n')), byKnex.join(QLatin1Char('\n')));
    QCOMPARE(describeLedger(QStringLiteral("knex_migrations")), byKnex); // Knex's untouched
}

void TestKnexInterop::sqlMigrationInAKnexFolderNeverReachesKnexLedger()
{
    const QString dir = folderWith(QStringLiteral("js"), JsData, {Authors, Books});
    QVERIFY(!dir.isEmpty());
    QVERIFY(!writeKnexfile(dir, {QStringLiteral(".js")}).isEmpty());
    const Finished latest = knex({QStringLiteral("migrate:latest")});
    QVERIFY2(latest.exitCode == 0, qPrintable(latest.report()));
    // A .sql migration dropped next to Knex's JavaScript ones (what earlier versions invited).
    QVERIFY(copyInto(dir, SqlData, SqlA));
    QVERIFY(m_conn->exec(QStringLiteral("UPDATE knex_migrations_lock SET is_locked = 1")).ok()); // a run died

    // Read as Knex reads it (.js only), the folder is Knex's: its lock is shown held.
    auto jsOnly = status(dir, {QStringLiteral(".js")});
    QVERIFY(jsOnly.ok());
    QCOMPARE(jsOnly.value().lock, LockState::Locked);
    // The mixed folder goes to the workbench's ledger, which refuses: Knex manages this database.
    const Finished run = vwb({QStringLiteral("latest"), QStringLiteral("--dir"), dir});
    QVERIFY2(run.exitCode == 1 && run.err.contains(QLatin1String("managed by Knex")), qPrintable(run.report()));
    const Finished forced = vwb(
        {QStringLiteral("latest"), QStringLiteral("--dir"), dir, QStringLiteral("--table"), QStringLiteral("knex_migrations")});
    QVERIFY2(forced.exitCode == 1 && forced.err.contains(QLatin1String("is Knex's ledger")), qPrintable(forced.report()));
    QCOMPARE(ledger(), (QStringList{Authors + QStringLiteral(":1"), Books + QStringLiteral(":1")}));
    QCOMPARE(scalar(QStringLiteral("SELECT to_regclass('mig_a') IS NULL")), QStringLiteral("t"));
    QCOMPARE(lockRows(), QStringList{QStringLiteral("1:1")}); // left as the dead run left it

    // Listing takes no lock, in Knex as in the workbench; neither sees the .sql file as Knex's.
    const Finished list = knex({QStringLiteral("migrate:list")});
    QVERIFY2(list.exitCode == 0, qPrintable(list.report()));
    const ListedMigrations byKnex = parseMigrationList(list.out);
    QVERIFY2(byKnex.problem.isEmpty(), qPrintable(byKnex.problem + list.report()));
    QCOMPARE(byKnex.completed, jsOnly.value().names(MigrationState::Applied));
    QCOMPARE(byKnex.pending, jsOnly.value().names(MigrationState::Pending));
}

void TestKnexInterop::lockStopsKnexUntilTheWorkbenchUnlocks()
{
    const QString dir = folderWith(QStringLiteral("js"), JsData, {Authors, Books});
    QVERIFY(!dir.isEmpty());
    QVERIFY(!writeKnexfile(dir, {QStringLiteral(".js")}).isEmpty());
    const Finished first = knex({QStringLiteral("migrate:latest")});
    QVERIFY2(first.exitCode == 0, qPrintable(first.report()));
    QVERIFY(copyInto(dir, JsData, PublishedOn));
    QVERIFY(m_conn->exec(QStringLiteral("UPDATE knex_migrations_lock SET is_locked = 1")).ok());
    QCOMPARE(status(dir).value().lock, LockState::Locked);

    const Finished refused = knex({QStringLiteral("migrate:latest")});
    QVERIFY2(refused.exitCode != 0, qPrintable(refused.report()));
    const QString said = refused.out + refused.err;
    QVERIFY2(said.contains(QLatin1String("Can't take lock to run migrations"))
                 && said.contains(QLatin1String("Migration table is already locked")),
             qPrintable(refused.report()));
    QCOMPARE(ledger(), (QStringList{Authors + QStringLiteral(":1"), Books + QStringLiteral(":1")}));
    QCOMPARE(status(dir).value().lock, LockState::Locked); // Knex keeps it too after a lock error

    const Finished unlock = vwb({QStringLiteral("unlock"), QStringLiteral("--yes"), QStringLiteral("--dir"), dir});
    QVERIFY2(unlock.exitCode == 0 && unlock.out.contains(QLatin1String("unlocked the migrations lock table")),
             qPrintable(unlock.report()));
    const QStringList freed = lockRows();
    QCOMPARE(freed.size(), 1);
    QVERIFY2(freed.first().endsWith(QLatin1String(":0")), qPrintable(freed.first()));

    const Finished list = knex({QStringLiteral("migrate:list")});
    QVERIFY2(list.exitCode == 0, qPrintable(list.report()));
    const ListedMigrations byKnex = parseMigrationList(list.out);
    QVERIFY2(byKnex.problem.isEmpty(), qPrintable(byKnex.problem + list.report()));
    QCOMPARE(byKnex.completed, (QStringList{Authors, Books}));
    QCOMPARE(byKnex.pending, QStringList{PublishedOn});

    const Finished latest = knex({QStringLiteral("migrate:latest")});
    QVERIFY2(latest.exitCode == 0 && latest.out.contains(QLatin1String("Batch 2 run: 1 migrations")), qPrintable(latest.report()));
    QCOMPARE(ledger(), (QStringList{Authors + QStringLiteral(":1"), Books + QStringLiteral(":1"), PublishedOn + QStringLiteral(":2")}));
    QCOMPARE(lockRows(), freed); // Knex freed the lock it took, in the row the workbench left
    auto s = status(dir);
    QVERIFY(s.ok());
    QCOMPARE(s.value().lock, LockState::Free);
    QCOMPARE(s.value().names(MigrationState::Applied), (QStringList{Authors, Books, PublishedOn}));
}

QTEST_GUILESS_MAIN(TestKnexInterop)
#include "tst_knexinterop.moc"
