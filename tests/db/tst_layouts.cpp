// tests/db/tst_layouts.cpp — the pgvector layouts other tools make (tests/data/layouts), each in
// its own schema of one database: discovered and named, paged by keyset through `vwb topics`
// with no gap, searched by row (true nearest neighbours) and by text through `vwb search`, similar
// rows, recall and health through the core, backfilled where the workbench may write.
#include "../support/CliRun.h"
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include "connection/SqlLiterals.h"
#include "embeddings/LexicalHashingProvider.h"
#include "maintenance/HealthCheck.h"
#include "schema/KnownLayouts.h"
#include "search/RecallCheck.h"
#include "search/SimilarRows.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace vwb;

namespace {
constexpr int Rows = 60;
const QString Database = QStringLiteral("vwb_layouts");

/// A text of four words for row g, from a vocabulary of 40: few rows share all four.
QString textFor(int g)
{
    static const QStringList words{"sourdough", "telescope", "harbour",  "violin",    "glacier",  "compiler", "orchard",    "lantern",
                                   "falcon",    "quartz",    "meadow",   "cathedral", "bicycle",  "saffron",  "tundra",     "beacon",
                                   "walnut",    "origami",   "plankton", "mosaic",    "thunder",  "canyon",   "espresso",   "ledger",
                                   "nebula",    "pottery",   "kayak",    "cinnamon",  "vulture",  "granite",  "lighthouse", "marble",
                                   "puzzle",    "raven",     "sapphire", "turbine",   "umbrella", "vineyard", "wombat",     "zeppelin"};
    return QStringList{words.at((g * 7) % 40), words.at((g * 13 + 3) % 40), words.at((g * 17 + 5) % 40), words.at((g * 29 + 11) % 40)}
        .join(QLatin1Char(' '));
}

QString vectorLiteral(const QString &text, int dimensions)
{
    auto v = LexicalHashingProvider(dimensions).embedOne(text);
    QByteArray out;
    appendVectorLiteral(out, v.value());
    return QString::fromUtf8(out);
}

using Run = test::CliRun;

/// A table under test: where its rows are, how its key reads as text, how to find the true
/// neighbours of a row by SQL of its own.
struct Fixture
{
    QString table;   // as --table takes it
    QString layout;  // ContentPair::layout
    QString keyText; // SQL: the key as RowKey text, over the content table `c`
    QString order;   // SQL: ORDER BY of the key, over `c`
    QString textSql; // SQL: the row's text, over `c`
    /// SQL with $1 = a key: (key text, distance) of the 6 nearest other rows, nearest first (the
    /// sixth tells whether the fifth is tied).
    QString truth;
    bool indexed = false; // an ANN index serves the searched column
};
} // namespace

class TestLayouts : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void eachLayoutIsDiscoveredAndNamed();
    void pagesChainWithNoGapOrRepeat_data();
    void pagesChainWithNoGapOrRepeat();
    void searchLikeARowReturnsItsTrueNeighbours_data();
    void searchLikeARowReturnsItsTrueNeighbours();
    void searchByTextFindsTheRow_data();
    void searchByTextFindsTheRow();
    void similarRecallAndHealthRunOnEveryLayout();
    void filtersUseEachLayoutsOwnColumn();
    void chunkStoresAndBitColumnsAreNotBackfilled();
    void compositeKeysAreBackfilledInKeyOrder();
    void keysOfTheWrongShapeAreRefused();
    void chosenColumnsApplyToEveryCommand();
    void ordinaryTablesAreNotMisread();

private:
    Run vwb(const QStringList &args) const;
    QStringList column(const QString &sql, const QVariantList &params = {}) const;
    QList<Fixture> fixtures() const;
    Fixture fixture(const QString &table) const;
    DatabaseSchema schema() const;

    ConnectionProfile m_profile;
    std::unique_ptr<PgConnection> m_conn;
    QTemporaryDir m_home;
};

Run TestLayouts::vwb(const QStringList &args) const
{
    return test::runVwb(args, toDatabaseUrl(m_profile.params, true),
                        {{QStringLiteral("XDG_CONFIG_HOME"), m_home.path()},
                         {QStringLiteral("VWB_EMBEDDING_SOURCES"), m_home.path() + QStringLiteral("/sources.sqlite")}});
}

QStringList TestLayouts::column(const QString &sql, const QVariantList &params) const
{
    auto r = m_conn->exec(sql, params);
    if (!r.ok())
        qFatal("%s: %s", qPrintable(sql), qPrintable(r.error().message));
    QStringList out;
    for (const QStringList &row : r.value().rows)
        out << row.first();
    return out;
}

DatabaseSchema TestLayouts::schema() const
{
    auto s = discoverSchema(*m_conn);
    if (!s.ok())
        qFatal("discovery failed: %s", qPrintable(s.error().message));
    return s.value();
}

/// A key from `vwb` JSON as RowKey text: numbers and strings as they read, arrays as compact JSON.
static QString keyText(const QJsonValue &v)
{
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    return v.isDouble() ? QString::number(v.toInteger()) : v.toString();
}

