// tests/ui/tst_evaluatepanel.cpp — the Evaluate panel and the Search panel's grading on the test
// cluster (label db): a judged set imported, runs with three rankings stored and scored, two
// compared, a threshold taken from a curve into the Search panel, results graded into a set.
#include "TestWindow.h"

#include "charts/ComparisonChart.h"
#include "charts/ThresholdChart.h"
#include "eval/EvalStore.h"
#include "metrics/SizeHistory.h"
#include "models/SearchResultModel.h"
#include "panels/EvaluatePanel.h"
#include "panels/SearchPanel.h"
#include "session/LiveSession.h"
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <cmath>

using namespace vwb;
using namespace vwb::ui;

namespace {
const QStringList Texts{QStringLiteral("Which bank is best for a salary account in Doha"),
                        QStringLiteral("Opening a bank account needs a salary certificate"),
                        QStringLiteral("Best beaches near Doha for a weekend"),
                        QStringLiteral("Weekend trips: beaches, desert and the sea"),
                        QStringLiteral("Car insurance prices this year"),
                        QStringLiteral("Renewing the car registration and insurance"),
                        QStringLiteral("Schools with a good British curriculum"),
                        QStringLiteral("Which school teaches the British curriculum")};
} // namespace

class TestEvaluatePanel : public QObject
{
    Q_OBJECT
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    const QString m_schema = QStringLiteral("tst_evaluate_panel");

    QString write(const QString &name, const QByteArray &text)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(name));
        return f.fileName();
    }

    /// Runs the panel's set through `config`; the stored run's id.
    qint64 run(EvaluatePanel *panel, const EvalConfig &config)
    {
        QSignalSpy finished(panel, &EvaluatePanel::runFinished);
        const int before = panel->runsTable()->rowCount();
        panel->startRun(config);
        if (!finished.wait(30000) || !finished.last().first().toBool()) {
            qWarning("run failed: %s", qPrintable(panel->status()->text()));
            return 0;
        }
        if (panel->runsTable()->rowCount() != before + 1)
            return 0;
        return panel->runsTable()->item(before, 0)->data(Qt::UserRole).toLongLong();
    }

