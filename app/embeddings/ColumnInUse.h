// app/embeddings/ColumnInUse.h
#pragma once

#include "core/Result.h"
#include <optional>

namespace vwb {
struct EmbeddingSource;

/// The vector column the workbench searches a content table with, and the provider that embeds
/// the queries for it ("lexical", "lexical-stem", "openai:MODEL"): what the last step of a model change
/// (switch) sets, per profile and table, in the embedding settings file. Without one, searches
/// and evaluations take the table's first column and the profile's provider. The application
/// itself is not changed by it: it keeps writing and searching its own column.
struct ColumnInUse
{
    QString column;
    QString provider;

    bool operator==(const ColumnInUse &) const = default;

    /// What was set for `table` ("public.topics") of the profile, if anything.
    static std::optional<ColumnInUse> load(const QString &settingsPath, const QString &profileName, const QString &table);
    Result<void> save(const QString &settingsPath, const QString &profileName, const QString &table) const;
    /// Back to the table's first column and the profile's provider.
    static Result<void> clear(const QString &settingsPath, const QString &profileName, const QString &table);
};

/// The provider name (as a command line or combo box gives it) that made a recorded source's
/// vectors: "lexical" or "lexical-stem" by the lexical provider's model, "openai:MODEL".
QString providerNameOf(const EmbeddingSource &source);
} // namespace vwb
