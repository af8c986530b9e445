// app/data/ImportFields.cpp
#include "data/ImportFields.h"

#include "schema/DatabaseSchema.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>

namespace vwb {

Result<RowKey> importRowKey(const QJsonObject &fields, const KeyShape &shape, const QStringList &aliases)
{
    if (shape.columns.isEmpty())
        return Error::invalid(QStringLiteral("the table has no key to import rows by"));
    QStringList parts;
    for (qsizetype i = 0; i < shape.columns.size(); ++i) {
        const QString column = shape.columns.at(i);
        QString field = column;
        if (!shape.isComposite() && !fields.contains(field))
            for (const QString &alias : aliases)
                if (fields.contains(alias)) {
                    field = alias;
                    break;
                }
        QString why;
        const std::optional<QString> part = importKeyPart(fields.value(field), shape.types.value(i), &why);
        if (!part)
            return Error::invalid(QStringLiteral("%1: %2").arg(field, why));
        if (part->isEmpty()) {
            const QString named = shape.isComposite() || aliases.isEmpty()
                                      ? column
                                      : column + QStringLiteral(" (or ") + aliases.join(QStringLiteral(", ")) + QLatin1Char(')');
            return Error::invalid(QStringLiteral("no %1 (an import keeps the rows' own keys)").arg(named));
        }
        parts << *part;
    }
    if (!shape.isComposite())
        return parts.first();
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(parts)).toJson(QJsonDocument::Compact));
}

QHash<QString, QStringList> importColumnSources(const QStringList &columns, const QSet<QString> &fields,
                                                const QHash<QString, QStringList> &aliases, QStringList *ignored)
{
    QHash<QString, QStringList> source;
    QSet<QString> used;
    for (const QString &column : columns) {
        QStringList from;
        if (fields.contains(column))
            from << column;
        for (const QString &alias : aliases.value(column))
            if (fields.contains(alias) && !columns.contains(alias))
                from << alias;
        if (!from.isEmpty()) {
            source.insert(column, from);
            for (const QString &f : from)
                used.insert(f);
        }
    }
    if (ignored) {
        for (const QString &f : fields)
            if (!used.contains(f))
                *ignored << f;
        ignored->sort();
    }
    return source;
}

QHash<QString, QStringList> importAliases(const ContentPair &pair, const QString &vectorColumn)
{
    QHash<QString, QStringList> aliases;
    const auto add = [&aliases](const QString &column, const QStringList &names) {
        if (!column.isEmpty())
            aliases[column] << names;
    };
    add(pair.roles.text, {QStringLiteral("content")});
    add(pair.roles.title, {QStringLiteral("title")});
    add(pair.roles.metadata, {QStringLiteral("metadata")});
    if (!pair.roles.lookup.isSet())
        add(pair.roles.filter, {QStringLiteral("forum_name")});
    if (!pair.key.isComposite())
        add(pair.key.columns.value(0), {QStringLiteral("id")});
    if (pair.isInline())
        add(vectorColumn, {QStringLiteral("vector")});
    return aliases;
}
} // namespace vwb
