// app/eval/EvalFile.cpp
#include "eval/EvalFile.h"

#include "core/BoundedFile.h"
#include "core/ShownText.h"

#include <QFileInfo>
#include <QSaveFile>

namespace vwb {
namespace {
constexpr qint64 MaxFileBytes = 512LL * 1024 * 1024; // judgments, queries and runs are text, not corpora
}

Result<QByteArray> readEvalFile(const QString &path, const QString &what)
{
    return readRegularFile(path, MaxFileBytes, what);
}

QList<QByteArray> evalLines(const QByteArray &text)
{
    QList<QByteArray> lines = text.split('\n');
    for (QByteArray &line : lines)
        line = line.trimmed();
    return lines;
}

Result<void> writeEvalFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error::io(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

Error evalLineError(const QString &name, int line, const QString &what)
{
    return Error::invalid(shownText(QStringLiteral("%1 line %2: %3").arg(QFileInfo(name).fileName(), QString::number(line), what)));
}
} // namespace vwb
