// tests/unit/tst_migrationfiles.cpp — listing, parsing and splitting migration files.
#include "migrations/MigrationFiles.h"
#include "migrations/SqlScript.h"
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace vwb;

class TestMigrationFiles : public QObject
{
    Q_OBJECT
private slots:
    void splitsStatementsOnlyAtTopLevelSemicolons_data();
    void splitsStatementsOnlyAtTopLevelSemicolons();
    void parsesUpAndDownSections_data();
    void parsesUpAndDownSections();
    void extnameIsNodes_data();
    void extnameIsNodes();
    void listsLikeKnexSortedByUtf16CodeUnits();
    void missingFolderIsAnError();
    void shippedMigrationsAllParse();
};

void TestMigrationFiles::splitsStatementsOnlyAtTopLevelSemicolons_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<QStringList>("statements");
    QTest::newRow("two") << "SELECT 1; SELECT 2;" << QStringList{"SELECT 1", "SELECT 2"};
    QTest::newRow("no trailing semicolon") << "SELECT 1;\nSELECT 2" << QStringList{"SELECT 1", "SELECT 2"};
    QTest::newRow("quoted semicolon") << "SELECT ';'; SELECT 2" << QStringList{"SELECT ';'", "SELECT 2"};
    QTest::newRow("doubled quote") << "SELECT 'it''s;'; SELECT 2" << QStringList{"SELECT 'it''s;'", "SELECT 2"};
    QTest::newRow("E string backslash") << "SELECT E'a\\';b'; SELECT 2" << QStringList{"SELECT E'a\\';b'", "SELECT 2"};
    QTest::newRow("identifier") << "CREATE TABLE \"a;b\" (x int); SELECT 2" << QStringList{"CREATE TABLE \"a;b\" (x int)", "SELECT 2"};
    QTest::newRow("dollar quote") << "DO $$ BEGIN PERFORM 1; END $$; SELECT 2"
                                  << QStringList{"DO $$ BEGIN PERFORM 1; END $$", "SELECT 2"};
    QTest::newRow("tagged dollar quote") << "CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql; SELECT 2"
                                         << QStringList{"CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql", "SELECT 2"};
    QTest::newRow("parameter is not a quote") << "SELECT $1; SELECT 2" << QStringList{"SELECT $1", "SELECT 2"};
    QTest::newRow("line comment") << "SELECT 1; -- a; b\nSELECT 2" << QStringList{"SELECT 1", "-- a; b\nSELECT 2"};
    QTest::newRow("nested block comment") << "SELECT /* a /* ; */ ; */ 1; SELECT 2"
                                          << QStringList{"SELECT /* a /* ; */ ; */ 1", "SELECT 2"};
    QTest::newRow("only comments dropped") << "SELECT 1;\n-- trailing note\n" << QStringList{"SELECT 1"};
    QTest::newRow("empty") << "  ;; \n" << QStringList{};
}

void TestMigrationFiles::splitsStatementsOnlyAtTopLevelSemicolons()
{
    QFETCH(QString, script);
    QFETCH(QStringList, statements);
    QCOMPARE(splitSqlStatements(script), statements);
}

void TestMigrationFiles::parsesUpAndDownSections_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("up");
    QTest::addColumn<bool>("upInTransaction");
    QTest::addColumn<QString>("error");
    QTest::newRow("plain") << "-- migrate:up\nCREATE TABLE t(x int);\n-- migrate:down\nDROP TABLE t;\n"
                           << "CREATE TABLE t(x int);" << true << QString();
    QTest::newRow("header comment kept out") << "-- about\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;"
                                             << "SELECT 1;" << true << QString();
    QTest::newRow("no transaction") << "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t(x);\n"
                                       "-- migrate:down\nDROP INDEX i;"
                                    << "CREATE INDEX CONCURRENTLY i ON t(x);" << false << QString();
    QTest::newRow("no markers") << "CREATE TABLE t(x int);" << QString() << true << "one \"-- migrate:up\"";
    QTest::newRow("no down") << "-- migrate:up\nSELECT 1;" << QString() << true << "found 1 and 0";
    QTest::newRow("two ups") << "-- migrate:up\nSELECT 1;\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;" << QString() << true
                             << "found 2 and 1";
    QTest::newRow("down first") << "-- migrate:down\nSELECT 2;\n-- migrate:up\nSELECT 1;" << QString() << true << "must come first";
    QTest::newRow("empty up") << "-- migrate:up\n-- migrate:down\nSELECT 2;" << QString() << true << "up section is empty";
    QTest::newRow("unknown option") << "-- migrate:up transaction:maybe\nSELECT 1;\n-- migrate:down\nSELECT 2;" << QString() << true
                                    << "unknown option";
}

