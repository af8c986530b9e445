// app/eval/EvalFile.cpp
#include "eval/EvalFile.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace vwb {
namespace {
constexpr qint64 MaxFileBytes = 512LL * 1024 * 1024; // judgments, queries and runs are text, not corpora
}

Result<void> openEvalFile(QFile &file)
{
    const QFileInfo info(file.fileName());
    if (!info.exists())
        return Error{Error::Kind::Io, QStringLiteral("%1: no such file").arg(file.fileName()), {}, {}};
    if (!info.isFile())
        return Error{Error::Kind::Io, QStringLiteral("%1: not a regular file").arg(file.fileName()), {}, {}};
    if (info.size() > MaxFileBytes)
        return Error{
            Error::Kind::Io, QStringLiteral("%1: %2 bytes, more than a query set can be").arg(file.fileName()).arg(info.size()), {}, {}};
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return Error{Error::Kind::Io, QStringLiteral("%1: %2").arg(file.fileName(), file.errorString()), {}, {}};
    return {};
}

Result<void> writeEvalFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error::io(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

Error evalLineError(const QFile &file, int line, const QString &what)
{
    return Error::invalid(QStringLiteral("%1 line %2: %3").arg(QFileInfo(file.fileName()).fileName()).arg(line).arg(what));
}
} // namespace vwb
