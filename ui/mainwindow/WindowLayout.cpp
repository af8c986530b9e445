// ui/mainwindow/WindowLayout.cpp
#include "mainwindow/WindowLayout.h"

#include <QMainWindow>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <algorithm>

namespace vwb::ui {

void saveWindowLayout(const QMainWindow *window, const QString &path)
{
    if (path.isEmpty())
        return;
    QSettings settings(path, QSettings::IniFormat);
    settings.setValue(QStringLiteral("window/geometry"), window->saveGeometry());
    settings.setValue(QStringLiteral("window/state"), window->saveState());
    for (const QSplitter *splitter : window->findChildren<QSplitter *>())
        if (!splitter->objectName().isEmpty())
            settings.setValue(QStringLiteral("splitters/") + splitter->objectName(), splitter->saveState());
}

bool restoreWindowLayout(QMainWindow *window, const QString &path)
{
    if (path.isEmpty())
        return false;
    QSettings settings(path, QSettings::IniFormat);
    window->restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    const bool docks = window->restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    for (QSplitter *splitter : window->findChildren<QSplitter *>())
        if (const QVariant kept = settings.value(QStringLiteral("splitters/") + splitter->objectName());
            !splitter->objectName().isEmpty() && kept.isValid())
            splitter->restoreState(kept.toByteArray());
    if (const QScreen *screen = window->screen()) {
        const QRect room = screen->availableGeometry();
        if (window->width() > room.width() || window->height() > room.height())
            window->resize(std::min(window->width(), room.width()), std::min(window->height(), room.height()));
        // And wholly on it: a position kept from another screen (or a window manager's frame
        // offsets) must not leave the status bar below the edge.
        const QRect frame = window->frameGeometry();
        const int x = std::clamp(frame.x(), room.left(), std::max(room.left(), room.right() + 1 - frame.width()));
        const int y = std::clamp(frame.y(), room.top(), std::max(room.top(), room.bottom() + 1 - frame.height()));
        if (x != frame.x() || y != frame.y())
            window->move(x, y);
    }
    return docks;
}

} // namespace vwb::ui
