// ui/mainwindow/WindowLayout.h — the window as the user left it: size, docks, splitters.
#pragma once

#include <QString>

class QMainWindow;

namespace vwb::ui {

/// Keeps `window`'s geometry, its toolbars' and docks' state, and the sizes of every QSplitter
/// under it that has an object name, in the ini file `path`.
void saveWindowLayout(const QMainWindow *window, const QString &path);
/// Puts back what saveWindowLayout() kept (nothing when the file has none). A window kept on a
/// larger screen is brought within this one's available area. True when docks' state came back.
bool restoreWindowLayout(QMainWindow *window, const QString &path);

} // namespace vwb::ui
