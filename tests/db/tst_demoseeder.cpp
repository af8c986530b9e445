// tests/db/tst_demoseeder.cpp — `vwb demo seed` and DemoSeeder against a real server. Each test
// works in its own schema, with the tables the project's migrations create.
#include "../support/TestCluster.h"

#include "connection/CopyText.h"
#include "connection/DatabaseUrl.h"
#include "connection/SessionUnlocks.h"
#include "demo/DemoSeeder.h"
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <algorithm>

using namespace vwb;

class TestDemoSeeder : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void loadsTopicsAndPostsWithTheirForeignKeysAndReportsProgress();
    void loadedRowsAreTheCorpusRows();
    void idsContinueAfterExistingRowsAndTheSequenceMoves();
    void hostileTextSurvivesTheCopyRoundTrip_data();
    void hostileTextSurvivesTheCopyRoundTrip();
    void ifEmptySkipsATableWithRows();
    void missingTablesAskForTheMigrations_data();
    void missingTablesAskForTheMigrations();
    void writeLockedProductionIsRefused();
    void failureMidLoadLeavesNoRows();
    void cliSeedsAndReportsJson();
    void cliUsageErrorsExitWithTwo_data();
    void cliUsageErrorsExitWithTwo();

private:
    /// The up part of one of the project's migrations.
    void createTables(bool topics = true, bool posts = true);
    qint64 count(const char *sql);
    Result<DemoSeedReport> seed(const DemoParams &params, bool ifEmpty = false, const DemoSeeder::Progress &p = {});
    /// The test cluster's URL with this test's search_path, as `vwb --url` takes it.
    QString schemaUrl() const;

    QString m_schema;
    std::unique_ptr<PgConnection> m_conn;
};

namespace {
/// Evaluates `expr` once and fails the test with its error message when it is not ok.
QStringList argv(const char *words)
{
    return QString::fromLatin1(words).split(QLatin1Char(' '));
}

struct Run
{
    int code;
    QString out, err;
};
Run runVwb(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(VWB_CLI), args);
    if (!p.waitForFinished(60000))
        return {-1, {}, QStringLiteral("timed out")};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}
} // namespace

void TestDemoSeeder::init()
{
    m_schema = QStringLiteral("demo_") + QString::fromLatin1(QTest::currentTestFunction()).toLower();
    m_conn = test::connect();
    const QString schema = m_conn->escapeIdentifier(m_schema);
    VERIFY_OK(m_conn->execScript(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1; "
                                                "SET search_path TO %1, public")
                                     .arg(schema)));
}

void TestDemoSeeder::cleanup()
{
    if (m_conn && m_conn->isAlive()) {
        (void)m_conn->exec(QStringLiteral("ROLLBACK"));
        VERIFY_OK(m_conn->exec(QStringLiteral("DROP SCHEMA %1 CASCADE").arg(m_conn->escapeIdentifier(m_schema))));
    }
    m_conn.reset();
}

void TestDemoSeeder::createTables(bool topics, bool posts)
{
    if (topics)
        VERIFY_OK(m_conn->execScript(test::migrationUp(QStringLiteral("_create_base_tables.sql"))));
    if (posts)
        VERIFY_OK(m_conn->execScript(test::migrationUp(QStringLiteral("_create_post_tables.sql"))));
}

qint64 TestDemoSeeder::count(const char *sql)
{
    auto r = m_conn->exec(QString::fromUtf8(sql));
    return r.ok() ? r.value().scalar().toLongLong() : (qWarning("%s: %s", sql, qPrintable(r.error().message)), -1);
}

Result<DemoSeedReport> TestDemoSeeder::seed(const DemoParams &params, bool ifEmpty, const DemoSeeder::Progress &p)
{
    return DemoSeeder({params, ifEmpty}).run(*m_conn, p);
}

QString TestDemoSeeder::schemaUrl() const
{
    ConnectionParams params = test::clusterProfile().params;
    params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    return toDatabaseUrl(params, true);
}

