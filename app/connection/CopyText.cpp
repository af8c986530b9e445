// app/connection/CopyText.cpp
#include "connection/CopyText.h"

namespace vwb {

void appendCopyText(QByteArray &out, QStringView text)
{
    const QByteArray utf8 = text.toUtf8();
    const char *run = utf8.constData();
    const char *const end = run + utf8.size();
    for (const char *p = run; p != end; ++p) {
        const char *escape = nullptr;
        switch (*p) {
        case '\\': escape = "\\\\"; break;
        case '\t': escape = "\\t"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        default: continue;
        }
        out.append(run, p - run);
        out.append(escape, 2);
        run = p + 1;
    }
    out.append(run, end - run);
}

QByteArray copyText(QStringView text)
{
    QByteArray out;
    appendCopyText(out, text);
    return out;
}
} // namespace vwb
