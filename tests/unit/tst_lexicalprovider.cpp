// tests/unit/tst_lexicalprovider.cpp — the offline lexical embeddings: deterministic, unit length,
// clear errors, and good enough that a forum's words find that forum's topics.
#include "demo/DemoCorpus.h"
#include "demo/DemoVocabulary.h"
#include "embeddings/LexicalHashingProvider.h"
#include "embeddings/ProviderChoice.h"
#include <thread>
#include <QTest>
#include <algorithm>
#include <cmath>

using namespace vwb;

class TestLexicalProvider : public QObject
{
    Q_OBJECT
    /// 8 demo forums x ~50 topics, title + body, embedded once; and precision@10 of a query.
    QStringList m_forums;
    QList<Embedding> m_topics;
    double precisionAt10(const QString &query, const QString &forum);
private slots:
    void initTestCase();
    void sameTextGivesIdenticalFloatsAcrossInstances();
    void vectorFormatIsPinned();
    void wholeVectorIsPinned();
    void dimensionSetsTheLength_data();
    void dimensionSetsTheLength();
    void vectorsHaveUnitLength_data();
    void vectorsHaveUnitLength();
    void textWithoutWordsIsAnError_data();
    void textWithoutWordsIsAnError();
    void stopWordsAloneStillEmbed();
    void dimensionOutOfRangeIsAnError_data();
    void dimensionOutOfRangeIsAnError();
    void termsAreFoldedAndStopWordsDropped_data();
    void termsAreFoldedAndStopWordsDropped();
    void sharedWordsAreCloserThanOtherWords();
    void forumWordsRankThatForumsTopicsFirst_data();
    void forumWordsRankThatForumsTopicsFirst();
    void manyForumQueriesAreMostlyRightOnAverage();
    void cancelEndsEarly();
    void snowballModelMeetsMoreWordFormsUnderItsOwnName();
    void descriptionSaysItIsNotSemantic();
};

namespace {
double cosine(const Embedding &a, const Embedding &b)
{
    double dot = 0, na = 0, nb = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        dot += double(a.at(i)) * b.at(i);
        na += double(a.at(i)) * a.at(i);
        nb += double(b.at(i)) * b.at(i);
    }
    return dot / std::sqrt(na * nb);
}

Embedding one(LexicalHashingProvider &p, const QString &text)
{
    auto batch = p.embed({text});
    if (!batch.ok())
        qFatal("embed failed: %s", qPrintable(batch.error().message));
    return batch.value().vectors.first();
}
} // namespace

void TestLexicalProvider::sameTextGivesIdenticalFloatsAcrossInstances()
{
    const QStringList texts{QStringLiteral("My starter won't rise — dense crumb again"),
                            QStringLiteral("Collimate the dobsonian before you observe Saturn")};
    LexicalHashingProvider a, b;
    const auto first = a.embed(texts);
    const auto second = b.embed(texts);
    QVERIFY(first.ok() && second.ok());
    QCOMPARE(first.value().vectors.size(), 2);
    for (int i = 0; i < 2; ++i) {
        const Embedding &x = first.value().vectors.at(i), &y = second.value().vectors.at(i);
        QVERIFY(
            std::equal(x.cbegin(), x.cend(), y.cbegin(), y.cend(), [](float l, float r) { return std::memcmp(&l, &r, sizeof l) == 0; }));
    }
    QVERIFY(first.value().vectors.at(0) != first.value().vectors.at(1));
}

