// app/embeddings/ProviderSettings.cpp
#include "embeddings/ProviderSettings.h"

#include "connection/SecretStore.h"
#include "embeddings/LexicalHashingProvider.h"
#include "embeddings/OpenAiCompatibleProvider.h"
#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>
#include <QSettings>
#include <QThread>
#include <QUrl>

namespace vwb {
namespace {
const QString Lexical = QStringLiteral("lexical");
const QString OpenAi = QStringLiteral("openai");

QString group(const QString &profileName)
{
    // Profile names may hold '/', which QSettings would read as a subgroup.
    return QStringLiteral("embeddings/") + QString::fromLatin1(QUrl::toPercentEncoding(profileName));
}

// How the INI file names a KeySource, in the enum's order.
const QStringList KeySourceNames{QStringLiteral("environment"), QStringLiteral("session"), QStringLiteral("keychain")};

OpenAiSettings openAiSettings(const ProviderSettings &s, const QString &apiKey)
{
    OpenAiSettings o;
    o.baseUrl = s.baseUrl;
    if (!s.model.isEmpty())
        o.model = s.model;
    o.dimensions = s.dimensions;
    o.expectedDimensions = s.expectedDimensions;
    o.apiKey = apiKey;
    if (o.apiKey.isEmpty() && s.keySource == ProviderSettings::KeySource::Environment)
        o.apiKey = qEnvironmentVariable(qPrintable(s.keyVariable));
    return o;
}
} // namespace

Result<void> ProviderSettings::validate() const
{
    if (provider == Lexical) {
        if (!model.isEmpty() && model != QLatin1String(LexicalHashingProvider::FoldModel)
            && model != QLatin1String(LexicalHashingProvider::SnowballModel))
            return Error::invalid(
                QStringLiteral("The lexical provider's models are lexical-hash-v1 and lexical-stem-v1, not \"%1\"").arg(model));
        return dimensions == 0 ? Result<void>() : LexicalHashingProvider::validateDimensions(dimensions);
    }
    if (provider != OpenAi)
        return Error::invalid(QStringLiteral("Unknown embedding provider \"%1\" (use lexical or openai)").arg(provider));
    static const QRegularExpression variable(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (keySource == KeySource::Environment && !variable.match(keyVariable).hasMatch())
        return Error::invalid(QStringLiteral("\"%1\" is not an environment variable name").arg(keyVariable));
    return OpenAiCompatibleProvider::validate(openAiSettings(*this, {}));
}

QString ProviderSettings::defaultPath()
{
    QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (config.isEmpty() || !QDir::isAbsolutePath(config))
        config = QDir::homePath() + QStringLiteral("/.config");
    return config + QStringLiteral("/vector-workbench/embeddings.ini");
}

ProviderSettings ProviderSettings::load(const QString &settingsPath, const QString &profileName)
{
    ProviderSettings s;
    QSettings ini(settingsPath, QSettings::IniFormat);
    ini.beginGroup(group(profileName));
    s.provider = ini.value(QStringLiteral("provider"), s.provider).toString();
    s.baseUrl = ini.value(QStringLiteral("baseUrl"), s.baseUrl).toString();
    s.model = ini.value(QStringLiteral("model"), s.model).toString();
    s.dimensions = ini.value(QStringLiteral("dimensions"), s.dimensions).toInt();
    s.expectedDimensions = ini.value(QStringLiteral("expectedDimensions"), s.expectedDimensions).toInt();
    s.keySource = KeySource(std::max<qsizetype>(0, KeySourceNames.indexOf(ini.value(QStringLiteral("keySource")).toString())));
    s.profile = profileName;
    s.keyVariable = ini.value(QStringLiteral("keyVariable"), s.keyVariable).toString();
    bool limitOk = false;
    const int limit = ini.value(QStringLiteral("searchesPerMinute"), s.searchesPerMinute).toInt(&limitOk);
    if (limitOk && limit >= 0) // a hand-edited value that is no count keeps the default, not "no limit"
        s.searchesPerMinute = limit;
    return s;
}

Result<void> ProviderSettings::save(const QString &settingsPath, const QString &profileName) const
{
    if (profileName.trimmed().isEmpty())
        return Error::invalid(QStringLiteral("Embedding settings belong to a profile; no profile named"));
    if (auto valid = validate(); !valid.ok())
        return valid;
    QSettings ini(settingsPath, QSettings::IniFormat);
    ini.remove(group(profileName));
    ini.beginGroup(group(profileName));
    ini.setValue(QStringLiteral("provider"), provider);
    ini.setValue(QStringLiteral("baseUrl"), baseUrl);
    ini.setValue(QStringLiteral("model"), model);
    ini.setValue(QStringLiteral("dimensions"), dimensions);
    ini.setValue(QStringLiteral("expectedDimensions"), expectedDimensions);
    ini.setValue(QStringLiteral("keySource"), KeySourceNames.at(int(keySource)));
    ini.setValue(QStringLiteral("keyVariable"), keyVariable); // the variable's name, never its value
    ini.setValue(QStringLiteral("searchesPerMinute"), searchesPerMinute);
    ini.endGroup();
    ini.sync();
    if (ini.status() != QSettings::NoError)
        return Error::io(QStringLiteral("Could not write the embedding settings to %1").arg(settingsPath));
    return {};
}

Result<QString> ProviderSettings::storedKey(SecretStore *keychain) const
{
    if (keySource == KeySource::Environment || profile.isEmpty())
        return QString();
    const QString where = secretKey(profile);
    if (auto held = MemorySecretStore::session().read(where); !held.ok() || !held.value().isEmpty() || keySource == KeySource::Session)
        return held;
    const QCoreApplication *app = QCoreApplication::instance();
    if (!app || QThread::currentThread() != app->thread())
        return Error::invalid(QStringLiteral("The API key of profile %1 is in the OS keychain and was not read in this session: "
                                             "connect to the profile again (or save the key again in Settings)")
                                  .arg(profile));
    KeychainSecretStore os;
    auto kept = (keychain ? keychain : &os)->read(where);
    if (!kept.ok())
        return kept.error().withContext(QStringLiteral("reading the API key of profile %1").arg(profile));
    if (!kept.value().isEmpty())
        (void)MemorySecretStore::session().write(where, kept.value());
    return kept;
}

Result<std::unique_ptr<EmbeddingProvider>> makeProvider(const ProviderSettings &settings, const QString &apiKey)
{
    if (auto valid = settings.validate(); !valid.ok())
        return valid.error();
    QString key = apiKey;
    if (key.isEmpty() && settings.provider == OpenAi) {
        auto stored = settings.storedKey();
        if (!stored.ok())
            return stored.error();
        key = stored.value();
    }
    if (settings.provider == Lexical)
        return std::unique_ptr<EmbeddingProvider>(std::make_unique<LexicalHashingProvider>(
            settings.dimensions > 0 ? settings.dimensions : LexicalHashingProvider::DefaultDimensions,
            settings.model == QLatin1String(LexicalHashingProvider::SnowballModel) ? LexicalHashingProvider::Stemming::Snowball
                                                                                   : LexicalHashingProvider::Stemming::Fold));
    auto made = OpenAiCompatibleProvider::create(openAiSettings(settings, key));
    if (!made.ok())
        return made.error();
    return std::unique_ptr<EmbeddingProvider>(std::move(made).value());
}
} // namespace vwb
