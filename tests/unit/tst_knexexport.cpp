// tests/unit/tst_knexexport.cpp — the workbench's SQL migrations written as Knex migration files,
// and the knexfile's migration settings read through Node (no database).
#include "migrations/KnexExport.h"
#include "migrations/MigrationFiles.h"
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace vwb;

class TestKnexExport : public QObject
{
    Q_OBJECT
private slots:
    void transactionalMigrationRunsEachStatementThroughKnexRaw();
    void partThatNeedsNoTransactionTurnsItOffAndTheOtherOpensItsOwn();
    void questionMarksBackticksAndTemplatesAreEscaped();
    void formatsForCommonJsAndTypeScript();
    void namesAreStampedAfterTheFolderAndExportedOnce();
    void onlyImprovementsAreOfferedUnlessNamed();
    void extensionTheProjectDoesNotLoadIsRefused();
    void knexfileIsReadByNodeAsTheCliReadsIt();
    void everyShippedImprovementIsValidJavaScript();

private:
    static SqlMigration migration(const QString &text)
    {
        auto m = SqlMigration::parse(text, QStringLiteral("x.sql"));
        if (!m.ok())
            qFatal("%s", qPrintable(m.error().message));
        return m.value();
    }
    static bool write(const QString &path, const QByteArray &text)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
    }
    static KnexProject project(const QString &dir, KnexProject::Format format) { return KnexProject::fromFolder(dir, format).value(); }
};

void TestKnexExport::transactionalMigrationRunsEachStatementThroughKnexRaw()
{
    const QString js = knexMigrationText(migration(QStringLiteral("-- One row per row.\n-- vwb:improvement\n-- migrate:up\n"
                                                                  "CREATE UNIQUE INDEX a ON t (x);\nCREATE UNIQUE INDEX b ON u (y);\n"
                                                                  "-- migrate:down\nDROP INDEX b;\nDROP INDEX a;\n")),
                                         QStringLiteral("20250201000000_one.sql"), KnexProject::Format::Esm);
    QVERIFY2(js.contains(QLatin1String("// Written by Vector Workbench from its migration 20250201000000_one.sql.")), qPrintable(js));
    QVERIFY(js.contains(QLatin1String("// One row per row.")));
    QVERIFY(!js.contains(QLatin1String("vwb:improvement")));
    QVERIFY(!js.contains(QLatin1String("config"))); // Knex's own transaction around each direction
    QVERIFY(js.contains(QLatin1String("export async function up(knex) {\n  await knex.raw(`CREATE UNIQUE INDEX a ON t (x)`);\n"
                                      "  await knex.raw(`CREATE UNIQUE INDEX b ON u (y)`);\n}")));
    QVERIFY(js.contains(QLatin1String("export async function down(knex) {\n  await knex.raw(`DROP INDEX b`);\n")));
}

void TestKnexExport::partThatNeedsNoTransactionTurnsItOffAndTheOtherOpensItsOwn()
{
    const QString js = knexMigrationText(migration(QStringLiteral("-- migrate:up transaction:false\nVACUUM FULL t;\n"
                                                                  "-- migrate:down\nALTER TABLE t ALTER COLUMN v SET STORAGE EXTERNAL;\n"
                                                                  "ALTER TABLE u ALTER COLUMN v SET STORAGE EXTERNAL;\n")),
                                         QStringLiteral("x.sql"), KnexProject::Format::Esm);
    QVERIFY2(js.contains(QLatin1String("export const config = { transaction: false };")), qPrintable(js));
    QVERIFY(js.contains(QLatin1String("export async function up(knex) {\n  await knex.raw(`VACUUM FULL t`);\n}")));
    QVERIFY(js.contains(QLatin1String("export async function down(knex) {\n  await knex.transaction(async (trx) => {\n"
                                      "    await trx.raw(`ALTER TABLE t ALTER COLUMN v SET STORAGE EXTERNAL`);\n")));
}

void TestKnexExport::questionMarksBackticksAndTemplatesAreEscaped()
{
    const QString js = knexMigrationText(
        migration(QStringLiteral("-- migrate:up\nSELECT '{\"a\":1}'::jsonb ? 'a', '`${x}`', 'back\\\\slash';\n"
                                 "-- migrate:down\nSELECT 1;\n")),
        QStringLiteral("x.sql"), KnexProject::Format::Esm);
    // Knex's pg client makes every unescaped ? a binding; \? stays a question mark.
    QVERIFY2(js.contains(QLatin1String("::jsonb \\\\? 'a', '\\`\\${x}\\`', 'back\\\\\\\\slash'")), qPrintable(js));
}