QList<Fixture> TestLayouts::fixtures() const
{
    // Inline tables: the nearest other rows by the column; pairs: through the vector table.
    auto inlineTruth = [](const QString &table, const QString &key, const QString &column) {
        return QStringLiteral("SELECT %2, c.%3 <=> (SELECT x.%3 FROM %1 x WHERE %4 = $1) AS d FROM %1 c "
                              "WHERE c.%3 IS NOT NULL AND %2 <> $1 ORDER BY d, 1 LIMIT 6")
            .arg(table, key, column, QString(key).replace(QStringLiteral("c."), QStringLiteral("x.")));
    };
    return {
        {QStringLiteral("lay_ref.topics"), QStringLiteral("reference"), QStringLiteral("c.id::text"), QStringLiteral("c.id"),
         QStringLiteral("c.content"),
         QStringLiteral("SELECT v.topic_id::text, v.vector <=> (SELECT vector FROM lay_ref.topic_vectors WHERE topic_id::text = $1) AS d "
                        "FROM lay_ref.topic_vectors v WHERE v.topic_id::text <> $1 ORDER BY d, 1 LIMIT 6"),
         true},
        {QStringLiteral("lay_lc.langchain_pg_embedding"), QStringLiteral("langchain"), QStringLiteral("c.id::text"),
         QStringLiteral("c.id"), QStringLiteral("c.document"),
         inlineTruth(QStringLiteral("lay_lc.langchain_pg_embedding"), QStringLiteral("c.id::text"), QStringLiteral("embedding")), false},
        {QStringLiteral("lay_li.data_docs"), QStringLiteral("llamaindex"), QStringLiteral("c.id::text"), QStringLiteral("c.id"),
         QStringLiteral("c.text"),
         inlineTruth(QStringLiteral("lay_li.data_docs"), QStringLiteral("c.id::text"), QStringLiteral("embedding")), true},
        {QStringLiteral("lay_pgai.articles"), QStringLiteral("pgai"), QStringLiteral("c.id::text"), QStringLiteral("c.id"),
         QStringLiteral("c.body"),
         // A row's vector is its first chunk's; a neighbour is as near as its nearest chunk.
         QStringLiteral(
             "SELECT s.id::text, min(s.embedding <=> (SELECT embedding FROM lay_pgai.articles_embedding_store WHERE id::text = $1 "
             "ORDER BY chunk_seq LIMIT 1)) AS d FROM lay_pgai.articles_embedding_store s WHERE s.id::text <> $1 "
             "GROUP BY s.id ORDER BY d, 1 LIMIT 6"),
         false},
        {QStringLiteral("lay_uuid.notes"), QStringLiteral("inline"), QStringLiteral("c.note_id::text"), QStringLiteral("c.note_id"),
         QStringLiteral("c.body"),
         inlineTruth(QStringLiteral("lay_uuid.notes"), QStringLiteral("c.note_id::text"), QStringLiteral("embedding")), false},
        {QStringLiteral("lay_text.docs"), QStringLiteral("paired"), QStringLiteral("c.slug"), QStringLiteral("c.slug"),
         QStringLiteral("c.contents"),
         QStringLiteral("SELECT v.doc_slug, v.embedding <=> (SELECT embedding FROM lay_text.doc_vectors WHERE doc_slug = $1) AS d "
                        "FROM lay_text.doc_vectors v WHERE v.doc_slug <> $1 AND v.embedding IS NOT NULL ORDER BY d, 1 LIMIT 6"),
         false},
        {QStringLiteral("lay_two.papers"), QStringLiteral("inline"), QStringLiteral("c.id::text"), QStringLiteral("c.id"),
         QStringLiteral("c.abstract"),
         inlineTruth(QStringLiteral("lay_two.papers"), QStringLiteral("c.id::text"), QStringLiteral("emb_small")), false},
        {QStringLiteral("lay_comp.passages"), QStringLiteral("inline"),
         QStringLiteral("concat('[', to_json(c.doc::text)::text, ',', to_json(c.seq::text)::text, ']')"), QStringLiteral("c.doc, c.seq"),
         QStringLiteral("c.passage"),
         inlineTruth(QStringLiteral("lay_comp.passages"),
                     QStringLiteral("concat('[', to_json(c.doc::text)::text, ',', to_json(c.seq::text)::text, ']')"),
                     QStringLiteral("embedding")),
         false},
        {QStringLiteral("lay_cpair.docs"), QStringLiteral("paired"),
         QStringLiteral("concat('[', to_json(c.tenant::text)::text, ',', to_json(c.id::text)::text, ']')"),
         QStringLiteral("c.tenant, c.id"), QStringLiteral("c.body"),
         QStringLiteral(
             "WITH k AS (SELECT concat('[', to_json(v.tenant::text)::text, ',', to_json(v.doc_id::text)::text, ']') AS key, "
             "v.embedding FROM lay_cpair.doc_vectors v) "
             "SELECT key, embedding <=> (SELECT embedding FROM k WHERE key = $1) AS d FROM k WHERE key <> $1 ORDER BY d, 1 LIMIT 6"),
         false},
    };
}

