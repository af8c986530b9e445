// tests/unit/tst_embeddingtext.cpp — what text of a row is embedded, and how a column's vectors
// are judged against a provider's (no database).
#include "embeddings/EmbeddingText.h"
#include "connection/SqlLiterals.h"
#include "embeddings/SourceProbe.h"
#include "schema/DatabaseSchema.h"
#include <QTest>

using namespace vwb;

class TestEmbeddingText : public QObject
{
    Q_OBJECT
private slots:
    void defaultIsContentAsTheReferenceServiceEmbeds();
    void templatesRenderColumnsAndLiterals();
    void badTemplatesSayWhy_data();
    void badTemplatesSayWhy();
    void verdictFromCosines_data();
    void verdictFromCosines();
    void vectorsParseAndCompare();

private:
    static ContentPair pair(const QStringList &columns)
    {
        ContentPair p;
        p.content = {QStringLiteral("public"), QStringLiteral("topics")};
        p.contentColumns = columns;
        for (const QString &c : columns)
            p.contentTypes.insert(c, c == QLatin1String("id") ? QStringLiteral("int8") : QStringLiteral("text"));
        p.roles = detectRoles(columns, p.contentTypes, {QStringLiteral("id")});
        return p;
    }
};

void TestEmbeddingText::defaultIsContentAsTheReferenceServiceEmbeds()
{
    QCOMPARE(EmbeddingText::defaultFor(pair({"id", "title", "content"})).templateText(), QStringLiteral("{content}"));
    QCOMPARE(EmbeddingText::defaultFor(pair({"id", "title"})).templateText(), QStringLiteral("{title}"));
}

void TestEmbeddingText::templatesRenderColumnsAndLiterals()
{
    auto t = EmbeddingText::parse(QStringLiteral("{title}\\n\\n{content}"), pair({"title", "content"}));
    QVERIFY(t.ok());
    QCOMPARE(t.value().templateText(), QStringLiteral("{title}\n\n{content}"));
    QCOMPARE(t.value().display(), QStringLiteral("{title}\\n\\n{content}"));
    QCOMPARE(t.value().columns(), (QStringList{"title", "content"}));
    QCOMPARE(t.value().render({{"title", "Bread"}, {"content", "Starter"}}), QStringLiteral("Bread\n\nStarter"));
    QCOMPARE(t.value().render({{"content", "only"}}), QStringLiteral("\n\nonly")); // NULL reads as empty
    auto column = EmbeddingText::parse(QStringLiteral("content"), pair({"title", "content"}));
    QVERIFY(column.ok());
    QCOMPARE(column.value().templateText(), QStringLiteral("{content}"));
    auto literal = EmbeddingText::parse(QStringLiteral("Title: {title}. It's {content}"), pair({"title", "content"}));
    QVERIFY(literal.ok());
    QCOMPARE(literal.value().render({{"title", "A"}, {"content", "B"}}), QStringLiteral("Title: A. It's B"));
}

void TestEmbeddingText::badTemplatesSayWhy_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("says");
    QTest::newRow("unknown column") << "{body}"
                                    << "no column \"body\"";
    QTest::newRow("unclosed") << "{title"
                              << "unclosed {";
    QTest::newRow("empty") << "{}"
                           << "empty {}";
    QTest::newRow("no column") << "just text {"
                               << "unclosed";
}

void TestEmbeddingText::badTemplatesSayWhy()
{
    QFETCH(QString, spec);
    QFETCH(QString, says);
    auto t = EmbeddingText::parse(spec, pair({"title", "content"}));
    QVERIFY(!t.ok());
    QVERIFY2(t.error().message.contains(says), qPrintable(t.error().message));
}

void TestEmbeddingText::verdictFromCosines_data()
{
    QTest::addColumn<QList<double>>("cosines");
    QTest::addColumn<int>("verdict");
    QTest::newRow("nothing to compare") << QList<double>{} << int(SourceProbe::Verdict::NoVectors);
    QTest::newRow("same model and text") << QList<double>{1.0, 0.99999, 0.9995} << int(SourceProbe::Verdict::Same);
    QTest::newRow("another model") << QList<double>{0.02, -0.05, 0.31} << int(SourceProbe::Verdict::Different);
    QTest::newRow("mixed column") << QList<double>{1.0, 0.1} << int(SourceProbe::Verdict::Mixed);
    QTest::newRow("close is not the same") << QList<double>{0.97} << int(SourceProbe::Verdict::Different);
}

void TestEmbeddingText::verdictFromCosines()
{
    QFETCH(QList<double>, cosines);
    QFETCH(int, verdict);
    QCOMPARE(int(probeVerdict(cosines)), verdict);
}

void TestEmbeddingText::vectorsParseAndCompare()
{
    QCOMPARE(readVectorLiteral(u" [1, 2.5 ,-3e-2] "), (Embedding{1.0f, 2.5f, -0.03f}));
    for (const char16_t *bad : {u"[1,x]", u"1,2", u"[]", u"[1,]", u"[inf]", u"[nan]", u"[1e39]", u"{1,2}"})
        QVERIFY2(readVectorLiteral(bad).isEmpty(), QString::fromUtf16(bad).toUtf8());
    QByteArray written;
    const Embedding odd{0.1f, -3.4e38f, 1e-45f, 0.0f};
    appendVectorLiteral(written, odd);
    QCOMPARE(readVectorLiteral(QString::fromLatin1(written)), odd); // the shortest form reads back as the same floats
    QCOMPARE(cosineSimilarity({1, 0}, {2, 0}), 1.0);
    QCOMPARE(cosineSimilarity({1, 0}, {0, 3}), 0.0);
    QCOMPARE(cosineSimilarity({1, 0}, {1, 0, 0}), 0.0); // another dimension never matches
    QCOMPARE(cosineSimilarity({0, 0}, {1, 0}), 0.0);
}

QTEST_GUILESS_MAIN(TestEmbeddingText)
#include "tst_embeddingtext.moc"
