// ui/models/ModelRoles.h — item roles the workbench's models and views agree on.
#pragma once

#include <QtCore/qnamespace.h>

namespace vwb::ui {

/// A model that holds only some of its rows at a time (Browse once its rows are counted) answers
/// true for this role on a row it doesn't hold: copies leave those rows out rather than ask for them.
constexpr int RowNotHeldRole = Qt::UserRole + 0x100;

} // namespace vwb::ui
