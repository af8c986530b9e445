// ui/theme/Theme.h
#pragma once

#include <QColor>
#include <QString>

class QListWidgetItem;
class QTableWidgetItem;
class QTreeWidgetItem;
class QWidget;

namespace vwb::ui {

/// What a colour says, not which colour it is: the same tone is a deep red on a light window and
/// a soft red on a dark one, each readable (WCAG contrast ≥ 4.5) on the palette in use.
enum class Tone { Error, Warning, Ok, Info, Muted, Highlight };

/// Light, dark or the desktop's choice, applied to the whole application. Colours come from
/// here (text(), fill()) at the moment they are painted, so views follow a switch at once;
/// labels coloured with setTone() are coloured again when the theme changes.
class Theme
{
public:
    enum class Mode { System, Light, Dark };

    /// Remembers the platform's palette and style (call once, before the first apply()).
    static void captureSystem();
    /// Applies `mode` to the application: palette, style, and every toned label.
    static void apply(Mode mode);
    static Mode mode();
    /// True when the application's palette is dark now (its window colour is).
    static bool isDark();
    /// Whether the desktop asks for dark: the XDG desktop portal's color-scheme when it answers,
    /// else the platform palette's own lightness.
    static bool systemPrefersDark();

    static QColor text(Tone tone); // a foreground, readable on the palette's Window and Base
    static QColor fill(Tone tone); // a cell background, with the palette's Text readable on it
    /// A cell background mixing the palette's Base into fill(Tone::Error) by `share` (0..1).
    static QColor heat(double share);
    /// "color: #rrggbb[; font-weight: bold]" for a style sheet.
    static QString css(Tone tone, bool bold = false);
    /// `html` (already escaped) in a span of the tone's colour.
    static QString span(Tone tone, const QString &html);
    /// Colours a label's (or any widget's) text by a tone, again after every theme switch.
    static void setTone(QWidget *widget, Tone tone, bool bold = false);
    static void clearTone(QWidget *widget);
    /// A list, tree or table item's background (fill) or text colour by a tone, again after
    /// every theme switch (the items keep their tone, not a colour).
    static void fillItem(QListWidgetItem *item, Tone tone);
    static void fillItem(QTreeWidgetItem *item, int column, Tone tone);
    static void colorItem(QTreeWidgetItem *item, int column, Tone tone);
    static void colorItem(QTableWidgetItem *item, Tone tone);

    /// WCAG 2 contrast ratio of two colours (1..21).
    static double contrast(const QColor &a, const QColor &b);
    static QString modeKey(Mode mode); // "system", "light", "dark"
    static Mode modeFromKey(const QString &key);
};
} // namespace vwb::ui
