// app/core/ByteSize.h
#pragma once

#include <QLocale>
#include <QString>

namespace vwb {

/// "15.6 MB", "8.0 kB": sizes as the CLI and the GUI print them (1024-based, one decimal).
inline QString byteSize(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}
} // namespace vwb
