// app/connection/CopyText.h — COPY's text format, for every writer that streams rows with COPY.
#pragma once

#include <QByteArray>
#include <QStringView>

namespace vwb {

/// Appends `text` as one field of COPY's text format: UTF-8, with backslash, tab, newline and
/// carriage return written as \\, \t, \n and \r. (A U+0000 cannot be stored in text at all: the
/// server rejects it.)
void appendCopyText(QByteArray &out, QStringView text);
QByteArray copyText(QStringView text);
} // namespace vwb