void TestLexicalProvider::vectorFormatIsPinned()
{
    // Stored vectors must keep matching new ones: the hash and the layout never change. The
    // numbers come from an independent few lines of Python (FNV-1a 64, then splitmix64's mix).
    QCOMPARE(LexicalHashingProvider::stableHash(""), Q_UINT64_C(0xf52a15e9a9b5e89b));
    QCOMPARE(LexicalHashingProvider::stableHash("sourdough"), Q_UINT64_C(0xe6ffaa3c5f667e78));
    QCOMPARE(LexicalHashingProvider::stableHash(QStringLiteral("crème").toUtf8()), Q_UINT64_C(0xca84db2f0b04867f));
    LexicalHashingProvider p(64);
    const Embedding v = one(p, QStringLiteral("Sourdough!"));
    Embedding expected(64, 0.0f);
    for (int i : {15, 42, 52, 56}) // four buckets, all with a + sign: 1/2 each once normalised
        expected[i] = 0.5f;
    QCOMPARE(v, expected);
}

void TestLexicalProvider::wholeVectorIsPinned()
{
    // Every non-zero component of one vector, printed (shortest round-trip form) by the
    // implementation of e02f2ef, before features were keyed by their hashes: repeated words and
    // pairs (tf), accents (2-byte UTF-8), CJK (3 bytes) and letters outside the BMP (4 bytes).
    const QList<QPair<int, float>> pinned{{31, -0.0521869287f},  {90, -0.294533849f},    {114, -0.0521869287f},  {116, -0.0521869287f},
                                          {141, 0.0521869287f},  {267, -0.0521869287f},  {343, 0.0883601531f},   {414, -0.294533849f},
                                          {462, 0.173956439f},   {496, 0.173956439f},    {542, 0.294533849f},    {607, -0.0521869287f},
                                          {737, 0.0521869287f},  {849, -0.173956439f},   {852, -0.173956439f},   {917, -0.173956439f},
                                          {920, 0.0521869287f},  {1003, -0.0521869287f}, {1076, -0.0521869287f}, {1086, -0.294533849f},
                                          {1110, -0.294533849f}, {1194, -0.294533849f},  {1213, -0.0521869287f}, {1226, 0.0883601531f},
                                          {1247, 0.0883601531f}, {1263, -0.173956439f},  {1294, -0.173956439f},  {1351, -0.294533849f},
                                          {1449, -0.294533849f}, {1475, -0.0883601531f}, {1495, -0.173956439f},  {1520, -0.0521869287f}};
    LexicalHashingProvider p(1536);
    const Embedding v = one(p, QStringLiteral("Crème brûlée, crème brûlée! 麵包 𝒜𝒷𝒸"));
    Embedding expected(1536, 0.0f);
    for (const auto &[index, value] : pinned)
        expected[index] = value;
    QCOMPARE(v, expected);
}

void TestLexicalProvider::dimensionSetsTheLength_data()
{
    QTest::addColumn<int>("dimensions");
    for (int d : {1, 2, 8, 384, 1536, 3072})
        QTest::addRow("%d", d) << d;
}

void TestLexicalProvider::dimensionSetsTheLength()
{
    QFETCH(int, dimensions);
    LexicalHashingProvider p(dimensions);
    QCOMPARE(p.dimensions(), dimensions);
    QCOMPARE(one(p, QStringLiteral("proof the loaf overnight")).size(), dimensions);
    QCOMPARE(LexicalHashingProvider().dimensions(), LexicalHashingProvider::DefaultDimensions);
}

void TestLexicalProvider::vectorsHaveUnitLength_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("dimensions");
    QTest::newRow("one word") << QStringLiteral("router") << 1536;
    QTest::newRow("sentence") << QStringLiteral("The router drops wifi every 10 minutes, ethernet too.") << 1536;
    QTest::newRow("repeated word") << QStringLiteral("rye rye rye rye rye rye") << 256;
    QTest::newRow("accents") << QStringLiteral("Crème brûlée, très façile à préparer") << 512;
    QTest::newRow("japanese") << QStringLiteral("日本語 の テキスト") << 128;
    QTest::newRow("long") << QStringLiteral("levain crumb crust ").repeated(500) << 1536;
    QTest::newRow("tiny vector") << QStringLiteral("many different words in a tiny vector") << 2;
}

