// tests/db/tst_corpusimport.cpp — importing an evaluation corpus (JSON Lines or CSV): every bad
// row named by its line before anything is written, a dry run that writes nothing, progress,
// and CSV's quoting, NULLs and JSON columns loaded as they were meant.
#include "../support/TestCluster.h"

#include "data/CorpusImport.h"
#include <QTemporaryDir>
#include <sys/stat.h>

using namespace vwb;

class TestCorpusImport : public QObject
{
    Q_OBJECT
    const QString m_schema = QStringLiteral("tst_corpus_import");
    QTemporaryDir m_dir;
    std::unique_ptr<PgConnection> m_conn;
    ContentPair m_pair;

    QString write(const QString &name, const QByteArray &text)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(name));
        return f.fileName();
    }
    qint64 count(const QString &table)
    {
        return m_conn->exec(QStringLiteral("SELECT count(*) FROM %1").arg(table)).value().scalar().toLongLong();
    }
    /// The import's error message, or "" when it succeeded; the tables must be as they were.
    QString failure(const ImportRequest &request)
    {
        const qint64 topics = count(QStringLiteral("topics")), vectors = count(QStringLiteral("topic_vectors"));
        auto r = importCorpus(*m_conn, m_pair, request);
        if (r.ok())
            return {};
        if (count(QStringLiteral("topics")) != topics || count(QStringLiteral("topic_vectors")) != vectors)
            return QStringLiteral("HALF-LOADED: ") + r.error().message;
        return r.error().message;
    }

