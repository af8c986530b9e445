// app/connection/ProfileArguments.h
#pragma once

#include "connection/ConnectionProfile.h"

#include <QStringList>

namespace vwb {

/// The vwb options that select `profile` again, for a command shown to paste: --profile NAME, or
/// for a URL given on the command line the URL without its password (and --production).
QStringList profileArguments(const ConnectionProfile &profile);
/// A `vwb …` command (a health finding's fix, say) with those options appended, so it runs on the
/// same database when pasted; any other text (SQL) as it is.
QString withProfileArguments(const QString &command, const ConnectionProfile &profile);

} // namespace vwb