void TestKnexExport::formatsForCommonJsAndTypeScript()
{
    const SqlMigration m = migration(QStringLiteral("-- migrate:up transaction:false\nSELECT 1;\n-- migrate:down\nSELECT 2;\n"));
    const QString cjs = knexMigrationText(m, QStringLiteral("x.sql"), KnexProject::Format::CommonJs);
    QVERIFY2(cjs.contains(QLatin1String("exports.config = { transaction: false };")), qPrintable(cjs));
    QVERIFY(cjs.contains(QLatin1String("exports.up = async function up(knex) {")));
    QVERIFY(!cjs.contains(QLatin1String("export ")));
    const QString ts = knexMigrationText(m, QStringLiteral("x.sql"), KnexProject::Format::TypeScript);
    QVERIFY(ts.contains(QLatin1String("import type { Knex } from 'knex';")));
    QVERIFY(ts.contains(QLatin1String("export async function up(knex: Knex): Promise<void> {")));
}

void TestKnexExport::namesAreStampedAfterTheFolderAndExportedOnce()
{
    QTemporaryDir dir;
    QVERIFY(write(dir.filePath(QStringLiteral("package.json")), R"({"type": "module"})"));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("m")));
    const QString m = dir.filePath(QStringLiteral("m"));
    QVERIFY(write(m + QStringLiteral("/20300101000000_later_than_now.js"), "export async function up() {}\n"));
    auto own = scanMigrations(defaultMigrationsDir());
    QVERIFY(own.ok());
    const QDateTime now = QDateTime::fromString(QStringLiteral("20261205093000"), QStringLiteral("yyyyMMddHHmmss"));
    auto planned = planKnexExport(project(m, KnexProject::Format::Esm), own.value(), {}, now);
    QVERIFY2(planned.ok(), qPrintable(planned.ok() ? QString() : planned.error().message));
    QStringList names;
    for (const KnexExportFile &f : planned.value())
        names << f.name;
    QCOMPARE(names, (QStringList{"20300101000001_vwb_one_vector_per_row.js", "20300101000002_vwb_hnsw_indexes.js",
                                 "20300101000003_vwb_drop_redundant_fk_indexes.js", "20300101000004_vwb_vectors_storage_plain.js",
                                 "20300101000005_vwb_text_filter_trigram_indexes.js"}));
    QVERIFY(writeKnexExport(planned.value()).ok());
    QCOMPARE(QDir(m).entryList(QDir::Files).size(), 6);
    auto again = planKnexExport(project(m, KnexProject::Format::Esm), own.value(), {}, now.addDays(1));
    QVERIFY(again.ok());
    for (const KnexExportFile &f : again.value())
        QVERIFY2(!f.existing.isEmpty(), qPrintable(f.name)); // already there: nothing new
    QVERIFY(writeKnexExport(again.value()).ok());
    QCOMPARE(QDir(m).entryList(QDir::Files).size(), 6);
}

void TestKnexExport::onlyImprovementsAreOfferedUnlessNamed()
{
    QTemporaryDir dir;
    auto own = scanMigrations(defaultMigrationsDir());
    QVERIFY(own.ok());
    const QDateTime now = QDateTime::currentDateTime();
    auto one = planKnexExport(project(dir.path(), KnexProject::Format::CommonJs), own.value(), {QStringLiteral("hnsw_indexes")}, now);
    QVERIFY(one.ok());
    QCOMPARE(one.value().size(), 1);
    QCOMPARE(one.value().first().source, QStringLiteral("20250201000001_hnsw_indexes.sql"));
    QVERIFY(one.value().first().name.endsWith(QLatin1String("_vwb_hnsw_indexes.js"))); // CommonJS outside "type": "module"
    auto unknown = planKnexExport(project(dir.path(), KnexProject::Format::CommonJs), own.value(), {QStringLiteral("nope")}, now);
    QVERIFY(!unknown.ok());
    QVERIFY(unknown.error().message.contains(QLatin1String("\"nope\"")));
}

void TestKnexExport::extensionTheProjectDoesNotLoadIsRefused()
{
    QTemporaryDir dir; // no package.json with "type": "module": ES modules would need .mjs, which Knex doesn't load by default
    auto own = scanMigrations(defaultMigrationsDir());
    auto planned = planKnexExport(project(dir.path(), KnexProject::Format::Esm), own.value(), {}, QDateTime::currentDateTime());
    QVERIFY(!planned.ok());
    QVERIFY2(planned.error().message.contains(QLatin1String(".mjs")), qPrintable(planned.error().message));
}