void TestMigrationFiles::parsesUpAndDownSections()
{
    QFETCH(QString, text);
    QFETCH(QString, up);
    QFETCH(bool, upInTransaction);
    QFETCH(QString, error);
    auto parsed = SqlMigration::parse(text, QStringLiteral("x.sql"));
    if (!error.isEmpty()) {
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(error), qPrintable(parsed.error().message));
        QVERIFY(parsed.error().message.startsWith(QLatin1String("x.sql")));
        return;
    }
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed.value().up, up);
    QCOMPARE(parsed.value().upInTransaction, upInTransaction);
}

void TestMigrationFiles::extnameIsNodes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("ext");
    QTest::newRow("js") << "1_a.js"
                        << ".js";
    QTest::newRow("double") << "1_a.test.ts"
                            << ".ts";
    QTest::newRow("dotfile") << ".env"
                             << "";
    QTest::newRow("none") << "README"
                          << "";
    QTest::newRow("trailing dot") << "a."
                                  << ".";
    QTest::newRow("dotfile with ext") << ".hidden.sql"
                                      << ".sql";
}

void TestMigrationFiles::extnameIsNodes()
{
    QFETCH(QString, name);
    QFETCH(QString, ext);
    QCOMPARE(nodeExtname(name), ext);
}

void TestMigrationFiles::listsLikeKnexSortedByUtf16CodeUnits()
{
    QTemporaryDir dir;
    // U+1F600 is stored as the surrogates D83D DE00, which sort before U+FF61 in UTF-16 though
    // its code point is larger; uppercase sorts before lowercase; no locale rules.
    const QStringList names{QStringLiteral("2_b.sql"),          QStringLiteral("2_B.js"),       QStringLiteral("1_z.ts"),
                            QStringLiteral("3_\U0001F600.sql"), QStringLiteral("3_\uFF61.sql"), QStringLiteral("10_a.cjs"),
                            QStringLiteral("README.md"),        QStringLiteral(".env"),         QStringLiteral("4_x.mjs"),
                            QStringLiteral("5_y.coffee")};
    for (const QString &n : names) {
        QFile f(dir.filePath(n));
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    auto listed = scanMigrations(dir.path());
    QVERIFY(listed.ok());
    QStringList got;
    for (const MigrationFile &f : listed.value())
        got << f.name;
    QCOMPARE(got, (QStringList{QStringLiteral("10_a.cjs"), QStringLiteral("1_z.ts"), QStringLiteral("2_B.js"), QStringLiteral("2_b.sql"),
                               QStringLiteral("3_\U0001F600.sql"), QStringLiteral("3_\uFF61.sql"), QStringLiteral("5_y.coffee")}));
}

void TestMigrationFiles::missingFolderIsAnError()
{
    auto listed = scanMigrations(QStringLiteral("/nonexistent/migrations"));
    QVERIFY(!listed.ok());
    QVERIFY(listed.error().message.contains(QLatin1String("does not exist")));
}

void TestMigrationFiles::shippedMigrationsAllParse()
{
    auto listed = scanMigrations(QStringLiteral(VWB_TEST_DATA "/../../migrations"));
    QVERIFY(listed.ok());
    QVERIFY(listed.value().size() >= 6);
    for (const MigrationFile &f : listed.value()) {
        auto parsed = SqlMigration::load(f);
        QVERIFY2(parsed.ok(), qPrintable(f.name + (parsed.ok() ? QString() : parsed.error().message)));
        QVERIFY(f.name.contains(QRegularExpression(QStringLiteral("^\\d{14}_[a-z0-9_]+\\.sql$"))));
    }
}

QTEST_GUILESS_MAIN(TestMigrationFiles)
#include "tst_migrationfiles.moc"
