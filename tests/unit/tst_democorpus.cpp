// tests/unit/tst_democorpus.cpp — the demo forum generator: deterministic, distinct forums,
// sane timestamps, and the COPY text escaping the seeder relies on.
#include "connection/CopyText.h"
#include "demo/DemoCorpus.h"
#include "demo/DemoSeeder.h"
#include "demo/DemoVocabulary.h"
#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <algorithm>

using namespace vwb;

class TestDemoCorpus : public QObject
{
    Q_OBJECT
private slots:
    void sameParametersGiveByteIdenticalRows();
    void differentSeedGivesDifferentRows();
    void sampleMatchesTheRecordedDigest();
    void validateRejectsOutOfRange_data();
    void validateRejectsOutOfRange();
    void usesExactlyTheFirstKForums();
    void vocabularyListsAreLargeAndDisjoint();
    void topWordsOfEachForumAreItsOwn();
    void lexicalSearchFindsTheForum();
    void postsFollowTheirTopicsInTime();
    void timestampFormat_data();
    void timestampFormat();
    void titlesAndBodiesAreWellFormed();
    void metadataIsTheDocumentedJson();
    void copyTextEscaping_data();
    void copyTextEscaping();
};

namespace {
QByteArray rowBytes(const DemoTopic &t)
{
    return copyText(t.forumName) + '\t' + copyText(t.title) + '\t' + copyText(t.content) + '\t' + copyText(t.metadata) + '\t'
           + QByteArray::number(t.createdAt) + '\t' + QByteArray::number(t.updatedAt);
}

QByteArray rowBytes(const DemoPost &p)
{
    return QByteArray::number(p.topicIndex) + '\t' + copyText(p.forumName) + '\t' + copyText(p.content) + '\t' + copyText(p.metadata)
           + '\t' + QByteArray::number(p.createdAt) + '\t' + QByteArray::number(p.updatedAt);
}

QByteArray digest(const DemoCorpus &corpus, qint64 topics)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (qint64 i = 0; i < topics; ++i)
        hash.addData(rowBytes(corpus.topic(i)) + '\n');
    for (qint64 i = 0; i < topics * corpus.params().postsPerTopic; ++i)
        hash.addData(rowBytes(corpus.post(i)) + '\n');
    return hash.result().toHex();
}

QStringList tokens(const QString &text)
{
    static const QRegularExpression nonWord(QStringLiteral("[^a-z0-9]+"));
    return text.toLower().split(nonWord, Qt::SkipEmptyParts);
}

QSet<QString> listWords(const ForumVocabulary &f)
{
    QSet<QString> out;
    for (const QStringList *list : {&f.nouns, &f.verbs, &f.adjectives})
        for (const QString &w : *list)
            out.insert(w);
    return out;
}

/// Words of the shared templates and common English: not evidence of any forum.
QSet<QString> sharedTokens()
{
    QSet<QString> out;
    const SharedVocabulary &s = sharedVocabulary();
    for (const QStringList *list : {&s.timeWords, &s.titles, &s.sentences, &s.replies, &s.closers})
        for (const QString &t : *list)
            for (const QString &w : tokens(t))
                out.insert(w);
    const char *english = "a an the and or is it to of in on my i at for with but so how what should do you before "
                          "after again still even though twice more less every each than then when while from into "
                          "onto over under out off up down no not now next last first one two third new own same "
                          "since until once far much many few some any all its their our we me us he she they them "
                          "this that these those there here was were are be been being have has had can could will "
                          "would did does done get got keeps keep made make makes need needs want wants tried try "
                          "seconds minutes hours days weeks months years per times time bit lot came look plan started "
                          "stays know instead properly finally today through shop drops";
    for (const QString &w : QString::fromLatin1(english).split(QLatin1Char(' ')))
        out.insert(w);
    return out;
}

int sentenceCount(const QString &body)
{
    static const QRegularExpression end(QStringLiteral("[.!?](\\s|$)"));
    return int(body.count(end));
}
} // namespace

