// tests/unit/tst_dotenv.cpp
#include "connection/DotEnv.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {

using Values = QMap<QString, QString>;

QStringList flattened(const Values &values)
{
    QStringList out;
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        out << it.key() + QLatin1Char('=') + it.value();
    return out;
}

} // namespace

class TestDotEnv : public QObject
{
    Q_OBJECT

private slots:
    void parsesValuesLikeNodeDotenv_data();
    void parsesValuesLikeNodeDotenv();
    void warnsAboutLinesReadUnexpectedly_data();
    void warnsAboutLinesReadUnexpectedly();
    void rejectsUnterminatedQuoteNamingItsLine_data();
    void rejectsUnterminatedQuoteNamingItsLine();
    void readsUtf8FileWithCrlf();
    void reportsUnreadablePath_data();
    void reportsUnreadablePath();
};

void TestDotEnv::parsesValuesLikeNodeDotenv_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<Values>("expected");

    QTest::newRow("simple pair") << "KEY=value\n" << Values{{"KEY", "value"}};
    QTest::newRow("no trailing newline") << "A=1\nB=2" << Values{{"A", "1"}, {"B", "2"}};
    QTest::newRow("export prefix") << "export KEY=value" << Values{{"KEY", "value"}};
    QTest::newRow("a key named export") << "export = 1" << Values{{"export", "1"}};
    QTest::newRow("spaces around = and value trimmed") << "  KEY  =   some value \t " << Values{{"KEY", "some value"}};
    QTest::newRow("comment and blank lines skipped") << "# a comment\n\n   \nKEY=v\n  # indented comment\n" << Values{{"KEY", "v"}};
    QTest::newRow("inline comment after unquoted value") << "KEY=value # the comment" << Values{{"KEY", "value"}};
    QTest::newRow("only a comment after =") << "KEY= # nothing here" << Values{{"KEY", ""}};
    QTest::newRow("# inside quotes is kept") << "KEY=\"a # b\" # comment\nS='c # d'" << Values{{"KEY", "a # b"}, {"S", "c # d"}};
    QTest::newRow("single quotes are literal") << "KEY='a\\nb $HOME \\'" << Values{{"KEY", "a\\nb $HOME \\"}};
    QTest::newRow("double quotes expand \\n and \\r") << "KEY=\"a\\nb\\rc\"" << Values{{"KEY", "a\nb\rc"}};
    QTest::newRow("double quotes keep other escapes") << "KEY=\"say \\\"hi\\\"\\t\"" << Values{{"KEY", "say \\\"hi\\\"\\t"}};
    QTest::newRow("backticks hold both other quotes") << "KEY=`it's \"quoted\"`" << Values{{"KEY", "it's \"quoted\""}};
    QTest::newRow("quoted value keeps its spaces") << "KEY=\"  padded  \"" << Values{{"KEY", "  padded  "}};
    QTest::newRow("double-quoted value over several lines") << "CERT=\"-----BEGIN-----\nabc\n-----END-----\"\nNEXT=1"
                                                            << Values{{"CERT", "-----BEGIN-----\nabc\n-----END-----"}, {"NEXT", "1"}};
    QTest::newRow("single-quoted value over several lines") << "KEY='one\n  two'\n" << Values{{"KEY", "one\n  two"}};
    QTest::newRow("backtick value over several lines") << "KEY=`a\nb`" << Values{{"KEY", "a\nb"}};
    QTest::newRow("empty values") << "A=\nB=\"\"\nC=''\nD=``" << Values{{"A", ""}, {"B", ""}, {"C", ""}, {"D", ""}};
    QTest::newRow("later duplicate wins") << "KEY=first\nKEY=second" << Values{{"KEY", "second"}};
    QTest::newRow("CRLF line endings") << "A=1\r\nB=\"x\r\ny\"\r\nC=3\r\n" << Values{{"A", "1"}, {"B", "x\ny"}, {"C", "3"}};
    QTest::newRow("CR line endings") << "A=1\rB=2\r" << Values{{"A", "1"}, {"B", "2"}};
    QTest::newRow("keys with dots and dashes") << "app.name-1=x\n_UNDER=y" << Values{{"app.name-1", "x"}, {"_UNDER", "y"}};
    QTest::newRow("colon separator") << "KEY: value" << Values{{"KEY", "value"}};
    QTest::newRow("unquoted value keeps inner quotes") << "JSON={\"a\": 'b'}" << Values{{"JSON", "{\"a\": 'b'}"}};
    QTest::newRow("equals signs in value") << "DATABASE_URL=postgres://u:p@h/db?sslmode=require&x=y"
                                           << Values{{"DATABASE_URL", "postgres://u:p@h/db?sslmode=require&x=y"}};
    QTest::newRow("# without a space still starts a comment") << "PASS=abc#def" << Values{{"PASS", "abc"}};
    QTest::newRow("apostrophe inside single quotes") << "KEY='don't'" << Values{{"KEY", "don't"}};
    QTest::newRow("escaped quote does not close") << "KEY=\"a\\\"b\"" << Values{{"KEY", "a\\\"b"}};
    QTest::newRow("text after the closing quote kept as written") << "KEY=\"abc\" junk" << Values{{"KEY", "\"abc\" junk"}};
    QTest::newRow("byte order mark") << QStringLiteral("\uFEFFKEY=v") << Values{{"KEY", "v"}};
    QTest::newRow("unicode value") << QStringLiteral("NAME=Jürgen 数据") << Values{{"NAME", QStringLiteral("Jürgen 数据")}};
    QTest::newRow("empty text") << "" << Values{};
}

