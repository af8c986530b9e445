// tests/ui/tst_modelchange.cpp — the guided model change on the test cluster (label db): a second
// model's column added, filled by a backfill job, compared with the column in use on a judged set,
// switched to (the Search and Evaluate panels follow) and back — each step one button.
#include "TestWindow.h"

#include "dialogs/ModelChangeDialog.h"
#include "embeddings/ProviderSettings.h"
#include "panels/EvaluatePanel.h"
#include "models/SearchResultModel.h"
#include "panels/SearchPanel.h"
#include "session/LiveSession.h"
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <cmath>

using namespace vwb;
using namespace vwb::ui;

namespace {
const QStringList Texts{QStringLiteral("Which bank is best for a salary account in Doha"),
                        QStringLiteral("Opening banking accounts needs salaries certified"),
                        QStringLiteral("Best beaches near Doha for a weekend"),
                        QStringLiteral("Weekend trips: the beach, desert and the sea"),
                        QStringLiteral("Car insurance prices this year"),
                        QStringLiteral("Renewing car registrations and insuring cars"),
                        QStringLiteral("Schools with a good British curriculum"),
                        QStringLiteral("Which school teaches the British curriculum")};
} // namespace

class TestModelChange : public QObject
{
    Q_OBJECT
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    const QString m_schema = QStringLiteral("tst_model_change");
    std::unique_ptr<PgConnection> m_conn;

    QString write(const QString &name, const QByteArray &text)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(name));
        return f.fileName();
    }

    qint64 count(const QString &sql)
    {
        auto r = m_conn->exec(sql);
        return r.ok() ? r.value().scalar().toLongLong() : -1;
    }

