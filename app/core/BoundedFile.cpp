// app/core/BoundedFile.cpp
#include "core/BoundedFile.h"

#include <QFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vwb {
namespace {
QString sizeText(qint64 bytes)
{
    return bytes >= 1024 * 1024 ? QStringLiteral("%1 MB").arg(bytes / (1024 * 1024)) : QStringLiteral("%1 kB").arg(bytes / 1024);
}
} // namespace

Result<QByteArray> readRegularFile(const QString &path, qint64 maxBytes, const QString &what)
{
    // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; fstat then says
    // what was opened, so nothing can be swapped in between a look and the read.
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return Error::io(QStringLiteral("Cannot read %1 %2: %3").arg(what, path, QString::fromLocal8Bit(std::strerror(errno))));
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        const QString kind = S_ISDIR(st.st_mode)                          ? QStringLiteral("a directory")
                             : S_ISFIFO(st.st_mode)                       ? QStringLiteral("a FIFO")
                             : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? QStringLiteral("a device")
                             : S_ISSOCK(st.st_mode)                       ? QStringLiteral("a socket")
                                                                          : QStringLiteral("not a regular file");
        ::close(fd);
        return Error::io(QStringLiteral("%1 %2 is %3: only a regular file is read").arg(what, path, kind));
    }
    if (st.st_size > maxBytes) {
        ::close(fd);
        return Error::io(
            QStringLiteral("%1 %2 holds %3 bytes, more than the %4 it may").arg(what, path).arg(st.st_size).arg(sizeText(maxBytes)));
    }
    QFile file;
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return Error::io(QStringLiteral("Cannot read %1 %2: %3").arg(what, path, file.errorString()));
    }
    const QByteArray bytes = file.read(maxBytes + 1); // a file that grew since fstat stops here too
    if (file.error() != QFileDevice::NoError)
        return Error::io(QStringLiteral("Cannot read %1 %2: %3").arg(what, path, file.errorString()));
    if (bytes.size() > maxBytes)
        return Error::io(QStringLiteral("%1 %2 holds more than the %3 it may").arg(what, path, sizeText(maxBytes)));
    return bytes;
}

Result<QByteArray> readStream(int fd, qint64 maxBytes, const QString &what)
{
    QByteArray bytes;
    char buffer[65536];
    while (bytes.size() <= maxBytes) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0)
            return bytes;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return Error::io(QStringLiteral("Cannot read %1: %2").arg(what, QString::fromLocal8Bit(std::strerror(errno))));
        bytes.append(buffer, n);
    }
    return Error::io(QStringLiteral("%1 holds more than the %2 it may").arg(what, sizeText(maxBytes)));
}
} // namespace vwb
