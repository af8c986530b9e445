// tests/db/tst_backfillcli.cpp — `vwb backfill` as a process: kill -9 mid-run and resume, Ctrl-C,
// JSON output, dry run, usage errors and the production guard.
#include "../support/TestCluster.h"

#include "connection/DatabaseUrl.h"
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <csignal>

using namespace vwb;

namespace {
constexpr int Topics = 3000;

struct Run
{
    int code;
    QString out, err;
};

Run runVwb(const QStringList &args, const QString &configHome = {})
{
    QProcess p;
    if (!configHome.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
        env.insert(QStringLiteral("VWB_EVALUATIONS"), configHome + QStringLiteral("/evaluations.sqlite"));
        env.insert(QStringLiteral("VWB_EMBEDDING_SOURCES"), configHome + QStringLiteral("/sources.sqlite"));
        p.setProcessEnvironment(env);
    }
    p.start(QStringLiteral(VWB_CLI), args);
    if (!p.waitForFinished(90000))
        return {-1, {}, QStringLiteral("timed out")};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}
} // namespace

class TestBackfillCli : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void killedFiveTimesThenResumedLeavesExactlyOneVectorPerTopic();
    void ctrlCCancelsCleanlyWithExitCode130();
    void dryRunJsonAndUsageErrors();
    void writeLockedProductionIsRefused();
    void aSecondColumnIsFilledByItsOwnModel();
    void switchingMovesSearchesToTheSecondColumn();
    void aSearchBeforeAnyBackfillPrintsTheCommandThatFillsTheTable();

private:
    QString url(const QString &extra = {}) const;
    qint64 count(const QString &sql);
    QStringList backfill(const QStringList &more = {}) const;

    const QString m_schema = QStringLiteral("tst_backfill_cli");
    std::unique_ptr<PgConnection> m_conn;
};

void TestBackfillCli::init()
{
    m_conn = test::connect();
    VERIFY_OK(m_conn->execScript(
        QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE; CREATE SCHEMA %1; SET search_path = %1, public").arg(m_schema)));
    VERIFY_OK(m_conn->execScript(
        test::migrationUp(QStringLiteral("_create_base_tables.sql")).replace(QLatin1String("vector(1536)"), QLatin1String("vector(32)"))));
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topics (forum_name, title, content) SELECT 'forum ' || (g % 5), "
                                          "'Topic ' || g, 'Words about bread and cheese, number ' || g FROM generate_series(1, $1) g"),
                           {Topics}));
}

void TestBackfillCli::cleanup()
{
    VERIFY_OK(m_conn->exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(m_schema)));
    m_conn.reset();
}

QString TestBackfillCli::url(const QString &extra) const
{
    ConnectionParams params = test::clusterProfile().params;
    params.extra.insert(QStringLiteral("options"), QStringLiteral("-c search_path=%1,public").arg(m_schema));
    return toDatabaseUrl(params, true) + extra;
}

qint64 TestBackfillCli::count(const QString &sql)
{
    auto r = m_conn->exec(sql);
    return r.ok() ? r.value().scalar().toLongLong() : (qWarning("%s: %s", qPrintable(sql), qPrintable(r.error().message)), -1);
}

QStringList TestBackfillCli::backfill(const QStringList &more) const
{
    return QStringList{QStringLiteral("backfill"), QStringLiteral("--url"), url()} + more;
}

