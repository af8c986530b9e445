// app/core/BoundedFile.h
#pragma once

#include "core/Result.h"
#include <QByteArray>

namespace vwb {

/// The bytes of the regular file at `path`, which may hold at most `maxBytes`. Anything else — a
/// FIFO (whose open blocks until a writer comes), a device such as /dev/zero (which never ends), a
/// directory, a socket — is refused without being read, as is a larger file, each with a message
/// naming `what` ("the .env file"), the path and the limit. Symbolic links are followed.
Result<QByteArray> readRegularFile(const QString &path, qint64 maxBytes, const QString &what);

/// All that the open descriptor `fd` (standard input: a pipe, a terminal, /dev/zero) gives until
/// its end, at most `maxBytes`: a pipe hands data over in pieces, so one read is not the whole
/// text, and an endless stream stops at the cap with a message naming `what`.
Result<QByteArray> readStream(int fd, qint64 maxBytes, const QString &what);
} // namespace vwb
