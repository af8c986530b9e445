// app/eval/EvalConfig.cpp
#include "eval/EvalConfig.h"

#include <QRegularExpression>
#include <cmath>

namespace vwb {

const char *evalModeName(EvalMode mode)
{
    return mode == EvalMode::Rerank ? "rerank" : "full";
}

bool parseEvalMode(const QString &name, EvalMode *out)
{
    if (name == QLatin1String("full") || name == QLatin1String("rerank")) {
        *out = name == QLatin1String("rerank") ? EvalMode::Rerank : EvalMode::Full;
        return true;
    }
    return false;
}

QJsonObject EvalConfig::toJson() const
{
    QJsonObject o{{QStringLiteral("type"), type},
                  {QStringLiteral("provider"), provider},
                  {QStringLiteral("exact"), exact},
                  {QStringLiteral("limit"), limit},
                  {QStringLiteral("ranking"), QLatin1String(rankingName(ranking))},
                  {QStringLiteral("mode"), QLatin1String(evalModeName(mode))}};
    if (!column.isEmpty())
        o.insert(QStringLiteral("column"), column);
    if (metric)
        o.insert(QStringLiteral("metric"), QLatin1String(metricInfo(*metric).name));
    if (efSearch > 0)
        o.insert(QStringLiteral("ef_search"), efSearch);
    if (probes > 0)
        o.insert(QStringLiteral("probes"), probes);
    if (iterativeScan)
        o.insert(QStringLiteral("iterative_scan"), true);
    if (std::isfinite(threshold))
        o.insert(QStringLiteral("threshold"), threshold);
    if (ranking != Ranking::Vector)
        o.insert(QStringLiteral("text_config"), textConfig);
    if (ranking == Ranking::Hybrid)
        o.insert(QStringLiteral("rrf_k"), rrfK);
    if (!collapseKey.isEmpty())
        o.insert(QStringLiteral("collapse_key"), collapseKey);
    return o;
}

Result<EvalConfig> EvalConfig::fromJson(const QJsonObject &o)
{
    EvalConfig c;
    auto bad = [](const char *field) {
        return Error::invalid(QStringLiteral("The configuration's %1 is not valid").arg(QLatin1String(field)));
    };
    c.type = o.value(QStringLiteral("type")).toString(c.type);
    c.column = o.value(QStringLiteral("column")).toString();
    c.provider = o.value(QStringLiteral("provider")).toString(c.provider);
    if (o.contains(QStringLiteral("metric"))) {
        SearchMetric m;
        if (!parseMetric(o.value(QStringLiteral("metric")).toString(), &m))
            return bad("metric");
        c.metric = m;
    }
    c.exact = o.value(QStringLiteral("exact")).toBool();
    c.efSearch = o.value(QStringLiteral("ef_search")).toInt();
    c.probes = o.value(QStringLiteral("probes")).toInt();
    c.iterativeScan = o.value(QStringLiteral("iterative_scan")).toBool();
    c.limit = o.value(QStringLiteral("limit")).toInt(c.limit);
    if (o.contains(QStringLiteral("threshold")))
        c.threshold = o.value(QStringLiteral("threshold")).toDouble();
    if (!parseRanking(o.value(QStringLiteral("ranking")).toString(QStringLiteral("vector")), &c.ranking))
        return bad("ranking");
    c.textConfig = o.value(QStringLiteral("text_config")).toString(c.textConfig);
    c.rrfK = o.value(QStringLiteral("rrf_k")).toInt(c.rrfK);
    if (!parseEvalMode(o.value(QStringLiteral("mode")).toString(QStringLiteral("full")), &c.mode))
        return bad("mode");
    c.collapseKey = o.value(QStringLiteral("collapse_key")).toString();
    if (auto valid = c.validate(); !valid.ok())
        return valid.error();
    return c;
}

Result<void> EvalConfig::validate() const
{
    if (type.trimmed().isEmpty())
        return Error::invalid(QStringLiteral("Name the content table to evaluate (topic, post, …)"));
    if (limit < 1 || limit > 10000)
        return Error::invalid(QStringLiteral("The limit must be 1-10000 (got %1)").arg(limit));
    if (efSearch < 0 || efSearch > 1000)
        return Error::invalid(QStringLiteral("ef_search must be 1-1000 (got %1)").arg(efSearch));
    if (probes < 0)
        return Error::invalid(QStringLiteral("probes must be positive (got %1)").arg(probes));
    if (std::isnan(threshold))
        return Error::invalid(QStringLiteral("The threshold must be a number"));
    if (!validTextConfig(textConfig))
        return Error::invalid(QStringLiteral("\"%1\" is not a text search configuration name").arg(textConfig));
    if (rrfK < 1 || rrfK > 100000)
        return Error::invalid(QStringLiteral("The rank fusion constant must be 1-100000 (got %1)").arg(rrfK));
    static const QRegularExpression key(QStringLiteral("^[A-Za-z0-9_.-]{1,63}$"));
    if (!collapseKey.isEmpty() && !key.match(collapseKey).hasMatch())
        return Error::invalid(QStringLiteral("\"%1\" is not a metadata key to collapse by (letters, digits, _ . -)").arg(collapseKey));
    return {};
}

QString EvalConfig::summary() const
{
    QStringList parts;
    parts << (ranking == Ranking::Text     ? QStringLiteral("text (%1)").arg(textConfig)
              : ranking == Ranking::Hybrid ? QStringLiteral("hybrid k=%1").arg(rrfK)
                                           : QStringLiteral("vector"));
    if (ranking != Ranking::Text) {
        parts << (metric ? QLatin1String(metricInfo(*metric).name) : QLatin1String("index metric"));
        parts << provider;
        if (!column.isEmpty())
            parts << column;
        if (exact)
            parts << QStringLiteral("exact");
        if (efSearch > 0)
            parts << QStringLiteral("ef_search %1").arg(efSearch);
        if (probes > 0)
            parts << QStringLiteral("probes %1").arg(probes);
        if (iterativeScan)
            parts << QStringLiteral("iterative");
        if (std::isfinite(threshold))
            parts << QStringLiteral("≥ %1").arg(threshold);
    }
    parts << (mode == EvalMode::Rerank ? QStringLiteral("re-rank") : QStringLiteral("top %1").arg(limit));
    if (!collapseKey.isEmpty())
        parts << QStringLiteral("collapse %1").arg(collapseKey);
    return parts.join(QStringLiteral(" · "));
}
} // namespace vwb
