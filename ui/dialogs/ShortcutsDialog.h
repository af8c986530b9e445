// ui/dialogs/ShortcutsDialog.h — Help ▸ Keyboard shortcuts: every shortcut the window has.
#pragma once

#include <QDialog>

class QTableWidget;

namespace vwb::ui {

/// Lists the shortcuts of every QAction and QShortcut under `window` — menus, panels, context
/// menus — read from the widgets themselves, so the list cannot drift from what the keys do.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ShortcutsDialog(QWidget *window);
    QTableWidget *table() const { return m_table; }

private:
    QTableWidget *m_table = nullptr;
};

} // namespace vwb::ui
