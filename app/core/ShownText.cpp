// app/core/ShownText.cpp
#include "core/ShownText.h"

#include <algorithm>

namespace vwb {

QString shownText(const QString &text, bool keepLayout)
{
    const auto unsafe = [keepLayout](QChar c) {
        if (keepLayout && (c == QLatin1Char('\n') || c == QLatin1Char('\t')))
            return false;
        if (c.unicode() == 0x200c || c.unicode() == 0x200d)
            return false;
        const QChar::Category category = c.category();
        return category == QChar::Other_Control || category == QChar::Other_Format || category == QChar::Separator_Line
               || category == QChar::Separator_Paragraph;
    };
    if (std::none_of(text.cbegin(), text.cend(), unsafe))
        return text;
    QString shown;
    shown.reserve(text.size() + 8);
    for (const QChar c : text) {
        if (unsafe(c))
            shown += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            shown += c;
    }
    return shown;
}
QString counted(qint64 n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many.isEmpty() ? one + QLatin1Char('s') : many);
}
} // namespace vwb