void TestDemoCorpus::sameParametersGiveByteIdenticalRows()
{
    // One corpus read forwards, a second one backwards: a row depends on (parameters, index) alone.
    const DemoParams params{300, 4, 12, 7};
    const DemoCorpus a(params), b(params);
    QList<QByteArray> topics, posts;
    for (qint64 i = 0; i < a.topicCount(); ++i)
        topics << rowBytes(a.topic(i));
    for (qint64 i = 0; i < a.postCount(); ++i)
        posts << rowBytes(a.post(i));
    for (qint64 i = b.postCount() - 1; i >= 0; --i)
        QCOMPARE(rowBytes(b.post(i)), posts.at(i));
    for (qint64 i = b.topicCount() - 1; i >= 0; --i)
        QCOMPARE(rowBytes(b.topic(i)), topics.at(i));
}

void TestDemoCorpus::differentSeedGivesDifferentRows()
{
    const DemoCorpus a({100, 2, 8, 42}), b({100, 2, 8, 43});
    QVERIFY(digest(a, 100) != digest(b, 100));
    int sameTitles = 0;
    for (qint64 i = 0; i < 100; ++i)
        sameTitles += a.topic(i).title == b.topic(i).title ? 1 : 0;
    QVERIFY2(sameTitles < 10, qPrintable(QString::number(sameTitles)));
}

void TestDemoCorpus::sampleMatchesTheRecordedDigest()
{
    // The demo is the same on every machine and in every release until the generator is changed
    // on purpose: then record the new digest here.
    const DemoCorpus corpus({50, 3, 12, 42});
    QCOMPARE(digest(corpus, 50), QByteArray("b98e34e57a9ad7ea2e5b4870bfba1471"
                                            "3b4daeacd34f076a088bbea5565f4185"));
}

void TestDemoCorpus::validateRejectsOutOfRange_data()
{
    QTest::addColumn<qint64>("topics");
    QTest::addColumn<int>("posts");
    QTest::addColumn<int>("forums");
    QTest::addColumn<bool>("valid");
    QTest::newRow("defaults") << qint64(2000) << 3 << 8 << true;
    QTest::newRow("empty corpus") << qint64(0) << 0 << 1 << true;
    QTest::newRow("all forums") << qint64(1) << 1 << 12 << true;
    QTest::newRow("negative topics") << qint64(-1) << 3 << 8 << false;
    QTest::newRow("too many topics") << DemoCorpus::MaxTopics + 1 << 3 << 8 << false;
    QTest::newRow("negative posts") << qint64(10) << -1 << 8 << false;
    QTest::newRow("too many posts") << qint64(10) << DemoCorpus::MaxPostsPerTopic + 1 << 8 << false;
    QTest::newRow("no forums") << qint64(10) << 3 << 0 << false;
    QTest::newRow("thirteen forums") << qint64(10) << 3 << 13 << false;
}

void TestDemoCorpus::validateRejectsOutOfRange()
{
    QFETCH(qint64, topics);
    QFETCH(int, posts);
    QFETCH(int, forums);
    QFETCH(bool, valid);
    const auto result = DemoCorpus::validate({topics, posts, forums, 1});
    QCOMPARE(result.ok(), valid);
    if (!valid)
        QVERIFY(!result.error().message.contains(QLatin1Char('\n')));
}

void TestDemoCorpus::usesExactlyTheFirstKForums()
{
    const DemoCorpus corpus({600, 1, 5, 42});
    QCOMPARE(corpus.forumNames().size(), 5);
    QHash<QString, int> seen;
    for (qint64 i = 0; i < corpus.topicCount(); ++i)
        ++seen[corpus.topic(i).forumName];
    const QStringList names = corpus.forumNames();
    QCOMPARE(QSet<QString>(seen.keyBegin(), seen.keyEnd()), QSet<QString>(names.cbegin(), names.cend()));
    for (int count : seen)
        QVERIFY2(count > 60 && count < 180, qPrintable(QString::number(count))); // ~120 each
}

void TestDemoCorpus::vocabularyListsAreLargeAndDisjoint()
{
    const auto &forums = demoForums();
    QCOMPARE(forums.size(), DemoCorpus::MaxForums);
    QHash<QString, QString> owner;
    for (const ForumVocabulary &f : forums) {
        QVERIFY2(f.nouns.size() >= 30 && f.verbs.size() >= 30 && f.adjectives.size() >= 30, qPrintable(f.name));
        QVERIFY2(f.titles.size() >= 5 && f.sentences.size() >= 6, qPrintable(f.name));
        for (const QString &w : listWords(f)) {
            QVERIFY2(!owner.contains(w) || owner.value(w) == f.name,
                     qPrintable(QStringLiteral("\"%1\" is in %2 and %3").arg(w, owner.value(w), f.name)));
            owner.insert(w, f.name);
        }
    }
}