Fixture TestLayouts::fixture(const QString &table) const
{
    for (const Fixture &f : fixtures())
        if (f.table == table)
            return f;
    qFatal("no fixture %s", qPrintable(table));
}

void TestLayouts::initTestCase()
{
    QVERIFY(m_home.isValid());
    m_profile = test::freshDatabase(Database);
    m_conn = test::connect(m_profile);
    VERIFY_OK(m_conn->execScript(QStringLiteral("CREATE EXTENSION vector")));
    for (const auto &[file, schema] : {std::pair{"reference", "lay_ref"},
                                       {"langchain", "lay_lc"},
                                       {"llamaindex", "lay_li"},
                                       {"pgai", "lay_pgai"},
                                       {"uuid_inline", "lay_uuid"},
                                       {"text_pair", "lay_text"},
                                       {"two_columns", "lay_two"},
                                       {"composite", "lay_comp"},
                                       {"composite_pair", "lay_cpair"}}) {
        VERIFY_OK(m_conn->execScript(QStringLiteral("CREATE SCHEMA %1; %2")
                                         .arg(QLatin1String(schema), test::layoutSql(QLatin1String(file), QLatin1String(schema)))));
    }
    // Rows: the same 60 texts in every layout, keys of each layout's own kind.
    QStringList inserts;
    for (int g = 1; g <= Rows; ++g) {
        const QString t = textFor(g);
        inserts
            << QStringLiteral("INSERT INTO lay_ref.topics (forum_name, title, content) VALUES ('%1', 'Topic %2', '%3');")
                   .arg(g % 3 ? QStringLiteral("Baking") : QStringLiteral("Astronomy"))
                   .arg(g)
                   .arg(t)
            << QStringLiteral("INSERT INTO lay_lc.langchain_pg_embedding (id, collection_id, document, cmetadata) SELECT md5('%1'), uuid, "
                              "'%2', '{\"g\": %1}' FROM lay_lc.langchain_pg_collection WHERE name = '%3';")
                   .arg(g)
                   .arg(t, g % 2 ? QStringLiteral("alpha") : QStringLiteral("beta"))
            << QStringLiteral("INSERT INTO lay_li.data_docs (text, metadata_, node_id) VALUES ('%1', '{\"doc\": %2}', 'node-%2');")
                   .arg(t)
                   .arg(g)
            << QStringLiteral("INSERT INTO lay_pgai.articles VALUES (%1, 'Article %2', '%3');").arg(g * 3).arg(g).arg(t)
            << QStringLiteral("INSERT INTO lay_uuid.notes (category, body, tags) VALUES ('cat%1', '%2', '[\"t%1\"]');").arg(g % 4).arg(t)
            << QStringLiteral("INSERT INTO lay_text.docs VALUES ('doc-%1', 'Heading %1', '%2');").arg(g).arg(t)
            << QStringLiteral("INSERT INTO lay_two.papers (id, abstract) VALUES (%1, '%2');").arg(g * 10).arg(t)
            << QStringLiteral("INSERT INTO lay_cpair.docs VALUES ('t%1', %2, '%3');").arg(g % 3).arg(g).arg(t)
            << QStringLiteral("INSERT INTO lay_comp.passages VALUES ('d%1', %2, '%3', '%4');")
                   .arg(g % 5)
                   .arg(g)
                   .arg(t, vectorLiteral(t, 16));
        // pgai's chunks: an even article in two halves, an odd one whole; the owner (here, the
        // test) embeds them.
        const QStringList words = t.split(QLatin1Char(' '));
        const QStringList chunks = g % 2 ? QStringList{t}
                                         : QStringList{words.mid(0, 2).join(QLatin1Char(' ')), words.mid(2).join(QLatin1Char(' '))};
        for (int seq = 0; seq < chunks.size(); ++seq)
            inserts << QStringLiteral(
                           "INSERT INTO lay_pgai.articles_embedding_store (id, chunk_seq, chunk, embedding) VALUES (%1, %2, '%3', '%4');")
                           .arg(g * 3)
                           .arg(seq)
                           .arg(chunks.at(seq), vectorLiteral(chunks.at(seq), 16));
    }
    VERIFY_OK(m_conn->execScript(QStringLiteral("INSERT INTO lay_lc.langchain_pg_collection VALUES (gen_random_uuid(), 'alpha', '{}'), "
                                                "(gen_random_uuid(), 'beta', '{}');")
                                 + inserts.join(QString())));
    // The rest are filled the way a user would: vwb backfill, on each layout it may write.
    for (const QStringList &args :
         {QStringList{"--table", "lay_ref.topics"}, QStringList{"--table", "lay_lc.langchain_pg_embedding"},
          QStringList{"--table", "lay_li.data_docs"}, QStringList{"--table", "lay_uuid.notes"}, QStringList{"--table", "lay_text.docs"},
          QStringList{"--table", "lay_cpair.docs"}, QStringList{"--table", "lay_two.papers", "--column", "emb_small"},
          QStringList{"--table", "lay_two.papers", "--column", "emb_large"}}) {
        const Run r = vwb(QStringList{QStringLiteral("backfill"), QStringLiteral("--provider"), QStringLiteral("lexical")} + args);
        QVERIFY2(r.code == 0, qPrintable(args.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err + r.out));
    }
    QCOMPARE(column(QStringLiteral("SELECT count(*) FROM lay_ref.topic_vectors")).first().toInt(), Rows);
    QCOMPARE(column(QStringLiteral("SELECT count(embedding) FROM lay_lc.langchain_pg_embedding")).first().toInt(), Rows);
    QCOMPARE(column(QStringLiteral("SELECT count(*) FROM lay_text.doc_vectors")).first().toInt(), Rows);
    QCOMPARE(column(QStringLiteral("SELECT count(*) FROM lay_cpair.doc_vectors")).first().toInt(), Rows);
    QCOMPARE(column(QStringLiteral("SELECT count(emb_large) FROM lay_two.papers")).first().toInt(), Rows);
}

