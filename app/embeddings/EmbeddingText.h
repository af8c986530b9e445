// app/embeddings/EmbeddingText.h
#pragma once

#include "core/Result.h"
#include <QHash>
#include <QStringList>

namespace vwb {
class PgConnection;
struct ContentPair;

/// What text of a content row gets embedded: a template of its columns, `{content}` or
/// `{title}\n\n{content}`, with literal text between placeholders (a NULL column reads as empty).
/// It must be what the application embeds, or the workbench's vectors and the application's live in
/// different spaces: the reference design's service embeds `content` alone.
class EmbeddingText
{
public:
    /// `spec`: a column name ("content") or a template with {column} placeholders; "\n" in it is
    /// a newline. Every placeholder must name a column of the pair's content table.
    static Result<EmbeddingText> parse(const QString &spec, const ContentPair &pair);
    /// The table's text column (`{content}` in the reference design, whose service embeds that),
    /// else its title.
    static EmbeddingText defaultFor(const ContentPair &pair);

    const QString &templateText() const { return m_template; } // "{title}\n\n{content}" (real newlines)
    QString display() const;                                   // the template with \n written out
    QStringList columns() const;
    /// The text as an SQL expression over the content table's alias `c`.
    QString sqlExpression(PgConnection &conn) const;
    /// Pure: the text for one row from its column values.
    QString render(const QHash<QString, QString> &values) const;
    bool operator==(const EmbeddingText &other) const { return m_template == other.m_template; }

private:
    struct Part
    {
        bool column = false;
        QString text; // the literal, or the column name
    };
    QString m_template;
    QList<Part> m_parts;
    static QList<Part> split(const QString &templ, QString *error);
};
} // namespace vwb
