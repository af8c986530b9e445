// app/core/ShellWords.h — commands shown for people to paste into a POSIX shell.
#pragma once

#include <QString>
#include <QStringList>

namespace vwb {

/// `word` as one shell word: as it is when it holds only characters no shell treats specially,
/// otherwise in single quotes (a quote inside becomes '\'').
QString shellWord(const QString &word);
/// The words, each through shellWord(), joined by spaces.
QString shellCommand(const QStringList &words);

} // namespace vwb