void TestLayouts::cleanupTestCase()
{
    m_conn.reset();
    (void)test::dropDatabase(Database);
}

void TestLayouts::eachLayoutIsDiscoveredAndNamed()
{
    const DatabaseSchema s = schema();
    struct Expected
    {
        const char *table, *layout, *key, *text, *title, *metadata, *filter;
    };
    for (const Expected &e :
         {Expected{"lay_ref.topics", "reference", "id int8", "content", "title", "metadata", "forum_name"},
          Expected{"lay_lc.langchain_pg_embedding", "langchain", "id varchar", "document", "", "cmetadata", "collection_id"},
          Expected{"lay_li.data_docs", "llamaindex", "id int8", "text", "", "metadata_", ""},
          Expected{"lay_pgai.articles", "pgai", "id int4", "body", "title", "", ""},
          Expected{"lay_uuid.notes", "inline", "note_id uuid", "body", "", "tags", "category"},
          Expected{"lay_text.docs", "paired", "slug text", "contents", "heading", "", ""},
          Expected{"lay_two.papers", "inline", "id int8", "abstract", "", "", ""},
          Expected{"lay_comp.passages", "inline", "(doc text, seq int4)", "passage", "", "", ""},
          Expected{"lay_cpair.docs", "paired", "(tenant text, id int4)", "body", "", "", ""}}) {
        const auto pair = s.find(QLatin1String(e.table));
        QVERIFY2(pair, e.table);
        QCOMPARE(pair->layout, QLatin1String(e.layout));
        QCOMPARE(pair->key.describe(), QLatin1String(e.key));
        QCOMPARE(pair->roles.text, QLatin1String(e.text));
        QCOMPARE(pair->roles.title, QLatin1String(e.title));
        QCOMPARE(pair->roles.metadata, QLatin1String(e.metadata));
        QCOMPARE(pair->roles.filter, QLatin1String(e.filter));
    }
    // LangChain's collection table labels rows (it is no content table of its own), through its name.
    const auto lc = s.find(QStringLiteral("lay_lc.langchain_pg_embedding"));
    QVERIFY(lc->isInline());
    QCOMPARE(lc->roles.lookup.table, QStringLiteral("langchain_pg_collection"));
    QCOMPARE(lc->roles.lookup.label, QStringLiteral("name"));
    QVERIFY(!s.find(QStringLiteral("lay_lc.langchain_pg_collection")));
    // pgai's store pairs with its source though no foreign key says so; the vectorizer owns it.
    const auto pgai = s.find(QStringLiteral("lay_pgai.articles_embedding_store"));
    QVERIFY(pgai);
    QCOMPARE(pgai->content.display(), QStringLiteral("lay_pgai.articles"));
    QVERIFY(pgai->ownerEmbeds);
    QVERIFY(!pgai->keyIsUnique);
    QVERIFY(layoutDescription(*pgai).contains(QLatin1String("pgai")));
    // Every vector column is listed, with its own type and dimensions.
    const auto two = s.find(QStringLiteral("lay_two.papers"));
    QCOMPARE(two->columns.size(), 3);
    QCOMPARE(two->columns.at(2).type, QStringLiteral("bit"));
    QCOMPARE(two->columns.at(1).type, QStringLiteral("halfvec"));
    QCOMPARE(two->columns.at(1).dimensions, 24);
    QVERIFY(two->columns.at(1).hasAnnIndex());
}

void TestLayouts::pagesChainWithNoGapOrRepeat_data()
{
    QTest::addColumn<QString>("table");
    for (const Fixture &f : fixtures())
        QTest::newRow(qPrintable(f.table)) << f.table;
}

void TestLayouts::pagesChainWithNoGapOrRepeat()
{
    QFETCH(QString, table);
    const Fixture f = fixture(table);
    const QStringList expected = column(QStringLiteral("SELECT %1 FROM %2 c ORDER BY %3").arg(f.keyText, f.table, f.order));
    QCOMPARE(expected.size(), Rows);
    QStringList seen;
    QString after;
    for (int page = 0; page < 20; ++page) {
        QStringList args{QStringLiteral("topics"),  QStringLiteral("--table"), table,
                         QStringLiteral("--limit"), QStringLiteral("7"),       QStringLiteral("--json")};
        if (!after.isEmpty())
            args << QStringLiteral("--after") << after;
        const Run r = vwb(args);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        for (const QJsonValue &row : r.json.value(QStringLiteral("rows")).toArray())
            seen << keyText(row.toObject().value(QStringLiteral("id")));
        if (!r.json.value(QStringLiteral("has_more")).toBool())
            break;
        after = keyText(r.json.value(QStringLiteral("next_after")));
    }
    QCOMPARE(seen, expected);
}