void TestKnexExport::knexfileIsReadByNodeAsTheCliReadsIt()
{
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        QFAIL("node is not installed (setup-debian.sh installs it)");
    QTemporaryDir dir;
    QVERIFY(write(dir.filePath(QStringLiteral("package.json")), R"({"type": "module"})"));
    QVERIFY(write(dir.filePath(QStringLiteral("knexfile.js")),
                  "const common = { client: 'pg', migrations: { directory: './db/migrations', tableName: 'app_migrations' } };\n"
                  "export default { development: { ...common }, staging: { client: 'pg', migrations: { directory: ['./a', './b'], "
                  "loadExtensions: ['.js'], extension: 'ts' } } };\n"));
    auto dev = KnexProject::load(dir.path(), QStringLiteral("development"));
    QVERIFY2(dev.ok(), qPrintable(dev.ok() ? QString() : dev.error().message + dev.error().detail));
    QCOMPARE(dev.value().migrationDirs, QStringList{QDir(dir.path()).absoluteFilePath(QStringLiteral("db/migrations"))});
    QCOMPARE(dev.value().ledger.tableName, QStringLiteral("app_migrations"));
    QVERIFY(dev.value().ledger.isKnexLedger());
    QCOMPARE(dev.value().format, KnexProject::Format::Esm);
    QVERIFY(!dev.value().loadExtensions.contains(QStringLiteral(".sql")));
    auto staging = KnexProject::load(dir.path(), QStringLiteral("staging"));
    QVERIFY(staging.ok());
    QCOMPARE(staging.value().migrationDirs.size(), 2);
    QCOMPARE(staging.value().loadExtensions, QStringList{QStringLiteral(".js")});
    QCOMPARE(staging.value().format, KnexProject::Format::TypeScript);

    QVERIFY(write(dir.filePath(QStringLiteral("knexfile.js")), "throw new Error('no DATABASE_URL');\n"));
    auto broken = KnexProject::load(dir.path(), QStringLiteral("development"));
    QVERIFY(!broken.ok());
    QVERIFY2(broken.error().detail.contains(QLatin1String("no DATABASE_URL")), qPrintable(broken.error().detail));
    QTemporaryDir empty;
    QVERIFY(!KnexProject::load(empty.path()).ok());
}

void TestKnexExport::everyShippedImprovementIsValidJavaScript()
{
    const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty())
        QFAIL("node is not installed (setup-debian.sh installs it)");
    QTemporaryDir dir;
    QVERIFY(write(dir.filePath(QStringLiteral("package.json")), R"({"type": "module"})"));
    auto own = scanMigrations(defaultMigrationsDir());
    auto planned = planKnexExport(project(dir.path(), KnexProject::Format::Esm), own.value(), {}, QDateTime::currentDateTime());
    QVERIFY(planned.ok());
    QCOMPARE(planned.value().size(), 5);
    QVERIFY(writeKnexExport(planned.value()).ok());
    for (const KnexExportFile &f : planned.value()) {
        // Load it and call up() and down() with a stand-in that records what knex.raw receives.
        const QString script = QStringLiteral("const m = await import(%1); const sent = [];\n"
                                              "const knex = { raw: async (s) => { sent.push(s); }, transaction: async (f) => f(knex) };\n"
                                              "await m.up(knex); await m.down(knex);\n"
                                              "if (sent.some((s) => /(^|[^\\\\])\\?/.test(s))) throw new Error('unescaped ?');\n"
                                              "console.log(JSON.stringify({ config: m.config ?? null, statements: sent.length }));")
                                   .arg(QStringLiteral("'file://") + f.path + QLatin1Char('\''));
        QProcess p;
        p.start(node, {QStringLiteral("--input-type=module"), QStringLiteral("-e"), script});
        QVERIFY(p.waitForFinished(20000));
        QVERIFY2(p.exitCode() == 0, qPrintable(f.name + QLatin1Char(' ') + QString::fromUtf8(p.readAllStandardError())));
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.contains("\"statements\":"), out.constData());
        QCOMPARE(out.contains("\"transaction\":false"), f.source.contains(QLatin1String("hnsw"))
                                                            || f.source.contains(QLatin1String("storage_plain"))
                                                            || f.source.contains(QLatin1String("trigram")));
    }
}

QTEST_GUILESS_MAIN(TestKnexExport)
#include "tst_knexexport.moc"
