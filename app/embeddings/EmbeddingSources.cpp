// app/embeddings/EmbeddingSources.cpp
#include "embeddings/EmbeddingSources.h"

#include "connection/PgConnection.h"
#include "embeddings/SourceProbe.h"
#include "metrics/SizeHistory.h"
#include "schema/DatabaseSchema.h"
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace vwb {

QString EmbeddingSource::describe() const
{
    return QStringLiteral("%1 %2, %3 dimensions, of %4")
        .arg(provider, model)
        .arg(dimensions)
        .arg(QString(text).replace(QLatin1Char('\n'), QStringLiteral("\\n")));
}

EmbeddingSources::EmbeddingSources(QString path)
    : m_db(std::move(path), QStringLiteral("Embedding sources"), QStringLiteral("embedding-sources"),
           [](QSqlDatabase &db) -> Result<void> {
               QSqlQuery q(db);
               if (!q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS sources (profile TEXT NOT NULL, column_name TEXT NOT NULL, "
                                          "filled_at INTEGER NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, "
                                          "dimensions INTEGER NOT NULL, text_template TEXT NOT NULL, rows INTEGER NOT NULL, "
                                          "PRIMARY KEY (profile, column_name, filled_at))")))
                   return Error::io(QStringLiteral("Embedding sources: creating its table failed: %1").arg(q.lastError().text()));
               return {};
           })
{
}

QString EmbeddingSources::defaultPath()
{
    if (const QString file = qEnvironmentVariable("VWB_EMBEDDING_SOURCES"); !file.isEmpty())
        return file;
    return LocalSqlite::dataFile(QStringLiteral("embedding-sources.sqlite"));
}

Result<void> EmbeddingSources::record(const QString &profile, const QString &column, const EmbeddingSource &s)
{
    auto name = m_db.connection();
    if (!name.ok())
        return name.error();
    QSqlQuery q(QSqlDatabase::database(name.value(), false));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO sources (profile, column_name, filled_at, provider, model, dimensions, "
                             "text_template, rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v :
         QVariantList{profile, column, (s.filledAt.isValid() ? s.filledAt : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch(),
                      s.provider, s.model, s.dimensions, s.text, s.rows})
        q.addBindValue(v);
    if (!q.exec())
        return m_db.error(QStringLiteral("recording a source"), q.lastError().text());
    return {};
}

Result<std::optional<EmbeddingSource>> EmbeddingSources::last(const QString &profile, const QString &column)
{
    auto name = m_db.connection();
    if (!name.ok())
        return name.error();
    QSqlQuery q(QSqlDatabase::database(name.value(), false));
    q.prepare(QStringLiteral("SELECT provider, model, dimensions, text_template, rows, filled_at FROM sources "
                             "WHERE profile = ? AND column_name = ? ORDER BY filled_at DESC LIMIT 1"));
    q.addBindValue(profile);
    q.addBindValue(column);
    if (!q.exec())
        return m_db.error(QStringLiteral("reading sources"), q.lastError().text());
    if (!q.next())
        return std::optional<EmbeddingSource>();
    EmbeddingSource s{q.value(0).toString(), q.value(1).toString(),   q.value(2).toInt(),
                      q.value(3).toString(), q.value(4).toLongLong(), QDateTime::fromMSecsSinceEpoch(q.value(5).toLongLong(), Qt::UTC)};
    return std::optional<EmbeddingSource>(s);
}

QString sourceColumnName(const ContentPair &pair, const QString &column)
{
    const QString name = column.isEmpty() && !pair.columns.isEmpty() ? pair.columns.first().name : column;
    return pair.vectors.schema + QLatin1Char('.') + pair.vectors.name + QLatin1Char('.') + name;
}

Result<EmbeddingText> resolveEmbeddingText(PgConnection &conn, const ContentPair &pair, const QString &column, const QString &spec,
                                           const QString &sourcesPath)
{
    if (!spec.isEmpty())
        return EmbeddingText::parse(spec, pair);
    if (!sourcesPath.isEmpty()) {
        EmbeddingSources sources(sourcesPath);
        auto last = sources.last(SizeHistory::profileKey(conn.profile()), sourceColumnName(pair, column));
        if (!last.ok())
            return last.error();
        if (last.value()) {
            if (auto recorded = EmbeddingText::parse(last.value()->text, pair); recorded.ok())
                return recorded;
        }
    }
    return EmbeddingText::defaultFor(pair);
}

Result<QString> searchSourceWarning(PgConnection &conn, const ContentPair &pair, const QString &columnName, EmbeddingProvider &provider,
                                    const QString &sourcesPath)
{
    if (pair.columns.isEmpty())
        return QString();
    const QString column = sourceColumnName(pair, columnName);
    const QString searched = columnName.isEmpty() ? pair.columns.first().name : columnName;
    const QString profile = SizeHistory::profileKey(conn.profile());
    std::optional<EmbeddingSource> recorded;
    if (!sourcesPath.isEmpty()) {
        auto last = EmbeddingSources(sourcesPath).last(profile, column);
        if (!last.ok())
            return last.error();
        recorded = last.value();
        if (recorded && recorded->provider == provider.id() && recorded->model == provider.model())
            return QString();
    }
    auto text = resolveEmbeddingText(conn, pair, columnName, {}, sourcesPath);
    if (!text.ok())
        return text.error();
    auto probe = probeEmbeddingSource(conn, pair, searched, text.value(), provider);
    if (!probe.ok())
        return probe.error();
    if (probe.value().verdict == SourceProbe::Verdict::Same && !sourcesPath.isEmpty()) {
        const EmbeddingSource verified{
            provider.id(), provider.model(), provider.dimensions(), text.value().templateText(), 0, QDateTime::currentDateTimeUtc()};
        (void)EmbeddingSources(sourcesPath).record(profile, column, verified); // a lost record only costs a probe
    }
    if (!probe.value().conflicts())
        return QString();
    return QStringLiteral("the query is embedded by %1 %2, but %3%4: similarities between the two mean nothing")
        .arg(provider.id(), provider.model(), probe.value().message(),
             recorded ? QStringLiteral(" (last filled here by %1)").arg(recorded->describe()) : QString());
}
} // namespace vwb
