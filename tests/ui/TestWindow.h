// tests/ui/TestWindow.h — a main window on the test cluster, for the panel tests (label db).
#pragma once

#include "../support/TestCluster.h"

#include "connection/ProfileStore.h"
#include "mainwindow/MainWindow.h"

namespace vwb::test {

/// Saves a profile named `name` for the test cluster with `schema` first on its search_path into
/// `settingsDir`, and opens a shown window on it with `panel` selected.
inline std::unique_ptr<ui::MainWindow> openWindowOn(const QString &schema, const QString &name, const QString &settingsDir,
                                                    const QString &panel)
{
    ConnectionProfile p = profileInSchema(schema);
    p.name = name;
    p.source = ProfileSource::Saved;
    ProfileStore store(settingsDir + QStringLiteral("/profiles.ini"));
    if (!store.save(p, nullptr).ok())
        qFatal("cannot save the test profile");
    ui::MainWindow::Options options;
    options.catalog.settingsPath = store.path();
    options.profile = name;
    auto window = std::make_unique<ui::MainWindow>(options);
    window->showPanel(panel);
    window->show();
    return window;
}
} // namespace vwb::test