void TestDemoSeeder::loadsTopicsAndPostsWithTheirForeignKeysAndReportsProgress()
{
    createTables();
    QList<qint64> done;
    auto r = seed({4000, 3, 12, 42}, false, [&done](qint64 rows, qint64 total) {
        QCOMPARE(total, 16000);
        done << rows;
    });
    VERIFY_OK(r);
    QVERIFY(r.value().topics == 4000 && r.value().posts == 12000);
    QVERIFY(r.value().firstTopicId == 1 && r.value().lastTopicId == 4000);
    QVERIFY(!r.value().skipped && r.value().elapsedMs >= 0);
    QVERIFY2(done.size() >= 4, qPrintable(QString::number(done.size()))); // ~1 MB chunks, in order
    QVERIFY(std::is_sorted(done.cbegin(), done.cend()));
    QCOMPARE(done.last(), 16000);
    QCOMPARE(count("SELECT count(*) FROM topics"), 4000);
    QCOMPARE(count("SELECT count(*) FROM posts"), 12000);
    QCOMPARE(count("SELECT count(DISTINCT topic_id) FROM posts"), 4000);
    QCOMPARE(count("SELECT count(*) FROM (SELECT topic_id FROM posts GROUP BY 1 HAVING count(*) <> 3) x"), 0);
    QCOMPARE(count("SELECT count(*) FROM posts p JOIN topics t ON t.id = p.topic_id "
                   "WHERE p.forum_name <> t.forum_name OR p.created_at <= t.created_at"),
             0);
    QCOMPARE(count("SELECT count(DISTINCT forum_name) FROM topics"), 12);
    QCOMPARE(count("SELECT count(*) FROM topics WHERE updated_at < created_at"), 0);
    // A lexical search for a forum's subject finds that forum.
    QCOMPARE(count("SELECT count(*) FROM topics WHERE content ILIKE '%banneton%' AND forum_name <> 'sourdough-baking'"), 0);
    QVERIFY(count("SELECT count(*) FROM topics WHERE content ILIKE '%banneton%'") > 0);
    QVERIFY(count("SELECT count(*) FROM topics WHERE (metadata->>'solved')::boolean") > 0);
}

void TestDemoSeeder::loadedRowsAreTheCorpusRows()
{
    createTables();
    const DemoCorpus corpus({150, 2, 12, 99});
    VERIFY_OK(seed(corpus.params()));
    auto topics = m_conn->exec(QStringLiteral("SELECT id, forum_name, title, content, metadata::text, "
                                              "extract(epoch FROM created_at)::bigint, "
                                              "extract(epoch FROM updated_at)::bigint FROM topics ORDER BY id"));
    VERIFY_OK(topics);
    QCOMPARE(topics.value().rowCount(), 150);
    for (int i = 0; i < 150; ++i) {
        const DemoTopic t = corpus.topic(i);
        const QStringList &row = topics.value().rows.at(i);
        // Content with paragraph breaks, "—" and "°" comes back exactly.
        QCOMPARE(row.mid(0, 4), (QStringList{QString::number(i + 1), t.forumName, t.title, t.content}));
        QCOMPARE(QJsonDocument::fromJson(row.at(4).toUtf8()), QJsonDocument::fromJson(t.metadata.toUtf8()));
        QCOMPARE(row.mid(5), (QStringList{QString::number(t.createdAt), QString::number(t.updatedAt)}));
    }
    auto posts = m_conn->exec(QStringLiteral("SELECT topic_id, content, extract(epoch FROM created_at)::bigint "
                                             "FROM posts ORDER BY id"));
    VERIFY_OK(posts);
    QCOMPARE(posts.value().rowCount(), 300);
    for (int i = 0; i < 300; ++i) {
        const DemoPost p = corpus.post(i);
        QCOMPARE(posts.value().rows.at(i), (QStringList{QString::number(p.topicIndex + 1), p.content, QString::number(p.createdAt)}));
    }
}

