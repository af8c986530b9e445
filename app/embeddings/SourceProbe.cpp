// app/embeddings/SourceProbe.cpp
#include "embeddings/SourceProbe.h"

#include "connection/PgConnection.h"
#include "connection/SqlLiterals.h"
#include "schema/DatabaseSchema.h"
#include <cmath>

namespace vwb {

double cosineSimilarity(const Embedding &a, const Embedding &b)
{
    if (a.size() != b.size() || a.isEmpty())
        return 0;
    double dot = 0, na = 0, nb = 0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        dot += double(a.at(i)) * double(b.at(i));
        na += double(a.at(i)) * double(a.at(i));
        nb += double(b.at(i)) * double(b.at(i));
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0;
}

SourceProbe::Verdict probeVerdict(const QList<double> &cosines)
{
    if (cosines.isEmpty())
        return SourceProbe::Verdict::NoVectors;
    const auto same = std::count_if(cosines.begin(), cosines.end(), [](double c) { return c >= SourceProbe::SameCosine; });
    if (same == cosines.size())
        return SourceProbe::Verdict::Same;
    return same == 0 ? SourceProbe::Verdict::Different : SourceProbe::Verdict::Mixed;
}

QString SourceProbe::message() const
{
    const QString range = rows == 1 ? QString::number(minCosine, 'f', 3)
                                    : QStringLiteral("%1–%2").arg(minCosine, 0, 'f', 3).arg(maxCosine, 0, 'f', 3);
    switch (verdict) {
    case Verdict::NoVectors: return QStringLiteral("%1 holds no vectors to compare with yet").arg(column);
    case Verdict::Unknown:
        return QStringLiteral("%1 could not be compared with %2: it rejected a row's text (%3)").arg(column, source, why);
    case Verdict::Same:
        return QStringLiteral("%1 was filled by %2 (%3 rows re-embedded: cosine %4)").arg(column, source).arg(rows).arg(range);
    case Verdict::Different:
        return QStringLiteral("%1 was not filled by %2: %3 rows re-embedded with it came out different (cosine %4). "
                              "Another provider, model or text made these vectors; mixing them puts rows in two "
                              "spaces that do not compare")
            .arg(column, source)
            .arg(rows)
            .arg(range);
    case Verdict::Mixed:
        return QStringLiteral("%1 holds vectors of more than one source: %2 of %3 rows re-embedded with %4 match "
                              "(cosine %5)")
            .arg(column)
            .arg(matching)
            .arg(rows)
            .arg(source, range);
    }
    return {};
}

Result<SourceProbe> probeEmbeddingSource(PgConnection &conn, const ContentPair &pair, const QString &column, const EmbeddingText &text,
                                         EmbeddingProvider &provider, int sample)
{
    SourceProbe probe;
    probe.column = pair.vectors.display() + QLatin1Char('.') + column;
    probe.source = QStringLiteral("%1 %2 of %3").arg(provider.id(), provider.model(), text.display());
    auto table = [&conn](const TableRef &t) { return conn.escapeIdentifier(t.schema) + QLatin1Char('.') + conn.escapeIdentifier(t.name); };
    const auto quote = [&conn](const QString &s) { return conn.escapeIdentifier(s); };
    const KeySql key(pair.key, QStringLiteral("c"), quote);
    const QString c = table(pair.content), col = conn.escapeIdentifier(column);
    QString from = QStringLiteral("%1 c").arg(c), vector = QStringLiteral("c.%1").arg(col);
    QString fresh;
    if (!pair.isInline()) {
        from += QStringLiteral(" JOIN %1 v ON %2").arg(table(pair.vectors), pair.joinSql(QStringLiteral("v"), QStringLiteral("c"), quote));
        vector = QStringLiteral("v.%1").arg(col);
        if (pair.contentHas(QStringLiteral("updated_at")) && pair.vectorsHave(QStringLiteral("updated_at")))
            fresh = QStringLiteral(" AND v.updated_at >= c.updated_at"); // a stale vector is another text's
    }
    const QString expression = text.sqlExpression(conn);
    auto end = [&](const QString &direction, int n) { // one multi-arg call: nothing inserted is read as a marker
        return QStringLiteral("SELECT %1, %2, %3::text FROM %4 WHERE %3 IS NOT NULL%5 ORDER BY %6 LIMIT %7")
            .arg(key.text(), expression, vector, from, fresh, key.order(QLatin1Char(' ') + direction), QString::number(n));
    };
    const int half = std::max(1, sample / 2);
    auto rows = conn.exec(QStringLiteral("(%1) UNION ALL (%2)")
                              .arg(end(QStringLiteral("ASC"), half), end(QStringLiteral("DESC"), std::max(0, sample - half))));
    if (!rows.ok())
        return rows.error().withContext(QStringLiteral("reading rows to compare with %1").arg(probe.source));
    QStringList keys, texts;
    QList<Embedding> stored;
    for (const QStringList &r : rows.value().rows) {
        const Embedding vector = readVectorLiteral(r.at(2));
        if (keys.contains(r.at(0)) || vector.isEmpty())
            continue; // the same row from both ends of a small table, or a type not written "[...]" (sparsevec)
        keys << r.at(0);
        texts << r.at(1);
        stored << vector;
    }
    if (texts.isEmpty())
        return probe;
    auto made = provider.embed(texts);
    if (!made.ok() && made.error().kind == Error::Kind::Invalid) { // a text it refuses: the backfill reports those rows
        probe.verdict = SourceProbe::Verdict::Unknown;
        probe.why = made.error().message;
        return probe;
    }
    if (!made.ok())
        return made.error().withContext(QStringLiteral("embedding %1 rows to compare with %2").arg(texts.size()).arg(probe.column));
    QList<double> cosines;
    for (qsizetype i = 0; i < texts.size() && i < made.value().vectors.size(); ++i)
        cosines << cosineSimilarity(made.value().vectors.at(i), stored.at(i));
    probe.rows = int(cosines.size());
    probe.matching = int(std::count_if(cosines.begin(), cosines.end(), [](double x) { return x >= SourceProbe::SameCosine; }));
    probe.minCosine = *std::min_element(cosines.begin(), cosines.end());
    probe.maxCosine = *std::max_element(cosines.begin(), cosines.end());
    probe.verdict = probeVerdict(cosines);
    return probe;
}
} // namespace vwb
