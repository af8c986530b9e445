// app/core/Result.cpp
#include "core/Result.h"

#include <QDebug>

namespace vwb {

QString Error::kindName() const
{
    switch (kind) {
    case Kind::Connection: return QStringLiteral("connection");
    case Kind::Sql: return QStringLiteral("sql");
    case Kind::Canceled: return QStringLiteral("canceled");
    case Kind::Timeout: return QStringLiteral("timeout");
    case Kind::Io: return QStringLiteral("io");
    case Kind::Invalid: return QStringLiteral("invalid");
    case Kind::Internal: return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

void detail::logAssert(const char *cond, const char *file, int line)
{
    qCritical("VWB_ASSERT failed: %s at %s:%d", cond, file, line);
}
} // namespace vwb