void TestDemoSeeder::idsContinueAfterExistingRowsAndTheSequenceMoves()
{
    createTables();
    auto existing = m_conn->execScript(
        QStringLiteral("INSERT INTO topics (forum_name, title, content) VALUES ('mine', 'a', 'x'), ('mine', 'b', 'y'), "
                       "('mine', 'c', 'z'); DELETE FROM topics WHERE title = 'c'")); // max(id) 2, sequence at 3
    VERIFY_OK(existing);
    auto r = seed({10, 1, 3, 1});
    QVERIFY(r.ok() && r.value().firstTopicId == 3 && r.value().lastTopicId == 12);
    QCOMPARE(count("SELECT min(id) FROM topics WHERE forum_name <> 'mine'"), 3);
    QCOMPARE(count("SELECT max(id) FROM topics"), 12);
    auto plain = m_conn->exec(QStringLiteral("INSERT INTO topics (forum_name, title, content) "
                                             "VALUES ('mine', 'd', 'w') RETURNING id"));
    VERIFY_OK(plain); // no duplicate key: the sequence was moved past the loaded ids
    QCOMPARE(plain.value().scalar().toLongLong(), 13);

    auto again = seed({5, 0, 3, 2});
    QVERIFY(again.ok() && again.value().firstTopicId == 14 && again.value().posts == 0);
    QCOMPARE(count("SELECT count(*) FROM topics"), 2 + 10 + 1 + 5);
    QCOMPARE(count("SELECT count(*) FROM posts"), 10);
}

void TestDemoSeeder::hostileTextSurvivesTheCopyRoundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("tab") << QStringLiteral("a\tb\t");
    QTest::newRow("newlines") << QStringLiteral("line 1\nline 2\n\nline 4\n");
    QTest::newRow("carriage returns") << QStringLiteral("a\r\nb\rc");
    QTest::newRow("backslashes") << QStringLiteral("C:\\path\\to\\file\\");
    QTest::newRow("escape lookalikes") << QStringLiteral("\\t \\n \\N \\\\ \\x41 \\101");
    QTest::newRow("end-of-data marker") << QStringLiteral("\\.");
    QTest::newRow("end-of-data line") << QStringLiteral("before\n\\.\nafter");
    QTest::newRow("the word NULL") << QStringLiteral("\\N");
    QTest::newRow("quotes") << QStringLiteral("O'Brien said \"hi\"; $$ DROP TABLE topics; $$");
    QTest::newRow("unicode") << QStringLiteral("Grüße, 日本語, emoji 🚀, combining é, RTL שלום");
    QTest::newRow("empty") << QString(QLatin1String(""));
    QTest::newRow("long") << QString(300000, QLatin1Char('\\'));
}

void TestDemoSeeder::hostileTextSurvivesTheCopyRoundTrip()
{
    QFETCH(QString, text);
    createTables();
    const bool fitsTitle = text.size() <= 255; // title is varchar(255)
    QByteArray row("1\tforum\t");
    appendCopyText(row, fitsTitle ? text : QStringLiteral("long"));
    row += '\t';
    appendCopyText(row, text);
    row += '\n';
    auto copied = m_conn->copyIn(QStringLiteral("COPY topics (id, forum_name, title, content) FROM STDIN"),
                                 [&row](QByteArray &chunk, QString &) {
                                     chunk.swap(row);
                                     return false;
                                 });
    VERIFY_OK(copied);
    QCOMPARE(copied.value(), 1);
    auto back = m_conn->exec(QStringLiteral("SELECT title, content, content = $1 FROM topics"), {text});
    VERIFY_OK(back);
    QCOMPARE(back.value().value(0, 1), text);
    QCOMPARE(back.value().value(0, 2), QStringLiteral("t"));
    if (fitsTitle)
        QCOMPARE(back.value().value(0, 0), text);
    QVERIFY(!back.value().isNull(0, 1)); // "\N" is text here, never NULL
}

void TestDemoSeeder::ifEmptySkipsATableWithRows()
{
    createTables();
    auto first = seed({20, 2, 4, 42}, true);
    QVERIFY(first.ok() && !first.value().skipped && first.value().topics == 20);
    auto second = seed({20, 2, 4, 42}, true);
    VERIFY_OK(second);
    QVERIFY(second.value().skipped && second.value().topics == 0 && second.value().posts == 0);
    QVERIFY2(second.value().note.contains(QLatin1String("already has rows")), qPrintable(second.value().note));
    QCOMPARE(count("SELECT count(*) FROM topics"), 20);
    QCOMPARE(count("SELECT count(*) FROM posts"), 40);
    VERIFY_OK(seed({20, 2, 4, 42}, false)); // without ifEmpty it adds
    QCOMPARE(count("SELECT count(*) FROM topics"), 40);
}

