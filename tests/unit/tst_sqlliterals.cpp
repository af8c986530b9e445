// tests/unit/tst_sqlliterals.cpp — the text[] and vector literals bound as statement parameters.
#include "connection/SqlLiterals.h"
#include <QTest>
#include <cstdlib>

using namespace vwb;

class TestSqlLiterals : public QObject
{
    Q_OBJECT
private slots:
    void textArrayQuotesEveryElement();
    void vectorLiteralRoundTripsEveryFloat();
};

void TestSqlLiterals::textArrayQuotesEveryElement()
{
    QCOMPARE(textArrayLiteral({}), QStringLiteral("{}"));
    QCOMPARE(textArrayLiteral({QStringLiteral("public"), QStringLiteral("a,b"), QStringLiteral("{x}"), QStringLiteral("say \"hi\""),
                               QStringLiteral("back\\slash"), QString()}),
             QStringLiteral("{\"public\",\"a,b\",\"{x}\",\"say \\\"hi\\\"\",\"back\\\\slash\",\"\"}"));
}

void TestSqlLiterals::vectorLiteralRoundTripsEveryFloat()
{
    QByteArray out = "v=";
    const QList<float> values{0.5f, -1.0f, 3.25e-7f, 0.1f, 1.0f / 3.0f};
    appendVectorLiteral(out, values);
    QCOMPARE(out, QByteArray("v=[0.5,-1,3.25e-07,0.1,0.33333334]"));
    const QList<QByteArray> numbers = out.mid(3).chopped(1).split(',');
    QCOMPARE(numbers.size(), values.size());
    for (qsizetype i = 0; i < values.size(); ++i)
        QCOMPARE(std::strtof(numbers.at(i).constData(), nullptr), values.at(i)); // the same float, bit for bit
    QByteArray empty;
    appendVectorLiteral(empty, {});
    QCOMPARE(empty, QByteArray("[]"));
}

QTEST_APPLESS_MAIN(TestSqlLiterals)
#include "tst_sqlliterals.moc"
