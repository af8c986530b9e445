// app/embeddings/EmbeddingText.cpp
#include "embeddings/EmbeddingText.h"

#include "connection/PgConnection.h"
#include "schema/DatabaseSchema.h"
#include <QHash>

namespace vwb {

QList<EmbeddingText::Part> EmbeddingText::split(const QString &templ, QString *error)
{
    QList<Part> parts;
    QString literal;
    for (qsizetype i = 0; i < templ.size(); ++i) {
        const QChar ch = templ.at(i);
        if (ch == QLatin1Char('{')) {
            const qsizetype close = templ.indexOf(QLatin1Char('}'), i + 1);
            if (close < 0) {
                *error = QStringLiteral("an unclosed { at character %1").arg(i + 1);
                return {};
            }
            const QString name = templ.mid(i + 1, close - i - 1).trimmed();
            if (name.isEmpty()) {
                *error = QStringLiteral("an empty {} at character %1").arg(i + 1);
                return {};
            }
            if (!literal.isEmpty())
                parts << Part{false, literal};
            literal.clear();
            parts << Part{true, name};
            i = close;
        } else {
            literal += ch;
        }
    }
    if (!literal.isEmpty())
        parts << Part{false, literal};
    return parts;
}

Result<EmbeddingText> EmbeddingText::parse(const QString &spec, const ContentPair &pair)
{
    QString templ = spec.trimmed().contains(QLatin1Char('{')) ? spec : QStringLiteral("{%1}").arg(spec.trimmed());
    templ.replace(QStringLiteral("\\n"), QStringLiteral("\n")).replace(QStringLiteral("\\t"), QStringLiteral("\t"));
    QString error;
    EmbeddingText t;
    t.m_parts = split(templ, &error);
    if (!error.isEmpty())
        return Error::invalid(QStringLiteral("The text template \"%1\" has %2").arg(spec, error));
    if (t.columns().isEmpty())
        return Error::invalid(QStringLiteral("The text template \"%1\" names no column: write {column}").arg(spec));
    for (const QString &c : t.columns()) {
        if (!pair.contentHas(c))
            return Error::invalid(QStringLiteral("%1 has no column \"%2\" (it has %3)")
                                      .arg(pair.content.display(), c, pair.contentColumns.join(QStringLiteral(", "))));
    }
    t.m_template = templ;
    return t;
}

EmbeddingText EmbeddingText::defaultFor(const ContentPair &pair)
{
    const QString column = !pair.roles.text.isEmpty()    ? pair.roles.text
                           : !pair.roles.title.isEmpty() ? pair.roles.title
                                                         : QStringLiteral("content");
    EmbeddingText t;
    t.m_template = QLatin1Char('{') + column + QLatin1Char('}');
    t.m_parts = {Part{true, column}};
    return t;
}

QString EmbeddingText::display() const
{
    return QString(m_template).replace(QLatin1Char('\n'), QStringLiteral("\\n")).replace(QLatin1Char('\t'), QStringLiteral("\\t"));
}

QStringList EmbeddingText::columns() const
{
    QStringList out;
    for (const Part &p : m_parts)
        if (p.column && !out.contains(p.text))
            out << p.text;
    return out;
}

QString EmbeddingText::sqlExpression(PgConnection &conn) const
{
    QStringList args;
    for (const Part &p : m_parts) {
        if (p.column)
            args << QStringLiteral("c.%1::text").arg(conn.escapeIdentifier(p.text));
        else
            args << QLatin1Char('\'') + QString(p.text).replace(QLatin1Char('\''), QStringLiteral("''")) + QLatin1Char('\'');
    }
    // concat() reads NULL as empty and is never NULL itself.
    return args.size() == 1 && m_parts.first().column ? QStringLiteral("coalesce(%1, '')").arg(args.first())
                                                      : QStringLiteral("concat(%1)").arg(args.join(QStringLiteral(", ")));
}

QString EmbeddingText::render(const QHash<QString, QString> &values) const
{
    QString out;
    for (const Part &p : m_parts)
        out += p.column ? values.value(p.text) : p.text;
    return out;
}
} // namespace vwb
