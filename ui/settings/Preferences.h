// ui/settings/Preferences.h
#pragma once

#include "core/Result.h"
#include "theme/Theme.h"

namespace vwb::ui {

/// The workbench's own preferences (the Settings dialog), in
/// $XDG_CONFIG_HOME/vector-workbench/preferences.ini. No secret is ever written here: API keys go
/// to the OS keychain (ProviderKey). A value out of range in a hand-edited file keeps its default.
struct Preferences
{
    Theme::Mode theme = Theme::Mode::System;
    QString searchMetric;         // "" (what the column's index serves), "l2", "cosine" or "ip"
    int searchLimit = 10;         // 1..100
    double searchThreshold = 0.0; // minimum similarity a search starts with, 0..1
    int sizeSampleMinutes = 15;   // size history sampling, 1..1440
    int explainTimeoutMs = 30000; // EXPLAIN ANALYZE statement_timeout; 0: the server's

    bool operator==(const Preferences &) const = default;

    static QString defaultPath();
    static Preferences load(const QString &path = defaultPath());
    Result<void> save(const QString &path = defaultPath()) const;
};
} // namespace vwb::ui
