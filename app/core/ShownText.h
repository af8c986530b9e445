// app/core/ShownText.h
#pragma once

#include <QString>

namespace vwb {

/// `text` made safe to show on a terminal or in one line of a log: control characters (ESC, CR,
/// BEL, C1 codes) and invisible format characters (bidi overrides, U+2028-like separators) become
/// "\x1b", "\x202e"… — text from a URL, a file or a database row cannot recolour a terminal,
/// move its cursor, forge a line or reorder what is read. With `keepLayout`, "\n" and "\t" stay.
/// The joiners U+200C/U+200D stay too: scripts and emoji need them and they move nothing.
QString shownText(const QString &text, bool keepLayout = false);

/// "1 worker", "2 workers": a count with its noun (English plurals by adding "s", or `many`).
QString counted(qint64 n, const QString &one, const QString &many = {});
} // namespace vwb
