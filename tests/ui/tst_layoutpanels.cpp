// tests/ui/tst_layoutpanels.cpp — Browse and Search on a LangChain PGVector store (varchar keys,
// document text, collections from their own table) against the test cluster (label db).
#include "TestWindow.h"

#include "dialogs/TableColumnsDialog.h"
#include "mainwindow/MainWindow.h"
#include "models/SearchResultModel.h"
#include "panels/BrowserPanel.h"
#include "panels/SearchPanel.h"
#include "widgets/RecordDetailView.h"
#include "widgets/ElidedLabel.h"
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>

using namespace vwb;
using namespace vwb::ui;

namespace {
constexpr int Rows = 40;
const QString Database = QStringLiteral("vwb_layout_panels");
QString documentOf(int g)
{
    static const QStringList words{"harbour", "violin", "glacier", "orchard", "lantern",
                                   "falcon",  "quartz", "meadow",  "saffron", "beacon"};
    return QStringLiteral("%1 %2 %3 note %4").arg(words.at(g % 10), words.at((g * 3 + 1) % 10), words.at((g * 7 + 2) % 10)).arg(g);
}
} // namespace

class TestLayoutPanels : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void browseAndSearchALangChainStore();

private:
    QTemporaryDir m_dir;
    ConnectionProfile m_profile;
    const QString m_schema = QStringLiteral("tst_layout_panels");
    QString table() const { return m_schema + QStringLiteral(".langchain_pg_embedding"); }
};

void TestLayoutPanels::initTestCase()
{
    // A database of its own: the other tests' tables stay out of its panels, and it out of theirs.
    m_profile = test::freshDatabase(Database);
    m_profile.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    QString sql = QStringLiteral("CREATE EXTENSION vector; CREATE SCHEMA %1; SET search_path = %1, public;").arg(m_schema)
                  + test::layoutSql(QStringLiteral("langchain"), m_schema);
    // The reference design's tables beside it: Search opens on topics, and "Find similar" must
    // bring the store's own column and headers with it.
    sql += test::layoutSql(QStringLiteral("reference"), m_schema);
    sql += QStringLiteral(
        "INSERT INTO langchain_pg_collection VALUES (gen_random_uuid(), 'alpha', '{}'), (gen_random_uuid(), 'beta', '{}');");
    LexicalHashingProvider provider(16);
    for (int g = 1; g <= Rows; ++g) {
        QStringList numbers;
        const auto vector = provider.embedOne(documentOf(g));
        for (float x : vector.value())
            numbers << QString::number(x, 'g', 9);
        sql += QStringLiteral(
                   "INSERT INTO langchain_pg_embedding (id, collection_id, embedding, document, cmetadata) SELECT md5('%1'), uuid, "
                   "'[%2]', '%3', '{\"source\": \"file-%1.txt\"}' FROM langchain_pg_collection WHERE name = '%4';")
                   .arg(g)
                   .arg(numbers.join(QLatin1Char(',')), documentOf(g), g % 2 ? QStringLiteral("alpha") : QStringLiteral("beta"));
    }
    VERIFY_OK(test::connect(m_profile)->execScript(sql));
}

void TestLayoutPanels::cleanupTestCase()
{
    (void)test::dropDatabase(Database);
}

