// app/plan/Placeholders.cpp
#include "plan/Placeholders.h"

#include <QRegularExpression>

namespace vwb {
namespace {

/// Length of the quoted, commented or dollar-quoted run starting at `i`, or 0 when none starts there.
qsizetype skippable(const QString &s, qsizetype i)
{
    const QChar c = s.at(i);
    const QChar next = i + 1 < s.size() ? s.at(i + 1) : QChar();
    if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
        qsizetype j = i + 1;
        while (j < s.size()) {
            if (s.at(j) == c) {
                if (j + 1 < s.size() && s.at(j + 1) == c) { // '' or "" inside
                    j += 2;
                    continue;
                }
                return j + 1 - i;
            }
            if (c == QLatin1Char('\'') && s.at(j) == QLatin1Char('\\') && i > 0
                && (s.at(i - 1) == QLatin1Char('E') || s.at(i - 1) == QLatin1Char('e')))
                ++j; // E'...\'...'
            ++j;
        }
        return s.size() - i;
    }
    if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
        const qsizetype end = s.indexOf(QLatin1Char('\n'), i);
        return (end < 0 ? s.size() : end) - i;
    }
    if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
        int depth = 0;
        qsizetype j = i;
        while (j + 1 < s.size()) {
            if (s.at(j) == QLatin1Char('/') && s.at(j + 1) == QLatin1Char('*')) {
                ++depth;
                j += 2;
            } else if (s.at(j) == QLatin1Char('*') && s.at(j + 1) == QLatin1Char('/')) {
                j += 2;
                if (--depth == 0)
                    return j - i;
            } else {
                ++j;
            }
        }
        return s.size() - i;
    }
    if (c == QLatin1Char('$')) {
        static const QRegularExpression tag(QStringLiteral("\\$([A-Za-z_][A-Za-z_0-9]*)?\\$"));
        const auto m = tag.match(s, i, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
        if (m.hasMatch()) {
            const qsizetype end = s.indexOf(m.captured(0), i + m.capturedLength(0));
            return (end < 0 ? s.size() : end + m.capturedLength(0)) - i;
        }
    }
    return 0;
}
} // namespace

Result<Placeholders> Placeholders::scan(const QString &statement)
{
    Placeholders out;
    QString converted;
    converted.reserve(statement.size() + 16);
    int questions = 0, highestDollar = 0;
    for (qsizetype i = 0; i < statement.size();) {
        if (const qsizetype n = skippable(statement, i); n > 0) {
            converted += statement.mid(i, n);
            i += n;
            continue;
        }
        const QChar c = statement.at(i);
        if (c == QLatin1Char('\\') && i + 1 < statement.size() && statement.at(i + 1) == QLatin1Char('?')) {
            converted += QLatin1Char('?'); // Knex's escaped question mark: an operator, not a value
            i += 2;
            continue;
        }
        if (c == QLatin1Char('?')) {
            if (i + 1 < statement.size() && statement.at(i + 1) == QLatin1Char('?'))
                return Error::invalid(QStringLiteral("?? at character %1 is a Knex identifier binding (a table or column "
                                                     "name): write the name in its place")
                                          .arg(i + 1));
            converted += QStringLiteral("$%1").arg(++questions);
            ++i;
            continue;
        }
        if (c == QLatin1Char('$') && i + 1 < statement.size() && statement.at(i + 1).isDigit()
            && (i == 0 || !(statement.at(i - 1).isLetterOrNumber() || statement.at(i - 1) == QLatin1Char('_')))) {
            qsizetype j = i + 1;
            while (j < statement.size() && statement.at(j).isDigit())
                ++j;
            highestDollar = std::max(highestDollar, statement.mid(i + 1, j - i - 1).toInt());
            converted += statement.mid(i, j - i);
            i = j;
            continue;
        }
        converted += c;
        ++i;
    }
    if (questions > 0 && highestDollar > 0)
        return Error::invalid(QStringLiteral("The statement mixes ? and $n placeholders: use one kind"));
    out.sql = converted;
    out.count = questions > 0 ? questions : highestDollar;
    out.style = questions > 0 ? Style::Question : highestDollar > 0 ? Style::Dollar : Style::None;
    return out;
}
} // namespace vwb
