// app/core/BuildInfo.h
#pragma once

#include <QString>

namespace vwb {

/// The versions this build is made of, for --version, the About box and bug reports. The
/// application's version has one source: CMake's project(VERSION), compiled in as VWB_VERSION.
struct BuildInfo
{
    static QString appVersion();       // "0.1.0"
    static QString qtRuntimeVersion(); // the Qt libraries loaded, which can differ from the headers'
    static QString qtBuildVersion();   // QT_VERSION_STR at compile time
    static QString libpqVersion();     // "15.14" from PQlibVersion()
};
} // namespace vwb
