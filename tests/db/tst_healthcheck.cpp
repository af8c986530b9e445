// tests/db/tst_healthcheck.cpp — injected faults are counted exactly, and a clean pair is healthy.
#include "../support/TestCluster.h"

#include "embeddings/LexicalHashingProvider.h"
#include "maintenance/HealthCheck.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include "connection/DatabaseUrl.h"
#include "core/ShellWords.h"

using namespace vwb;

class TestHealthCheck : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanupTestCase();
    void injectedFaultsAreCountedExactly();
    void cliReportsTheSameCountsAsJson();
    void duplicateIndexKeepsTheUniqueOne();
    void unusedIndexesAreOneNotePerTable();
    void fixesTheWorkbenchCanRunNameTheirAction();
    void invalidIndexIsRepairedByName();
    void keyWithoutAUniqueIndexAndSecondAnnIndexAreWarned();
    void aKnexProjectsDatabaseGetsItsSchemaFixesAsKnexMigrations();
    void vectorsFromAnotherSourceThanTheProvidersAreWarned();

private:
    QList<HealthFinding> findings();
    QHash<QString, qint64> counts();
    const QString m_schema = QStringLiteral("tst_health");
    std::unique_ptr<PgConnection> m_conn;
    ConnectionProfile m_profile;
};

void TestHealthCheck::initTestCase()
{
    test::resetSchema(
        m_schema,
        QStringLiteral(
            "CREATE TABLE topics (id serial PRIMARY KEY, forum_name varchar(255) NOT NULL, title varchar(255) NOT NULL,"
            "  content text NOT NULL, updated_at timestamptz DEFAULT now());"
            "CREATE TABLE topic_vectors (id serial PRIMARY KEY, topic_id int REFERENCES topics(id) ON DELETE CASCADE,"
            "  forum_name varchar NOT NULL, vector vector(1536) NOT NULL, updated_at timestamp DEFAULT now());"
            "INSERT INTO topics (forum_name, title, content, updated_at) SELECT 'f', 't' || g, 'c', '2025-01-01' FROM generate_series(1, 20) g;"
            "INSERT INTO topic_vectors (topic_id, forum_name, vector, updated_at) SELECT id, 'f', array_fill(0.1, ARRAY[1536])::vector, '2025-02-01' FROM topics WHERE id <= 18;"
            // faults: 2 missing (19, 20); one duplicate (topic 1 twice); one orphan (NULL topic_id);
            // one forum drift (topic 2's vector says 'g'); one stale (topic 3 edited after its vector)
            "INSERT INTO topic_vectors (topic_id, forum_name, vector) VALUES (1, 'f', array_fill(0.2, ARRAY[1536])::vector),"
            "  (NULL, 'f', array_fill(0.3, ARRAY[1536])::vector);"
            "UPDATE topic_vectors SET forum_name = 'g' WHERE topic_id = 2;"
            "UPDATE topics SET updated_at = '2025-03-01' WHERE id = 3;"));
    m_profile = test::profileInSchema(m_schema);
    auto conn = PgConnection::open(m_profile);
    QVERIFY(conn.ok());
    m_conn = std::move(conn).value();
}

void TestHealthCheck::cleanupTestCase()
{
    m_conn.reset();
    test::dropSchema(m_schema);
}

QList<HealthFinding> TestHealthCheck::findings()
{
    auto schema = discoverSchema(*m_conn);
    DatabaseSchema mine;
    for (const ContentPair &p : schema.value().pairs)
        if (p.content.schema == m_schema)
            mine.pairs << p;
    auto found = runHealthChecks(*m_conn, mine);
    if (!found.ok())
        qFatal("%s", qPrintable(found.error().message));
    return found.value();
}

QHash<QString, qint64> TestHealthCheck::counts()
{
    QHash<QString, qint64> out;
    for (const HealthFinding &f : findings())
        out[f.check] += f.count;
    return out;
}

void TestHealthCheck::injectedFaultsAreCountedExactly()
{
    const auto c = counts();
    QCOMPARE(c.value(QStringLiteral("missing_vectors")), 2);
    QCOMPARE(c.value(QStringLiteral("duplicate_vectors")), 1);
    QCOMPARE(c.value(QStringLiteral("orphan_vectors")), 1);
    QCOMPARE(c.value(QStringLiteral("forum_name_drift")), 1);
    QCOMPARE(c.value(QStringLiteral("stale_vectors")), 1);
    QCOMPARE(c.value(QStringLiteral("no_ann_index")), 1);
    QCOMPARE(c.value(QStringLiteral("vectors_in_toast")), 1); // 1536 dims, default storage
}

