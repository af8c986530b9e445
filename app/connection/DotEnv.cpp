// app/connection/DotEnv.cpp
#include "connection/DotEnv.h"

#include "core/BoundedFile.h"
#include <QList>
#include <QRegularExpression>

namespace vwb {
namespace {
constexpr qint64 MaxDotEnvBytes = 1024 * 1024; // a .env of settings is a few kB

bool isQuote(QChar c)
{
    return c == u'"' || c == u'\'' || c == u'`';
}

QString quoteName(QChar quote)
{
    if (quote == u'"')
        return QStringLiteral("double");
    if (quote == u'\'')
        return QStringLiteral("single");
    return QStringLiteral("backtick");
}

qsizetype lineEndAt(const QString &text, qsizetype from)
{
    const qsizetype end = text.indexOf(u'\n', from);
    return end < 0 ? text.size() : end;
}

/// Whether text[from, lineEnd) holds nothing but whitespace and perhaps a # comment.
bool onlyCommentFollows(const QString &text, qsizetype from, qsizetype lineEnd)
{
    for (qsizetype i = from; i < lineEnd; ++i) {
        if (text[i] == u'#')
            return true;
        if (!text[i].isSpace())
            return false;
    }
    return true;
}

/// dotenv expands only these two escapes, only in double quotes; `\"` and `\\` stay as written.
QString expandEscapes(QString value)
{
    value.replace(QLatin1String("\\n"), QLatin1String("\n"));
    value.replace(QLatin1String("\\r"), QLatin1String("\r"));
    return value;
}

QString shortened(QStringView text)
{
    constexpr qsizetype MaxShown = 40; // enough to recognise a line, short enough for a status bar
    return text.size() <= MaxShown ? text.toString() : text.left(MaxShown).toString() + QStringLiteral("...");
}

} // namespace

Result<DotEnv> parseDotEnv(const QString &input)
{
    QString text = input;
    if (text.startsWith(QChar(0xFEFF))) // a BOM; dotenv's leading \s skips it too
        text.remove(0, 1);
    text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    text.replace(u'\r', u'\n');

    // Anchored at each line start: `[export ]KEY=` or `KEY: ` (dotenv also takes a colon and a space).
    static const QRegularExpression head(QStringLiteral(R"([ \t]*(?:export[ \t]+)?([A-Za-z0-9_.-]+)(?:[ \t]*=|:(?=[ \t])))"));

    DotEnv env;
    QMap<QString, int> definedOnLine;
    const qsizetype n = text.size();
    qsizetype pos = 0;
    int lineNo = 1;
    const auto store = [&](const QString &key, const QString &value, int line) {
        if (definedOnLine.contains(key))
            env.warnings << QStringLiteral("line %1: %2 was already set on line %3; this later value wins")
                                .arg(QString::number(line), key, QString::number(definedOnLine.value(key)));
        definedOnLine.insert(key, line);
        env.values.insert(key, value);
    };

    while (pos < n) {
        const qsizetype lineEnd = lineEndAt(text, pos);
        const QStringView line = QStringView(text).mid(pos, lineEnd - pos);
        const QStringView trimmed = line.trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(u'#')) {
            pos = lineEnd + 1;
            ++lineNo;
            continue;
        }
        // Matched on the line alone: matching at an offset of the whole text had PCRE look over all
        // of it for every line (quadratic: 200,000 lines took minutes).
        const QRegularExpressionMatch match = head.match(line, 0, QRegularExpression::NormalMatch,
                                                         QRegularExpression::AnchorAtOffsetMatchOption);
        if (!match.hasMatch()) {
            const qsizetype eq = line.indexOf(u'=');
            if (eq < 0)
                env.warnings << QStringLiteral("line %1: ignored, not KEY=VALUE (no \"=\")").arg(lineNo);
            else
                env.warnings << QStringLiteral("line %1: ignored, \"%2\" is not a valid key (letters, digits, _ . - only)")
                                    .arg(QString::number(lineNo), shortened(line.left(eq).trimmed()));
            pos = lineEnd + 1;
            ++lineNo;
            continue;
        }

        const QString key = match.captured(1);
        qsizetype start = pos + match.capturedEnd(0);
        while (start < lineEnd && text[start].isSpace())
            ++start;

        if (start < lineEnd && isQuote(text[start])) {
            const QChar quote = text[start];
            // The first bare closing quote, else (backtracking, as dotenv's regex does) an escaped
            // one, latest first; whichever is followed only by blanks or a comment on its line.
            QList<qsizetype> candidates;
            QList<qsizetype> escaped;
            qsizetype i = start + 1;
            while (i < n) {
                if (text[i] == u'\\' && i + 1 < n && text[i + 1] == quote) {
                    escaped << i + 1;
                    i += 2;
                } else if (text[i] == quote) {
                    candidates << i;
                    break;
                } else {
                    ++i;
                }
            }
            for (auto it = escaped.crbegin(); it != escaped.crend(); ++it)
                candidates << *it;
            bool closed = false;
            for (const qsizetype close : std::as_const(candidates)) {
                const qsizetype closeLineEnd = lineEndAt(text, close);
                if (!onlyCommentFollows(text, close + 1, closeLineEnd))
                    continue;
                QString value = text.mid(start + 1, close - start - 1);
                if (quote == u'"')
                    value = expandEscapes(value);
                store(key, value, lineNo);
                lineNo += int(QStringView(text).mid(pos, closeLineEnd - pos).count(u'\n')) + 1;
                pos = closeLineEnd + 1;
                closed = true;
                break;
            }
            if (closed)
                continue;
            // dotenv would now read the line as an unquoted value: fine when the quote closes on this
            // line ('don't' gives don't), a silent surprise when it doesn't, so that is an error.
            if (QStringView(text).mid(start + 1, lineEnd - start - 1).indexOf(quote) < 0)
                return Error::invalid(QStringLiteral("line %1: unterminated %2 quote in the value of %3")
                                          .arg(QString::number(lineNo), quoteName(quote), key));
        }

        // Unquoted: up to the first # (dotenv needs no space before it), then trimmed.
        // (looked for on this line only: a search to the end of the text made a file without "#" quadratic)
        const qsizetype hashOnLine = QStringView(text).mid(start, lineEnd - start).indexOf(u'#');
        const qsizetype hash = hashOnLine < 0 ? lineEnd : start + hashOnLine;
        if (hashOnLine >= 0 && !text[hash - 1].isSpace())
            env.warnings << QStringLiteral("line %1: \"#\" starts a comment in the unquoted value of %2; quote the "
                                           "value if \"#\" belongs to it")
                                .arg(QString::number(lineNo), key);
        QString value = text.mid(start, hash - start).trimmed();
        const QChar first = value.isEmpty() ? QChar() : value.front();
        if (isQuote(first)) {
            if (value.size() >= 2 && value.back() == first)
                value = value.mid(1, value.size() - 2);
            else
                env.warnings << QStringLiteral("line %1: text follows the closing quote in the value of %2; the "
                                               "value is kept as written, quotes included")
                                    .arg(QString::number(lineNo), key);
            if (first == u'"')
                value = expandEscapes(value);
        }
        store(key, value, lineNo);
        pos = lineEnd + 1;
        ++lineNo;
    }
    return env;
}

Result<DotEnv> readDotEnvFile(const QString &path)
{
    auto bytes = readRegularFile(path, MaxDotEnvBytes, QStringLiteral("the .env file"));
    if (!bytes.ok())
        return bytes.error();
    auto parsed = parseDotEnv(QString::fromUtf8(bytes.value()));
    if (!parsed.ok())
        return parsed.error().withContext(path);
    return parsed;
}

} // namespace vwb