void TestDemoCorpus::topWordsOfEachForumAreItsOwn()
{
    // A forum's words: its lists and the fixed words of its templates. Its own words: those no
    // other forum uses and the shared templates don't either.
    const QSet<QString> common = sharedTokens();
    QHash<QString, QSet<QString>> used;
    QHash<QString, int> forumsUsing;
    for (const ForumVocabulary &f : demoForums()) {
        QSet<QString> words = listWords(f);
        for (const QStringList *list : {&f.titles, &f.sentences})
            for (const QString &t : *list)
                for (const QString &w : tokens(t))
                    words.insert(w);
        for (const QString &w : words)
            ++forumsUsing[w];
        used.insert(f.name, words);
    }
    const DemoCorpus corpus({2400, 1, 12, 42});
    QHash<QString, QHash<QString, int>> counts; // forum -> word -> occurrences
    for (qint64 i = 0; i < corpus.topicCount(); ++i) {
        const DemoTopic t = corpus.topic(i);
        QHash<QString, int> &forumCounts = counts[t.forumName];
        for (const QString &w : tokens(t.title + QLatin1Char(' ') + t.content))
            if (!common.contains(w) && w.size() > 2 && !w.front().isDigit())
                ++forumCounts[w];
    }
    for (const ForumVocabulary &f : demoForums()) {
        const QHash<QString, int> &c = counts.value(f.name);
        QList<QPair<int, QString>> ranked;
        for (auto it = c.cbegin(); it != c.cend(); ++it)
            ranked.append({-it.value(), it.key()});
        std::sort(ranked.begin(), ranked.end());
        const QSet<QString> lists = listWords(f);
        QStringList top, foreign;
        int fromLists = 0;
        for (int k = 0; k < 20 && k < ranked.size(); ++k) {
            const QString &w = ranked.at(k).second;
            top << w;
            if (!used.value(f.name).contains(w) || forumsUsing.value(w) > 1)
                foreign << w;
            fromLists += lists.contains(w) ? 1 : 0;
        }
        QVERIFY2(foreign.size() <= 2 && fromLists >= 4,
                 qPrintable(QStringLiteral("%1: top words %2; shared with other forums: %3")
                                .arg(f.name, top.join(QLatin1Char(' ')), foreign.join(QLatin1Char(' ')))));
    }
}

void TestDemoCorpus::lexicalSearchFindsTheForum()
{
    const DemoCorpus corpus({3000, 0, 12, 42});
    for (const ForumVocabulary &f : demoForums()) {
        for (const QString &word : {f.nouns.first(), f.nouns.at(1)}) {
            const QRegularExpression needle(QStringLiteral("\\b%1\\b").arg(word), QRegularExpression::CaseInsensitiveOption);
            int hits = 0, ownHits = 0;
            for (qint64 i = 0; i < corpus.topicCount(); ++i) {
                const DemoTopic t = corpus.topic(i);
                if (needle.match(t.title).hasMatch() || needle.match(t.content).hasMatch()) {
                    ++hits;
                    ownHits += t.forumName == f.name ? 1 : 0;
                }
            }
            QVERIFY2(hits >= 10, qPrintable(QStringLiteral("%1: %2 hits").arg(word).arg(hits)));
            QVERIFY2(ownHits * 100 >= hits * 95,
                     qPrintable(QStringLiteral("%1: %2 of %3 hits in %4").arg(word).arg(ownHits).arg(hits).arg(f.name)));
        }
    }
}