void TestBackfillCli::killedFiveTimesThenResumedLeavesExactlyOneVectorPerTopic()
{
    const QString vectors = QStringLiteral("SELECT count(*) FROM topic_vectors");
    // 600 requests a minute: ten batches of 50 a second, so there is a run to interrupt.
    const QStringList paced = backfill(
        {QStringLiteral("--batch"), QStringLiteral("50"), QStringLiteral("--requests-per-minute"), QStringLiteral("600")});
    for (int round = 0; round < 5; ++round) {
        const qint64 before = count(vectors);
        QProcess p;
        p.start(QStringLiteral(VWB_CLI), paced);
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(count(vectors) > before, 20000); // some batches committed
        p.kill();                                                 // SIGKILL
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        QVERIFY2(count(vectors) < Topics, "the process was killed before it was done");
        QCOMPARE(count(QStringLiteral("SELECT count(*) - count(DISTINCT topic_id) FROM topic_vectors")), 0);
    }
    const qint64 left = Topics - count(vectors);
    // The killed sessions' transactions are gone once their backends are.
    QTRY_COMPARE_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vwb backfill'")), 0,
                              10000);
    const Run r = runVwb(backfill({QStringLiteral("--batch"), QStringLiteral("50"), QStringLiteral("--json")}));
    QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
    const QJsonObject json = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("embedded")).toInteger(), left);
    QCOMPARE(json.value(QStringLiteral("canceled")).toBool(), false);
    QVERIFY(json.value(QStringLiteral("errors")).toArray().isEmpty());
    // The default 4 workers, capped at the cores for the offline provider.
    QCOMPARE(json.value(QStringLiteral("workers")).toInt(), std::min(4, std::max(1, QThread::idealThreadCount())));
    QCOMPARE(json.value(QStringLiteral("passes")).toInt(), 1); // nothing held elsewhere
    QCOMPARE(json.value(QStringLiteral("held_at_end")).toInteger(), 0);
    QCOMPARE(count(vectors), Topics);
    QCOMPARE(count(QStringLiteral("SELECT count(DISTINCT topic_id) FROM topic_vectors")), Topics);
}

void TestBackfillCli::ctrlCCancelsCleanlyWithExitCode130()
{
    QProcess p;
    p.start(QStringLiteral(VWB_CLI),
            backfill({QStringLiteral("--batch"), QStringLiteral("50"), QStringLiteral("--requests-per-minute"), QStringLiteral("600")}));
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(count(QStringLiteral("SELECT count(*) FROM topic_vectors")) > 0, 20000);
    ::kill(pid_t(p.processId()), SIGINT);
    QVERIFY(p.waitForFinished(5000));
    const QString out = QString::fromUtf8(p.readAllStandardOutput()), err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 130);
    QVERIFY2(out.startsWith(QLatin1String("Canceled after embedding")) && out.contains(QLatin1String("run the same command again")),
             qPrintable(out));
    QVERIFY2(err.contains(QLatin1String("canceling")), qPrintable(err));
    const qint64 kept = count(QStringLiteral("SELECT count(*) FROM topic_vectors"));
    QVERIFY(kept > 0 && kept < Topics);
    QCOMPARE(kept % 50, 0); // whole batches only: the one in flight was rolled back
}

