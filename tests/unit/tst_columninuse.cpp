// tests/unit/tst_columninuse.cpp — the switch of a model change without a server: the column in use
// kept per profile and table, provider names (with an OpenAI model of their own), and the checks
// switchColumn() makes before a column is searched.
#include "embeddings/ColumnStatus.h"
#include "embeddings/ProviderChoice.h"
#include <QTemporaryDir>
#include <QTest>

using namespace vwb;

namespace {
ColumnStatus status(const QString &name, qint64 rows, qint64 filled, const QString &provider = {}, const QString &model = {})
{
    ColumnStatus s;
    s.column.name = name;
    s.column.type = QStringLiteral("vector");
    s.column.dimensions = 8;
    s.rows = rows;
    s.filled = filled;
    if (!provider.isEmpty())
        s.source = EmbeddingSource{provider, model, 8, QStringLiteral("{content}"), filled, QDateTime::currentDateTimeUtc()};
    return s;
}
} // namespace

class TestColumnInUse : public QObject
{
    Q_OBJECT
private slots:
    void keptPerProfileAndTable()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("embeddings.ini"));
        const QString profile = QStringLiteral("prod/eu"), table = QStringLiteral("public.topics");
        QVERIFY(!ColumnInUse::load(ini, profile, table));
        const ColumnInUse stem{QStringLiteral("alt"), QStringLiteral("lexical-stem")};
        QVERIFY(stem.save(ini, profile, table).ok());
        QCOMPARE(*ColumnInUse::load(ini, profile, table), stem);
        QVERIFY(!ColumnInUse::load(ini, QStringLiteral("prod"), table)); // '/' in a name is not a subgroup
        QVERIFY(!ColumnInUse::load(ini, profile, QStringLiteral("public.posts")));
        // The provider settings of the same profile, saved after, leave it alone.
        ProviderSettings settings;
        QVERIFY(settings.save(ini, profile).ok());
        QVERIFY(ColumnInUse::load(ini, profile, table));
        const auto bad = ColumnInUse{QStringLiteral("alt"), QStringLiteral("gpt")}.save(ini, profile, table);
        QVERIFY(!bad.ok() && bad.error().message.contains(QStringLiteral("gpt")));
        QVERIFY(ColumnInUse::clear(ini, profile, table).ok());
        QVERIFY(!ColumnInUse::load(ini, profile, table));
    }

    void providerNames()
    {
        for (const char *good : {"lexical", "lexical-stem", "openai", "openai:text-embedding-3-large", "openai:nomic-ai/nomic-embed"})
            QVERIFY2(validProviderName(QLatin1String(good)), good);
        for (const char *bad : {"", "openai:", "openai: x", "lexical-stemmed", "OpenAI"})
            QVERIFY2(!validProviderName(QLatin1String(bad)), bad);
        const ProviderSettings large = providerFor(QStringLiteral("openai:text-embedding-3-large"), 1024);
        QCOMPARE(large.provider, QStringLiteral("openai"));
        QCOMPARE(large.model, QStringLiteral("text-embedding-3-large"));
        QCOMPARE(large.dimensions, 1024); // shortened to the column
        QCOMPARE(
            providerNameOf(*status(QStringLiteral("c"), 1, 1, QStringLiteral("openai"), QStringLiteral("text-embedding-3-large")).source),
            QStringLiteral("openai:text-embedding-3-large"));
        QCOMPARE(providerNameOf(*status(QStringLiteral("c"), 1, 1, QStringLiteral("lexical"), QStringLiteral("lexical-stem-v1")).source),
                 QStringLiteral("lexical-stem"));
        QCOMPARE(providerNameOf(*status(QStringLiteral("c"), 1, 1, QStringLiteral("lexical"), QStringLiteral("lexical-hash-v1")).source),
                 QStringLiteral("lexical"));
    }

    void switchChecks()
    {
        const QList<ColumnStatus> columns{
            status(QStringLiteral("vector"), 10, 10),
            status(QStringLiteral("alt"), 10, 8, QStringLiteral("lexical"), QStringLiteral("lexical-stem-v1")),
            status(QStringLiteral("empty"), 10, 0),
            status(QStringLiteral("big"), 10, 10, QStringLiteral("openai"), QStringLiteral("text-embedding-3-large")),
            status(QStringLiteral("unknown"), 10, 10)};
        const auto message = [&](const QString &column, const QString &provider, bool allowMissing) {
            auto r = switchColumn(columns, column, provider, allowMissing);
            return r.ok() ? QStringLiteral("ok ") + r.value().provider : r.error().message;
        };
        QVERIFY(message(QStringLiteral("nope"), {}, true).contains(QStringLiteral("no vector column")));
        QVERIFY(message(QStringLiteral("empty"), QStringLiteral("lexical"), true).contains(QStringLiteral("empty is empty")));
        QVERIFY(message(QStringLiteral("alt"), {}, false).contains(QStringLiteral("2 of 10 rows")));
        QCOMPARE(message(QStringLiteral("alt"), {}, true), QStringLiteral("ok lexical-stem")); // the provider that filled it
        QVERIFY(message(QStringLiteral("alt"), QStringLiteral("lexical"), true).contains(QStringLiteral("another model")));
        QCOMPARE(message(QStringLiteral("big"), QStringLiteral("openai"), false), QStringLiteral("ok openai:text-embedding-3-large"));
        QVERIFY(
            message(QStringLiteral("big"), QStringLiteral("openai:text-embedding-3-small"), false).contains(QStringLiteral("another")));
        QVERIFY(message(QStringLiteral("unknown"), {}, false).contains(QStringLiteral("Nothing records")));
        QCOMPARE(message(QStringLiteral("unknown"), QStringLiteral("lexical"), false), QStringLiteral("ok lexical"));
    }
};

QTEST_GUILESS_MAIN(TestColumnInUse)
#include "tst_columninuse.moc"
