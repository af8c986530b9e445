// tests/unit/tst_placeholders.cpp — an application's SQL as it writes it: Knex's ? and libpq's $n.
#include "plan/Placeholders.h"
#include <QTest>

using namespace vwb;

class TestPlaceholders : public QObject
{
    Q_OBJECT
private slots:
    void findsAndNumbersPlaceholders_data();
    void findsAndNumbersPlaceholders();
    void refusesWhatNoValueCanStandFor_data();
    void refusesWhatNoValueCanStandFor();
};

void TestPlaceholders::findsAndNumbersPlaceholders_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("converted");
    QTest::newRow("none") << "SELECT 1" << 0 << "SELECT 1";
    QTest::newRow("knex") << "SELECT * FROM t WHERE LOWER(f) = LOWER(?) AND 1 / (1 + (v <-> ?::vector)) >= ? LIMIT ?" << 4
                          << "SELECT * FROM t WHERE LOWER(f) = LOWER($1) AND 1 / (1 + (v <-> $2::vector)) >= $3 LIMIT $4";
    QTest::newRow("dollar, highest wins") << "SELECT $2::int + $1::int, $2" << 2 << "SELECT $2::int + $1::int, $2";
    QTest::newRow("quoted ? and $1 are text") << "SELECT '?', '$1', \"a?\" FROM t WHERE x = ?" << 1
                                              << "SELECT '?', '$1', \"a?\" FROM t WHERE x = $1";
    QTest::newRow("comments") << "SELECT 1 -- why?\n/* is $1 here? /* nested? */ */ + ?" << 1
                              << "SELECT 1 -- why?\n/* is $1 here? /* nested? */ */ + $1";
    QTest::newRow("dollar quotes") << "SELECT $$ ? $1 $$, $tag$?$tag$, ?" << 1 << "SELECT $$ ? $1 $$, $tag$?$tag$, $1";
    QTest::newRow("knex escaped operator") << "SELECT m \\? 'a' FROM t WHERE id = ?" << 1 << "SELECT m ? 'a' FROM t WHERE id = $1";
    QTest::newRow("E string") << "SELECT E'it\\'s ?', ?" << 1 << "SELECT E'it\\'s ?', $1";
    QTest::newRow("identifier with a dollar") << "SELECT a$1 FROM t" << 0 << "SELECT a$1 FROM t";
}

void TestPlaceholders::findsAndNumbersPlaceholders()
{
    QFETCH(QString, sql);
    QFETCH(int, count);
    QFETCH(QString, converted);
    auto p = Placeholders::scan(sql);
    QVERIFY2(p.ok(), qPrintable(p.ok() ? QString() : p.error().message));
    QCOMPARE(p.value().count, count);
    QCOMPARE(p.value().sql, converted);
}

void TestPlaceholders::refusesWhatNoValueCanStandFor_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("says");
    QTest::newRow("mixed") << "SELECT ? + $1"
                           << "mixes";
    QTest::newRow("identifier binding") << "SELECT * FROM ?? WHERE id = ?"
                                        << "identifier binding";
}

void TestPlaceholders::refusesWhatNoValueCanStandFor()
{
    QFETCH(QString, sql);
    QFETCH(QString, says);
    auto p = Placeholders::scan(sql);
    QVERIFY(!p.ok());
    QVERIFY2(p.error().message.contains(says), qPrintable(p.error().message));
}

QTEST_GUILESS_MAIN(TestPlaceholders)
#include "tst_placeholders.moc"