void TestBackfillCli::dryRunJsonAndUsageErrors()
{
    VERIFY_OK(m_conn->exec(QStringLiteral("INSERT INTO topic_vectors (topic_id, forum_name, vector) SELECT id, forum_name, "
                                          "array_fill(0.5, ARRAY[32])::vector FROM topics WHERE id <= 1000")));
    const Run dry = runVwb(
        backfill({QStringLiteral("--dry-run"), QStringLiteral("--json"), QStringLiteral("--price-per-million"), QStringLiteral("0.5")}));
    QVERIFY2(dry.code == 0, qPrintable(dry.err));
    const QJsonObject json = QJsonDocument::fromJson(dry.out.toUtf8()).object();
    QCOMPARE(json.value(QStringLiteral("rows")).toInteger(), Topics - 1000);
    const qint64 chars = count(QStringLiteral("SELECT sum(length(content)) FROM topics WHERE id > 1000")); // the default text
    QCOMPARE(json.value(QStringLiteral("estimated_tokens")).toInteger(), (chars + 3) / 4);
    // The offline provider computes here: no price quoted (the estimate's own cost is tst_backfill's).
    QCOMPARE(json.value(QStringLiteral("estimated_cost")).toDouble(), 0.0);
    QVERIFY(json.value(QStringLiteral("provider_is_local")).toBool());
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 1000);
    const Run plain = runVwb(backfill({QStringLiteral("--dry-run"), QStringLiteral("--all")}));
    QVERIFY2(plain.out.startsWith(QStringLiteral("Dry run: %1 rows").arg(Topics)) && plain.out.contains(QLatin1String("no cost"))
                 && !plain.out.contains(QLatin1Char('$')),
             qPrintable(plain.out));

    for (const QStringList &bad :
         {QStringList{QStringLiteral("--stale"), QStringLiteral("--all")}, QStringList{QStringLiteral("--batch"), QStringLiteral("0")},
          QStringList{QStringLiteral("--provider"), QStringLiteral("magic")},
          QStringList{QStringLiteral("--requests-per-minute"), QStringLiteral("-1")}}) {
        const Run r = runVwb(backfill(bad));
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.startsWith(QLatin1String("vwb backfill: ")), qPrintable(r.err));
    }
    // The 1,000 placeholder vectors are not what the offline provider makes of their text: the dry
    // run says so, and the backfill refuses to add its own beside them.
    QCOMPARE(json.value(QStringLiteral("source_conflicts")).toBool(), true);
    const Run refused = runVwb(backfill({}));
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains(QLatin1String("was not filled by lexical")) && refused.err.contains(QLatin1String("--all")),
             qPrintable(refused.err));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 1000);

    VERIFY_OK(m_conn->exec(QStringLiteral("DELETE FROM topic_vectors WHERE id > 500"))); // 500 placeholders left
    VERIFY_OK(m_conn->exec(QStringLiteral("UPDATE topic_vectors SET vector = array_fill(0.5, ARRAY[32])::vector")));
    const Run replaced = runVwb(backfill({QStringLiteral("--all"), QStringLiteral("--json")})); // every vector from this source
    QVERIFY2(replaced.code == 0, qPrintable(replaced.err));
    QCOMPARE(QJsonDocument::fromJson(replaced.out.toUtf8())[QStringLiteral("embedded")].toInteger(), Topics);
    VERIFY_OK(m_conn->exec(QStringLiteral("DELETE FROM topic_vectors WHERE topic_id > 1000")));
    const Run full = runVwb(backfill({QStringLiteral("--json")}));
    QVERIFY2(full.code == 0, qPrintable(full.err));
    const QJsonObject done = QJsonDocument::fromJson(full.out.toUtf8()).object();
    QCOMPARE(done.value(QStringLiteral("embedded")).toInteger(), Topics - 1000);
    QCOMPARE(done.value(QStringLiteral("batches")).toInteger(), 8); // 2000 rows at 256 a batch
    QVERIFY2(done.value(QStringLiteral("source")).toString().contains(QLatin1String("was filled by lexical")),
             qPrintable(done.value(QStringLiteral("source")).toString()));
    QCOMPARE(done.value(QStringLiteral("text")).toString(), QStringLiteral("{content}"));
    QVERIFY(done.value(QStringLiteral("rows_per_second")).toDouble() > 0);
}

void TestBackfillCli::writeLockedProductionIsRefused()
{
    const Run r = runVwb(
        {QStringLiteral("backfill"), QStringLiteral("--production"), QStringLiteral("--url"), url(QStringLiteral("&sslmode=require"))});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(QLatin1String("writes are locked")) && r.err.contains(QLatin1String("--unlock-writes")), qPrintable(r.err));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM topic_vectors")), 0);
}

