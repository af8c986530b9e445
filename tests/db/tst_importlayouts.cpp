// tests/db/tst_importlayouts.cpp — `vwb import` into the layouts other tools make
// (tests/data/layouts): keys of each table's own type (uuid in any spelling, text, composite),
// the reference design's field names finding each table's columns, vectors inline or in their
// own table, and every bad key or vector named by its line with nothing written.
#include "../support/CliRun.h"
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include <QJsonArray>
#include <QTemporaryDir>

using namespace vwb;

namespace {
/// A JSON vector of `n` numbers, `seed` making it differ from others.
QByteArray vec(int n, int seed = 1)
{
    QStringList v;
    for (int i = 0; i < n; ++i)
        v << QString::number((i * 7 + seed) % 11 + 1);
    return ("[" + v.join(QLatin1Char(',')) + "]").toUtf8();
}
} // namespace

class TestImportLayouts : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::unique_ptr<PgConnection> m_conn;
    QString m_url;
    int m_files = 0;

    QString file(const QByteArray &text, const char *suffix = ".jsonl")
    {
        QFile f(m_dir.filePath(QStringLiteral("f%1").arg(++m_files) + QLatin1String(suffix)));
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(f.fileName()));
        return f.fileName();
    }
    test::CliRun import(const QString &table, const QStringList &more)
    {
        return test::runVwb(QStringList{QStringLiteral("import"), QStringLiteral("--table"), table, QStringLiteral("--json")} + more,
                            m_url);
    }
    QString one(const QString &sql)
    {
        auto r = m_conn->exec(sql);
        if (!r.ok())
            qFatal("%s: %s", qPrintable(sql), qPrintable(r.error().message));
        return r.value().scalar();
    }
    /// Fails the import and returns its message, checking that `table` kept its rows and vectors.
    QString refused(const QString &table, const QString &fingerprint, const QStringList &more)
    {
        const QString before = one(fingerprint);
        const test::CliRun r = import(table, more);
        if (r.code == 0)
            return QStringLiteral("IMPORTED: ") + r.out;
        const QJsonObject error = r.json.value(QStringLiteral("error")).toObject();
        const QString said = error.isEmpty() ? r.err + r.out
                                             : error.value(QStringLiteral("message")).toString() + QLatin1Char(' ')
                                                   + error.value(QStringLiteral("detail")).toString();
        return one(fingerprint) == before ? said : QStringLiteral("CHANGED: ") + said;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (const auto &[layout, schema] : {std::pair{"uuid_inline", "imp_uuid"},
                                             {"composite", "imp_comp"},
                                             {"langchain", "imp_lc"},
                                             {"text_pair", "imp_text"},
                                             {"two_columns", "imp_two"},
                                             {"pgai", "imp_pgai"},
                                             {"reference", "imp_ref"},
                                             {"composite_pair", "imp_cpair"}}) {
            test::resetSchema(QLatin1String(schema), test::layoutSql(QLatin1String(layout), QLatin1String(schema)));
        }
        m_conn = test::connect();
        m_url = toDatabaseUrl(test::clusterProfile().params, true);
    }
    void cleanupTestCase()
    {
        m_conn.reset();
        for (const char *schema : {"imp_uuid", "imp_comp", "imp_lc", "imp_text", "imp_two", "imp_pgai", "imp_ref", "imp_cpair"})
            test::dropSchema(QLatin1String(schema));
    }

    void uuidKeysInAnySpellingLandAsTheServerWritesThem()
    {
        const QString table = QStringLiteral("imp_uuid.notes");
        const QString rows = file(
            "{\"id\": \"{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}\", \"forum_name\": \"cats\", \"content\": \"purring\", "
            "\"metadata\": {\"k\": 1}, \"vector\": "
            + vec(16)
            + ", \"colour\": \"red\"}\n"
              "{\"note_id\": \"a0eebc999c0b4ef8bb6d6bb9bd380a12\", \"category\": \"dogs\", \"body\": \"barking\"}\n");
        test::CliRun r = import(table, {QStringLiteral("--content"), rows});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(r.json.value(QStringLiteral("content_rows")).toInt(), 2);
        QCOMPARE(r.json.value(QStringLiteral("ignored_fields")).toArray(), QJsonArray{QStringLiteral("colour")});
        QCOMPARE(
            one(QStringLiteral("SELECT string_agg(note_id::text || ' ' || category || ' ' || body || ' ' || coalesce(tags->>'k', '-') "
                               "|| ' ' || (embedding IS NOT NULL), ', ' ORDER BY note_id) FROM imp_uuid.notes")),
            QStringLiteral("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 cats purring 1 true, "
                           "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12 dogs barking - false"));

        // Vectors alone fill rows already there, found by their key in another spelling.
        r = import(table, {QStringLiteral("--vectors"),
                           file("{\"note_id\": \"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12\", \"vector\": " + vec(16, 3) + "}\n")});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(r.json.value(QStringLiteral("vector_rows")).toInt(), 1);
        QCOMPARE(one(QStringLiteral("SELECT count(embedding) FROM imp_uuid.notes")), QStringLiteral("2"));

        // A vector for no row: named by its line, and the good one before it is not written either.
        const QString fingerprint = QStringLiteral("SELECT string_agg(embedding::text, ';' ORDER BY note_id) FROM imp_uuid.notes");
        QString message = refused(table, fingerprint,
                                  {QStringLiteral("--vectors"),
                                   file("{\"id\": \"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\", \"vector\": " + vec(16, 5)
                                        + "}\n{\"id\": \"00000000-0000-0000-0000-000000000001\", \"vector\": " + vec(16) + "}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 2: no row of imp_uuid.notes has the key 00000000-0000-0000-0000-000000000001")),
                 qPrintable(message));
        const QString count = QStringLiteral("SELECT count(*) FROM imp_uuid.notes");
        message = refused(table, count,
                          {QStringLiteral("--content"), file("{\"id\": \"not-a-uuid\", \"body\": \"x\", \"category\": \"c\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 1: id: \"not-a-uuid\" is not a uuid")), qPrintable(message));
        message = refused(table, count, {QStringLiteral("--content"), rows});
        QVERIFY2(message.contains(QStringLiteral("line 1: id a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11 is in imp_uuid.notes already")),
                 qPrintable(message));
        message = refused(table, count,
                          {QStringLiteral("--content"),
                           file("{\"id\": \"B0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A13\", \"body\": \"x\", \"category\": \"c\"}\n"
                                "{\"id\": \"{b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13}\", \"body\": \"y\", \"category\": \"c\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 2: id b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a13 is also on line 1")),
                 qPrintable(message));
        message = refused(table, count,
                          {QStringLiteral("--content"), file("{\"id\": \"b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a14\", \"body\": "
                                                             "\"x\", \"category\": \"c\", \"vector\": [1, 2]}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 1: the vector has 2 dimensions but imp_uuid.notes has 16")), qPrintable(message));
        // A number JSON holds but a float does not: named before anything is sent, not left to the server's COPY.
        message = refused(table, count,
                          {QStringLiteral("--content"), file("{\"id\": \"b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a15\", \"body\": \"x\", "
                                                             "\"category\": \"c\", \"vector\": [0, 1e39"
                                                             + QByteArray(", 0").repeated(14) + "]}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 1: value 2 of the vector (1e+39) is larger than a vector holds")),
                 qPrintable(message));
    }

    void compositeKeysTakeEveryPartByName()
    {
        const QString table = QStringLiteral("imp_comp.passages");
        const QString count = QStringLiteral("SELECT count(*) FROM imp_comp.passages");
        const QString content = file("{\"doc\": \"d1\", \"seq\": 1, \"content\": \"first\", \"vector\": " + vec(16)
                                     + "}\n"
                                       "{\"doc\": \"d1\", \"seq\": \"2\", \"passage\": \"second\"}\n");
        // Vectors beside the content of an inline table go into the same rows.
        test::CliRun r = import(table, {QStringLiteral("--content"), content, QStringLiteral("--vectors"),
                                        file("{\"doc\": \"d1\", \"seq\": 2, \"vector\": " + vec(16, 2) + "}\n")});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(one(QStringLiteral("SELECT string_agg(doc || seq || passage || (embedding IS NOT NULL), ',' ORDER BY seq) FROM "
                                    "imp_comp.passages")),
                 QStringLiteral("d11firsttrue,d12secondtrue"));

        QString message = refused(table, count, {QStringLiteral("--content"), file("{\"doc\": \"d2\", \"passage\": \"x\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 1: no seq")), qPrintable(message));
        message = refused(table, count, {QStringLiteral("--content"), file("{\"doc\": \"d2\", \"seq\": 1.5, \"passage\": \"x\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 1: seq: 1.5 is not a whole number")), qPrintable(message));
        message = refused(table, count, {QStringLiteral("--content"), file("{\"doc\": \"d2\", \"seq\": \"two\", \"passage\": \"x\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 1: seq: \"two\" is not a whole number that fits int4")), qPrintable(message));
        message = refused(table, count,
                          {QStringLiteral("--content"), file("{\"doc\": \"d2\", \"seq\": 3000000000, \"passage\": \"x\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("fits int4")), qPrintable(message));
        message = refused(table, count,
                          {QStringLiteral("--content"), file("{\"doc\": \"d2\", \"seq\": 1, \"passage\": \"x\"}\n"
                                                             "{\"doc\": \"d2\", \"seq\": \"1\", \"passage\": \"y\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 2: id [\"d2\",\"1\"] is also on line 1")), qPrintable(message));
        message = refused(table, count,
                          {QStringLiteral("--content"), file("{\"doc\": \"d3\", \"seq\": 1, \"passage\": \"x\"}\n"),
                           QStringLiteral("--vectors"), file("{\"doc\": \"d3\", \"seq\": 9, \"vector\": " + vec(16) + "}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 1: no row with the key [\"d3\",\"9\"]")), qPrintable(message));
        message = refused(table, count, {QStringLiteral("--content"), file("{\"doc\": \"d1\", \"seq\": 2, \"passage\": \"again\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("id [\"d1\",\"2\"] is in imp_comp.passages already")), qPrintable(message));
    }

    void aPairKeyedByTwoColumnsTakesBothParts()
    {
        const QString table = QStringLiteral("imp_cpair.docs");
        const test::CliRun r = import(table, {QStringLiteral("--content"),
                                              file("{\"tenant\": \"a\", \"id\": 1, \"content\": \"one\"}\n"
                                                   "{\"tenant\": \"b\", \"id\": 1, \"content\": \"other\"}\n"),
                                              QStringLiteral("--vectors"),
                                              file("{\"tenant\": \"b\", \"doc_id\": \"1\", \"vector\": " + vec(16) + "}\n")});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(one(QStringLiteral("SELECT string_agg(tenant || doc_id, ',') FROM imp_cpair.doc_vectors")), QStringLiteral("b1"));
        const QString message = refused(table, QStringLiteral("SELECT count(*) FROM imp_cpair.doc_vectors"),
                                        {QStringLiteral("--vectors"), file("{\"tenant\": \"a\", \"vector\": " + vec(16) + "}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 1: no doc_id")), qPrintable(message));
    }

    void otherToolsColumnsAreFoundByTheReferenceNames()
    {
        // LangChain: document, cmetadata and embedding; forum_name names the collection the row joins.
        const QString lc = QStringLiteral("imp_lc.langchain_pg_embedding");
        (void)one(QStringLiteral("INSERT INTO imp_lc.langchain_pg_collection VALUES (gen_random_uuid(), 'alpha', '{}') RETURNING name"));
        test::CliRun r = import(
            lc, {QStringLiteral("--content"), file("{\"id\": \"doc-1\", \"content\": \"words\", \"metadata\": {\"page\": 3}, "
                                                   "\"forum_name\": \"alpha\", \"vector\": "
                                                   + vec(16) + ", \"score\": 1}\n")});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(r.json.value(QStringLiteral("ignored_fields")).toArray(), QJsonArray{QStringLiteral("score")});
        QCOMPARE(one(QStringLiteral("SELECT e.id || document || (e.cmetadata->>'page') || (embedding IS NOT NULL) || c.name FROM "
                                    "imp_lc.langchain_pg_embedding e JOIN imp_lc.langchain_pg_collection c ON c.uuid = e.collection_id")),
                 QStringLiteral("doc-1words3truealpha"));
        const QString message = refused(
            lc, QStringLiteral("SELECT count(*) FROM imp_lc.langchain_pg_embedding"),
            {QStringLiteral("--content"), file("{\"id\": \"doc-2\", \"content\": \"w\", \"forum_name\": \"alpha\"}\n"
                                               "{\"id\": \"doc-3\", \"content\": \"w\", \"forum_name\": \"gamma\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 2: langchain_pg_collection has no name \"gamma\"")), qPrintable(message));
        // A text-keyed pair: heading and contents by the reference names, vectors by the foreign key or topic_id.
        r = import(
            QStringLiteral("imp_text.docs"),
            {QStringLiteral("--content"),
             file("{\"id\": \"intro\", \"title\": \"Intro\", \"content\": \"hello\"}\n{\"slug\": \" outro\", \"heading\": \"Outro\", "
                  "\"contents\": \"bye\"}\n"),
             QStringLiteral("--vectors"),
             file("{\"doc_slug\": \"intro\", \"vector\": " + vec(16) + "}\n{\"topic_id\": \" outro\", \"vector\": " + vec(16, 4)
                  + "}\n")});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(r.json.value(QStringLiteral("vector_rows")).toInt(), 2);
        QCOMPARE(
            one(QStringLiteral("SELECT string_agg('<' || d.slug || '>' || heading || contents, ',' ORDER BY slug) FROM imp_text.docs d "
                               "JOIN imp_text.doc_vectors v ON v.doc_slug = d.slug")),
            QStringLiteral("< outro>Outrobye,<intro>Introhello"));
    }

    void theVectorColumnIsChosenAndChecked()
    {
        const QString table = QStringLiteral("imp_two.papers");
        test::CliRun r = import(table, {QStringLiteral("--content"), file("{\"id\": 10, \"content\": \"abstract\"}\n")});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        r = import(table, {QStringLiteral("--column"), QStringLiteral("emb_large"), QStringLiteral("--vectors"),
                           file("{\"id\": \"10\", \"vector\": " + vec(24) + "}\n")});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(r.json.value(QStringLiteral("vector_column")).toString(), QStringLiteral("emb_large"));
        QCOMPARE(one(QStringLiteral("SELECT (emb_small IS NULL) || ',' || vector_dims(emb_large::vector) FROM imp_two.papers")),
                 QStringLiteral("true,24"));

        const QString count = QStringLiteral("SELECT count(*) || ',' || count(emb_small) FROM imp_two.papers");
        const QString eight = file("{\"id\": 10, \"vector\": " + vec(8) + "}\n");
        QString message = refused(table, count,
                                  {QStringLiteral("--column"), QStringLiteral("emb_large"), QStringLiteral("--vectors"), eight});
        QVERIFY2(message.contains(QStringLiteral("line 1: the vector has 8 dimensions but imp_two.papers has 24")), qPrintable(message));
        message = refused(table, count, {QStringLiteral("--column"), QStringLiteral("emb_bits"), QStringLiteral("--vectors"), eight});
        QVERIFY2(message.contains(QStringLiteral("imp_two.papers.emb_bits is a bit column")), qPrintable(message));
        message = refused(table, count, {QStringLiteral("--column"), QStringLiteral("nope"), QStringLiteral("--vectors"), eight});
        QVERIFY2(message.contains(QStringLiteral("imp_two.papers has no vector column \"nope\"")), qPrintable(message));
        message = refused(table, count, {QStringLiteral("--content"), file("{\"id\": 1e20, \"content\": \"x\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 1: id: 1e+20 is not a whole number a key can hold exactly")), qPrintable(message));
        message = refused(table, count, {QStringLiteral("--content"), file("{\"id\": \"12x\", \"content\": \"x\"}\n")});
        QVERIFY2(message.contains(QStringLiteral("line 1: id: \"12x\" is not a whole number that fits int8")), qPrintable(message));
    }

    void chunkStoresAreLeftToTheirOwner()
    {
        const QString message = refused(QStringLiteral("imp_pgai.articles"),
                                        QStringLiteral("SELECT count(*) FROM imp_pgai.articles_embedding_store"),
                                        {QStringLiteral("--vectors"), file("{\"id\": 1, \"vector\": " + vec(16) + "}\n")});
        QVERIFY2(message.contains(QStringLiteral("pgai's vectorizer embeds imp_pgai.articles's rows itself")), qPrintable(message));
        const test::CliRun r = import(QStringLiteral("imp_pgai.articles"),
                                      {QStringLiteral("--content"), file("{\"id\": 1, \"title\": \"T\", \"content\": \"the body\"}\n")});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(one(QStringLiteral("SELECT title || body FROM imp_pgai.articles")), QStringLiteral("Tthe body"));
    }

    void aFailedImportLeavesTheSequenceAlone()
    {
        const QString table = QStringLiteral("imp_ref.topics");
        const QString sequence = QStringLiteral("SELECT last_value || is_called::text FROM imp_ref.topics_id_seq");
        const QString content = file(
            "{\"id\": 41, \"forum_name\": \"f\", \"content\": \"x\"}\n{\"id\": 42, \"forum_name\": \"f\", \"content\": \"y\"}\n");
        const QString message = refused(table, sequence,
                                        {QStringLiteral("--content"), content, QStringLiteral("--vectors"),
                                         file("{\"topic_id\": 41, \"forum_name\": \"f\", \"vector\": " + vec(16)
                                              + "}\n{\"topic_id\": 99, \"forum_name\": \"f\", \"vector\": " + vec(16) + "}\n")});
        QVERIFY2(message.contains(QStringLiteral("topic_vectors")), qPrintable(message)); // the server's foreign key error, with context
        QCOMPARE(one(QStringLiteral("SELECT count(*) FROM imp_ref.topics")), QStringLiteral("0"));
        const test::CliRun r = import(table, {QStringLiteral("--content"), content});
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QCOMPARE(one(sequence), QStringLiteral("42true")); // the next id the application takes is 43
        // A vector row's own id is left to the vector table's sequence.
        const test::CliRun v = import(
            table,
            {QStringLiteral("--vectors"), file("{\"id\": 777, \"topic_id\": 42, \"forum_name\": \"f\", \"vector\": " + vec(16) + "}\n")});
        QVERIFY2(v.code == 0, qPrintable(v.err + v.out));
        QCOMPARE(one(QStringLiteral("SELECT topic_id || ',' || (id <> 777) FROM imp_ref.topic_vectors")), QStringLiteral("42,true"));
    }
};

QTEST_GUILESS_MAIN(TestImportLayouts)
#include "tst_importlayouts.moc"
