// app/schema/RoleOverrides.h
#pragma once

#include "core/Result.h"
#include <optional>

namespace vwb {
struct ContentPair;
struct ContentRoles;

/// The columns a user chose for a table's roles where discovery guessed wrong or found none,
/// remembered per profile (ConnectionProfile::settingsKey) and table ("schema.name") in the
/// workbench's tables.ini. Each role is unset (discovery decides), a column, or "" (the table
/// has none: a `name` column that is no title, say).
struct RoleChoice
{
    std::optional<QString> text, title, metadata, filter;
    bool isEmpty() const { return !text && !title && !metadata && !filter; }
    bool operator==(const RoleChoice &) const = default;

    /// $XDG_CONFIG_HOME/vector-workbench/tables.ini.
    static QString defaultPath();
    static RoleChoice load(const QString &path, const QString &profileKey, const QString &table);
    /// Adds to what was chosen before (a role left unset keeps its earlier choice).
    Result<void> save(const QString &path, const QString &profileKey, const QString &table) const;
    static Result<void> clear(const QString &path, const QString &profileKey, const QString &table);

    /// Every chosen column exists in the pair's content table.
    Result<void> validate(const ContentPair &pair) const;
    /// The roles with the choices put in (a chosen column that is gone is left out: discovery's stays).
    void applyTo(const ContentPair &pair, ContentRoles &roles) const;
};
} // namespace vwb