void TestLexicalProvider::vectorsHaveUnitLength()
{
    QFETCH(QString, text);
    QFETCH(int, dimensions);
    LexicalHashingProvider p(dimensions);
    double sum = 0;
    for (float x : one(p, text)) {
        QVERIFY(std::isfinite(x));
        sum += double(x) * x;
    }
    QVERIFY2(std::abs(sum - 1.0) < 1e-5, qPrintable(QString::number(sum, 'g', 10)));
}

void TestLexicalProvider::textWithoutWordsIsAnError_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << QStringLiteral("   \n\t ");
    QTest::newRow("punctuation") << QStringLiteral("?! … — ;-)");
    QTest::newRow("a single letter") << QStringLiteral("x");
    QTest::newRow("single letters and digits") << QStringLiteral("a b 3 ?");
}

void TestLexicalProvider::textWithoutWordsIsAnError()
{
    QFETCH(QString, text);
    LexicalHashingProvider p;
    const auto batch = p.embed({QStringLiteral("fine"), QStringLiteral("also fine"), text});
    QVERIFY(!batch.ok());
    QCOMPARE(batch.error().kind, Error::Kind::Invalid);
    QVERIFY2(batch.error().message.contains(QLatin1String("index 2")), qPrintable(batch.error().message));
    QVERIFY(batch.error().message.contains(QLatin1String("no words")));
    QVERIFY(!p.embedOne(text).ok());
    // One text alone (a search's query) is named, with what the provider reads instead.
    const auto alone = p.embed({text});
    QVERIFY(!alone.ok());
    QVERIFY2(!alone.error().message.contains(QLatin1String("index"))
                 && alone.error().message.contains(QLatin1String("two or more letters"))
                 && !alone.error().message.contains(QLatin1Char('\n')),
             qPrintable(alone.error().message));
    if (!text.trimmed().isEmpty())
        QVERIFY2(alone.error().message.startsWith(QLatin1Char('"')), qPrintable(alone.error().message));
}

void TestLexicalProvider::stopWordsAloneStillEmbed()
{
    LexicalHashingProvider p;
    QVERIFY(p.embedOne(QStringLiteral("how to")).ok());
    QCOMPARE(LexicalHashingProvider::terms(QStringLiteral("how to")), (QStringList{"how", "to"}));
}

void TestLexicalProvider::dimensionOutOfRangeIsAnError_data()
{
    QTest::addColumn<int>("dimensions");
    QTest::newRow("zero") << 0;
    QTest::newRow("negative") << -3;
    QTest::newRow("beyond pgvector") << 16001;
}

void TestLexicalProvider::dimensionOutOfRangeIsAnError()
{
    QFETCH(int, dimensions);
    LexicalHashingProvider p(dimensions);
    const auto batch = p.embed({QStringLiteral("words")});
    QVERIFY(!batch.ok());
    QCOMPARE(batch.error().kind, Error::Kind::Invalid);
    QVERIFY(batch.error().message.contains(QString::number(dimensions)));
}

void TestLexicalProvider::termsAreFoldedAndStopWordsDropped_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("terms");
    QTest::newRow("plurals") << QStringLiteral("Crumbs LOAVES batteries glasses") << QStringList{"crumb", "loav", "battery", "glass"};
    QTest::newRow("verb forms meet") << QStringLiteral("bake bakes baked baking") << QStringList{"bak", "bak", "bak", "bak"};
    QTest::newRow("doubled consonant") << QStringLiteral("stop stopped stopping") << QStringList{"stop", "stop", "stop"};
    QTest::newRow("short words kept") << QStringLiteral("string bus red") << QStringList{"string", "bus", "red"};
    QTest::newRow("stop words") << QStringLiteral("Why doesn't the router reboot?") << QStringList{"router", "reboot"};
    QTest::newRow("possessive") << QStringLiteral("the starter's smell") << QStringList{"starter", "smell"};
    QTest::newRow("numbers") << QStringLiteral("cat6 at 24 °C, 3 times") << QStringList{"cat6", "24", "tim"};
    QTest::newRow("unicode") << QStringLiteral("Ünïcödé Wörter") << QStringList{"ünïcödé", "wörter"};
    // ASCII goes a shorter way than the Unicode tables: its edges, and every punctuation mark as a separator.
    QTest::newRow("ascii edges") << QStringLiteral("AZaz09 @Z[ `a{ /0: ZZ!\"#$%&()*+,-.;<=>?\\]^_|~09")
                                 << QStringList{"azaz09", "zz", "09"};
    QTest::newRow("accents after ascii") << QStringLiteral("Cafe\u0301 NAI\u0308VE") << QStringList{"cafe\u0301", "nai\u0308v"};
    QTest::newRow("beyond the bmp") << QStringLiteral("\U00010400\U00010401x \U0001D400bc")
                                    << QStringList{"\U00010428\U00010429x", "\U0001D400bc"};
    QTest::newRow("lone surrogate separates") << QString::fromUtf16(u"ab\xD800"
                                                                    u"cd")
                                              << QStringList{"ab", "cd"};
}

