// app/core/ShellWords.cpp
#include "core/ShellWords.h"

#include <algorithm>

namespace vwb {

QString shellWord(const QString &word)
{
    auto plain = [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
               || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || QStringView(u"-_./:=,@+%").contains(c);
    };
    if (!word.isEmpty() && std::all_of(word.begin(), word.end(), plain))
        return word;
    return QLatin1Char('\'') + QString(word).replace(QLatin1Char('\''), QStringLiteral("'\\''")) + QLatin1Char('\'');
}

QString shellCommand(const QStringList &words)
{
    QStringList quoted;
    quoted.reserve(words.size());
    for (const QString &w : words)
        quoted << shellWord(w);
    return quoted.join(QLatin1Char(' '));
}

} // namespace vwb
