// app/embeddings/ProviderSettings.h
#pragma once

#include "embeddings/EmbeddingProvider.h"
#include <memory>
#include <tuple>

namespace vwb {
class SecretStore;

/// Which embedding provider a connection profile uses, saved per profile in an INI file. The API
/// key is never saved there: it comes from an environment variable, the OS keychain (the Settings
/// dialog puts it there), or is kept in memory for the session when there is no keychain.
struct ProviderSettings
{
    enum class KeySource { Environment, Session, Keychain };

    QString provider = QStringLiteral("lexical"); // "lexical" or "openai"
    QString baseUrl = QStringLiteral("https://api.openai.com/v1");
    QString model;              // empty: the provider's default
    int dimensions = 0;         // lexical: 0 means 1536; openai: sent as "dimensions" when > 0
    int expectedDimensions = 0; // openai with dimensions 0: the size to insist on (0: learn it)
    KeySource keySource = KeySource::Environment;
    QString keyVariable = QStringLiteral("OPENAI_API_KEY"); // with KeySource::Environment
    /// Text searches a minute on a production profile (SearchBudget); 0: no limit. Other
    /// profiles are never limited.
    int searchesPerMinute = 30;
    /// The profile load() read these for (not saved, not compared): whose key Session and
    /// Keychain look up.
    QString profile;

    bool operator==(const ProviderSettings &o) const
    {
        return std::tie(provider, baseUrl, model, dimensions, expectedDimensions, keySource, keyVariable, searchesPerMinute)
               == std::tie(o.provider, o.baseUrl, o.model, o.dimensions, o.expectedDimensions, o.keySource, o.keyVariable,
                           o.searchesPerMinute);
    }

    /// Error::invalid with one line for a person.
    Result<void> validate() const;
    /// $XDG_CONFIG_HOME/vector-workbench/embeddings.ini (~/.config/... without it).
    static QString defaultPath();
    /// The saved settings of a profile, or the defaults (offline lexical) when none were saved.
    static ProviderSettings load(const QString &settingsPath, const QString &profileName);
    Result<void> save(const QString &settingsPath, const QString &profileName) const;
    /// Where a profile's API key is kept, in the keychain and in the session's memory store.
    static QString secretKey(const QString &profileName) { return QStringLiteral("embeddings/") + profileName; }
    /// The key of KeySource::Session / Keychain: the session's memory store first, then (Keychain)
    /// `keychain` (the OS keychain when null), remembered for the session. The keychain is read
    /// only on the application's main thread (it answers through that thread's event loop);
    /// elsewhere a key not yet in memory is an error that says so. Empty when there is none.
    Result<QString> storedKey(SecretStore *keychain = nullptr) const;
};

/// A provider for `settings` (validated first). `apiKey`, when given, wins over the environment.
Result<std::unique_ptr<EmbeddingProvider>> makeProvider(const ProviderSettings &settings, const QString &apiKey = {});
} // namespace vwb