void TestLexicalProvider::termsAreFoldedAndStopWordsDropped()
{
    QFETCH(QString, text);
    QFETCH(QStringList, terms);
    QCOMPARE(LexicalHashingProvider::terms(text), terms);
}

void TestLexicalProvider::sharedWordsAreCloserThanOtherWords()
{
    LexicalHashingProvider p;
    const Embedding query = one(p, QStringLiteral("sourdough starter not rising"));
    const double near = cosine(query, one(p, QStringLiteral("My starter rises slowly; is my sourdough culture dead?")));
    const double far = cosine(query, one(p, QStringLiteral("Configure the vlan on the managed switch")));
    QVERIFY2(near > 0.3, qPrintable(QString::number(near)));
    QVERIFY2(std::abs(far) < 0.1, qPrintable(QString::number(far)));
}

void TestLexicalProvider::forumWordsRankThatForumsTopicsFirst_data()
{
    QTest::addColumn<QString>("forum");
    QTest::addColumn<QString>("query");
    for (int f = 0; f < 8; ++f) {
        const ForumVocabulary &v = demoForums().at(f);
        QTest::addRow("%s nouns", qPrintable(v.name)) << v.name << v.nouns.mid(0, 3).join(QLatin1Char(' '));
        QTest::addRow("%s mixed", qPrintable(v.name))
            << v.name << QStringList{v.adjectives.at(0), v.nouns.at(3), v.verbs.at(0)}.join(QLatin1Char(' '));
    }
}

void TestLexicalProvider::initTestCase()
{
    const DemoCorpus corpus({400, 0, 8, 42});
    QStringList texts;
    for (qint64 i = 0; i < corpus.topicCount(); ++i) {
        const DemoTopic t = corpus.topic(i);
        texts << t.title + QLatin1Char('\n') + t.content;
        m_forums << t.forumName;
    }
    LexicalHashingProvider p;
    auto topics = p.embed(texts);
    QVERIFY(topics.ok());
    m_topics = std::move(topics).value().vectors;
}

double TestLexicalProvider::precisionAt10(const QString &query, const QString &forum)
{
    LexicalHashingProvider p;
    const Embedding q = one(p, query);
    QList<std::pair<double, qsizetype>> ranked;
    for (qsizetype i = 0; i < m_topics.size(); ++i)
        ranked.append({cosine(q, m_topics.at(i)), i});
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
    int own = 0;
    for (int k = 0; k < 10; ++k)
        own += m_forums.at(ranked.at(k).second) == forum ? 1 : 0;
    return own / 10.0;
}

void TestLexicalProvider::forumWordsRankThatForumsTopicsFirst()
{
    QFETCH(QString, forum);
    QFETCH(QString, query);
    QCOMPARE(m_forums.count(forum) >= 30, true);
    const double precision = precisionAt10(query, forum);
    QVERIFY2(precision >= 0.8, qPrintable(QStringLiteral("\"%1\": precision@10 %2 for %3").arg(query).arg(precision).arg(forum)));
}

