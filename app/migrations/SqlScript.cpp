// app/migrations/SqlScript.cpp
#include "migrations/SqlScript.h"

#include <QRegularExpression>

namespace vwb {
namespace {

bool isOnlyComments(const QString &statement)
{
    static const QRegularExpression comments(QStringLiteral("--[^\\n]*|/\\*.*?\\*/"), QRegularExpression::DotMatchesEverythingOption);
    return QString(statement).remove(comments).trimmed().isEmpty();
}

/// At `i` a '$' may open a dollar quote: returns its tag ("$$" or "$name$"), or empty.
QString dollarTag(const QString &s, qsizetype i)
{
    if (i > 0 && (s.at(i - 1).isLetterOrNumber() || s.at(i - 1) == QLatin1Char('_')))
        return {}; // part of an identifier such as a$b
    qsizetype j = i + 1;
    while (j < s.size() && (s.at(j).isLetterOrNumber() || s.at(j) == QLatin1Char('_'))) {
        if (j == i + 1 && s.at(j).isDigit())
            return {}; // $1 is a parameter, not a quote
        ++j;
    }
    if (j < s.size() && s.at(j) == QLatin1Char('$'))
        return s.mid(i, j - i + 1);
    return {};
}
} // namespace

QStringList splitSqlStatements(const QString &script)
{
    QStringList out;
    qsizetype start = 0;
    qsizetype i = 0;
    const qsizetype n = script.size();
    auto flush = [&](qsizetype end) {
        const QString statement = script.mid(start, end - start).trimmed();
        if (!statement.isEmpty() && !isOnlyComments(statement))
            out << statement;
        start = end + 1;
    };
    while (i < n) {
        const QChar c = script.at(i);
        const QChar next = i + 1 < n ? script.at(i + 1) : QChar();
        if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
            while (i < n && script.at(i) != QLatin1Char('\n'))
                ++i;
        } else if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            int depth = 1;
            i += 2;
            while (i < n && depth > 0) {
                if (script.at(i) == QLatin1Char('/') && i + 1 < n && script.at(i + 1) == QLatin1Char('*'))
                    ++depth, i += 2;
                else if (script.at(i) == QLatin1Char('*') && i + 1 < n && script.at(i + 1) == QLatin1Char('/'))
                    --depth, i += 2;
                else
                    ++i;
            }
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            // E'..' strings may escape a quote with a backslash; standard strings double it.
            const bool backslashes = c == QLatin1Char('\'') && i > 0
                                     && (script.at(i - 1) == QLatin1Char('E') || script.at(i - 1) == QLatin1Char('e'));
            ++i;
            while (i < n) {
                if (backslashes && script.at(i) == QLatin1Char('\\')) {
                    i += 2;
                    continue;
                }
                if (script.at(i) == c) {
                    if (i + 1 < n && script.at(i + 1) == c) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                ++i;
            }
            ++i;
        } else if (c == QLatin1Char('$')) {
            const QString tag = dollarTag(script, i);
            if (tag.isEmpty()) {
                ++i;
            } else {
                const qsizetype close = script.indexOf(tag, i + tag.size());
                i = close < 0 ? n : close + tag.size();
            }
        } else if (c == QLatin1Char(';')) {
            flush(i);
            ++i;
        } else {
            ++i;
        }
    }
    flush(n);
    return out;
}
} // namespace vwb