private slots:
    void init()
    {
        test::resetSchema(m_schema, test::migrationUp(QStringLiteral("_create_base_tables.sql"))
                                        .replace(QLatin1String("vector(1536)"), QLatin1String("vector(3)")));
        m_conn = test::connect(test::profileInSchema(m_schema));
        auto schema = discoverSchema(*m_conn);
        VERIFY_OK(schema);
        m_pair = *schema.value().find(m_schema + QStringLiteral(".topics"));
    }
    void cleanupTestCase()
    {
        m_conn.reset();
        test::dropSchema(m_schema);
    }

    void badRowsAreNamedByLineAndNothingIsLoaded()
    {
        const QString good = write(QStringLiteral("good.jsonl"),
                                   "{\"id\": 1, \"forum_name\": \"f\", \"title\": \"a\", \"content\": \"x\"}\n"
                                   "{\"id\": 2, \"forum_name\": \"f\", \"title\": \"b\", \"content\": \"y\"}\n");
        const QString broken = write(QStringLiteral("broken.jsonl"),
                                     "{\"id\": 1, \"forum_name\": \"f\", \"title\": \"a\", \"content\": \"x\"}\n\n"
                                     "{\"id\": 2, \"title\": \n");
        QVERIFY(failure({broken, {}, false, {}, {}}).contains(QStringLiteral("broken.jsonl line 3: not a JSON object")));
        const QString twice = write(QStringLiteral("twice.jsonl"),
                                    "{\"id\": 7, \"forum_name\": \"f\", \"title\": \"a\", \"content\": \"x\"}\n"
                                    "{\"id\": \"7\", \"forum_name\": \"f\", \"title\": \"b\", \"content\": \"y\"}\n");
        QVERIFY(failure({twice, {}, false, {}, {}}).contains(QStringLiteral("line 2: id 7 is also on line 1")));
        const QString noId = write(QStringLiteral("noid.jsonl"), "{\"forum_name\": \"f\", \"title\": \"a\", \"content\": \"x\"}\n");
        QVERIFY(failure({noId, {}, false, {}, {}}).contains(QStringLiteral("line 1: no id")));
        const QString shortVector = write(QStringLiteral("v.jsonl"), "{\"topic_id\": 1, \"forum_name\": \"f\", \"vector\": [1, 0, 0]}\n"
                                                                     "{\"topic_id\": 2, \"forum_name\": \"f\", \"vector\": [1, 0]}\n");
        QVERIFY(failure({good, shortVector, false, {}, {}}).contains(QStringLiteral("v.jsonl line 2: the vector has 2 dimensions")));
        const QString notNumbers = write(QStringLiteral("nan.csv"),
                                         "topic_id,forum_name,vector\n1,f,\"[1, 0, 0]\"\n2,f,\"[1, \"\"x\"\", 0]\"\n");
        QVERIFY(failure({good, notNumbers, false, {}, {}}).contains(QStringLiteral("nan.csv line 3: value 2 of the vector")));
        const QString columns = write(QStringLiteral("cols.csv"), "id,forum_name,title,content\n1,f,\"two\nlines\",x\n2,f,b\n");
        QVERIFY(failure({columns, {}, false, {}, {}}).contains(QStringLiteral("cols.csv line 4: 3 fields where the header names 4")));
        // A header name with a line break in it is shown escaped: the message stays one line (found by fuzz_corpusfiles).
        const QString header = write(QStringLiteral("header.csv"), "id,\"for\num\",title\n1,f\n");
        const QString oneLine = failure({header, {}, false, {}, {}});
        QVERIFY2(oneLine.contains(QStringLiteral("header.csv line 3: 2 fields where the header names 3 (id, for\\x0aum, title)")),
                 qPrintable(oneLine));
        const QString open = write(QStringLiteral("open.csv"), "id,forum_name,title,content\n1,f,\"never closed,x\n");
        QVERIFY(failure({open, {}, false, {}, {}}).contains(QStringLiteral("line 2: a quoted field is never closed")));
        QVERIFY(failure({m_dir.filePath(QStringLiteral("missing.jsonl")), {}, false, {}, {}}).contains(QStringLiteral("no such file")));
        const QString fifo = m_dir.filePath(QStringLiteral("fifo.jsonl"));
        QCOMPARE(mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        QVERIFY(failure({fifo, {}, false, {}, {}}).contains(QStringLiteral("not a regular file"))); // and returns at once
        // A vector for a row that is not there: the server refuses it, and the content goes too.
        const QString orphan = write(QStringLiteral("orphan.jsonl"), "{\"topic_id\": 9, \"forum_name\": \"f\", \"vector\": [1, 0, 0]}\n");
        const QString message = failure({good, orphan, false, {}, {}});
        QVERIFY2(!message.isEmpty() && !message.startsWith(QStringLiteral("HALF")), qPrintable(message));
        QCOMPARE(count(QStringLiteral("topics")), 0);
        // the vector row drew its id from topic_vectors' sequence, which the rollback leaves moved: said
        QVERIFY2(message.contains(QLatin1String("sequences are not rolled back: one moved"))
                     && message.contains(QLatin1String("topic_vectors_id_seq from none to 1")),
                 qPrintable(message));
    }

    void dryRunWritesNothingThenTheImportLoadsCsvAsMeant()
    {
        const QString csv = write(QStringLiteral("topics.csv"),
                                  "\xef\xbb\xbfid,forum_name,title,content,metadata\r\n"
                                  "1,Visas,\"Exit permit, again\",\"line one\r\nline \"\"two\"\"\",\"{\"\"k\"\": 1}\"\r\n"
                                  "2,Visas,Plain,words,\r\n"
                                  "3,Cars,Quoted empty,\"\",\r\n");
        const QString vectors = write(QStringLiteral("vectors.csv"),
                                      "topic_id,forum_name,vector\n1,Visas,\"[1,0,0]\"\n3,Cars,\"[0,1,0]\"\n");
        auto dry = importCorpus(*m_conn, m_pair, {csv, vectors, true, {}, {}});
        VERIFY_OK(dry);
        QVERIFY(dry.value().dryRun);
        QCOMPARE(dry.value().contentRows, 3);
        QCOMPARE(dry.value().vectorRows, 2);
        QCOMPARE(count(QStringLiteral("topics")), 0);

        QList<qint64> progress;
        auto done = importCorpus(*m_conn, m_pair, {csv, vectors, false, [&progress](qint64 rows) { progress << rows; }, {}});
        VERIFY_OK(done);
        QCOMPARE(done.value().contentRows, 3);
        QCOMPARE(done.value().vectorRows, 2);
        QCOMPARE(progress.last(), 5); // content rows, then vector rows, counted on
        auto row = m_conn->exec(QStringLiteral("SELECT title, content, metadata->>'k', metadata IS NULL FROM topics ORDER BY id"));
        VERIFY_OK(row);
        QCOMPARE(row.value().value(0, 0), QStringLiteral("Exit permit, again"));
        QCOMPARE(row.value().value(0, 1), QStringLiteral("line one\r\nline \"two\""));
        QCOMPARE(row.value().value(0, 2), QStringLiteral("1"));
        QCOMPARE(row.value().value(1, 3), QStringLiteral("t"));        // empty and unquoted: NULL
        QCOMPARE(row.value().value(2, 1), QString(QLatin1String(""))); // quoted empty: an empty text
        QCOMPARE(row.value().value(0, 3), QStringLiteral("f"));

        // Again: every id is taken now, said before anything is sent.
        const QString message = failure({csv, {}, false, {}, {}});
        QVERIFY2(message.contains(QStringLiteral("topics.csv line 2: id 1 is in")), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestCorpusImport)
#include "tst_corpusimport.moc"