void TestDemoSeeder::missingTablesAskForTheMigrations_data()
{
    QTest::addColumn<bool>("topics");
    QTest::addColumn<QString>("named");
    QTest::newRow("no tables") << false << QStringLiteral("No topics or posts table");
    QTest::newRow("no posts") << true << QStringLiteral("No posts table");
}

void TestDemoSeeder::missingTablesAskForTheMigrations()
{
    QFETCH(bool, topics);
    QFETCH(QString, named);
    createTables(topics, false);
    // Only this schema: a topics table elsewhere on the server must not count.
    VERIFY_OK(m_conn->exec(QStringLiteral("SET search_path TO %1").arg(m_conn->escapeIdentifier(m_schema))));
    auto r = seed({10, 1, 2, 1});
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.startsWith(named) && r.error().message.contains(QLatin1String("vwb migrate latest")),
             qPrintable(r.error().message));
}

void TestDemoSeeder::writeLockedProductionIsRefused()
{
    createTables();
    ConnectionProfile p = test::clusterProfile();
    p.name = QStringLiteral("prod-demo");
    p.production = true;
    p.params.sslmode = QStringLiteral("require"); // the test cluster has a self-signed certificate
    p.params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    SessionUnlocks::lock(p.name);
    auto prod = PgConnection::open(p);
    VERIFY_OK(prod);
    QVERIFY(prod.value()->isWriteLocked());
    auto refused = DemoSeeder({{10, 1, 2, 1}, false}).run(*prod.value());
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message.contains(QLatin1String("prod-demo"))
                 && refused.error().message.contains(QLatin1String("writes are locked")),
             qPrintable(refused.error().message));
    QCOMPARE(count("SELECT count(*) FROM topics"), 0);

    VERIFY_OK(SessionUnlocks::unlock(p, p.params.dbname));
    VERIFY_OK(prod.value()->applyUnlock());
    auto allowed = DemoSeeder({{10, 1, 2, 1}, false}).run(*prod.value());
    SessionUnlocks::lock(p.name);
    VERIFY_OK(allowed);
    QCOMPARE(count("SELECT count(*) FROM topics"), 10);
}

void TestDemoSeeder::failureMidLoadLeavesNoRows()
{
    createTables();
    // Posts of topics from id 2000 on break the rule: the posts COPY fails in its second or third
    // ~1 MB chunk, after all topics went in.
    VERIFY_OK(m_conn->exec(QStringLiteral("ALTER TABLE posts ADD CONSTRAINT demo_fails_late CHECK (topic_id < 2000)")));
    qint64 lastDone = 0;
    auto r = seed({3000, 3, 8, 42}, false, [&lastDone](qint64 done, qint64) { lastDone = done; });
    QVERIFY(!r.ok());
    QCOMPARE(r.error().sqlState, QStringLiteral("23514"));
    QVERIFY2(r.error().detail.contains(QLatin1String("loading posts")), qPrintable(r.error().detail));
    QVERIFY2(lastDone > 3000 + 2000, "the failure came after part of the posts were sent");
    // The same connection is usable, outside any transaction, and sees nothing of the load.
    QCOMPARE(count("SELECT count(*) FROM topics"), 0);
    QCOMPARE(count("SELECT count(*) FROM posts"), 0);
    auto begun = m_conn->exec(QStringLiteral("BEGIN")); // warns when a transaction is still open
    VERIFY_OK(begun);
    QVERIFY2(begun.value().notices.isEmpty(), qPrintable(begun.value().notices.join(QLatin1Char(' '))));
    VERIFY_OK(m_conn->exec(QStringLiteral("ROLLBACK")));
}

