// app/schema/ContentRoles.h
#pragma once

#include <QHash>
#include <QString>
#include <functional>

namespace vwb {
struct ContentPair;

/// Which columns of a content table play which part: its text, title, metadata and the column a
/// filter compares (the reference design's forum_name). Found by type and content, or chosen by
/// the user (RoleOverrides); an empty name means the table has none.
struct ContentRoles
{
    QString text;
    QString title;
    QString metadata;
    QString filter;
    /// The filter's value lives in a table the filter column points at — LangChain's collection_id
    /// → langchain_pg_collection(uuid).name: that table ("schema"."name" escaped later), its key and
    /// the column shown and compared.
    struct Lookup
    {
        QString schema, table, key, label;
        bool isSet() const { return !table.isEmpty(); }
        bool operator==(const Lookup &) const = default;
    } lookup;
    bool operator==(const ContentRoles &) const = default;
};

/// The roles read off a table's columns and their types (pg_type names): known names first
/// (content, document, text, chunk…; title, name, subject…; metadata, cmetadata, metadata_…;
/// forum_name), else by type. `textWidths` — the average length of each text column in a sample —
/// decides the text among unnamed candidates (the longest); empty, the first candidate wins.
ContentRoles detectRoles(const QStringList &columns, const QHash<QString, QString> &types, const QStringList &keyColumns,
                         const QHash<QString, double> &textWidths = {});
/// The filter is a text column of the table itself: matched ignoring case as the reference
/// service matches forum_name (its stored spellings, then `= ANY`). A lookup's label or a column
/// of another type (an integer tenant, a uuid) is compared exactly, as the server reads the value.
bool filterFoldsCase(const ContentPair &pair);
/// A column name that says "the row's text" (content, document, text, chunk…).
bool isTextName(const QString &column);
/// Text-typed columns (text, varchar, bpchar, citext, name) that are not key columns.
QStringList textColumns(const QStringList &columns, const QHash<QString, QString> &types, const QStringList &keyColumns);

/// The SQL a statement needs for each role, over a table alias, identifiers escaped by `quote`;
/// a missing role reads as NULL (or '' where a text is expected).
class RoleSql
{
public:
    using Quote = std::function<QString(const QString &)>;
    RoleSql(const ContentPair &pair, QString alias, Quote quote);

    QString text() const;                  // the whole text, or NULL
    QString snippet(int characters) const; // the start of the text, or ''
    QString title() const;                 // the title, else the text's first 120 characters, else ''
    QString metadata() const;              // as text, or NULL
    QString filterValue() const;           // the filter's value as text (through the lookup), or NULL
    /// The filter equals the parameter `placeholder` (one text or, with `anyOf`, a text[]).
    QString filterEquals(const QString &placeholder, bool anyOf = false) const;
    bool hasFilter() const;

private:
    ContentRoles m_roles;
    QString m_alias;
    Quote m_quote;
};
} // namespace vwb
