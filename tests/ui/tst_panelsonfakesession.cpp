// tests/ui/tst_panelsonfakesession.cpp — Browse, Search, Sizes and Health on an in-memory session:
// no server (label unit). What they show comes from the session, and they follow its data changes.
#include "../support/FakeSession.h"

#include "charts/SizeHistoryChart.h"
#include "core/ByteSize.h"
#include "models/ContentTableModel.h"
#include "models/HealthFindingModel.h"
#include "models/SearchResultModel.h"
#include "panels/BrowserPanel.h"
#include "panels/HealthPanel.h"
#include "panels/SearchPanel.h"
#include "panels/SizesPanel.h"
#include "widgets/CoverageStrip.h"
#include <QLineEdit>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace vwb;
using namespace vwb::test;

class TestPanelsOnFakeSession : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static void seed(FakeData &data, int topics, int withVectors)
    {
        for (int i = 1; i <= topics; ++i)
            data.topics << FakeData::Topic{i, i % 2 ? QStringLiteral("cooking") : QStringLiteral("travel"),
                                           QStringLiteral("topic %1").arg(i), i <= withVectors};
        data.vectorBytes = withVectors * 1024;
    }
    static QString cell(QTableWidget *table, const QString &first, int column)
    {
        for (int row = 0; row < table->rowCount(); ++row)
            if (table->item(row, 0) && table->item(row, 0)->text() == first)
                return table->item(row, column)->text();
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("VWB_SIZE_HISTORY", m_dir.filePath(QStringLiteral("sizes.sqlite")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
    }

    void browseShowsTheSessionsRowsAndFollowsABackfill()
    {
        FakeSession session;
        seed(session.data, 5, 2);
        ui::BrowserPanel panel(&session);
        QCOMPARE(panel.countLabel()->text(), QString()); // nothing before the session connects
        session.connectNow();
        QTRY_COMPARE(panel.model()->rowCount(), 5);
        QTRY_COMPARE(panel.coverage()->coverage().size(), 1);
        QCOMPARE(panel.coverage()->coverage().first().withVector, 2);
        QVERIFY(!panel.model()->rowAt(4)->hasVector);

        // A backfill elsewhere fills the vectors and says so: coverage and rows follow, no Refresh.
        session.data.fillVectors();
        QSignalSpy shown(&panel, &ui::BrowserPanel::coverageShown);
        session.announce({DataChange::Kind::Vectors, QStringLiteral("topic_vectors")});
        QVERIFY(shown.wait(5000));
        QCOMPARE(panel.coverage()->coverage().first().withVector, 5);
        QCOMPARE(panel.coverage()->coverage().first().missing, 0);
        QTRY_VERIFY(panel.model()->rowCount() == 5 && panel.model()->rowAt(4) && panel.model()->rowAt(4)->hasVector);
    }

    void browseIgnoresChangesToOtherTables()
    {
        FakeSession session;
        seed(session.data, 3, 0);
        ui::BrowserPanel panel(&session);
        session.connectNow();
        QTRY_COMPARE(panel.coverage()->coverage().size(), 1);
        QTRY_COMPARE(session.queued(), 0);
        session.hold();
        session.announce({DataChange::Kind::Rows, QStringLiteral("audit_log")});
        session.announce({DataChange::Kind::Storage, QStringLiteral("topics")}); // a VACUUM: no row changed
        QCOMPARE(session.queued(), 0);                                           // nothing of ours changed: nothing asked of the database
        session.announce({DataChange::Kind::Vectors, QStringLiteral("topic_vectors")});
        QVERIFY(session.queued() > 0); // and the check above could have failed
        session.release();
    }

    void anExactCountCanBeCanceled()
    {
        FakeSession session;
        seed(session.data, 4, 0);
        ui::BrowserPanel panel(&session);
        session.connectNow();
        QTRY_COMPARE(panel.model()->rowCount(), 4);
        session.hold();
        panel.countButton()->click();
        QCOMPARE(panel.countButton()->text(), QStringLiteral("Cancel count"));
        panel.countButton()->click(); // cancel before the count ran
        session.release();
        QTRY_COMPARE(panel.countLabel()->text(), QStringLiteral("count canceled"));
        QCOMPARE(panel.countButton()->text(), QStringLiteral("Count exactly"));
        panel.countButton()->click(); // and counting again works
        QTRY_VERIFY(panel.countLabel()->text().startsWith(QStringLiteral("4 matching rows")));
    }

    void searchShowsHitsAndSaysWhenTheDataChanged()
    {
        FakeSession session;
        seed(session.data, 6, 3);
        ui::SearchPanel panel(&session);
        session.connectNow();
        QTRY_VERIFY(panel.hasSchema());
        QSignalSpy finished(&panel, &ui::SearchPanel::searchFinished);
        panel.search(QStringLiteral("anything"));
        QCOMPARE(panel.queryEdit()->text(), QStringLiteral("anything")); // the box shows what is searched
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(panel.model()->rowCount(), 3);
        QVERIFY(panel.timings()->text().contains(QStringLiteral("index topic_vectors_hnsw")));
        // The long provider note wraps and a long column name is elided: the window never widens (838 px
        // here; a column box sized to its longest name made it 952).
        QVERIFY2(panel.minimumSizeHint().width() < 900, qPrintable(QString::number(panel.minimumSizeHint().width())));
        QVERIFY(!panel.warnings()->text().contains(QStringLiteral("changed")));

        session.data.fillVectors();
        session.announce({DataChange::Kind::Vectors, QStringLiteral("topic_vectors")});
        QVERIFY(panel.warnings()->text().contains(QStringLiteral("The data changed since this search")));
        QCOMPARE(panel.model()->rowCount(), 3); // still the old results, marked, until searched again
        panel.search(QStringLiteral("anything"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(panel.model()->rowCount(), 6);
        QVERIFY(!panel.warnings()->text().contains(QStringLiteral("changed")));

        // A write announced while a search runs: its results may predate it, so they stay marked.
        session.hold();
        panel.search(QStringLiteral("anything"));
        session.announce({DataChange::Kind::Vectors, QStringLiteral("topic_vectors")});
        session.release();
        QVERIFY(finished.wait(5000));
        QVERIFY(panel.warnings()->text().contains(QStringLiteral("The data changed since this search")));
        session.announce({DataChange::Kind::Storage, QStringLiteral("topic_vectors")}); // a VACUUM changes no result
        panel.search(QStringLiteral("anything"));
        QVERIFY(finished.wait(5000));
        QVERIFY(!panel.warnings()->text().contains(QStringLiteral("changed")));

        // Another connection: what was found in this one goes.
        session.disconnectNow();
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(!panel.hasSchema());
    }

    void sizesReadAgainWhenVectorsAreWritten()
    {
        FakeSession session;
        seed(session.data, 10, 0);
        ui::SizesPanel panel(&session);
        QSignalSpy refreshed(&panel, &ui::SizesPanel::refreshed);
        session.connectNow();
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(cell(panel.tables(), QStringLiteral("topic_vectors"), 5), byteSize(0));
        const double before = panel.historyChart()->points(QStringLiteral("all tables")).last().y();
        session.data.fillVectors(); // 100 kB + 1 kB per topic
        session.announce({DataChange::Kind::Vectors, QStringLiteral("topic_vectors")});
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(cell(panel.tables(), QStringLiteral("topic_vectors"), 5), byteSize(110 * 1024));
        QCOMPARE(cell(panel.indexes(), QStringLiteral("topic_vectors_hnsw"), 2), QStringLiteral("hnsw"));
        // Not a new stored sample (one per interval), but the chart's line ends at the reading now.
        QVERIFY(panel.historyChart()->points(QStringLiteral("all tables")).last().y() > before);
    }

    void healthChecksAgainAfterAWriteAndCanBeCanceled()
    {
        FakeSession session;
        seed(session.data, 4, 1);
        ui::HealthPanel panel(&session);
        QSignalSpy refreshed(&panel, &ui::HealthPanel::refreshed);
        session.connectNow();
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(panel.model()->countOf(HealthFinding::Severity::Problem), 1);
        QCOMPARE(panel.model()->finding(0).count, 3);

        session.data.fillVectors();
        session.announce({DataChange::Kind::Vectors, QStringLiteral("topic_vectors")});
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(panel.model()->countOf(HealthFinding::Severity::Problem), 0);
        QVERIFY(panel.summary()->text().startsWith(QStringLiteral("Healthy")));

        session.hold();
        panel.refresh();
        QCOMPARE(panel.checkButton()->text(), QStringLiteral("Cancel"));
        panel.checkButton()->click();
        session.release();
        QVERIFY(refreshed.wait(5000));
        QCOMPARE(panel.summary()->text(), QStringLiteral("Checks canceled"));
        QCOMPARE(panel.checkButton()->text(), QStringLiteral("Check again"));
    }
};

QTEST_MAIN(TestPanelsOnFakeSession)
#include "tst_panelsonfakesession.moc"