void TestBackfillCli::aSecondColumnIsFilledByItsOwnModel()
{
    // A second model's column beside the application's: filled on its own, the first untouched.
    QCOMPARE(runVwb(backfill()).code, 0);
    const auto column = [this](const QStringList &more) {
        return runVwb(QStringList{QStringLiteral("column"), QStringLiteral("add")} + more + QStringList{QStringLiteral("--url"), url()});
    };
    const Run locked = runVwb({QStringLiteral("column"), QStringLiteral("add"), QStringLiteral("alt"), QStringLiteral("--dimensions"),
                               QStringLiteral("16"), QStringLiteral("--production"), QStringLiteral("--url"),
                               url(QStringLiteral("&sslmode=require"))});
    QCOMPARE(locked.code, 1);
    QVERIFY2(locked.err.contains(QStringLiteral("read-only")), qPrintable(locked.err));
    QCOMPARE(column({QStringLiteral("Alt;drop"), QStringLiteral("--dimensions"), QStringLiteral("16")}).code, 1);
    QVERIFY(
        column({QStringLiteral("vector"), QStringLiteral("--dimensions"), QStringLiteral("16")}).err.contains(QStringLiteral("already")));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM information_schema.columns WHERE table_schema = '%1' AND column_name = 'alt'")
                       .arg(m_schema)),
             0);
    const Run added = column({QStringLiteral("alt"), QStringLiteral("--dimensions"), QStringLiteral("16")});
    QVERIFY2(added.code == 0 && added.out.contains(QStringLiteral("vwb backfill")), qPrintable(added.out + added.err));
    VERIFY_OK(m_conn->exec(QStringLiteral("UPDATE %1.topic_vectors SET updated_at = '2000-01-01'").arg(m_schema)));
    const QString before = QStringLiteral("SELECT md5(string_agg(vector::text, ',' ORDER BY topic_id)) FROM %1.topic_vectors")
                               .arg(m_schema);
    auto first = m_conn->exec(before);
    VERIFY_OK(first);
    const Run alt = runVwb(
        backfill({QStringLiteral("--column"), QStringLiteral("alt"), QStringLiteral("--provider"), QStringLiteral("lexical-stem")}));
    QVERIFY2(alt.code == 0, qPrintable(alt.err));
    QCOMPARE(count(QStringLiteral("SELECT count(alt) FROM %1.topic_vectors WHERE vector_dims(alt) = 16").arg(m_schema)), qint64(Topics));
    QCOMPARE(m_conn->exec(before).value().scalar(), first.value().scalar()); // the first column as it was
    // updated_at tells the first column's staleness: a second column leaves it alone, and has none.
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM %1.topic_vectors WHERE updated_at = '2000-01-01'").arg(m_schema)), qint64(Topics));
    const Run stale = runVwb(backfill({QStringLiteral("--column"), QStringLiteral("alt"), QStringLiteral("--stale")}));
    QCOMPARE(stale.code, 1);
    QVERIFY2(stale.err.contains(QStringLiteral("--all")), qPrintable(stale.err));
    const Run again = runVwb(backfill({QStringLiteral("--column"), QStringLiteral("alt"), QStringLiteral("--provider"),
                                       QStringLiteral("lexical-stem"), QStringLiteral("--json")}));
    QCOMPARE(again.code, 0);
    QVERIFY2(again.out.contains(QStringLiteral("\"embedded\": 0")) || again.out.contains(QStringLiteral("\"embedded\":0")),
             qPrintable(again.out));                                                                        // nothing left to fill
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM %1.topic_vectors").arg(m_schema)), qint64(Topics)); // no row added
    const Run none = runVwb(backfill({QStringLiteral("--column"), QStringLiteral("nope")}));
    QCOMPARE(none.code, 1);
    QVERIFY2(none.err.contains(QStringLiteral("no vector column nope")), qPrintable(none.err));
}