void TestLexicalProvider::manyForumQueriesAreMostlyRightOnAverage()
{
    // 96 queries of three words (two nouns and an adjective). Some words also mean something in
    // another forum ("opening" folds to "open", a bread word): lexical vectors can't tell them apart.
    double sum = 0;
    int queries = 0;
    for (int f = 0; f < 8; ++f) {
        const ForumVocabulary &v = demoForums().at(f);
        for (int i = 0; i < 12; ++i, ++queries)
            sum += precisionAt10(QStringList{v.nouns.at(i), v.nouns.at(i + 12), v.adjectives.at(i)}.join(u' '), v.name);
    }
    QVERIFY2(sum / queries >= 0.93, qPrintable(QString::number(sum / queries)));
}

void TestLexicalProvider::cancelEndsEarly()
{
    LexicalHashingProvider p;
    int polls = 0;
    const auto batch = p.embed({QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("three")}, [&polls] { return ++polls >= 2; });
    QVERIFY(!batch.ok());
    QVERIFY(batch.error().isCanceled());
    QCOMPARE(polls, 2);
}

void TestLexicalProvider::descriptionSaysItIsNotSemantic()
{
    LexicalHashingProvider p(384);
    QCOMPARE(p.id(), QStringLiteral("lexical"));
    QCOMPARE(p.model(), QStringLiteral("lexical-hash-v1"));
    QVERIFY(p.description().contains(QLatin1String("not semantic")));
    QVERIFY(p.description().contains(QLatin1String("word overlap")));
    QVERIFY(p.description().contains(QLatin1String("384")));
}

void TestLexicalProvider::snowballModelMeetsMoreWordFormsUnderItsOwnName()
{
    using S = LexicalHashingProvider::Stemming;
    // The light rules leave these apart; Snowball's English stemmer brings them together.
    QVERIFY(LexicalHashingProvider::terms(QStringLiteral("relevance"), S::Fold)
            != LexicalHashingProvider::terms(QStringLiteral("relevant"), S::Fold));
    QCOMPARE(LexicalHashingProvider::terms(QStringLiteral("relevance"), S::Snowball),
             LexicalHashingProvider::terms(QStringLiteral("relevant"), S::Snowball));
    QCOMPARE(LexicalHashingProvider::terms(QStringLiteral("connection connected"), S::Snowball),
             (QStringList{QStringLiteral("connect"), QStringLiteral("connect")}));
    LexicalHashingProvider stem(64, S::Snowball), fold(64);
    QCOMPARE(stem.model(), QStringLiteral("lexical-stem-v1"));
    QCOMPARE(fold.model(), QStringLiteral("lexical-hash-v1")); // the stored format's name never changes
    QVERIFY(stem.embedOne(QStringLiteral("relevance")).value() == stem.embedOne(QStringLiteral("relevant")).value());
    QVERIFY(fold.embedOne(QStringLiteral("relevance")).value() != fold.embedOne(QStringLiteral("relevant")).value());
    // Chosen by name, as on the command line and in the panels; a thread of its own stems alike.
    auto made = makeQueryProvider(QStringLiteral("lexical-stem"), 64);
    QVERIFY(made.ok());
    QCOMPARE(made.value()->model(), QStringLiteral("lexical-stem-v1"));
    QCOMPARE(made.value()->id(), QStringLiteral("lexical"));
    Embedding elsewhere;
    std::thread other([&] { elsewhere = stem.embedOne(QStringLiteral("connections")).value(); });
    other.join();
    QCOMPARE(elsewhere, stem.embedOne(QStringLiteral("connections")).value());
    ProviderSettings wrong;
    wrong.model = QStringLiteral("lexical-magic");
    QVERIFY(wrong.validate().error().message.contains(QStringLiteral("lexical-stem-v1")));
}

QTEST_GUILESS_MAIN(TestLexicalProvider)
#include "tst_lexicalprovider.moc"