void TestDemoSeeder::cliSeedsAndReportsJson()
{
    createTables();
    const QStringList url{QStringLiteral("--url"), schemaUrl()};
    const Run r = runVwb(argv("demo seed --topics 120 --posts-per-topic 2 --forums 3 --json") + url);
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("topics")).toInt(), 120);
    QCOMPARE(json.value(QStringLiteral("posts")).toInt(), 240);
    QCOMPARE(json.value(QStringLiteral("first_topic_id")).toInt(), 1);
    QCOMPARE(json.value(QStringLiteral("skipped")).toBool(), false);
    QCOMPARE(json.value(QStringLiteral("seed")).toInt(), 42);
    QVERIFY(json.value(QStringLiteral("elapsed_ms")).isDouble());
    QCOMPARE(count("SELECT count(*) FROM posts"), 240);
    QCOMPARE(count("SELECT count(DISTINCT forum_name) FROM topics"), 3);

    const Run skipped = runVwb(argv("demo seed --if-empty") + url);
    QVERIFY2(skipped.code == 0, qPrintable(skipped.err));
    QVERIFY2(skipped.out.contains(QLatin1String("nothing loaded")), qPrintable(skipped.out));
    QCOMPARE(count("SELECT count(*) FROM topics"), 120);

    const Run plain = runVwb(argv("demo seed --topics 10") + url);
    QVERIFY2(plain.code == 0, qPrintable(plain.err));
    QVERIFY2(plain.out.startsWith(QLatin1String("Loaded 10 topics and 30 posts")), qPrintable(plain.out));
    QVERIFY(plain.out.contains(QLatin1String("rows/s")));
    QVERIFY(plain.out.contains(QLatin1String("topic ids  121-130")));
    QVERIFY2(plain.err.isEmpty(), qPrintable(plain.err)); // no progress line when stderr is not a terminal

    const Run production = runVwb(argv("demo seed --production --url") << schemaUrl() + QStringLiteral("&sslmode=require"));
    QCOMPARE(production.code, 1);
    QVERIFY2(production.err.contains(QLatin1String("--unlock-writes")), qPrintable(production.err));
    QCOMPARE(count("SELECT count(*) FROM topics"), 130);

    VERIFY_OK(m_conn->execScript(QStringLiteral("DROP TABLE post_vectors, posts")));
    const Run missing = runVwb(argv("demo seed") + url);
    QCOMPARE(missing.code, 1);
    QVERIFY2(missing.err.contains(QLatin1String("vwb migrate latest")), qPrintable(missing.err));
    QCOMPARE(missing.err.trimmed().count(QLatin1Char('\n')), 0);
}

void TestDemoSeeder::cliUsageErrorsExitWithTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no action") << argv("demo") << QStringLiteral("give an action");
    QTest::newRow("unknown action") << argv("demo grow") << QStringLiteral("unknown action");
    QTest::newRow("negative topics") << argv("demo seed --topics -1") << QStringLiteral("--topics");
    QTest::newRow("not a number") << argv("demo seed --topics lots") << QStringLiteral("--topics");
    QTest::newRow("zero forums") << argv("demo seed --forums 0") << QStringLiteral("--forums");
    QTest::newRow("thirteen forums") << argv("demo seed --forums 13") << QStringLiteral("--forums");
    QTest::newRow("bad posts") << argv("demo seed --posts-per-topic 1.5") << QStringLiteral("--posts-per-topic");
    QTest::newRow("bad seed") << argv("demo seed --seed -3") << QStringLiteral("--seed");
    QTest::newRow("profile and url") << argv("demo seed --profile x --url postgres://h/db") << QStringLiteral("not both");
}

void TestDemoSeeder::cliUsageErrorsExitWithTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = runVwb(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith(QLatin1String("vwb demo: ")) && r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 1); // the message and the --help hint
    const Run help = runVwb(argv("demo --help"));
    QCOMPARE(help.code, 0);
    QVERIFY(help.out.contains(QLatin1String("--posts-per-topic")));
}

QTEST_GUILESS_MAIN(TestDemoSeeder)
#include "tst_demoseeder.moc"
