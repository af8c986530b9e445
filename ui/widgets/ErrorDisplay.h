// ui/widgets/ErrorDisplay.h
#pragma once

#include "core/Result.h"

class QWidget;

namespace vwb::ui {
/// The one way ui/ shows a core Error to a person: its one-line message, the server's detail
/// and SQLSTATE behind "Show Details". Canceled is an outcome, shown as information.
void showError(QWidget *parent, const vwb::Error &error, const QString &title = {});
QString errorText(const vwb::Error &error); // "message (SQLSTATE 28P01)"
} // namespace vwb::ui