void TestDotEnv::parsesValuesLikeNodeDotenv()
{
    QFETCH(QString, text);
    QFETCH(Values, expected);
    const auto parsed = vwb::parseDotEnv(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(flattened(parsed.value().values), flattened(expected));
}

void TestDotEnv::warnsAboutLinesReadUnexpectedly_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("warningParts"); // one per expected warning, in order
    QTest::addColumn<QStringList>("keys");

    QTest::newRow("clean file") << "A=1\n# c\nB='2'\n" << QStringList{} << QStringList{"A", "B"};
    QTest::newRow("line without =") << "A=1\nJUST TEXT\nB=2" << QStringList{"line 2: ignored, not KEY=VALUE (no \"=\")"}
                                    << QStringList{"A", "B"};
    QTest::newRow("export without =") << "export KEY" << QStringList{"line 1: ignored, not KEY=VALUE"} << QStringList{};
    QTest::newRow("invalid key") << "MY KEY=1\n=2"
                                 << QStringList{"line 1: ignored, \"MY KEY\" is not a valid key",
                                                "line 2: ignored, \"\" is not a valid key"}
                                 << QStringList{};
    QTest::newRow("# glued to a value") << "\nPASS=abc#def" << QStringList{"line 2: \"#\" starts a comment"} << QStringList{"PASS"};
    QTest::newRow("duplicate key") << "KEY=1\nKEY=2" << QStringList{"line 2: KEY was already set on line 1"} << QStringList{"KEY"};
    QTest::newRow("text after closing quote") << "KEY=\"abc\" junk" << QStringList{"line 1: text follows the closing quote"}
                                              << QStringList{"KEY"};
    QTest::newRow("line numbers count multi-line values") << "A=\"x\ny\nz\"\nBAD\n" << QStringList{"line 4: ignored"} << QStringList{"A"};
    QTest::newRow("line numbers with CRLF") << "A=1\r\n\r\nBAD\r\n" << QStringList{"line 3: ignored"} << QStringList{"A"};
}

void TestDotEnv::warnsAboutLinesReadUnexpectedly()
{
    QFETCH(QString, text);
    QFETCH(QStringList, warningParts);
    QFETCH(QStringList, keys);
    const auto parsed = vwb::parseDotEnv(text);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    const QStringList &warnings = parsed.value().warnings;
    QVERIFY2(warnings.size() == warningParts.size(), qPrintable(warnings.join(QLatin1String(" | "))));
    for (qsizetype i = 0; i < warnings.size(); ++i)
        QVERIFY2(warnings[i].contains(warningParts[i]), qPrintable(warnings[i]));
    QCOMPARE(parsed.value().values.keys(), keys);
}

void TestDotEnv::rejectsUnterminatedQuoteNamingItsLine_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("double quote") << "A=1\nB=\"abc\nC=2"
                                  << "line 2: unterminated double quote in the value of B";
    QTest::newRow("single quote on the last line") << "A=1\n\nB='abc"
                                                   << "line 3: unterminated single quote in the value of B";
    QTest::newRow("backtick") << "KEY=`abc\n"
                              << "line 1: unterminated backtick quote";
    QTest::newRow("closing quote followed by text on a later line") << "# x\nA=\"x\ny\" junk\nB=1"
                                                                    << "line 2: unterminated double quote";
    QTest::newRow("quote swallowed by the next value") << "A=\"abc\nB=\"def\""
                                                       << "line 1: unterminated double quote";
    QTest::newRow("CRLF file") << "A=1\r\nB=\"abc\r\n"
                               << "line 2: unterminated double quote";
}

void TestDotEnv::rejectsUnterminatedQuoteNamingItsLine()
{
    QFETCH(QString, text);
    QFETCH(QString, messagePart);
    const auto parsed = vwb::parseDotEnv(text);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().kind, vwb::Error::Kind::Invalid);
    QVERIFY2(parsed.error().message.contains(messagePart), qPrintable(parsed.error().message));
}

void TestDotEnv::readsUtf8FileWithCrlf()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral(".env"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("# project settings\r\nPOSTGRES_USER=j\xC3\xBCrgen\r\nDATABASE_URL=\"postgres://u:p@h/db\" # prod\r\n");
    file.close();

    const auto parsed = vwb::readDotEnvFile(path);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
    QCOMPARE(parsed.value().values.value(QStringLiteral("POSTGRES_USER")), QStringLiteral("jürgen"));
    QCOMPARE(parsed.value().values.value(QStringLiteral("DATABASE_URL")), QStringLiteral("postgres://u:p@h/db"));
    QVERIFY(parsed.value().warnings.isEmpty());
}

void TestDotEnv::reportsUnreadablePath_data()
{
    QTest::addColumn<bool>("directory");
    QTest::newRow("missing file") << false;
    QTest::newRow("directory") << true;
}

void TestDotEnv::reportsUnreadablePath()
{
    QFETCH(bool, directory);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = directory ? dir.path() : dir.filePath(QStringLiteral("missing.env"));
    const auto parsed = vwb::readDotEnvFile(path);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().kind, vwb::Error::Kind::Io);
    QVERIFY2(parsed.error().message.contains(path), qPrintable(parsed.error().message));
}

QTEST_GUILESS_MAIN(TestDotEnv)
#include "tst_dotenv.moc"