private slots:
    void initTestCase()
    {
        qputenv("VWB_EVALUATIONS", m_dir.filePath(QStringLiteral("evaluations.sqlite")).toUtf8());
        test::resetSchema(m_schema, QStringLiteral("CREATE TABLE topics (id bigint PRIMARY KEY, title text, content text);"
                                                   "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id bigint UNIQUE "
                                                   "REFERENCES topics(id), vector vector(64), alt vector(8));")
                                        + test::topicsWithLexicalVectors(Texts, 64));
        m_window = test::openWindowOn(m_schema, QStringLiteral("evaluate"), m_dir.path(), QStringLiteral("Evaluate"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isConnected(), 15000);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        test::dropSchema(m_schema);
    }

    void importRunCompareAndTakeAThreshold()
    {
        EvaluatePanel *panel = m_window->evaluate();
        // Five queries; three judge two topics (one relevant, one not), q4 judges nothing relevant, q5 is
        // only punctuation (one irrelevant candidate).
        const QString queries = write(QStringLiteral("q.jsonl"), "{\"id\": 1, \"text\": \"bank account salary\"}\n"
                                                                 "{\"id\": 2, \"text\": \"beaches for the weekend\"}\n"
                                                                 "{\"id\": 3, \"text\": \"car insurance\", \"title\": \"cars\"}\n"
                                                                 "{\"id\": 4, \"text\": \"british school\"}\n"
                                                                 "{\"id\": 5, \"text\": \"???\"}\n");
        const QString qrels = write(QStringLiteral("j.tsv"), "query_id\tdoc_id\trelevance\n1\t1\t2\n1\t3\t0\n2\t4\t1\n2\t5\t0\n"
                                                             "3\t6\t2\n3\t1\t0\n4\t7\t0\n4\t2\t0\n5\t3\t0\n");
        QCOMPARE(panel->importSet(QStringLiteral("tiny"), queries, qrels), QString());
        QVERIFY(panel->importSet(QStringLiteral("tiny"), queries, qrels).contains(QStringLiteral("exists"))); // not replaced silently
        QCOMPARE(panel->runsTable()->rowCount(), 0);

        EvalConfig config = panel->formConfig();
        QCOMPARE(config.type, m_schema + QStringLiteral(".topics"));
        QCOMPARE(config.column, QString()); // the table's first vector column
        auto *columns = panel->findChild<QComboBox *>(QStringLiteral("evaluateColumn"));
        QVERIFY(columns);
        QCOMPARE(columns->count(), 2); // vector and alt: a second model's column can be evaluated
        columns->setCurrentIndex(1);
        QCOMPARE(panel->formConfig().column, QStringLiteral("alt"));
        columns->setCurrentIndex(0);
        config.mode = EvalMode::Rerank;
        const qint64 vector = run(panel, config);
        QVERIFY(vector > 0);
        // Query 5 has no words to embed: it fails alone, and the run goes on.
        QVERIFY2(panel->status()->text().contains(QStringLiteral("1 failed")), qPrintable(panel->status()->text()));
        config.ranking = Ranking::Text;
        const qint64 text = run(panel, config);
        config.ranking = Ranking::Hybrid;
        const qint64 hybrid = run(panel, config);
        QVERIFY(text > vector && hybrid > text);
        // Each query ranks its two candidates: the relevant one shares the query's words, so first.
        for (int row = 0; row < 3; ++row)
            QCOMPARE(panel->runsTable()->item(row, 4)->text(), QStringLiteral("1.0000")); // MAP
        QVERIFY(panel->status()->text().contains(QStringLiteral("3 queries")));           // q4 reported apart

        panel->compare(vector, text);
        QVERIFY(panel->comparisonSummary()->text().contains(QStringLiteral("B − A +0.0000")));
        QCOMPARE(panel->comparisonChart()->barCount(), 3);

        panel->showThreshold(vector);
        QVERIFY(panel->thresholdChart()->pointCount() >= 2);
        QVERIFY(panel->useThresholdButton()->isEnabled());
        QSignalSpy chosen(panel, &EvaluatePanel::thresholdChosen);
        panel->useThresholdButton()->click();
        QCOMPARE(chosen.size(), 1);
        const double threshold = chosen.first().first().toDouble();
        QCOMPARE(panel->thresholdChart()->markerX(), threshold);
        QCOMPARE(m_window->search()->thresholdValue(), threshold); // the Search panel took it
        panel->showThreshold(text);
        QVERIFY(!panel->useThresholdButton()->isEnabled()); // full text has no similarity to threshold
    }

    void aCorpusIsCheckedThenLoaded()
    {
        EvaluatePanel *panel = m_window->evaluate();
        const QString bad = write(QStringLiteral("bad.csv"), "id,title,content\n100,a,b\n100,c,d\n");
        const QString good = write(QStringLiteral("good.csv"), "id,title,content\n100,New topic,\"words, more words\"\n101,Other,text\n");
        QSignalSpy imported(panel, &EvaluatePanel::corpusImported);
        QSignalSpy changed(m_window->session(), &Session::dataChanged);
        panel->loadCorpus(bad, {}, true);
        QVERIFY(imported.wait(15000));
        QCOMPARE(imported.last().at(0).toBool(), false);
        QVERIFY(imported.last().at(2).toString().contains(QStringLiteral("bad.csv line 3: id 100 is also on line 2")));
        panel->loadCorpus(good, {}, true);
        QVERIFY(imported.wait(15000));
        QCOMPARE(imported.last().at(0).toBool(), true);
        QVERIFY(imported.last().at(2).toString().contains(QStringLiteral("would load 2 rows")));
        auto conn = test::connect(test::profileInSchema(m_schema));
        QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM topics")).value().scalar(), QStringLiteral("8")); // a dry run
        QCOMPARE(changed.size(), 0);
        panel->loadCorpus(good, {}, false);
        QVERIFY(imported.wait(15000));
        QCOMPARE(imported.last().at(0).toBool(), true);
        QCOMPARE(conn->exec(QStringLiteral("SELECT count(*) FROM topics")).value().scalar(), QStringLiteral("10"));
        QTRY_VERIFY(!changed.isEmpty()); // the views showing topics are told
        QCOMPARE(changed.first().first().value<DataChange>().kind, DataChange::Kind::Rows);
    }

    void searchResultsAreGradedIntoASet()
    {
        SearchPanel *search = m_window->search();
        search->setThresholdValue(qQNaN());
        search->rankingBox()->setCurrentIndex(search->rankingBox()->findData(int(Ranking::Text)));
        QSignalSpy finished(search, &SearchPanel::searchFinished);
        search->search(QStringLiteral("british curriculum"));
        QVERIFY(finished.wait(15000));
        QVERIFY(finished.last().first().toBool());
        QCOMPARE(search->model()->rowCount(), 2); // topics 7 and 8 share the words
        QVERIFY(std::isnan(search->model()->hitAt(0)->similarity));
        QVERIFY(search->timings()->text().contains(QStringLiteral("full text")));
        search->judgeSetBox()->setCurrentText(QStringLiteral("marks"));
        QVERIFY(search->judgeRow(0, 2));
        QCOMPARE(search->model()->index(0, SearchResultModel::Judged).data().toString(), QStringLiteral("2"));
        QVERIFY(!search->judgeRow(5, 1)); // no such row: nothing stored
        EvalStore store;
        auto set = store.loadSet(SizeHistory::profileKey(m_window->session()->profile()), QStringLiteral("marks"));
        QVERIFY(set.ok());
        QCOMPARE(set.value().judgments.value(QStringLiteral("british curriculum")).size(), 1);
        search->rankingBox()->setCurrentIndex(0);
    }
};

QTEST_MAIN(TestEvaluatePanel)
#include "tst_evaluatepanel.moc"
