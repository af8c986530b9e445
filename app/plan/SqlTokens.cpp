// app/plan/SqlTokens.cpp
#include "plan/SqlTokens.h"

namespace vwb {
namespace {

bool isOperatorChar(QChar c)
{
    return QStringView(u"+-*/<>=~!@#%^&|`?").contains(c);
}

// The server's white space is ASCII only: a no-break space (any character past 0x7f) is part of a
// name there, so reading it as a space here would split a name the server reads whole.
bool isSqlSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u'\f' || c == u'\v';
}

bool isNameStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_') || c.unicode() >= 0x80;
}

bool isNameChar(QChar c)
{
    return isNameStart(c) || c.isDigit() || c == QLatin1Char('$');
}

class Lexer
{
public:
    explicit Lexer(const QString &sql) : s(sql), n(sql.size()) {}

    QList<SqlToken> run()
    {
        while (i < n) {
            const QChar c = s.at(i);
            if (isSqlSpace(c))
                ++i;
            else if (startsWith(u"--"))
                skipLineComment();
            else if (startsWith(u"/*"))
                skipBlockComment();
            else if (c == QLatin1Char('\''))
                quoted(SqlToken::Kind::String, i, i, false);
            else if (c == QLatin1Char('"'))
                quoted(SqlToken::Kind::QuotedName, i, i, false);
            else if (c == QLatin1Char('$'))
                dollar();
            else if (c.isDigit() || (c == QLatin1Char('.') && i + 1 < n && s.at(i + 1).isDigit()))
                number();
            else if (isNameStart(c))
                word();
            else if (isOperatorChar(c))
                op();
            else if (startsWith(u"::"))
                add(SqlToken::Kind::Punctuation, i, 2);
            else
                add(SqlToken::Kind::Punctuation, i, 1);
        }
        return out;
    }

private:
    bool startsWith(QStringView what) const { return QStringView(s).mid(i).startsWith(what); }

    void add(SqlToken::Kind kind, qsizetype start, qsizetype length, QString text = {})
    {
        out.append({kind, text.isNull() ? s.mid(start, length) : std::move(text), start});
        i = start + length;
    }

    void skipLineComment()
    {
        while (i < n && s.at(i) != QLatin1Char('\n'))
            ++i;
    }

    void skipBlockComment()
    {
        int depth = 0;
        while (i < n) {
            if (startsWith(u"/*")) {
                ++depth, i += 2;
            } else if (startsWith(u"*/")) {
                i += 2;
                if (--depth == 0)
                    return;
            } else {
                ++i;
            }
        }
    }

    /// A quote opening at `open` (its prefix, E or U&, starting at `start`): to its closing quote.
    void quoted(SqlToken::Kind kind, qsizetype start, qsizetype open, bool backslashes)
    {
        const QChar q = s.at(open);
        QString inner;
        qsizetype j = open + 1;
        for (; j < n; ++j) {
            const QChar c = s.at(j);
            if (backslashes && c == QLatin1Char('\\') && j + 1 < n) {
                inner += c;
                inner += s.at(++j);
            } else if (c == q && j + 1 < n && s.at(j + 1) == q) {
                inner += c;
                ++j;
            } else if (c == q) {
                break;
            } else {
                inner += c;
            }
        }
        const qsizetype end = qMin(j + 1, n);
        add(kind, start, end - start, kind == SqlToken::Kind::QuotedName ? inner : QString());
    }

    void dollar()
    {
        qsizetype j = i + 1;
        if (j < n && s.at(j).isDigit()) {
            while (j < n && s.at(j).isDigit())
                ++j;
            add(SqlToken::Kind::Parameter, i, j - i);
            return;
        }
        while (j < n && (isNameStart(s.at(j)) || s.at(j).isDigit()))
            ++j;
        if (j < n && s.at(j) == QLatin1Char('$')) { // $tag$ … $tag$
            const QString tag = s.mid(i, j - i + 1);
            const qsizetype close = s.indexOf(tag, j + 1);
            add(SqlToken::Kind::String, i, (close < 0 ? n : close + tag.size()) - i);
            return;
        }
        add(SqlToken::Kind::Punctuation, i, 1);
    }

    void number()
    {
        qsizetype j = i;
        while (j < n && (s.at(j).isLetterOrNumber() || s.at(j) == QLatin1Char('_') || s.at(j) == QLatin1Char('.'))) {
            // 1e-5: a sign right after the exponent's e belongs to the number
            const bool exponent = (s.at(j) == QLatin1Char('e') || s.at(j) == QLatin1Char('E')) && j + 1 < n
                                  && (s.at(j + 1) == QLatin1Char('-') || s.at(j + 1) == QLatin1Char('+'));
            j += exponent ? 2 : 1;
            if (s.at(j - 1) == QLatin1Char('.') && j < n && s.at(j) == QLatin1Char('.'))
                break; // 1..2 is not a number
        }
        add(SqlToken::Kind::Number, i, j - i);
    }

    void word()
    {
        qsizetype j = i;
        while (j < n && isNameChar(s.at(j)))
            ++j;
        const QString w = s.mid(i, j - i).toLower();
        const bool quoteNext = j < n && s.at(j) == QLatin1Char('\'');
        if (quoteNext && (w == QLatin1String("e") || w == QLatin1String("b") || w == QLatin1String("x") || w == QLatin1String("n"))) {
            quoted(SqlToken::Kind::String, i, j, w == QLatin1String("e"));
            return;
        }
        if (w == QLatin1String("u") && j + 1 < n && s.at(j) == QLatin1Char('&')
            && (s.at(j + 1) == QLatin1Char('\'') || s.at(j + 1) == QLatin1Char('"'))) {
            quoted(s.at(j + 1) == QLatin1Char('"') ? SqlToken::Kind::QuotedName : SqlToken::Kind::String, i, j + 1, false);
            return;
        }
        add(SqlToken::Kind::Word, i, j - i, w);
    }

    void op()
    {
        qsizetype j = i;
        while (j < n && isOperatorChar(s.at(j))) {
            const QStringView rest = QStringView(s).mid(j);
            if (j > i && (rest.startsWith(u"--") || rest.startsWith(u"/*")))
                break;
            ++j;
        }
        QStringView run = QStringView(s).mid(i, j - i);
        bool special = false;
        for (QChar c : run)
            special = special || QStringView(u"~!@#%^&|`?").contains(c);
        while (!special && run.size() > 1 && (run.endsWith(QLatin1Char('+')) || run.endsWith(QLatin1Char('-'))))
            run.chop(1);
        add(SqlToken::Kind::Operator, i, run.size());
    }

    const QString &s;
    const qsizetype n;
    qsizetype i = 0;
    QList<SqlToken> out;
};
} // namespace

QList<SqlToken> tokenizeSql(const QString &sql)
{
    return Lexer(sql).run();
}
} // namespace vwb
