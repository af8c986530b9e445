// app/core/BuildInfo.cpp
#include "core/BuildInfo.h"

#include <QtGlobal>
#include <libpq-fe.h>

namespace vwb {

QString BuildInfo::appVersion()
{
    return QStringLiteral(VWB_VERSION);
}

QString BuildInfo::qtRuntimeVersion()
{
    return QString::fromLatin1(qVersion());
}

QString BuildInfo::qtBuildVersion()
{
    return QStringLiteral(QT_VERSION_STR);
}

QString BuildInfo::libpqVersion()
{
    // Since PostgreSQL 10: major * 10000 + minor (150014 is 15.14).
    const int v = PQlibVersion();
    return v >= 100000 ? QStringLiteral("%1.%2").arg(v / 10000).arg(v % 10000)
                       : QStringLiteral("%1.%2.%3").arg(v / 10000).arg(v / 100 % 100).arg(v % 100);
}
} // namespace vwb