void TestDemoCorpus::postsFollowTheirTopicsInTime()
{
    for (const DemoParams &params : {DemoParams{800, 5, 8, 42}, DemoParams{3, 1000, 2, 9}, DemoParams{1, 0, 1, 1}}) {
        const DemoCorpus corpus(params);
        const qint64 oldest = DemoCorpus::ReferenceTime - DemoCorpus::SpanSeconds;
        qint64 previous = oldest, rows = 0, edited = 0;
        for (qint64 i = 0; i < corpus.topicCount(); ++i) {
            const DemoTopic t = corpus.topic(i);
            QVERIFY(t.createdAt >= previous); // created_at grows with the id
            QVERIFY(t.createdAt < DemoCorpus::ReferenceTime);
            QVERIFY(t.updatedAt >= t.createdAt && t.updatedAt <= DemoCorpus::ReferenceTime);
            previous = t.createdAt;
            ++rows;
            edited += t.updatedAt > t.createdAt ? 1 : 0;
            qint64 lastPost = t.createdAt;
            for (int k = 0; k < params.postsPerTopic; ++k) {
                const DemoPost p = corpus.post(i * params.postsPerTopic + k);
                QVERIFY(p.topicIndex == i && p.forumName == t.forumName);
                QVERIFY2(p.createdAt > lastPost, "posts come after their topic and after the post before");
                QVERIFY(p.createdAt < DemoCorpus::ReferenceTime);
                QVERIFY(p.updatedAt >= p.createdAt && p.updatedAt <= DemoCorpus::ReferenceTime);
                lastPost = p.createdAt;
                ++rows;
                edited += p.updatedAt > p.createdAt ? 1 : 0;
            }
        }
        if (rows >= 1000)
            QVERIFY2(edited * 100 >= rows * 10 && edited * 100 <= rows * 20,
                     qPrintable(QStringLiteral("%1 of %2 rows edited").arg(edited).arg(rows)));
    }
    // The span is ~3 years whatever the size.
    const DemoCorpus big({1'000'000, 0, 8, 42});
    QVERIFY(big.topic(0).createdAt < DemoCorpus::ReferenceTime - 1090LL * 86400);
    QVERIFY(big.topic(999'999).createdAt > DemoCorpus::ReferenceTime - 2LL * 86400);
    QCOMPARE(big.postCount(), 0);
}

void TestDemoCorpus::timestampFormat_data()
{
    QTest::addColumn<qint64>("secs");
    QTest::addColumn<QString>("text");
    QTest::newRow("epoch") << qint64(0) << QStringLiteral("1970-01-01 00:00:00+00");
    QTest::newRow("before epoch") << qint64(-1) << QStringLiteral("1969-12-31 23:59:59+00");
    QTest::newRow("reference") << DemoCorpus::ReferenceTime << QStringLiteral("2025-01-01 00:00:00+00");
    QTest::newRow("leap day 2000") << qint64(951782400) << QStringLiteral("2000-02-29 00:00:00+00");
    QTest::newRow("end of feb 2024") << qint64(1709251199) << QStringLiteral("2024-02-29 23:59:59+00");
    QTest::newRow("new year 2022") << qint64(1640995199) << QStringLiteral("2021-12-31 23:59:59+00");
}

void TestDemoCorpus::timestampFormat()
{
    QFETCH(qint64, secs);
    QFETCH(QString, text);
    QCOMPARE(demoTimestamp(secs), text);
    QCOMPARE(demoTimestamp(secs), QDateTime::fromSecsSinceEpoch(secs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss+00")));
}

void TestDemoCorpus::titlesAndBodiesAreWellFormed()
{
    const DemoCorpus corpus({3000, 2, 12, 5});
    static const QRegularExpression badArticle(QStringLiteral("(^|\\s)a [aeiou]"), QRegularExpression::CaseInsensitiveOption);
    int minLength = 1 << 30, maxLength = 0, paragraphs = 0;
    QSet<int> sentenceCounts;
    auto checkBody = [&](const QString &body) {
        const int sentences = sentenceCount(body);
        QVERIFY2(sentences >= 2 && sentences <= 8, qPrintable(body));
        sentenceCounts.insert(sentences);
        QVERIFY2(!body.contains(QLatin1Char('{')) && !badArticle.match(body).hasMatch(), qPrintable(body));
        minLength = std::min(minLength, int(body.size()));
        maxLength = std::max(maxLength, int(body.size()));
        paragraphs += body.contains(QLatin1String("\n\n")) ? 1 : 0;
    };
    for (qint64 i = 0; i < corpus.topicCount(); ++i) {
        const DemoTopic t = corpus.topic(i);
        QVERIFY(!t.title.isEmpty());
        QVERIFY2(t.title.toUcs4().size() <= DemoCorpus::MaxTitleLength, qPrintable(t.title));
        QVERIFY2(t.title.at(0).isUpper() || t.title.at(0).isDigit(), qPrintable(t.title));
        QVERIFY2(!t.title.contains(QLatin1Char('\n')) && !t.title.contains(QLatin1Char('{')), qPrintable(t.title));
        QVERIFY2(!badArticle.match(t.title).hasMatch(), qPrintable(t.title));
        checkBody(t.content);
    }
    for (qint64 i = 0; i < corpus.postCount(); ++i)
        checkBody(corpus.post(i).content);
    QCOMPARE(sentenceCounts.size(), 7); // every length from 2 to 8 occurs
    QVERIFY2(maxLength > 3 * minLength, qPrintable(QStringLiteral("%1..%2").arg(minLength).arg(maxLength)));
    QVERIFY(paragraphs > 100);
}

void TestDemoCorpus::metadataIsTheDocumentedJson()
{
    const DemoCorpus corpus({500, 2, 12, 42});
    static const QRegularExpression user(QStringLiteral("^user\\d{4}$"));
    int solved = 0;
    for (qint64 i = 0; i < corpus.topicCount(); ++i) {
        const QJsonObject m = QJsonDocument::fromJson(corpus.topic(i).metadata.toUtf8()).object();
        const QJsonArray tags = m.value(QStringLiteral("tags")).toArray();
        QVERIFY(tags.size() >= 1 && tags.size() <= 3);
        QVERIFY(!tags.first().toString().isEmpty());
        QVERIFY(user.match(m.value(QStringLiteral("author")).toString()).hasMatch());
        QVERIFY(m.value(QStringLiteral("views")).isDouble());
        QCOMPARE(m.value(QStringLiteral("lang")).toString(), QStringLiteral("en"));
        QVERIFY(m.value(QStringLiteral("solved")).isBool());
        solved += m.value(QStringLiteral("solved")).toBool() ? 1 : 0;
    }
    QVERIFY(solved > 100 && solved < 300);
    for (qint64 i = 0; i < corpus.postCount(); ++i) {
        const QJsonObject m = QJsonDocument::fromJson(corpus.post(i).metadata.toUtf8()).object();
        QVERIFY(user.match(m.value(QStringLiteral("author")).toString()).hasMatch());
        QVERIFY(m.value(QStringLiteral("likes")).isDouble());
        QCOMPARE(m.value(QStringLiteral("lang")).toString(), QStringLiteral("en"));
    }
}

void TestDemoCorpus::copyTextEscaping_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("copy");
    QTest::newRow("plain") << QStringLiteral("hello world") << QByteArray("hello world");
    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("tab") << QStringLiteral("a\tb") << QByteArray("a\\tb");
    QTest::newRow("newline") << QStringLiteral("a\nb\n") << QByteArray("a\\nb\\n");
    QTest::newRow("crlf") << QStringLiteral("a\r\nb") << QByteArray("a\\r\\nb");
    QTest::newRow("backslash") << QStringLiteral("C:\\dir\\") << QByteArray("C:\\\\dir\\\\");
    QTest::newRow("end-of-data marker") << QStringLiteral("\\.") << QByteArray("\\\\.");
    QTest::newRow("escape-looking text") << QStringLiteral("\\N \\t") << QByteArray("\\\\N \\\\t");
    QTest::newRow("quotes and json") << QStringLiteral(R"({"a": "b'c"})") << QByteArray(R"({"a": "b'c"})");
    QTest::newRow("unicode") << QStringLiteral("Grüße — 日本語 🚀")
                             << QByteArray("Gr\xc3\xbc\xc3\x9f"
                                           "e \xe2\x80\x94 "
                                           "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x9a\x80");
    QTest::newRow("unicode next to escapes") << QStringLiteral("é\t🚀\n") << QByteArray("\xc3\xa9\\t\xf0\x9f\x9a\x80\\n");
}

void TestDemoCorpus::copyTextEscaping()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, copy);
    QCOMPARE(copyText(text), copy);
    QByteArray appended("x\t");
    appendCopyText(appended, text);
    QCOMPARE(appended, QByteArray("x\t") + copy);
}

QTEST_GUILESS_MAIN(TestDemoCorpus)
#include "tst_democorpus.moc"