void TestBackfillCli::switchingMovesSearchesToTheSecondColumn()
{
    // vwb column use: the workbench's searches take the second model's column and its provider,
    // only once it is filled, and only with the provider that filled it.
    QTemporaryDir config; // the switch is a local setting: this test's own
    QVERIFY(config.isValid());
    const auto vwb = [&](const QStringList &args) { return runVwb(args + QStringList{QStringLiteral("--url"), url()}, config.path()); };
    QCOMPARE(runVwb(backfill(), config.path()).code, 0);
    QCOMPARE(vwb({QStringLiteral("column"), QStringLiteral("add"), QStringLiteral("alt"), QStringLiteral("--dimensions"),
                  QStringLiteral("16")})
                 .code,
             0);
    const QStringList use{QStringLiteral("column"), QStringLiteral("use"), QStringLiteral("alt")};
    const Run empty = vwb(use);
    QCOMPARE(empty.code, 1);
    QVERIFY2(empty.err.contains(QStringLiteral("alt is empty")), qPrintable(empty.err));
    QCOMPARE(runVwb(backfill({QStringLiteral("--column"), QStringLiteral("alt"), QStringLiteral("--provider"),
                              QStringLiteral("lexical-stem")}),
                    config.path())
                 .code,
             0);
    VERIFY_OK(m_conn->exec(QStringLiteral("UPDATE %1.topic_vectors SET alt = NULL WHERE topic_id <= 10").arg(m_schema)));
    // Step 3 in one command: both columns through a judged set, each with its own provider.
    QFile queries(config.filePath(QStringLiteral("q.jsonl"))), judgments(config.filePath(QStringLiteral("j.tsv")));
    QVERIFY(queries.open(QIODevice::WriteOnly) && judgments.open(QIODevice::WriteOnly));
    queries.write("{\"id\": \"q1\", \"text\": \"bread number 15\"}\n{\"id\": \"q2\", \"text\": \"cheese number 27\"}\n");
    judgments.write("q1\t15\t2\nq1\t16\t0\nq1\t115\t1\nq2\t27\t2\nq2\t28\t0\nq2\t29\t0\n");
    queries.close();
    judgments.close();
    QCOMPARE(vwb({QStringLiteral("eval"), QStringLiteral("import"), QStringLiteral("--set"), QStringLiteral("s"),
                  QStringLiteral("--queries"), queries.fileName(), QStringLiteral("--judgments"), judgments.fileName()})
                 .code,
             0);
    const QStringList compare{QStringLiteral("column"), QStringLiteral("compare"), QStringLiteral("alt"),    QStringLiteral("--set"),
                              QStringLiteral("s"),      QStringLiteral("--mode"),  QStringLiteral("rerank"), QStringLiteral("--json")};
    const Run compared = vwb(compare);
    QVERIFY2(compared.code == 0, qPrintable(compared.err));
    const QJsonObject comparison = QJsonDocument::fromJson(compared.out.toUtf8()).object();
    QCOMPARE(comparison[QStringLiteral("queries")].toInt(), 2);
    QVERIFY(comparison[QStringLiteral("a")].toInt() > 0
            && comparison[QStringLiteral("b")].toInt() > comparison[QStringLiteral("a")].toInt());
    const Run runs = vwb({QStringLiteral("eval"), QStringLiteral("runs"), QStringLiteral("--set"), QStringLiteral("s")});
    QVERIFY2(runs.out.contains(QStringLiteral("column alt")) && runs.out.contains(QStringLiteral("lexical-stem"))
                 && runs.out.contains(QStringLiteral("column vector")),
             qPrintable(runs.out));
    const Run self = vwb(
        {QStringLiteral("column"), QStringLiteral("compare"), QStringLiteral("vector"), QStringLiteral("--set"), QStringLiteral("s")});
    QCOMPARE(self.code, 1);
    QVERIFY2(self.err.contains(QStringLiteral("column in use")), qPrintable(self.err));

    const Run other = vwb(use + QStringList{QStringLiteral("--provider"), QStringLiteral("lexical")});
    QCOMPARE(other.code, 1);
    QVERIFY2(other.err.contains(QStringLiteral("lexical-stem-v1")), qPrintable(other.err)); // says what filled it
    const Run partial = vwb(use);
    QCOMPARE(partial.code, 1);
    QVERIFY2(partial.err.contains(QStringLiteral("10 of %1 rows have no vector").arg(Topics)), qPrintable(partial.err));
    const Run switched = vwb(use + QStringList{QStringLiteral("--allow-missing")});
    QVERIFY2(switched.code == 0 && switched.out.contains(QStringLiteral("lexical-stem")), qPrintable(switched.out + switched.err));

    const auto listed = [&] {
        const Run list = vwb({QStringLiteral("column"), QStringLiteral("list"), QStringLiteral("--json")});
        QMap<QString, QJsonObject> byName;
        for (const QJsonValue &c : QJsonDocument::fromJson(list.out.toUtf8()).object().value(QStringLiteral("columns")).toArray())
            byName.insert(c[QStringLiteral("column")].toString(), c.toObject());
        return byName;
    };
    auto columns = listed();
    QCOMPARE(columns.size(), 2);
    QVERIFY(columns[QStringLiteral("alt")][QStringLiteral("in_use")].toBool());
    QVERIFY(!columns[QStringLiteral("vector")][QStringLiteral("in_use")].toBool());
    QCOMPARE(columns[QStringLiteral("alt")][QStringLiteral("filled")].toInt(), Topics - 10);
    QCOMPARE(columns[QStringLiteral("vector")][QStringLiteral("filled")].toInt(), Topics);
    QCOMPARE(columns[QStringLiteral("alt")][QStringLiteral("source")][QStringLiteral("provider")].toString(),
             QStringLiteral("lexical-stem"));

    // A search without --column now compares the query, embedded by the stemmed model, with alt.
    const QStringList explain{QStringLiteral("search"), QStringLiteral("bread"), QStringLiteral("--exact"), QStringLiteral("--explain")};
    const Run onAlt = vwb(explain);
    QVERIFY2(onAlt.code == 0 && onAlt.out.contains(QStringLiteral("alt <=>")), qPrintable(onAlt.out + onAlt.err));
    const Run searched = vwb({QStringLiteral("search"), QStringLiteral("bread"), QStringLiteral("--json")});
    QVERIFY2(searched.code == 0, qPrintable(searched.err));
    const QJsonObject result = QJsonDocument::fromJson(searched.out.toUtf8()).object();
    QVERIFY2(!result[QStringLiteral("results")].toArray().isEmpty() && result.contains(QStringLiteral("warnings"))
                 && !searched.out.contains(QStringLiteral("mean nothing")), // queries embedded by alt's own model
             qPrintable(searched.out));
    const Run named = vwb(explain + QStringList{QStringLiteral("--column"), QStringLiteral("vector")});
    QVERIFY2(named.code == 0 && named.out.contains(QStringLiteral("vector <=>")) && !named.out.contains(QStringLiteral("alt <=>")),
             qPrintable(named.out + named.err));
    // Back: naming the application's own column is the same as --reset, whatever its fill.
    VERIFY_OK(m_conn->exec(QStringLiteral("DELETE FROM %1.topic_vectors WHERE topic_id = 11").arg(m_schema)));
    QCOMPARE(vwb({QStringLiteral("column"), QStringLiteral("use"), QStringLiteral("vector")}).code, 0);
    columns = listed();
    QVERIFY(columns[QStringLiteral("vector")][QStringLiteral("in_use")].toBool());
    QCOMPARE(vwb(use + QStringList{QStringLiteral("--allow-missing")}).code, 0);
    QCOMPARE(vwb({QStringLiteral("column"), QStringLiteral("use"), QStringLiteral("--reset")}).code, 0);
    columns = listed();
    QVERIFY(columns[QStringLiteral("vector")][QStringLiteral("in_use")].toBool());
    QVERIFY(!vwb(explain).out.contains(QStringLiteral("alt <=>")));
}


