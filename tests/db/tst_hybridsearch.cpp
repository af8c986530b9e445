// tests/db/tst_hybridsearch.cpp — full-text and hybrid ranking, re-ranking a fixed set of
// candidates, and searching a chosen vector column, on a real pgvector table.
#include "../support/TestCluster.h"

#include "search/SemanticSearch.h"
#include <cmath>

using namespace vwb;

namespace {
const QString Schema = QStringLiteral("tst_hybrid");

QList<qint64> ids(const Result<SearchOutcome> &outcome)
{
    QList<qint64> out;
    for (const SearchHit &h : outcome.value().hits)
        out << h.key.toLongLong();
    return out;
}
} // namespace

class TestHybridSearch : public QObject
{
    Q_OBJECT
    std::unique_ptr<PgConnection> m_conn;
    ContentPair m_pair;

    SearchRequest request(Ranking ranking, const QString &text = QStringLiteral("apple"))
    {
        SearchRequest r;
        r.pair = m_pair;
        r.vector = QStringLiteral("[1,0,0]");
        r.queryText = text;
        r.ranking = ranking;
        r.limit = 10;
        return r;
    }

private slots:
    void initTestCase()
    {
        test::resetSchema(Schema, QStringLiteral(R"(
CREATE TABLE topics (id bigserial PRIMARY KEY, forum_name text, title text, content text, metadata jsonb,
                     created_at timestamptz DEFAULT now());
CREATE TABLE topic_vectors (id bigserial PRIMARY KEY, topic_id bigint NOT NULL UNIQUE REFERENCES topics(id),
                            forum_name text, vector vector(3), alt vector(2));
INSERT INTO topics (id, forum_name, title, content) VALUES
  (1, 'food', 'Apple pie recipe', 'Bake the apples slowly'),
  (2, 'food', 'Banana bread', 'Ripe bananas'),
  (3, 'travel', 'Orchard tour', 'Picking an apple in autumn'),
  (4, 'cars', 'Car repair', 'Brakes and tyres');
INSERT INTO topic_vectors (topic_id, forum_name, vector, alt) VALUES
  (1, 'food', '[1,0,0]', '[0,1]'), (2, 'food', '[0.9,0.1,0]', '[1,0]'),
  (3, 'travel', '[0,1,0]', '[1,0.1]'), (4, 'cars', '[0,0,1]', '[0,1]');
)"));
        m_conn = test::connect(test::profileInSchema(Schema));
        auto schema = discoverSchema(*m_conn);
        VERIFY_OK(schema);
        auto pair = schema.value().find(Schema + QStringLiteral(".topics"));
        QVERIFY(pair);
        m_pair = *pair;
        QCOMPARE(m_pair.columns.size(), 2);
    }

    void cleanupTestCase()
    {
        m_conn.reset();
        test::dropSchema(Schema);
    }

    void textRanksTheRowsThatShareAWord()
    {
        auto out = SemanticSearch::run(*m_conn, request(Ranking::Text));
        VERIFY_OK(out);
        // "apple" and "apples" meet under the english configuration; rows 2 and 4 lack the word.
        QCOMPARE(ids(out), (QList<qint64>{1, 3}));
        QVERIFY(out.value().hits.first().score > out.value().hits.last().score); // twice in row 1
        QVERIFY(std::isnan(out.value().hits.first().similarity));                // no vector was compared
        QVERIFY(out.value().rankedBy.contains(QStringLiteral("full text")));
        // Any word is enough: a question rarely repeats all its words in the answer.
        QCOMPARE(ids(SemanticSearch::run(*m_conn, request(Ranking::Text, QStringLiteral("apple brakes")))), (QList<qint64>{1, 3, 4}));
        auto stopWords = SemanticSearch::run(*m_conn, request(Ranking::Text, QStringLiteral("the of and")));
        VERIFY_OK(stopWords);
        QVERIFY(stopWords.value().hits.isEmpty());
    }

    void hybridFusesBothListsByReciprocalRank()
    {
        SearchRequest r = request(Ranking::Hybrid);
        r.rrfK = 60;
        auto out = SemanticSearch::run(*m_conn, r);
        VERIFY_OK(out);
        // Vector ranks 1, 2, 3, 4 (3 and 4 tie at distance 1: the smaller id first); text ranks 1, 3.
        const double k = 60;
        const QHash<qint64, double> expected{
            {1, 1 / (k + 1) + 1 / (k + 1)}, {2, 1 / (k + 2)}, {3, 1 / (k + 3) + 1 / (k + 2)}, {4, 1 / (k + 4)}};
        QCOMPARE(ids(out), (QList<qint64>{1, 3, 2, 4})); // 3 passes 2: the text list lifts it
        for (const SearchHit &h : out.value().hits)
            QVERIFY2(qAbs(h.score - expected.value(h.key.toLongLong())) < 1e-12, qPrintable(h.key));
        QCOMPARE(out.value().hits.at(1).similarity, 0.0); // row 3's cosine similarity is still shown
        QVERIFY(out.value().rankedBy.contains(QStringLiteral("k = 60")));

        r.fusionDepth = 1; // each list brings its first row only: row 1 in both
        QCOMPARE(ids(SemanticSearch::run(*m_conn, r)), QList<qint64>{1});
        r.queryText.clear();
        auto noText = SemanticSearch::run(*m_conn, r);
        QVERIFY(!noText.ok());
        QVERIFY(noText.error().message.contains(QStringLiteral("text")));
    }

    void candidatesAreAllRankedAndNothingElse()
    {
        SearchRequest r = request(Ranking::Vector);
        r.candidates = {"4", "3", "2"};
        r.limit = 3;
        auto out = SemanticSearch::run(*m_conn, r);
        VERIFY_OK(out);
        QCOMPARE(ids(out), (QList<qint64>{2, 3, 4}));
        QVERIFY(out.value().warnings.isEmpty());
        r.candidates = {"3", "4", "99"}; // 99 has no vector: said so
        r.limit = 3;
        auto missing = SemanticSearch::run(*m_conn, r);
        QCOMPARE(ids(missing), (QList<qint64>{3, 4}));
        QVERIFY(missing.value().warnings.join(QLatin1Char(' ')).contains(QStringLiteral("1 of the 3 candidates")));
        r = request(Ranking::Text);
        r.candidates = {"2", "3", "4"};
        QCOMPARE(ids(SemanticSearch::run(*m_conn, r)), (QList<qint64>{3}));
    }

    void aChosenVectorColumnIsSearched()
    {
        SearchRequest r = request(Ranking::Vector);
        r.column = QStringLiteral("alt");
        r.vector = QStringLiteral("[1,0]");
        auto out = SemanticSearch::run(*m_conn, r);
        VERIFY_OK(out);
        QCOMPARE(out.value().hits.first().key, QStringLiteral("2")); // alt = [1,0]; by `vector` it would be row 1
        r.vector = QStringLiteral("[1,0,0]");
        auto wrong = SemanticSearch::run(*m_conn, r);
        QVERIFY(!wrong.ok());
        QVERIFY(wrong.error().message.contains(QStringLiteral("alt")));
        r.column = QStringLiteral("nope");
        auto none = SemanticSearch::run(*m_conn, r);
        QVERIFY(!none.ok());
        QVERIFY(none.error().message.contains(QStringLiteral("no vector column nope")));
    }
};

QTEST_GUILESS_MAIN(TestHybridSearch)
#include "tst_hybridsearch.moc"