void TestHealthCheck::cliReportsTheSameCountsAsJson()
{
    QProcess vwb;
    vwb.start(QStringLiteral(VWB_CLI),
              {QStringLiteral("health"), QStringLiteral("--url"), toDatabaseUrl(m_profile.params, false), QStringLiteral("--json")});
    QVERIFY(vwb.waitForFinished(30000));
    QCOMPARE(vwb.exitCode(), 0);
    const QJsonObject counts = QJsonDocument::fromJson(vwb.readAllStandardOutput()).object().value(QStringLiteral("counts")).toObject();
    QCOMPARE(counts.value(QStringLiteral("orphan_vectors")).toInteger(), 1);
    QCOMPARE(counts.value(QStringLiteral("duplicate_vectors")).toInteger(), 1);
    QCOMPARE(counts.value(QStringLiteral("forum_name_drift")).toInteger(), 1);

    // For people: worst first, the message column lined up, each vwb fix runnable as pasted.
    QProcess plain;
    const QString url = toDatabaseUrl(m_profile.params, false);
    plain.start(QStringLiteral(VWB_CLI), {QStringLiteral("health"), QStringLiteral("--url"), url});
    QVERIFY(plain.waitForFinished(30000));
    QCOMPARE(plain.exitCode(), 0);
    const QStringList lines = QString::fromUtf8(plain.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const QStringList order{QStringLiteral("PROBLEM"), QStringLiteral("WARNING"), QStringLiteral("INFO")};
    // Where the messages start: where every fix line's "fix: " starts.
    qsizetype messageColumn = -1;
    for (const QString &line : lines)
        if (line.startsWith(QLatin1Char(' ')))
            messageColumn = line.indexOf(QLatin1String("fix: "));
    QVERIFY2(messageColumn > 9, qPrintable(lines.join(QLatin1Char('\n'))));
    int worst = 0, fixes = 0;
    for (const QString &line : lines) {
        if (line.startsWith(QLatin1String("--")))
            continue;
        if (line.startsWith(QLatin1Char(' '))) {
            QCOMPARE(line.indexOf(QLatin1String("fix: ")), messageColumn);
            if (const QString fix = line.mid(messageColumn + 5); fix.startsWith(QLatin1String("vwb "))) {
                QVERIFY2(fix.contains(QStringLiteral(" --url ") + shellWord(url)), qPrintable(fix));
                ++fixes;
            }
            continue;
        }
        const int severity = int(order.indexOf(line.section(QLatin1Char(' '), 0, 0)));
        QVERIFY2(severity >= worst, qPrintable(line)); // never better than the line before
        worst = severity;
        // The message begins in the same column on every line, after two spaces.
        QVERIFY2(line.mid(messageColumn - 2, 2) == QLatin1String("  ") && !line.at(messageColumn).isSpace(), qPrintable(line));
    }
    QVERIFY2(worst > 0 && fixes > 0, qPrintable(lines.join(QLatin1Char('\n'))));
}

void TestHealthCheck::duplicateIndexKeepsTheUniqueOne()
{
    QVERIFY(m_conn
                ->execScript(QStringLiteral("CREATE INDEX tv_plain ON topic_vectors (forum_name);"
                                            "CREATE INDEX tv_plain_again ON topic_vectors (forum_name);"))
                .ok());
    QStringList flagged;
    for (const HealthFinding &f : findings())
        if (f.check == QLatin1String("duplicate_index"))
            flagged << f.message.section(QLatin1Char(' '), 0, 0);
    QCOMPARE(flagged, QStringList{m_schema + QStringLiteral(".tv_plain_again")});
}

void TestHealthCheck::unusedIndexesAreOneNotePerTable()
{
    // Thirteen such notes crowded the demo's report: one per table, naming its indexes.
    QVERIFY(m_conn->execScript(QStringLiteral("CREATE INDEX t_unused_a ON topics (title); CREATE INDEX t_unused_b ON topics (content);"))
                .ok());
    QList<HealthFinding> unused;
    for (const HealthFinding &f : findings())
        if (f.check == QLatin1String("unused_index") && f.table.endsWith(QLatin1String(".topics")))
            unused << f;
    QVERIFY(m_conn->execScript(QStringLiteral("DROP INDEX t_unused_a; DROP INDEX t_unused_b;")).ok());
    QCOMPARE(unused.size(), 1);
    QCOMPARE(unused.first().count, 2);
    QVERIFY2(unused.first().message.startsWith(QLatin1String("2 indexes have not been scanned since statistics were last reset: "))
                 && unused.first().message.contains(m_schema + QStringLiteral(".t_unused_a"))
                 && unused.first().message.contains(m_schema + QStringLiteral(".t_unused_b")),
             qPrintable(unused.first().message));
}

void TestHealthCheck::fixesTheWorkbenchCanRunNameTheirAction()
{
    QHash<QString, HealthFinding> byCheck;
    for (const HealthFinding &f : findings())
        byCheck.insert(f.check, f);
    QCOMPARE(byCheck.value(QStringLiteral("missing_vectors")).action, HealthFinding::Action::Backfill);
    QCOMPARE(byCheck.value(QStringLiteral("missing_vectors")).actionTarget, m_schema + QStringLiteral(".topics"));
    QCOMPARE(byCheck.value(QStringLiteral("stale_vectors")).action, HealthFinding::Action::BackfillStale);
    QCOMPARE(byCheck.value(QStringLiteral("no_ann_index")).action, HealthFinding::Action::CreateAnnIndex);
    QCOMPARE(byCheck.value(QStringLiteral("no_ann_index")).actionTarget, m_schema + QStringLiteral(".topic_vectors"));
    // Deletes and updates are shown, never run for the user.
    QCOMPARE(byCheck.value(QStringLiteral("orphan_vectors")).action, HealthFinding::Action::None);
    const HealthFinding toast = byCheck.value(QStringLiteral("vectors_in_toast"));
    QCOMPARE(toast.action, HealthFinding::Action::ApplyMigrations);
    QCOMPARE(toast.actionTarget, QStringLiteral("20250201000003_vectors_storage_plain.sql"));
    auto size = m_conn->exec(QStringLiteral("SELECT pg_size_pretty(pg_total_relation_size('topic_vectors'))"));
    QVERIFY2(toast.fix.contains(QStringLiteral("rewrites %1 under an exclusive lock").arg(size.value().scalar())), qPrintable(toast.fix));
    const QJsonObject json = byCheck.value(QStringLiteral("missing_vectors")).toJson();
    QCOMPARE(json.value(QStringLiteral("action")).toObject().value(QStringLiteral("kind")).toString(), QStringLiteral("backfill"));
}

void TestHealthCheck::invalidIndexIsRepairedByName()
{
    QVERIFY(!m_conn->exec(QStringLiteral("CREATE UNIQUE INDEX CONCURRENTLY tv_forum_unique ON topic_vectors (forum_name)")).ok());
    QList<HealthFinding> invalid;
    for (const HealthFinding &f : findings())
        if (f.check == QLatin1String("invalid_index"))
            invalid << f;
    QCOMPARE(invalid.size(), 1);
    QCOMPARE(invalid.first().action, HealthFinding::Action::RepairIndex);
    QCOMPARE(invalid.first().actionTarget, m_schema + QStringLiteral(".tv_forum_unique"));
    QVERIFY2(invalid.first().fix.startsWith(QStringLiteral("vwb index repair %1.tv_forum_unique").arg(m_schema)),
             qPrintable(invalid.first().fix));
    QVERIFY(m_conn->exec(QStringLiteral("DROP INDEX tv_forum_unique")).ok());
}

void TestHealthCheck::keyWithoutAUniqueIndexAndSecondAnnIndexAreWarned()
{
    const auto byCheck = [this] {
        QHash<QString, HealthFinding> out;
        for (const HealthFinding &f : findings())
            out.insert(f.check, f);
        return out;
    };
    const HealthFinding key = byCheck().value(QStringLiteral("no_unique_vector_key"));
    QCOMPARE(key.count, 1);
    QCOMPARE(key.severity, HealthFinding::Severity::Warning);
    QVERIFY2(key.message.contains(QLatin1String("topic_id has no unique index")), qPrintable(key.message));
    QCOMPARE(key.action, HealthFinding::Action::ApplyMigrations);
    QCOMPARE(key.actionTarget, QStringLiteral("20250201000000_one_vector_per_row.sql"));
    QCOMPARE(byCheck().value(QStringLiteral("several_ann_indexes")).count, 0);

    QVERIFY(m_conn
                ->execScript(QStringLiteral("CREATE INDEX tv_hnsw ON topic_vectors USING hnsw (vector vector_cosine_ops);"
                                            "CREATE INDEX tv_ivf ON topic_vectors USING ivfflat (vector vector_l2_ops) WITH (lists = 1);"))
                .ok());
    const HealthFinding two = byCheck().value(QStringLiteral("several_ann_indexes"));
    QCOMPARE(two.count, 2);
    QVERIFY2(two.message.contains(QLatin1String("tv_hnsw (hnsw, <=>)")) && two.message.contains(QLatin1String("tv_ivf (ivfflat, <->)")),
             qPrintable(two.message));
    QVERIFY(m_conn->execScript(QStringLiteral("DROP INDEX tv_hnsw; DROP INDEX tv_ivf;")).ok());

    QVERIFY(m_conn
                ->execScript(QStringLiteral("DELETE FROM topic_vectors WHERE id = (SELECT max(id) FROM topic_vectors WHERE topic_id = 1);"
                                            "CREATE UNIQUE INDEX tv_unique ON topic_vectors (topic_id);"))
                .ok());
    QCOMPARE(byCheck().value(QStringLiteral("no_unique_vector_key")).count, 0);
    QVERIFY(m_conn
                ->execScript(QStringLiteral(
                    "DROP INDEX tv_unique;"
                    "INSERT INTO topic_vectors (topic_id, forum_name, vector) VALUES (1, 'f', array_fill(0.2, ARRAY[1536])::vector);"))
                .ok());
}

void TestHealthCheck::aKnexProjectsDatabaseGetsItsSchemaFixesAsKnexMigrations()
{
    QVERIFY(
        m_conn
            ->execScript(QStringLiteral(
                "CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch integer, migration_time timestamptz);"
                "INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('20250101000001_create_base_tables.js', 1, now());"))
            .ok());
    QHash<QString, HealthFinding> byCheck;
    for (const HealthFinding &f : findings())
        byCheck.insert(f.check, f);
    QVERIFY(m_conn->execScript(QStringLiteral("DROP TABLE knex_migrations")).ok());
    for (const QString &check : {QStringLiteral("vectors_in_toast"), QStringLiteral("no_unique_vector_key")}) {
        const HealthFinding f = byCheck.value(check);
        QCOMPARE(f.action, HealthFinding::Action::ExportKnexMigration); // written into the project; its Knex applies it
        QVERIFY2(f.fix.startsWith(QLatin1String("vwb migrate export --project DIR --only ")), qPrintable(f.fix));
    }
    QVERIFY(byCheck.value(QStringLiteral("vectors_in_toast")).fix.contains(QLatin1String("--only vectors_storage_plain,")));
    QCOMPARE(byCheck.value(QStringLiteral("vectors_in_toast")).actionTarget, QStringLiteral("20250201000003_vectors_storage_plain.sql"));
}

void TestHealthCheck::vectorsFromAnotherSourceThanTheProvidersAreWarned()
{
    auto schema = discoverSchema(*m_conn);
    DatabaseSchema mine;
    for (const ContentPair &p : schema.value().pairs)
        if (p.content.schema == m_schema)
            mine.pairs << p;
    const auto checked = [&](const ProviderForColumn &provider) {
        QHash<QString, HealthFinding> byCheck;
        auto found = runHealthChecks(*m_conn, mine, provider);
        if (found.ok())
            for (const HealthFinding &f : found.value())
                byCheck.insert(f.check, f);
        return byCheck;
    };
    QVERIFY(!checked({}).contains(QStringLiteral("embedding_source"))); // no provider, no comparison
    int made = 0;
    const ProviderForColumn lexical = [&made](int dims) -> Result<std::unique_ptr<EmbeddingProvider>> {
        ++made;
        return std::unique_ptr<EmbeddingProvider>(std::make_unique<LexicalHashingProvider>(dims));
    };
    // The fixture's vectors are constants, not what the offline provider makes of the text (given
    // words here: a text of none is one the provider rejects, and then nothing is compared).
    QVERIFY(m_conn->exec(QStringLiteral("UPDATE topics SET content = 'bread and wine number ' || id")).ok());
    const HealthFinding f = checked(lexical).value(QStringLiteral("embedding_source"));
    QVERIFY(m_conn->exec(QStringLiteral("UPDATE topics SET content = 'c'")).ok());
    QCOMPARE(made, 1);
    QCOMPARE(f.severity, HealthFinding::Severity::Warning);
    QVERIFY2(f.message.contains(QLatin1String("was not filled by lexical")), qPrintable(f.message));
    QVERIFY(f.fix.contains(QLatin1String("--all")));
}

QTEST_GUILESS_MAIN(TestHealthCheck)
#include "tst_healthcheck.moc"