void TestBackfillCli::aSearchBeforeAnyBackfillPrintsTheCommandThatFillsTheTable()
{
    const Run before = runVwb({QStringLiteral("search"), QStringLiteral("bread"), QStringLiteral("--url"), url()});
    QVERIFY2(before.code == 0, qPrintable(before.err));
    QVERIFY2(before.out.contains(QLatin1String("topic_vectors.vector holds no vectors yet")), qPrintable(before.out));
    QVERIFY2(!before.out.contains(QLatin1String("no ANN index")), qPrintable(before.out)); // the one note that matters
    const QString prefix = QStringLiteral("fill it with: vwb backfill --table %1.topics --url ").arg(m_schema);
    QString line;
    for (const QString &l : before.out.split(QLatin1Char('\n')))
        if (l.startsWith(prefix))
            line = l.mid(prefix.size());
    QVERIFY2(!line.isEmpty(), qPrintable(before.out));
    // The URL is one shell word (single-quoted: it holds ? and &) and names the same database.
    QVERIFY2(line.startsWith(QLatin1Char('\'')) && line.endsWith(QLatin1Char('\'')), qPrintable(line));
    const QString printedUrl = line.mid(1, line.size() - 2);
    QVERIFY(printedUrl.contains(QStringLiteral("search_path%3D%1").arg(m_schema)) || printedUrl.contains(m_schema));

    const Run filled = runVwb({QStringLiteral("backfill"), QStringLiteral("--table"), m_schema + QStringLiteral(".topics"),
                               QStringLiteral("--url"), printedUrl});
    QVERIFY2(filled.code == 0, qPrintable(filled.err));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM %1.topic_vectors").arg(m_schema)), Topics);
    const Run after = runVwb(
        {QStringLiteral("search"), QStringLiteral("bread"), QStringLiteral("--url"), url(), QStringLiteral("--json")});
    QVERIFY2(after.code == 0, qPrintable(after.err));
    const QJsonObject json = QJsonDocument::fromJson(after.out.toUtf8()).object();
    QCOMPARE(json[QStringLiteral("results")].toArray().size(), 10);
    QVERIFY(json[QStringLiteral("backfill_command")].isNull());
}

QTEST_GUILESS_MAIN(TestBackfillCli)
#include "tst_backfillcli.moc"
