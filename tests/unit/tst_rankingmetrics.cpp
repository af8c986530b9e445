// tests/unit/tst_rankingmetrics.cpp — search-quality metrics against hand-computed cases, and the
// readers of judged query sets (TREC, BEIR, the Qatar Living files' own layout).
#include "eval/QuerySet.h"
#include "eval/RankingMetrics.h"
#include "eval/RunFile.h"
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <sys/stat.h>

using namespace vwb;

class TestRankingMetrics : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(name));
        return f.fileName();
    }

private slots:
    void gradedRankingByHand()
    {
        // R = 3 (b, d and x, which was never retrieved); a is judged irrelevant, c is unjudged.
        const Judgments judged{{"a", 0}, {"b", 2}, {"d", 1}, {"x", 1}};
        const QueryScores s = scoreRanking({"a", "b", "c", "d", "e"}, judged, {3, 1});
        QCOMPARE(s.relevant, 3);
        QCOMPARE(s.retrieved, 5);
        QCOMPARE(s.precisionAtK, 1.0 / 3); // b
        QCOMPARE(s.recallAtK, 1.0 / 3);
        QCOMPARE(s.reciprocalRank, 0.5);                       // b at rank 2
        QCOMPARE(s.averagePrecision, (1.0 / 2 + 2.0 / 4) / 3); // b at 2, d at 4; x never found
        QCOMPARE(s.hitAtK, 1.0);
        QCOMPARE(s.unjudgedAtK, 1); // c: shown as unjudged, not as irrelevant
        QCOMPARE(s.judgedAtK, 2.0 / 3);
        // DCG@3 = (2^2-1)/log2(3); the ideal takes every judged grade: 2, 1, 1 (x too).
        const double dcg = 3 / std::log2(3.0), ideal = 3 / std::log2(2.0) + 1 / std::log2(3.0) + 1 / std::log2(4.0);
        QCOMPARE(s.ndcgAtK, dcg / ideal);
        QVERIFY(qAbs(s.ndcgAtK - 0.4581993337) < 1e-9);
    }

    void aStricterRelevanceGradeChangesTheBinaryMetricsOnly()
    {
        const Judgments judged{{"a", 1}, {"b", 2}};
        const QueryScores loose = scoreRanking({"a", "b"}, judged, {2, 1});
        const QueryScores strict = scoreRanking({"a", "b"}, judged, {2, 2});
        QCOMPARE(loose.reciprocalRank, 1.0);
        QCOMPARE(strict.reciprocalRank, 0.5);
        QCOMPARE(strict.relevant, 1);
        QCOMPARE(loose.ndcgAtK, strict.ndcgAtK); // graded either way
        QVERIFY(loose.ndcgAtK < 1.0);            // the grade-2 document should have come first
    }

    void aDocumentListedTwiceCountsOnce()
    {
        const Judgments judged{{"b", 1}, {"d", 1}};
        const QueryScores s = scoreRanking({"b", "b", "d"}, judged, {3, 1});
        QCOMPARE(s.precisionAtK, 2.0 / 3);
        QCOMPARE(s.averagePrecision, (1.0 + 2.0 / 3) / 2);
        QCOMPARE(s.ndcgAtK, (1 + 1 / std::log2(4.0)) / (1 + 1 / std::log2(3.0)));
    }

    void emptyRankingsAndQueriesWithoutRelevantDocuments()
    {
        const QueryScores none = scoreRanking({}, Judgments{{"a", 2}}, {});
        QCOMPARE(none.precisionAtK, 0.0);
        QCOMPARE(none.judgedAtK, 0.0);
        QCOMPARE(none.ndcgAtK, 0.0);
        const QueryScores irrelevant = scoreRanking({"a", "b"}, Judgments{{"a", 0}}, {});
        QVERIFY(!irrelevant.hasRelevant());
        QCOMPARE(irrelevant.recallAtK, 0.0);
        QCOMPARE(irrelevant.ndcgAtK, 0.0); // no ideal gain: 0, not a division by zero

        // Averages leave those queries out and say how many there were.
        const QueryScores perfect = scoreRanking({"a"}, Judgments{{"a", 1}}, {1, 1});
        const QueryScores half = scoreRanking({"b", "a"}, Judgments{{"a", 1}}, {1, 1});
        const AverageScores avg = averageScores({perfect, irrelevant, half});
        QCOMPARE(avg.queries, 2);
        QCOMPARE(avg.withoutRelevant, 1);
        QCOMPARE(avg.mean.averagePrecision, (1.0 + 0.5) / 2);
        QCOMPARE(avg.mean.precisionAtK, 0.5);
        QCOMPARE(avg.mean.reciprocalRank, 0.75);
    }

    void duplicatesCollapseByKeyKeepingTheFirst()
    {
        const QHash<QString, QString> sha{{"1", "x"}, {"2", "y"}, {"3", "x"}, {"4", ""}, {"5", ""}};
        const QStringList collapsed = collapseDuplicates({"1", "2", "3", "4", "5"}, [&](const QString &id) { return sha.value(id); });
        QCOMPARE(collapsed, (QStringList{"1", "2", "4", "5"}));
    }

    void judgmentsInEveryLayout()
    {
        // The Qatar Living layout: a header, then query, doc, grade, label.
        auto ql = QuerySet::readJudgments(
            write("ql.tsv", "query_id\ttopic_id\trelevance\tlabel\n268\t268004\t2\tPerfectMatch\n268\t268001\t0\tIrrelevant\n"));
        QVERIFY2(ql.ok(), qPrintable(ql.ok() ? QString() : ql.error().message));
        QCOMPARE(ql.value().value("268").value("268004"), 2);
        QCOMPARE(ql.value().value("268").size(), 2);
        // TREC: query, 0, doc, grade, separated by spaces.
        auto trec = QuerySet::readJudgments(write("trec.txt", "7 0 doc-a 1\n7 0 doc-b 0\n8 Q0 doc-a 2\n"));
        QVERIFY(trec.ok());
        QCOMPARE(trec.value().value("8").value("doc-a"), 2);
        QCOMPARE(trec.value().value("7").size(), 2);
        // BEIR: query-id, corpus-id, score with a header.
        auto beir = QuerySet::readJudgments(write("beir.tsv", "query-id\tcorpus-id\tscore\nq1\td9\t1\n"));
        QVERIFY(beir.ok());
        QCOMPARE(beir.value().value("q1").value("d9"), 1);
    }

    void badJudgmentsNameTheLine()
    {
        auto grade = QuerySet::readJudgments(write("bad1.tsv", "1\td1\t1\n1\td2\thigh\n"));
        QVERIFY(!grade.ok());
        QCOMPARE(grade.error().message, QStringLiteral("bad1.tsv line 2: the grade \"high\" is not a whole number"));
        auto twice = QuerySet::readJudgments(write("bad2.tsv", "1\td1\t1\n1\td1\t2\n"));
        QVERIFY(!twice.ok());
        QVERIFY(twice.error().message.startsWith(QStringLiteral("bad2.tsv line 2: document d1 is judged 2 for query 1")));
        auto columns = QuerySet::readJudgments(write("bad3.tsv", "1\td1\n"));
        QVERIFY(!columns.ok());
        QVERIFY(columns.error().message.contains(QStringLiteral("line 1")));
        QVERIFY(!QuerySet::readJudgments(write("empty.tsv", "\n")).ok());
        QVERIFY(!QuerySet::readJudgments(m_dir.filePath("absent.tsv")).ok());
        // A FIFO would block a reader forever: refused before it is opened.
        const QString fifo = m_dir.filePath("fifo");
        QCOMPARE(::mkfifo(qPrintable(fifo), 0600), 0);
        auto special = QuerySet::readJudgments(fifo);
        QVERIFY(!special.ok());
        QVERIFY2(special.error().message.endsWith(QStringLiteral("is a FIFO: only a regular file is read")),
                 qPrintable(special.error().message));
        auto device = QuerySet::readQueries(QStringLiteral("/dev/zero"));
        QVERIFY(!device.ok());
        QVERIFY2(device.error().message.contains(QStringLiteral("is a device")), qPrintable(device.error().message));
    }

    void runFilesAreOrderedByScoreThenRankThenId()
    {
        // Lines out of order; d2 and d3 tie on score (rank decides), d4 and d5 tie on both.
        auto run = readRunFile(write("a.run", "1 Q0 d5 4 0.2 t\n1 Q0 d1 1 0.9 t\n1\tQ0\td3\t3\t0.5\tt\n"
                                              "1 Q0 d2 2 0.5 t\n1 Q0 d4 4 0.2 t\n2 Q0 x 1 1 t\n"));
        QVERIFY2(run.ok(), qPrintable(run.ok() ? QString() : run.error().message));
        QCOMPARE(run.value().value("1"), (QStringList{"d1", "d2", "d3", "d4", "d5"}));
        QCOMPARE(run.value().value("2"), QStringList{"x"});
        auto bad = readRunFile(write("b.run", "1 Q0 d1 1 0.9 t\n1 Q0 d2 two 0.5 t\n"));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().message, QStringLiteral("b.run line 2: a run line is \"query_id Q0 doc_id rank score [tag]\""));
    }

    void queriesFromJsonLinesAndTsv()
    {
        auto jsonl = QuerySet::readQueries(write("q.jsonl", "{\"id\": 268, \"title\": \"Good Bank\", \"text\": \"Which bank?\"}\n"
                                                            "{\"_id\": \"q2\", \"text\": \"BEIR style\"}\n"));
        QVERIFY2(jsonl.ok(), qPrintable(jsonl.ok() ? QString() : jsonl.error().message));
        QCOMPARE(jsonl.value().size(), 2);
        QCOMPARE(jsonl.value().at(0).id, QStringLiteral("268"));
        QCOMPARE(jsonl.value().at(0).title, QStringLiteral("Good Bank"));
        QCOMPARE(jsonl.value().at(1).id, QStringLiteral("q2"));
        auto tsv = QuerySet::readQueries(write("q.tsv", "id\ttext\ttitle\n1\tfirst query\tFirst\n2\tsecond\n"));
        QVERIFY(tsv.ok());
        QCOMPARE(tsv.value().size(), 2);
        QCOMPARE(tsv.value().at(1).text, QStringLiteral("second"));

        auto broken = QuerySet::readQueries(write("q-bad.jsonl", "{\"id\": 1, \"text\": \"ok\"}\n{\"id\": 2, \"text\": \n"));
        QVERIFY(!broken.ok());
        QVERIFY(broken.error().message.startsWith(QStringLiteral("q-bad.jsonl line 2: not a JSON object")));
        // A number id is kept exactly however large; one that is not whole is no id.
        auto large = QuerySet::parseQueries("{\"id\": 9007199254740993, \"text\": \"a\"}\r\n{\"id\": -0, \"text\": \"b\"}\n", "l.jsonl");
        QVERIFY2(large.ok(), qPrintable(large.ok() ? QString() : large.error().message));
        QCOMPARE(large.value().at(0).id, QStringLiteral("9007199254740993"));
        QCOMPARE(large.value().at(1).id, QStringLiteral("0"));
        for (const QByteArray &id : {QByteArray("1.5"), QByteArray("1e300"), QByteArray("-1e19")}) {
            auto fraction = QuerySet::parseQueries("{\"id\": " + id + ", \"text\": \"a\"}\n", "f.jsonl");
            QVERIFY2(!fraction.ok() && fraction.error().message.startsWith(QStringLiteral("f.jsonl line 1: the id ")), id);
            QVERIFY2(fraction.error().message.endsWith(QStringLiteral("is not a whole number (write such an id as text)")), id);
        }
        auto twice = QuerySet::readQueries(write("q-twice.tsv", "1\ta\n1\tb\n"));
        QVERIFY(!twice.ok());
        QCOMPARE(twice.error().message, QStringLiteral("q-twice.tsv line 2: query 1 is given twice"));

        // Judgments of a query the set does not have are refused when both are read together.
        auto mismatch = QuerySet::read(write("q1.tsv", "1\tonly query\n"), write("j1.tsv", "1\td\t1\n2\td\t1\n"));
        QVERIFY(!mismatch.ok());
        QCOMPARE(mismatch.error().message, QStringLiteral("j1.tsv judges query 2, which q1.tsv does not have"));
    }
};

QTEST_GUILESS_MAIN(TestRankingMetrics)
#include "tst_rankingmetrics.moc"
