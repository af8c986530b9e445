// app/schema/ContentRoles.cpp
#include "schema/ContentRoles.h"

#include "schema/DatabaseSchema.h"

namespace vwb {
namespace {
const QStringList TextNames{QStringLiteral("content"), QStringLiteral("document"), QStringLiteral("text"), QStringLiteral("page_content"),
                            QStringLiteral("chunk"),   QStringLiteral("body"),     QStringLiteral("raw"),  QStringLiteral("description")};
const QStringList TitleNames{QStringLiteral("title"), QStringLiteral("subject"), QStringLiteral("heading"), QStringLiteral("headline"),
                             QStringLiteral("name")};
const QStringList MetadataNames{QStringLiteral("metadata"), QStringLiteral("cmetadata"), QStringLiteral("metadata_"),
                                QStringLiteral("meta"), QStringLiteral("attributes")};
const QStringList FilterNames{QStringLiteral("forum_name"), QStringLiteral("forum"),     QStringLiteral("collection"),
                              QStringLiteral("category"),   QStringLiteral("namespace"), QStringLiteral("tenant")};

QString firstNamed(const QStringList &names, const QStringList &candidates)
{
    for (const QString &n : names)
        if (candidates.contains(n))
            return n;
    return {};
}
} // namespace

bool filterFoldsCase(const ContentPair &pair)
{
    static const QStringList textTypes{QStringLiteral("text"), QStringLiteral("varchar"), QStringLiteral("bpchar"),
                                       QStringLiteral("citext"), QStringLiteral("name")};
    return !pair.roles.filter.isEmpty() && !pair.roles.lookup.isSet() && textTypes.contains(pair.contentTypes.value(pair.roles.filter));
}

bool isTextName(const QString &column)
{
    return TextNames.contains(column);
}

QStringList textColumns(const QStringList &columns, const QHash<QString, QString> &types, const QStringList &keyColumns)
{
    static const QStringList textTypes{QStringLiteral("text"), QStringLiteral("varchar"), QStringLiteral("bpchar"),
                                       QStringLiteral("citext"), QStringLiteral("name")};
    QStringList out;
    for (const QString &c : columns)
        if (textTypes.contains(types.value(c)) && !keyColumns.contains(c))
            out << c;
    return out;
}

ContentRoles detectRoles(const QStringList &columns, const QHash<QString, QString> &types, const QStringList &keyColumns,
                         const QHash<QString, double> &textWidths)
{
    ContentRoles r;
    const QStringList texts = textColumns(columns, types, keyColumns);
    r.filter = firstNamed(FilterNames, texts);
    r.title = firstNamed(TitleNames, texts);
    r.text = firstNamed(TextNames, texts);
    if (r.text.isEmpty()) {
        double widest = -1;
        for (const QString &c : texts) {
            if (c == r.title || c == r.filter)
                continue;
            const double width = textWidths.value(c, 0);
            if (width > widest) {
                widest = width;
                r.text = c;
            }
        }
    }
    if (r.text.isEmpty() && !r.title.isEmpty()) // a table of names only: the name is its text
        r.text = std::exchange(r.title, QString());
    QStringList json;
    for (const QString &c : columns)
        if (types.value(c) == QLatin1String("jsonb") || types.value(c) == QLatin1String("json"))
            json << c;
    r.metadata = firstNamed(MetadataNames, json);
    if (r.metadata.isEmpty() && !json.isEmpty())
        r.metadata = json.first();
    return r;
}

RoleSql::RoleSql(const ContentPair &pair, QString alias, Quote quote)
    : m_roles(pair.roles), m_alias(std::move(alias)), m_quote(std::move(quote))
{
}

QString RoleSql::text() const
{
    return m_roles.text.isEmpty() ? QStringLiteral("NULL::text") : QStringLiteral("%1.%2::text").arg(m_alias, m_quote(m_roles.text));
}

QString RoleSql::snippet(int characters) const
{
    return m_roles.text.isEmpty() ? QStringLiteral("''") : QStringLiteral("left(%1, %2)").arg(text(), QString::number(characters));
}

QString RoleSql::title() const
{
    if (!m_roles.title.isEmpty())
        return QStringLiteral("%1.%2::text").arg(m_alias, m_quote(m_roles.title));
    return snippet(120);
}

QString RoleSql::metadata() const
{
    return m_roles.metadata.isEmpty() ? QStringLiteral("NULL::text")
                                      : QStringLiteral("%1.%2::text").arg(m_alias, m_quote(m_roles.metadata));
}

bool RoleSql::hasFilter() const
{
    return !m_roles.filter.isEmpty();
}

QString RoleSql::filterValue() const
{
    if (m_roles.filter.isEmpty())
        return QStringLiteral("NULL::text");
    const QString column = m_alias + QLatin1Char('.') + m_quote(m_roles.filter);
    if (!m_roles.lookup.isSet())
        return column + QStringLiteral("::text");
    return QStringLiteral("(SELECT l.%1::text FROM %2.%3 l WHERE l.%4 = %5)")
        .arg(m_quote(m_roles.lookup.label), m_quote(m_roles.lookup.schema), m_quote(m_roles.lookup.table), m_quote(m_roles.lookup.key),
             column);
}

QString RoleSql::filterEquals(const QString &placeholder, bool anyOf) const
{
    const QString column = m_alias + QLatin1Char('.') + m_quote(m_roles.filter);
    const QString match = anyOf ? QStringLiteral(" = ANY(%1::text[])").arg(placeholder) : QStringLiteral(" = %1").arg(placeholder);
    if (!m_roles.lookup.isSet())
        return (anyOf ? column + QStringLiteral("::text") : column) + match;
    // Through the lookup: the few keys whose label matches, then an equality on the column.
    return QStringLiteral("%1 IN (SELECT l.%2 FROM %3.%4 l WHERE l.%5::text%6)")
        .arg(column, m_quote(m_roles.lookup.key), m_quote(m_roles.lookup.schema), m_quote(m_roles.lookup.table),
             m_quote(m_roles.lookup.label), match);
}
} // namespace vwb