private slots:
    void initTestCase()
    {
        // This test's own local records: the switch, the sources, the evaluations.
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        qputenv("VWB_EVALUATIONS", m_dir.filePath(QStringLiteral("evaluations.sqlite")).toUtf8());
        qputenv("VWB_EMBEDDING_SOURCES", m_dir.filePath(QStringLiteral("sources.sqlite")).toUtf8());
        test::resetSchema(m_schema, QStringLiteral("CREATE TABLE topics (id bigint PRIMARY KEY, title text, content text, "
                                                   "updated_at timestamptz DEFAULT now());"
                                                   "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id bigint UNIQUE "
                                                   "REFERENCES topics(id), vector vector(64), updated_at timestamptz DEFAULT now());")
                                        + test::topicsWithLexicalVectors(Texts, 64));
        m_conn = test::connect();
        m_window = test::openWindowOn(m_schema, QStringLiteral("model-change"), m_dir.path(), QStringLiteral("Evaluate"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->isConnected(), 15000);
        const QString queries = write(QStringLiteral("q.jsonl"), "{\"id\": 1, \"text\": \"bank accounts and salaries\"}\n"
                                                                 "{\"id\": 2, \"text\": \"a beach weekend\"}\n"
                                                                 "{\"id\": 3, \"text\": \"insuring a car\"}\n");
        const QString qrels = write(QStringLiteral("j.tsv"),
                                    "1\t1\t2\n1\t2\t1\n1\t3\t0\n2\t3\t1\n2\t4\t2\n2\t5\t0\n3\t5\t1\n3\t6\t2\n3\t1\t0\n");
        QCOMPARE(m_window->evaluate()->importSet(QStringLiteral("judgments"), queries, qrels), QString());
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_conn.reset();
        test::dropSchema(m_schema);
    }

    void addFillCompareSwitchAndBack()
    {
        // Every page fits a 1280 px screen beside a navigation list of its own width (180 px).
        for (const char *panel : {"Connection", "Browse", "Search", "Evaluate", "Migrations", "Maintenance", "Health", "Plans", "Sizes"}) {
            QVERIFY(m_window->showPanel(QLatin1String(panel)));
            const int width = m_window->findChild<QStackedWidget *>()->currentWidget()->minimumSizeHint().width();
            QVERIFY2(width < 1280 - 180 - 40, qPrintable(QStringLiteral("%1: %2 px").arg(QLatin1String(panel)).arg(width)));
        }
        ModelChangeDialog *dialog = m_window->showModelChange();
        QSignalSpy refreshed(dialog, &ModelChangeDialog::refreshed);
        QTRY_COMPARE_WITH_TIMEOUT(dialog->columns().size(), 1, 10000);
        QVERIFY(dialog->columns().first().inUse);
        QCOMPARE(dialog->columns().first().filled, qint64(Texts.size()));
        QVERIFY(!dialog->stepStatus(2)->parentWidget()->findChildren<QPushButton *>().first()->isEnabled()); // nothing to fill yet
        QVERIFY2(dialog->width() < 1280 && dialog->height() < 800,
                 qPrintable(QStringLiteral("%1x%2").arg(dialog->width()).arg(dialog->height())));

        // 1. Add: a bad name is refused and changes nothing; a good one is a column of the vector table.
        dialog->nameEdit()->setText(QStringLiteral("Alt; DROP TABLE topics"));
        dialog->addColumn();
        QTRY_VERIFY_WITH_TIMEOUT(dialog->stepStatus(1)->text().startsWith(QStringLiteral("✗")), 10000);
        QVERIFY2(dialog->stepStatus(1)->text().contains(QStringLiteral("plain column name")), qPrintable(dialog->stepStatus(1)->text()));
        dialog->nameEdit()->setText(QStringLiteral("alt"));
        dialog->dimensionsBox()->setValue(32);
        dialog->addColumn();
        QTRY_COMPARE_WITH_TIMEOUT(dialog->columns().size(), 2, 10000);
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM pg_attribute WHERE attrelid = '%1.topic_vectors'::regclass AND attname = "
                                      "'alt' AND format_type(atttypid, atttypmod) = 'vector(32)'")
                           .arg(m_schema)),
                 1);
        QCOMPARE(dialog->columnBox()->currentText(), QStringLiteral("alt"));
        QCOMPARE(dialog->columns().at(1).filled, 0);
        // The Search panel lists the new column; it still searches the first.
        QComboBox *searchColumn = m_window->search()->columnBox();
        QTRY_COMPARE_WITH_TIMEOUT(searchColumn->count(), 2, 5000);
        QCOMPARE(searchColumn->currentData().toString(), QStringLiteral("vector"));
        QVERIFY(!dialog->switchToColumn()); // empty: nothing to switch to
        QVERIFY2(dialog->stepStatus(4)->text().contains(QStringLiteral("alt is empty")), qPrintable(dialog->stepStatus(4)->text()));

        // 2. Fill with the stemmed model: a job; the dialog follows its end.
        dialog->providerBox()->setCurrentIndex(dialog->providerBox()->findData(QStringLiteral("lexical-stem")));
        dialog->fillColumn();
        QTRY_COMPARE_WITH_TIMEOUT(dialog->columns().at(1).filled, qint64(Texts.size()), 30000);
        QCOMPARE(count(QStringLiteral("SELECT count(alt) FROM %1.topic_vectors WHERE vector_dims(alt) = 32").arg(m_schema)),
                 qint64(Texts.size()));
        QVERIFY(dialog->columns().at(1).source);
        QCOMPARE(dialog->columns().at(1).source->model, QStringLiteral("lexical-stem-v1"));
        QCOMPARE(count(QStringLiteral("SELECT count(*) FROM %1.topic_vectors").arg(m_schema)), qint64(Texts.size())); // none added

        // 3. Compare on the judged set: two runs in the Evaluate panel, their comparison in the dialog.
        EvaluatePanel *evaluate = m_window->evaluate();
        QSignalSpy compared(evaluate, &EvaluatePanel::configsCompared);
        const int runsBefore = evaluate->runsTable()->rowCount();
        dialog->setBox()->setCurrentIndex(dialog->setBox()->findData(QStringLiteral("judgments")));
        dialog->evaluate();
        QVERIFY(compared.wait(60000));
        QVERIFY2(compared.last().first().toBool(), qPrintable(compared.last().at(1).toString()));
        QVERIFY(std::isfinite(compared.last().at(2).toDouble())); // B − A, what the switch asks about when negative
        QCOMPARE(evaluate->runsTable()->rowCount(), runsBefore + 2);
        QVERIFY2(dialog->stepStatus(3)->text().contains(QStringLiteral("MAP")), qPrintable(dialog->stepStatus(3)->text()));
        QCOMPARE(dialog->stepStatus(3)->text(), QStringLiteral("✓ ") + evaluate->comparisonSummary()->text());
        QString configs;
        for (int row = 0; row < evaluate->runsTable()->rowCount(); ++row)
            configs += evaluate->runsTable()->item(row, 3)->text() + QLatin1Char('\n');
        QVERIFY2(configs.contains(QStringLiteral("alt")) && configs.contains(QStringLiteral("lexical-stem")), qPrintable(configs));

        // 4. Switch: the Search panel searches alt with the stemmed model, and says nothing is amiss.
        QVERIFY(dialog->switchToColumn());
        QCOMPARE(searchColumn->currentData().toString(), QStringLiteral("alt"));
        QCOMPARE(m_window->search()->providerBox()->currentData().toString(), QStringLiteral("lexical-stem"));
        QVERIFY(dialog->stepStatus(4)->text().contains(QStringLiteral("application still writes and searches vector")));
        QCOMPARE(m_window->evaluate()->findChild<QComboBox *>(QStringLiteral("evaluateColumn"))->currentText(), QStringLiteral("alt"));
        QSignalSpy searched(m_window->search(), &SearchPanel::searchFinished);
        m_window->search()->search(QStringLiteral("insuring a car")); // the window's first search: a judged query
        QVERIFY(searched.wait(20000));
        QVERIFY(searched.last().first().toBool());
        QStringList grades; // the set's grades of this query (5: 1, 6: 2, 1: 0) show at once
        for (int row = 0; row < m_window->search()->model()->rowCount(); ++row)
            grades << m_window->search()->model()->index(row, SearchResultModel::Judged).data().toString();
        QVERIFY2(grades.contains(QStringLiteral("2")) && grades.contains(QStringLiteral("1")), qPrintable(grades.join(QLatin1Char(','))));
        QVERIFY2(!m_window->search()->warnings()->text().contains(QStringLiteral("mean nothing")),
                 qPrintable(m_window->search()->warnings()->text()));
        QVERIFY2(m_window->search()->timings()->text().contains(QStringLiteral("lexical-stem-v1")),
                 qPrintable(m_window->search()->timings()->text()));
        // The switch is kept for the profile (a later connection, and vwb, start from it) ...
        const auto pair = m_window->session()->schema().find(m_schema + QStringLiteral(".topics"));
        QVERIFY(pair);
        const auto kept = loadColumnInUse(ProviderSettings::defaultPath(), m_window->session()->profile(), *pair);
        QVERIFY(kept && kept->column == QStringLiteral("alt") && kept->provider == QStringLiteral("lexical-stem"));
        // ... and a column chosen by hand stays chosen when the schema is read again.
        searchColumn->setCurrentIndex(searchColumn->findData(QStringLiteral("vector")));
        QSignalSpy schema(m_window->session(), &Session::schemaChanged);
        m_window->session()->refreshSchema();
        QVERIFY(schema.wait(10000));
        QCOMPARE(searchColumn->currentData().toString(), QStringLiteral("vector"));
        searchColumn->setCurrentIndex(searchColumn->findData(QStringLiteral("alt")));

        // And back: the first column, the profile's provider.
        dialog->switchBack();
        QCOMPARE(searchColumn->currentData().toString(), QStringLiteral("vector"));
        QCOMPARE(m_window->search()->providerBox()->currentData().toString(), QStringLiteral("lexical"));
        QCOMPARE(m_window->evaluate()->findChild<QComboBox *>(QStringLiteral("evaluateProvider"))->currentData().toString(),
                 QStringLiteral("lexical"));
        QVERIFY(dialog->columns().first().inUse);

        // A third column: the one just added is the one steps 2-4 work on, whatever sorts first.
        dialog->nameEdit()->setText(QStringLiteral("another"));
        dialog->dimensionsBox()->setValue(16);
        dialog->addColumn();
        QTRY_COMPARE_WITH_TIMEOUT(dialog->columns().size(), 3, 10000);
        QCOMPARE(dialog->columnBox()->currentText(), QStringLiteral("another"));
        QVERIFY2(dialog->stepStatus(1)->text().startsWith(QStringLiteral("✓ Added")), qPrintable(dialog->stepStatus(1)->text()));
        // ... once: a column picked afterwards stays picked when the columns are read again.
        dialog->columnBox()->setCurrentIndex(dialog->columnBox()->findText(QStringLiteral("alt")));
        QSignalSpy read(dialog, &ModelChangeDialog::refreshed);
        dialog->refresh();
        QVERIFY(read.wait(10000));
        QCOMPARE(dialog->columnBox()->currentText(), QStringLiteral("alt"));
    }
};

QTEST_MAIN(TestModelChange)
#include "tst_modelchange.moc"