void TestLayouts::searchLikeARowReturnsItsTrueNeighbours_data()
{
    pagesChainWithNoGapOrRepeat_data();
}

void TestLayouts::searchLikeARowReturnsItsTrueNeighbours()
{
    QFETCH(QString, table);
    const Fixture f = fixture(table);
    const QStringList keys = column(QStringLiteral("SELECT %1 FROM %2 c ORDER BY %3").arg(f.keyText, f.table, f.order));
    for (const QString &key : {keys.first(), keys.at(Rows / 2), keys.last()}) {
        auto truth = m_conn->exec(f.truth, {key});
        VERIFY_OK(truth);
        QStringList args{QStringLiteral("search"),
                         QStringLiteral("--table"),
                         table,
                         QStringLiteral("--like-topic"),
                         key,
                         QStringLiteral("--exact"),
                         QStringLiteral("--limit"),
                         QStringLiteral("5"),
                         QStringLiteral("--json")};
        if (table == QLatin1String("lay_two.papers"))
            args << QStringLiteral("--column") << QStringLiteral("emb_small");
        const Run r = vwb(args);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonArray hits = r.json.value(QStringLiteral("results")).toArray();
        const QList<QStringList> &want = truth.value().rows;
        QCOMPARE(hits.size(), qMin(5, int(want.size())));
        for (int i = 0; i < hits.size(); ++i) {
            const QJsonObject hit = hits.at(i).toObject();
            const double distance = want.at(i).at(1).toDouble();
            QVERIFY2(qAbs(hit.value(QStringLiteral("distance")).toDouble() - distance) < 1e-5,
                     qPrintable(QStringLiteral("%1 like %2, rank %3").arg(table, key).arg(i + 1)));
            // Where the distance is not tied, the row is the same one.
            const bool tied = (i > 0 && qAbs(want.at(i - 1).at(1).toDouble() - distance) < 1e-6)
                              || (i + 1 < want.size() && qAbs(want.at(i + 1).at(1).toDouble() - distance) < 1e-6);
            if (!tied)
                QCOMPARE(keyText(hit.value(QStringLiteral("id"))), want.at(i).at(0));
            QVERIFY(keyText(hit.value(QStringLiteral("id"))) != key);
        }
    }
}

void TestLayouts::searchByTextFindsTheRow_data()
{
    pagesChainWithNoGapOrRepeat_data();
}

void TestLayouts::searchByTextFindsTheRow()
{
    QFETCH(QString, table);
    const Fixture f = fixture(table);
    const QString text = textFor(17);
    QStringList args{QStringLiteral("search"),  QStringLiteral("--table"), table, text, QStringLiteral("--provider"),
                     QStringLiteral("lexical"), QStringLiteral("--json")};
    if (table == QLatin1String("lay_two.papers"))
        args << QStringLiteral("--column") << QStringLiteral("emb_large"); // the halfvec column, through its index
    const Run r = vwb(args);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject top = r.json.value(QStringLiteral("results")).toArray().first().toObject();
    QVERIFY2(top.value(QStringLiteral("similarity")).toDouble() > 0.999, qPrintable(r.out));
    const QStringList rows = column(QStringLiteral("SELECT %1 FROM %2 c WHERE %3 = $1").arg(f.keyText, f.table, f.textSql), {text});
    QVERIFY2(rows.contains(keyText(top.value(QStringLiteral("id")))), qPrintable(r.out));
}

void TestLayouts::similarRecallAndHealthRunOnEveryLayout()
{
    const DatabaseSchema s = schema();
    for (const Fixture &f : fixtures()) {
        const ContentPair pair = *s.find(f.table);
        const QString key = column(QStringLiteral("SELECT %1 FROM %2 c ORDER BY %3 LIMIT 1").arg(f.keyText, f.table, f.order)).first();
        const QString columnName = f.table == QLatin1String("lay_two.papers") ? QStringLiteral("emb_small") : QString();
        auto similar = findSimilar(*m_conn, pair, key, 5, columnName);
        VERIFY_OK(similar);
        auto truth = m_conn->exec(f.truth, {key});
        QCOMPARE(similar.value().size(), qMin(5, int(truth.value().rowCount())));
        for (int i = 0; i < similar.value().size(); ++i)
            QVERIFY(qAbs(similar.value().at(i).distance - truth.value().rows.at(i).at(1).toDouble()) < 1e-5);
        SearchRequest base;
        base.pair = pair;
        base.column = columnName;
        auto recall = measureRecall(*m_conn, base, 5, 5);
        VERIFY_OK(recall);
        QCOMPARE(recall.value().samples, 5);
        // With no ANN index both searches are exact: they must agree entirely.
        QVERIFY2(f.indexed ? recall.value().meanRecall >= 0.8 : recall.value().meanRecall == 1.0, qPrintable(f.table));
    }
    auto health = runHealthChecks(*m_conn, s);
    VERIFY_OK(health);
}

