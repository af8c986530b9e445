// app/search/SearchRanking.cpp
#include "search/SearchRanking.h"

#include <QRegularExpression>

namespace vwb {

const char *rankingName(Ranking ranking)
{
    switch (ranking) {
    case Ranking::Text: return "text";
    case Ranking::Hybrid: return "hybrid";
    case Ranking::Vector: break;
    }
    return "vector";
}

bool parseRanking(const QString &name, Ranking *out)
{
    for (Ranking r : {Ranking::Vector, Ranking::Text, Ranking::Hybrid}) {
        if (name.compare(QLatin1String(rankingName(r)), Qt::CaseInsensitive) == 0) {
            *out = r;
            return true;
        }
    }
    return false;
}

QString rankingDescription(Ranking ranking, const QString &metricName, const QString &textConfig, int rrfK)
{
    switch (ranking) {
    case Ranking::Text: return QStringLiteral("full text (ts_rank_cd, %1)").arg(textConfig);
    case Ranking::Hybrid:
        return QStringLiteral("hybrid: reciprocal rank fusion (k = %1) of vector similarity (%2) and full text (%3)")
            .arg(rrfK)
            .arg(metricName, textConfig);
    case Ranking::Vector: break;
    }
    return QStringLiteral("vector similarity (%1)").arg(metricName);
}

bool validTextConfig(const QString &name)
{
    static const QRegularExpression shape(QStringLiteral("^([a-z_][a-z0-9_]*\\.)?[a-z_][a-z0-9_]*$"));
    return name.size() <= 127 && shape.match(name).hasMatch();
}
} // namespace vwb
