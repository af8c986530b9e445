// app/connection/SqlLiterals.cpp
#include "connection/SqlLiterals.h"

#include <charconv>
#include <cmath>

namespace vwb {

QString textArrayLiteral(const QStringList &values)
{
    QStringList quoted;
    for (QString v : values)
        quoted << QLatin1Char('"') + v.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""))
                      + QLatin1Char('"');
    return QLatin1Char('{') + quoted.join(QLatin1Char(',')) + QLatin1Char('}');
}

void appendVectorLiteral(QByteArray &out, const QList<float> &values)
{
    char number[32];
    out += '[';
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            out += ',';
        const auto written = std::to_chars(number, number + sizeof number, values.at(i));
        out.append(number, written.ptr - number);
    }
    out += ']';
}

QList<float> readVectorLiteral(QStringView text)
{
    const QStringView t = text.trimmed();
    if (t.size() < 3 || !t.startsWith(QLatin1Char('[')) || !t.endsWith(QLatin1Char(']')))
        return {};
    QList<float> out;
    for (const QStringView part : t.mid(1, t.size() - 2).split(QLatin1Char(','))) {
        bool ok = false;
        const float v = part.trimmed().toFloat(&ok);
        if (!ok || !std::isfinite(v))
            return {};
        out << v;
    }
    return out;
}
} // namespace vwb
