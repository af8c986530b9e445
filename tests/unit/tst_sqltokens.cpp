// tests/unit/tst_sqltokens.cpp — the SQL lexer the production guard reads statements with: what is
// a name, a string, a comment or an operator as the server sees it, and what a statement calls.
#include "plan/ReadOnlyStatement.h"
#include "plan/SqlTokens.h"
#include <QTest>

using namespace vwb;
using Kind = SqlToken::Kind;

namespace {
QStringList render(const QString &sql)
{
    QStringList out;
    for (const SqlToken &t : tokenizeSql(sql)) {
        const char *k = "?";
        switch (t.kind) {
        case Kind::Word: k = "w"; break;
        case Kind::QuotedName: k = "q"; break;
        case Kind::String: k = "s"; break;
        case Kind::Number: k = "n"; break;
        case Kind::Parameter: k = "p"; break;
        case Kind::Operator: k = "o"; break;
        case Kind::Punctuation: k = "."; break;
        }
        out << QStringLiteral("%1:%2").arg(QLatin1String(k), t.text);
    }
    return out;
}

QStringList names(const QList<StatementReferences::Name> &list)
{
    QStringList out;
    for (const auto &n : list)
        out << (n.schema.isEmpty() ? n.name : n.schema + QLatin1Char('.') + n.name);
    return out;
}
} // namespace

class TestSqlTokens : public QObject
{
    Q_OBJECT
private slots:
    void tokens_data();
    void tokens();
    void references();
    void linearOnLongInput();
};

void TestSqlTokens::tokens_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("words fold, quoted names keep their case")
        << "SELECT \"Big\"\"Name\", Foo FROM t" << QStringList{"w:select", "q:Big\"Name", ".:,", "w:foo", "w:from", "w:t"};
    QTest::newRow("comments vanish, nested ones too") << "a -- x(1)\n/* outer /* inner */ still */ b" << QStringList{"w:a", "w:b"};
    QTest::newRow("strings of every kind") << "'it''s' E'a\\'b' $$x(1)$$ $t$ y $t$ U&'d' B'01' X'ff'"
                                           << QStringList{"s:'it''s'", "s:E'a\\'b'", "s:$$x(1)$$", "s:$t$ y $t$",
                                                          "s:U&'d'",   "s:B'01'",    "s:X'ff'"};
    QTest::newRow("pgvector operators") << "v<=>$1::vector" << QStringList{"w:v", "o:<=>", "p:$1", ".:::", "w:vector"};
    QTest::newRow("a trailing - or + is split off") << "a*-1" << QStringList{"w:a", "o:*", "o:-", "n:1"};
    QTest::newRow("unless the operator holds @ ~ ! # …") << "a@-b" << QStringList{"w:a", "o:@-", "w:b"};
    QTest::newRow("a comment ends an operator") << "a<--x\nb" << QStringList{"w:a", "o:<", "w:b"};
    QTest::newRow("numbers") << "1.5e-3 .5 42" << QStringList{"n:1.5e-3", "n:.5", "n:42"};
    QTest::newRow("names with $ and digits") << "a$1 _x9" << QStringList{"w:a$1", "w:_x9"};
    QTest::newRow("a no-break space is part of a name, as the server reads it")
        << QStringLiteral("evil\u00a0fn(1)") << QStringList{QStringLiteral("w:evil\u00a0fn"), ".:(", "n:1", ".:)"};
    QTest::newRow("an open quote runs to the end") << "SELECT 'abc" << QStringList{"w:select", "s:'abc"};
}

void TestSqlTokens::tokens()
{
    QFETCH(QString, sql);
    QFETCH(QStringList, expected);
    QCOMPARE(render(sql), expected);
}

void TestSqlTokens::references()
{
    const auto r = StatementReferences::of(QStringLiteral(
        "SELECT pg_catalog.Now(), \"MyFn\" (x), f /* c */ (1), CAST(y AS numeric(10,2)), z::public.money, count(*), "
        "a OPERATOR(s.<->) b, 'g(1)' FROM s.t JOIN LATERAL srf(t.id) AS alias(c) ON true WHERE x IN (1) AND EXISTS (SELECT 1)"));
    QCOMPARE(r.firstWord, QStringLiteral("select"));
    QCOMPARE(names(r.functions), (QStringList{"pg_catalog.now", "MyFn", "f", "count", "srf"}));
    QCOMPARE(names(r.types), (QStringList{"numeric", "public.money", "alias"}));
    QVERIFY2(names(r.operators).contains(QStringLiteral("s.<->")), qPrintable(names(r.operators).join(' ')));
    QVERIFY(names(r.operators).contains(QStringLiteral("*")));
    QVERIFY(names(r.names).contains(QStringLiteral("s.t")));
    QVERIFY(!names(r.names).contains(QStringLiteral("g")));
    QVERIFY(r.writeKeywords.isEmpty());
    const auto w = StatementReferences::of(QStringLiteral("WITH d AS (DELETE FROM t RETURNING *) SELECT * INTO x FROM d"));
    QCOMPARE(w.writeKeywords, (QStringList{"delete", "into"}));
    QCOMPARE(StatementReferences::of(QStringLiteral("  (SELECT 1)")).firstWord, QStringLiteral("("));
}

void TestSqlTokens::linearOnLongInput()
{
    // 250,000 tokens ending in an open quote: a lexer that rescans would not finish in the test's time.
    QString sql = QStringLiteral("SELECT ");
    for (int i = 0; i < 50000; ++i)
        sql += QStringLiteral("f(x), ");
    sql += QStringLiteral("'unterminated");
    const QList<SqlToken> tokens = tokenizeSql(sql);
    QCOMPARE(tokens.size(), 1 + 50000 * 5 + 1);
    QCOMPARE(tokens.last().kind, Kind::String);
}

QTEST_GUILESS_MAIN(TestSqlTokens)
#include "tst_sqltokens.moc"
