// tests/ui/TestWindow.h — a main window on the test cluster, for the panel tests (label db).
#pragma once

#include "../support/TestCluster.h"

#include "connection/ProfileStore.h"
#include "embeddings/LexicalHashingProvider.h"
#include "mainwindow/MainWindow.h"

namespace vwb::test {

/// Saves a profile named `name` for the test cluster with `schema` first on its search_path into
/// `settingsDir`, and opens a shown window on it with `panel` selected.
inline std::unique_ptr<ui::MainWindow> openWindowWith(ConnectionProfile p, const QString &name, const QString &settingsDir,
                                                      const QString &panel)
{
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
/// A window on the test cluster's profile with `schema` first on the search_path.
inline std::unique_ptr<ui::MainWindow> openWindowOn(const QString &schema, const QString &name, const QString &settingsDir,
                                                    const QString &panel)
{
    return openWindowWith(profileInSchema(schema), name, settingsDir, panel);
}
/// INSERTs of topics 1..n ("topic N", the text as content) and their vectors, made of the texts by
/// the lexical provider (its unstemmed model) at `dimensions`: the column a search with that
/// provider reads.
inline QString topicsWithLexicalVectors(const QStringList &texts, int dimensions)
{
    QString inserts;
    LexicalHashingProvider provider(dimensions);
    for (int i = 0; i < texts.size(); ++i) {
        auto vector = provider.embedOne(texts.at(i));
        if (!vector.ok())
            qFatal("cannot embed %s", qPrintable(texts.at(i)));
        QStringList numbers;
        for (float x : vector.value())
            numbers << QString::number(x, 'g', 9);
        inserts += QStringLiteral("INSERT INTO topics (id, title, content) VALUES (%1, 'topic %1', '%2');"
                                  "INSERT INTO topic_vectors (topic_id, vector) VALUES (%1, '[%3]');")
                       .arg(i + 1)
                       .arg(QString(texts.at(i)).replace(QLatin1Char('\''), QStringLiteral("''")), numbers.join(QLatin1Char(',')));
    }
    return inserts;
}
} // namespace vwb::test