void TestLayoutPanels::browseAndSearchALangChainStore()
{
    const auto window = test::openWindowWith(m_profile, QStringLiteral("langchain"), m_dir.path(), QStringLiteral("Browse"));
    window->resize(1280, 800);
    BrowserPanel *browse = window->browser();
    QSignalSpy ready(browse, &BrowserPanel::schemaReady);
    QVERIFY(ready.wait(15000));
    browse->setType(table());
    QTRY_COMPARE_WITH_TIMEOUT(browse->model()->rowCount(), Rows, 10000);
    // All of a small table on screen: its rows counted, not the planner's estimate; no empty filter column.
    QTRY_COMPARE(browse->findChild<QLabel *>(QStringLiteral("browseCount"))->text(),
                 QStringLiteral("%1 rows in %2").arg(Rows).arg(table()));
    // The store's own words: its key, its collections, its documents.
    QCOMPARE(browse->model()->headerData(ContentTableModel::Id, Qt::Horizontal).toString(), QStringLiteral("ID"));
    QVERIFY(!browse->model()->index(0, ContentTableModel::Id).data(Qt::TextAlignmentRole).isValid()); // text keys read from the left
    QCOMPARE(browse->model()->headerData(ContentTableModel::Forum, Qt::Horizontal).toString(), QStringLiteral("Collection"));
    QVERIFY(!browse->view()->isColumnHidden(ContentTableModel::Forum)); // hidden only for a table with no filter column
    QCOMPARE(browse->model()->headerData(ContentTableModel::Title, Qt::Horizontal).toString(), QStringLiteral("Text"));
    QVERIFY2(browse->findChild<QLabel *>(QStringLiteral("browseLayout"))->text().contains(QLatin1String("LangChain")),
             qPrintable(browse->findChild<QLabel *>(QStringLiteral("browseLayout"))->text()));
    {
        // Narrower than its text, the description ends in "…" rather than being cut mid-letter.
        auto *described = browse->findChild<ElidedLabel *>(QStringLiteral("browseLayout"));
        QVERIFY(described);
        const QString whole = described->text();
        described->resize(described->fontMetrics().horizontalAdvance(whole) / 2, described->height());
        QVERIFY2(described->shownText().endsWith(QStringLiteral("…")), qPrintable(described->shownText()));
        QVERIFY(described->shownText().size() < whole.size());
        QCOMPARE(described->text(), whole);
        described->resize(described->fontMetrics().horizontalAdvance(whole) + 20, described->height());
        QCOMPARE(described->shownText(), whole);
    }
    const QString firstKey = browse->model()->rowAt(0)->key;
    QCOMPARE(firstKey.size(), 32); // an md5 text key, in key order
    QVERIFY(firstKey < browse->model()->rowAt(1)->key);
    QVERIFY(QStringList({QStringLiteral("alpha"), QStringLiteral("beta")}).contains(browse->model()->rowAt(0)->forum));

    BrowseFilter beta;
    beta.forum = QStringLiteral("beta");
    browse->setFilter(beta);
    QTRY_COMPARE_WITH_TIMEOUT(browse->model()->rowCount(), Rows / 2, 10000);
    for (int row = 0; row < browse->model()->rowCount(); ++row)
        QCOMPARE(browse->model()->rowAt(row)->forum, QStringLiteral("beta"));

    QSignalSpy shown(browse, &BrowserPanel::recordShown);
    browse->view()->setCurrentIndex(browse->model()->index(2, 0));
    QVERIFY(shown.wait(10000));
    const QString key = shown.last().first().toString();
    QCOMPARE(key, browse->model()->rowAt(2)->key);
    QVERIFY2(browse->detail()->titleLabel()->text().contains(browse->model()->rowAt(2)->title),
             qPrintable(browse->detail()->titleLabel()->text()));
    QVERIFY(browse->detail()->metadataTree()->topLevelItemCount() >= 1); // cmetadata's "source"
    const QTabWidget *tabs = browse->detail()->tabs();
    QCOMPARE(tabs->isTabVisible(tabs->indexOf(browse->detail()->findChild<QListWidget *>(QStringLiteral("detailPosts")))),
             false);                                                                            // posts are the reference design's
    QCOMPARE(browse->findChild<QCheckBox *>(QStringLiteral("browseFrom"))->isEnabled(), false); // no created_at to filter by

    // Columns…: discovery's choice shown, nothing changed on Cancel.
    QSignalSpy dialogShown(browse, &BrowserPanel::columnsDialogShown);
    browse->findChild<QPushButton *>(QStringLiteral("chooseColumns"))->click();
    QCOMPARE(dialogShown.size(), 1);
    auto *dialog = qobject_cast<TableColumnsDialog *>(dialogShown.first().first().value<QDialog *>());
    QCOMPARE(dialog->box(QStringLiteral("text"))->currentData().toString(), QStringLiteral("document"));
    QCOMPARE(dialog->box(QStringLiteral("metadata"))->currentData().toString(), QStringLiteral("cmetadata"));
    QCOMPARE(dialog->box(QStringLiteral("filter"))->currentData().toString(), QStringLiteral("collection_id"));
    QVERIFY(dialog->choice().isEmpty());
    if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty())
        dialog->grab().save(dir + QStringLiteral("/layout-columns.png"));
    dialog->reject();

    // "Find similar" in the detail pane: Search takes the row's varchar key.
    window->showPanel(QStringLiteral("Search"));
    SearchPanel *search = window->search();
    QSignalSpy finished(search, &SearchPanel::searchFinished);
    search->searchLike(table(), key);
    QVERIFY(finished.wait(15000));
    QVERIFY2(finished.last().first().toBool(), qPrintable(search->timings()->text()));
    QVERIFY(search->model()->rowCount() > 0);
    for (int row = 0; row < search->model()->rowCount(); ++row)
        QVERIFY(search->model()->hitAt(row)->key != key);
    QCOMPARE(search->model()->headerData(SearchResultModel::Forum, Qt::Horizontal).toString(), QStringLiteral("Collection"));
    QCOMPARE(search->columnBox()->currentData().toString(), QStringLiteral("embedding"));

    // By text: the row whose document it is comes first, its similarity 1.
    search->search(documentOf(7));
    QVERIFY(finished.wait(15000));
    QVERIFY2(finished.last().first().toBool(), qPrintable(search->timings()->text()));
    QVERIFY(search->model()->hitAt(0)->similarity > 0.999);
    QCOMPARE(search->model()->hitAt(0)->title, documentOf(7));
    QVERIFY2(window->width() <= 1280, qPrintable(QString::number(window->width())));
    if (const QString dir = qEnvironmentVariable("VWB_SCREENSHOT_DIR"); !dir.isEmpty())
        window->grab().save(dir + QStringLiteral("/layout-search.png"));
}

QTEST_MAIN(TestLayoutPanels)
#include "tst_layoutpanels.moc"
