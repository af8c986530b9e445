// app/schema/RowKey.cpp
#include "schema/RowKey.h"

#include "connection/SqlLiterals.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>

namespace vwb {
bool isIntegerKeyType(const QString &type)
{
    return type == QLatin1String("int2") || type == QLatin1String("int4") || type == QLatin1String("int8");
}

bool KeyShape::isInteger() const
{
    return columns.size() == 1 && isIntegerKeyType(types.value(0));
}

QString KeyShape::describe() const
{
    QStringList parts;
    for (qsizetype i = 0; i < columns.size(); ++i)
        parts << columns.at(i) + QLatin1Char(' ') + types.value(i);
    return parts.size() == 1 ? parts.first() : QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
}

KeySql::KeySql(KeyShape shape, QString alias, Quote quote)
    : m_shape(std::move(shape)), m_alias(std::move(alias)), m_quote(std::move(quote))
{
}

QString KeySql::text() const
{
    if (!m_shape.isComposite())
        return m_alias + QLatin1Char('.') + m_quote(m_shape.columns.value(0)) + QStringLiteral("::text");
    QStringList parts;
    for (const QString &c : m_shape.columns)
        parts << QStringLiteral("to_json(%1.%2::text)::text").arg(m_alias, m_quote(c));
    return QStringLiteral("concat('[', %1, ']')").arg(parts.join(QStringLiteral(", ',', ")));
}

QString KeySql::columns() const
{
    QStringList parts;
    for (const QString &c : m_shape.columns)
        parts << m_alias + QLatin1Char('.') + m_quote(c);
    return parts.size() == 1 ? parts.first() : QLatin1Char('(') + parts.join(QStringLiteral(", ")) + QLatin1Char(')');
}

QString KeySql::order(const QString &direction) const
{
    QStringList parts;
    for (const QString &c : m_shape.columns)
        parts << m_alias + QLatin1Char('.') + m_quote(c) + direction;
    return parts.join(QStringLiteral(", "));
}

QString KeySql::compare(const QString &op, const RowKey &key, QVariantList &params) const
{
    QStringList placeholders;
    for (const QString &part : keyParts(m_shape, key)) {
        params << part;
        placeholders << QStringLiteral("$%1").arg(params.size());
    }
    const QString right = placeholders.size() == 1 ? placeholders.first()
                                                   : QLatin1Char('(') + placeholders.join(QStringLiteral(", ")) + QLatin1Char(')');
    return columns() + QLatin1Char(' ') + op + QLatin1Char(' ') + right;
}

QString KeySql::in(const QList<RowKey> &keys, QVariantList &params) const
{
    params << textArrayLiteral(keys);
    // One column: its own type's array, so an index on the key serves it. Composite: compared as
    // key texts (no index, but the lists this takes are short: a query's judged candidates).
    const QString placeholder = QString::number(params.size());
    return m_shape.isComposite() ? QStringLiteral("%1 = ANY($%2::text[])").arg(text(), placeholder)
                                 : QStringLiteral("%1 = ANY($%2)").arg(columns(), placeholder);
}

Result<RowKey> parseKey(const KeyShape &shape, const QString &text)
{
    const QString t = text.trimmed();
    if (shape.columns.isEmpty())
        return Error::invalid(QStringLiteral("This table has no key to look rows up by"));
    if (!shape.isComposite()) {
        if (t.isEmpty())
            return Error::invalid(QStringLiteral("Give a value of the key %1").arg(shape.describe()));
        if (shape.isInteger()) {
            bool ok = false;
            t.toLongLong(&ok);
            if (!ok)
                return Error::invalid(QStringLiteral("\"%1\" is not a value of the key %2: a whole number").arg(text, shape.describe()));
        }
        return t;
    }
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(t.toUtf8(), &error);
    const QJsonArray array = doc.array();
    bool fits = error.error == QJsonParseError::NoError && doc.isArray() && array.size() == shape.columns.size();
    QJsonArray texts;
    for (const QJsonValue &v : array) {
        fits = fits && (v.isString() || (v.isDouble() && v.toDouble() == std::floor(v.toDouble()))); // 1.5 is no key part: say so
        texts.append(v.isDouble() ? QString::number(v.toInteger(qint64(v.toDouble()))) : v.toString());
    }
    if (!fits)
        return Error::invalid(QStringLiteral("\"%1\" is not a value of the key %2: write a JSON array of %3 values, [\"…\", …]")
                                  .arg(text, shape.describe())
                                  .arg(shape.columns.size()));
    return QString::fromUtf8(QJsonDocument(texts).toJson(QJsonDocument::Compact));
}

QStringList keyParts(const KeyShape &shape, const RowKey &key)
{
    if (!shape.isComposite())
        return {key};
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(key.toUtf8()).array())
        out << (v.isDouble() ? QString::number(v.toInteger(qint64(v.toDouble()))) : v.toString());
    return out;
}

QJsonValue keyJson(const KeyShape &shape, const RowKey &key)
{
    if (shape.isInteger()) {
        bool ok = false;
        const qint64 n = key.toLongLong(&ok);
        return ok ? QJsonValue(n) : QJsonValue(key);
    }
    if (shape.isComposite())
        return QJsonDocument::fromJson(key.toUtf8()).array();
    return key;
}
} // namespace vwb
