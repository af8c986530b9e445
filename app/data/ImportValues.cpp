// app/data/ImportValues.cpp
#include "data/ImportValues.h"

#include "connection/SqlLiterals.h"
#include "schema/RowKey.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <algorithm>
#include <limits>

namespace vwb {
namespace {

QString shown(const QJsonValue &value)
{
    if (value.isString())
        return QLatin1Char('"') + value.toString().left(60) + QLatin1Char('"');
    const QJsonDocument doc = value.isObject() ? QJsonDocument(value.toObject()) : QJsonDocument(QJsonArray{value});
    QString text = QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
    if (!value.isObject())
        text = text.mid(1, text.size() - 2);
    return text.left(60);
}
} // namespace

std::optional<QString> importKeyPart(const QJsonValue &value, const QString &type, QString *why)
{
    if (value.isNull() || value.isUndefined())
        return QString();
    if (value.isDouble()) {
        const double d = value.toDouble();
        // Whole numbers up to 2^53 survive JSON as doubles; larger ones must be written as text.
        if (d != std::floor(d) || std::fabs(d) > 9007199254740992.0) {
            *why = QStringLiteral("%1 is not a whole number a key can hold exactly (write large keys as text)").arg(shown(value));
            return std::nullopt;
        }
        if (type == QLatin1String("uuid")) {
            *why = QStringLiteral("%1 is not a uuid").arg(shown(value));
            return std::nullopt;
        }
        if (!isIntegerKeyType(type))
            return QString::number(qint64(d));
    }
    if (!value.isString() && !value.isDouble()) {
        *why = QStringLiteral("%1 is not a key value (a number or a text)").arg(shown(value));
        return std::nullopt;
    }
    const QString text = value.isDouble() ? QString::number(qint64(value.toDouble())) : value.toString().trimmed();
    if (text.isEmpty())
        return text;
    if (isIntegerKeyType(type)) {
        bool ok = false;
        const qint64 n = text.toLongLong(&ok);
        if (!ok || (type == QLatin1String("int4") && (n < INT32_MIN || n > INT32_MAX))
            || (type == QLatin1String("int2") && (n < INT16_MIN || n > INT16_MAX))) {
            *why = QStringLiteral("%1 is not a whole number that fits %2").arg(shown(value), type);
            return std::nullopt;
        }
        return QString::number(n);
    }
    if (type == QLatin1String("uuid")) {
        // As PostgreSQL reads one: 32 hex digits, braces and hyphens optional; printed lower-case.
        QString hex = text.toLower();
        if (hex.startsWith(QLatin1Char('{')) && hex.endsWith(QLatin1Char('}')))
            hex = hex.mid(1, hex.size() - 2);
        hex.remove(QLatin1Char('-'));
        const bool isHex = std::all_of(hex.cbegin(), hex.cend(), [](QChar c) { return c.isDigit() || (c >= u'a' && c <= u'f'); });
        if (hex.size() != 32 || !isHex) {
            *why = QStringLiteral("%1 is not a uuid").arg(shown(value));
            return std::nullopt;
        }
        return QStringLiteral("%1-%2-%3-%4-%5").arg(hex.left(8), hex.mid(8, 4), hex.mid(12, 4), hex.mid(16, 4), hex.mid(20));
    }
    return value.toString(); // a text key keeps its spaces: they are part of it
}

Result<QString> importVectorText(const QJsonValue &value, int dimensions, const QString &where)
{
    const QJsonArray v = value.toArray();
    if (v.isEmpty())
        return Error::invalid(value.isUndefined() || value.isNull() ? QStringLiteral("no vector")
                                                                    : QStringLiteral("the vector is not a JSON array of numbers"));
    if (dimensions > 0 && v.size() != dimensions)
        return Error::invalid(QStringLiteral("the vector has %1 dimensions but %2 has %3").arg(v.size()).arg(where).arg(dimensions));
    for (qsizetype i = 0; i < v.size(); ++i) {
        if (!v.at(i).isDouble() || !std::isfinite(v.at(i).toDouble()))
            return Error::invalid(QStringLiteral("value %1 of the vector is not a finite number").arg(i + 1));
        // pgvector keeps floats: a larger number is refused by the server, after the rows before it were sent.
        if (std::fabs(v.at(i).toDouble()) > double(std::numeric_limits<float>::max()))
            return Error::invalid(QStringLiteral("value %1 of the vector (%2) is larger than a vector holds (±3.4e38)")
                                      .arg(i + 1)
                                      .arg(v.at(i).toDouble(), 0, 'g', 4));
    }
    // As floats, the server's own: what is sent is what is stored (1e-50 becomes 0 here, not there).
    QList<float> floats;
    floats.reserve(v.size());
    for (const QJsonValue &x : v)
        floats << float(x.toDouble());
    QByteArray text;
    appendVectorLiteral(text, floats);
    return QString::fromLatin1(text);
}
} // namespace vwb