void TestLayouts::filtersUseEachLayoutsOwnColumn()
{
    // LangChain: the collection's name, through langchain_pg_collection.
    Run r = vwb({QStringLiteral("topics"), QStringLiteral("--table"), QStringLiteral("lay_lc.langchain_pg_embedding"),
                 QStringLiteral("--forum"), QStringLiteral("beta"), QStringLiteral("--limit"), QStringLiteral("1000"),
                 QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonArray rows = r.json.value(QStringLiteral("rows")).toArray();
    QCOMPARE(rows.size(), Rows / 2);
    for (const QJsonValue &row : rows)
        QCOMPARE(row.toObject().value(QStringLiteral("forum_name")).toString(), QStringLiteral("beta"));
    r = vwb({QStringLiteral("search"), QStringLiteral("--table"), QStringLiteral("lay_lc.langchain_pg_embedding"), textFor(17),
             QStringLiteral("--forum"), QStringLiteral("beta"), QStringLiteral("--limit"), QStringLiteral("40"),
             QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonArray hits = r.json.value(QStringLiteral("results")).toArray();
    QCOMPARE(hits.size(), Rows / 2);
    for (const QJsonValue &hit : hits)
        QCOMPARE(hit.toObject().value(QStringLiteral("forum_name")).toString(), QStringLiteral("beta"));
    // A plain column of a team's own table; the reference design's forum_name, ignoring case.
    r = vwb({QStringLiteral("search"), QStringLiteral("--table"), QStringLiteral("lay_uuid.notes"), textFor(5), QStringLiteral("--forum"),
             QStringLiteral("cat1"), QStringLiteral("--limit"), QStringLiteral("40"), QStringLiteral("--json")});
    QCOMPARE(r.json.value(QStringLiteral("results")).toArray().size(), Rows / 4);
    r = vwb({QStringLiteral("search"), QStringLiteral("--table"), QStringLiteral("lay_ref.topics"), textFor(5), QStringLiteral("--forum"),
             QStringLiteral("astronomy"), QStringLiteral("--limit"), QStringLiteral("40"), QStringLiteral("--json")});
    QCOMPARE(r.json.value(QStringLiteral("results")).toArray().size(), Rows / 3);
    // A filter that matches nothing says why: a name in another case where names compare exactly, or no such value.
    for (const auto &[table, value, said] :
         {std::tuple{"lay_lc.langchain_pg_embedding", "Beta",
                     "no collection named \"Beta\" (names are compared exactly): did you mean \"beta\"?"},
          std::tuple{"lay_lc.langchain_pg_embedding", "gamma", "no collection named \"gamma\" in langchain_pg_collection"},
          std::tuple{"lay_ref.topics", "Cooking", "no forum \"Cooking\" in lay_ref.topics"}}) {
        r = vwb({QStringLiteral("search"), QStringLiteral("--table"), QLatin1String(table), textFor(5), QStringLiteral("--forum"),
                 QLatin1String(value), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.json.value(QStringLiteral("results")).toArray().size(), 0);
        const QString warnings = r.json.value(QStringLiteral("warnings")).toVariant().toStringList().join(QLatin1Char('|'));
        QVERIFY2(warnings.contains(QLatin1String(said)), qPrintable(warnings));
    }
}

void TestLayouts::chunkStoresAndBitColumnsAreNotBackfilled()
{
    const QString before = column(QStringLiteral("SELECT md5(string_agg(embedding::text, ',' ORDER BY embedding_uuid)) "
                                                 "FROM lay_pgai.articles_embedding_store"))
                               .first();
    Run r = vwb({QStringLiteral("backfill"), QStringLiteral("--table"), QStringLiteral("lay_pgai.articles"), QStringLiteral("--all")});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains(QLatin1String("pgai vectorizer")), qPrintable(r.err));
    QCOMPARE(column(QStringLiteral(
                        "SELECT md5(string_agg(embedding::text, ',' ORDER BY embedding_uuid)) FROM lay_pgai.articles_embedding_store"))
                 .first(),
             before);
    // Binary vectors are listed, and said plainly to be neither searched nor backfilled.
    r = vwb({QStringLiteral("search"), QStringLiteral("--table"), QStringLiteral("lay_two.papers"), QStringLiteral("--column"),
             QStringLiteral("emb_bits"), QStringLiteral("walnut")});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains(QLatin1String("binary (bit)")), qPrintable(r.err));
    r = vwb({QStringLiteral("backfill"), QStringLiteral("--table"), QStringLiteral("lay_two.papers"), QStringLiteral("--column"),
             QStringLiteral("emb_bits")});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains(QLatin1String("Backfilling bit columns is not supported")), qPrintable(r.err));
}

void TestLayouts::compositeKeysAreBackfilledInKeyOrder()
{
    // Its own table (dropped after), so the other layouts' rows stay as they are: seven documents
    // of 100 passages, a claim of 64 ending inside a document, two workers claiming side by side.
    VERIFY_OK(m_conn->execScript(
        QStringLiteral("CREATE TABLE lay_comp.chunks (doc text NOT NULL, seq int NOT NULL, passage text NOT NULL, embedding vector(16), "
                       "PRIMARY KEY (doc, seq))")));
    QStringList rows;
    for (int i = 0; i < 700; ++i)
        rows << QStringLiteral("('d%1', %2, '%3')").arg(i % 7).arg(i / 7 + 1).arg(textFor(i + 1));
    VERIFY_OK(
        m_conn->execScript(QStringLiteral("INSERT INTO lay_comp.chunks (doc, seq, passage) VALUES %1").arg(rows.join(QLatin1Char(',')))));
    const Run r = vwb({QStringLiteral("backfill"), QStringLiteral("--table"), QStringLiteral("lay_comp.chunks"), QStringLiteral("--batch"),
                       QStringLiteral("64"), QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    QCOMPARE(column(QStringLiteral("SELECT count(embedding) FROM lay_comp.chunks")).first().toInt(), 700);
    // Each row's vector is its own text's: no key part mixed up between rows.
    for (int i : {0, 63, 64, 349, 699}) {
        const QString far = column(QStringLiteral("SELECT embedding <=> $3::vector FROM lay_comp.chunks WHERE doc = $1 AND seq = $2"),
                                   {QStringLiteral("d%1").arg(i % 7), i / 7 + 1, vectorLiteral(textFor(i + 1), 16)})
                                .first();
        QVERIFY2(far.toDouble() < 1e-6, qPrintable(QStringLiteral("row %1: %2").arg(i).arg(far)));
    }
    VERIFY_OK(m_conn->execScript(QStringLiteral("DROP TABLE lay_comp.chunks")));
}

void TestLayouts::keysOfTheWrongShapeAreRefused()
{
    Run r = vwb({QStringLiteral("topics"), QStringLiteral("--table"), QStringLiteral("lay_ref.topics"), QStringLiteral("--after"),
                 QStringLiteral("abc")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("id int8")), qPrintable(r.err));
    r = vwb({QStringLiteral("topics"), QStringLiteral("--table"), QStringLiteral("lay_comp.passages"), QStringLiteral("--after"),
             QStringLiteral("d1")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("JSON array of 2 values")), qPrintable(r.err));
    r = vwb({QStringLiteral("topic"), QStringLiteral("--table"), QStringLiteral("lay_uuid.notes"), QStringLiteral("not-a-uuid")});
    QVERIFY(r.code != 0);
    QVERIFY2(r.err.contains(QLatin1String("uuid")), qPrintable(r.err));
    // A uuid that exists reads back whole.
    const QString id = column(QStringLiteral("SELECT note_id::text FROM lay_uuid.notes ORDER BY note_id LIMIT 1")).first();
    r = vwb({QStringLiteral("topic"), QStringLiteral("--table"), QStringLiteral("lay_uuid.notes"), id, QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.json.value(QStringLiteral("id")).toString(), id);
    QCOMPARE(r.json.value(QStringLiteral("vector")).toObject().value(QStringLiteral("dimensions")).toInt(), 16);
}

void TestLayouts::chosenColumnsApplyToEveryCommand()
{
    // The heading as the text, no title: browse shows it, full-text search matches it.
    Run r = vwb({QStringLiteral("tables"), QStringLiteral("--table"), QStringLiteral("lay_text.docs"), QStringLiteral("--text"),
                 QStringLiteral("heading"), QStringLiteral("--title"), QStringLiteral("none"), QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject docs = r.json.value(QStringLiteral("tables")).toArray().first().toObject();
    QCOMPARE(docs.value(QStringLiteral("text")).toString(), QStringLiteral("heading"));
    QCOMPARE(docs.value(QStringLiteral("title")).toString(), QString());
    r = vwb({QStringLiteral("topics"), QStringLiteral("--table"), QStringLiteral("lay_text.docs"), QStringLiteral("--limit"),
             QStringLiteral("1"), QStringLiteral("--json")});
    QCOMPARE(r.json.value(QStringLiteral("rows")).toArray().first().toObject().value(QStringLiteral("title")).toString(),
             QStringLiteral("Heading 1"));
    r = vwb({QStringLiteral("search"), QStringLiteral("--table"), QStringLiteral("lay_text.docs"), QStringLiteral("Heading 42"),
             QStringLiteral("--ranking"), QStringLiteral("text"), QStringLiteral("--limit"), QStringLiteral("1"),
             QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(keyText(r.json.value(QStringLiteral("results")).toArray().first().toObject().value(QStringLiteral("id"))),
             QStringLiteral("doc-42"));
    // A column the table does not have is refused and nothing is kept; --reset forgets the choice.
    r = vwb({QStringLiteral("tables"), QStringLiteral("--table"), QStringLiteral("lay_text.docs"), QStringLiteral("--metadata"),
             QStringLiteral("nope")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(QLatin1String("no column \"nope\"")), qPrintable(r.err));
    r = vwb({QStringLiteral("tables"), QStringLiteral("--table"), QStringLiteral("lay_text.docs"), QStringLiteral("--reset"),
             QStringLiteral("--json")});
    QCOMPARE(r.json.value(QStringLiteral("tables")).toArray().first().toObject().value(QStringLiteral("text")).toString(),
             QStringLiteral("contents"));
    // The listing names every layout, and says why a table is left out.
    r = vwb({QStringLiteral("tables")});
    QVERIFY2(r.out.contains(QLatin1String("LangChain PGVector store, collections from langchain_pg_collection")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QLatin1String("LlamaIndex PGVectorStore")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QLatin1String("read-only: its owner embeds these vectors")), qPrintable(r.out));
}

void TestLayouts::ordinaryTablesAreNotMisread()
{
    VERIFY_OK(m_conn->execScript(QStringLiteral(R"(
        CREATE SCHEMA lay_misc;
        -- A vector table whose only text is a model name points at content titled, not labelled.
        CREATE TABLE lay_misc.articles (id int PRIMARY KEY, title text NOT NULL);
        CREATE TABLE lay_misc.article_vectors (article_id int PRIMARY KEY REFERENCES lay_misc.articles (id), model text, embedding vector(16));
        -- A bitmap of flags is no binary vector.
        CREATE TABLE lay_misc.flags (id int PRIMARY KEY, name text, bits bit(128));
        -- An integer filter column, and a table with an id but no constraint saying so.
        CREATE TABLE lay_misc.tenanted (id int PRIMARY KEY, tenant_id int NOT NULL, body text NOT NULL, embedding vector(16));
        CREATE TABLE lay_misc.loose (id serial, body text, embedding vector(16));
        INSERT INTO lay_misc.tenanted SELECT g, g % 3, 'note ' || g, NULL FROM generate_series(1, 30) g;
        INSERT INTO lay_misc.loose (body) SELECT 'loose ' || g FROM generate_series(1, 12) g;
        -- Vectors of rows keyed by two columns, through a foreign key of both.
        CREATE TABLE lay_misc.docs (tenant text, id int, body text NOT NULL, PRIMARY KEY (tenant, id));
        CREATE TABLE lay_misc.doc_vectors (tenant text, doc_id int, embedding vector(16),
                                           FOREIGN KEY (tenant, doc_id) REFERENCES lay_misc.docs);
    )")));
    const DatabaseSchema s = schema();
    const auto articles = s.find(QStringLiteral("lay_misc.articles"));
    QVERIFY(articles);
    QCOMPARE(articles->vectors.display(), QStringLiteral("lay_misc.article_vectors"));
    QCOMPARE(articles->roles.text, QStringLiteral("title"));
    QVERIFY(!s.find(QStringLiteral("lay_misc.flags")));
    QVERIFY(!s.unpairedVectorTables.contains(TableRef{QStringLiteral("lay_misc"), QStringLiteral("flags")}));
    QCOMPARE(s.find(QStringLiteral("lay_misc.loose"))->key.describe(), QStringLiteral("id int4"));
    // A foreign key of two columns pairs; without a unique index on both, the vector rows are not known unique.
    const auto wide = s.find(QStringLiteral("lay_misc.docs"));
    QVERIFY(wide);
    QCOMPARE(wide->vectorKey().columns, QStringList({QStringLiteral("tenant"), QStringLiteral("doc_id")}));
    QVERIFY(!wide->keyIsUnique);
    QVERIFY(s.find(QStringLiteral("lay_cpair.docs"))->keyIsUnique); // its primary key names both, in the other order
    // The integer column chosen as the filter is compared as an integer, in browse and search.
    Run r = vwb({QStringLiteral("tables"), QStringLiteral("--table"), QStringLiteral("lay_misc.tenanted"), QStringLiteral("--filter"),
                 QStringLiteral("tenant_id")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = vwb({QStringLiteral("backfill"), QStringLiteral("--table"), QStringLiteral("lay_misc.tenanted")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = vwb({QStringLiteral("topics"), QStringLiteral("--table"), QStringLiteral("lay_misc.tenanted"), QStringLiteral("--forum"),
             QStringLiteral("2"), QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.json.value(QStringLiteral("rows")).toArray().size(), 10);
    r = vwb({QStringLiteral("search"), QStringLiteral("--table"), QStringLiteral("lay_misc.tenanted"), QStringLiteral("note 7"),
             QStringLiteral("--forum"), QStringLiteral("1"), QStringLiteral("--limit"), QStringLiteral("30"), QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(r.json.value(QStringLiteral("results")).toArray().size(), 10);
    r = vwb({QStringLiteral("search"), QStringLiteral("--table"), QStringLiteral("lay_misc.tenanted"), QStringLiteral("note 7"),
             QStringLiteral("--forum"), QStringLiteral("1"), QStringLiteral("--ranking"), QStringLiteral("text"),
             QStringLiteral("--json")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    // A fraction is no part of a key.
    r = vwb({QStringLiteral("topics"), QStringLiteral("--table"), QStringLiteral("lay_comp.passages"), QStringLiteral("--after"),
             QStringLiteral("[\"d1\", 1.5]")});
    QCOMPARE(r.code, 2);
}

QTEST_GUILESS_MAIN(TestLayouts)
#include "tst_layouts.moc"
