// app/plan/SqlTokens.h
#pragma once

#include <QList>
#include <QString>

namespace vwb {

/// One lexical token of a PostgreSQL statement.
struct SqlToken
{
    enum class Kind {
        Word,        // a keyword or a plain name, lower-cased as the server folds it
        QuotedName,  // "Name" (or U&"…"), without its quotes, "" undoubled
        String,      // '…', E'…', U&'…', B'…', X'…', N'…' or $tag$…$tag$, as written
        Number,      // 42, 3.5, 1e-3, .5
        Parameter,   // $1
        Operator,    // <=>, =, ||, @>, … (PostgreSQL's rule for where one ends)
        Punctuation, // ( ) [ ] , ; : :: .
    };
    Kind kind = Kind::Punctuation;
    QString text;
    qsizetype offset = 0; // where it starts in the statement

    bool isWord(QLatin1StringView word) const { return kind == Kind::Word && text == word; }
    bool isPunctuation(QLatin1StringView p) const { return kind == Kind::Punctuation && text == p; }
    /// A name: a plain word or a quoted one.
    bool isName() const { return kind == Kind::Word || kind == Kind::QuotedName; }
};

/// The tokens of `sql` with white space and comments (`--`, nested `/* */`) left out. An
/// operator is a run of + - * / < > = ~ ! @ # % ^ & | ` ? that stops before a comment, and, as
/// the server lexes it, does not end in + or - unless it holds one of ~ ! @ # % ^ & | ` ?.
/// A quote or comment left open runs to the end of the text (the server refuses the statement).
/// Linear in the length of `sql`.
QList<SqlToken> tokenizeSql(const QString &sql);
} // namespace vwb
