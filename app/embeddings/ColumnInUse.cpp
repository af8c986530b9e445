// app/embeddings/ColumnInUse.cpp
#include "embeddings/ColumnInUse.h"

#include "embeddings/EmbeddingSources.h"
#include "embeddings/LexicalHashingProvider.h"
#include "embeddings/ProviderChoice.h"
#include <QSettings>
#include <QUrl>

namespace vwb {
namespace {
// Not under the provider's group: saving the provider settings rewrites that group whole.
QString group(const QString &profileName, const QString &table)
{
    return QStringLiteral("search-columns/%1/%2")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(profileName)), QString::fromLatin1(QUrl::toPercentEncoding(table)));
}

Result<void> written(QSettings &ini, const QString &path)
{
    ini.sync();
    if (ini.status() != QSettings::NoError)
        return Error::io(QStringLiteral("Could not write the search column to %1").arg(path));
    return {};
}
} // namespace

std::optional<ColumnInUse> ColumnInUse::load(const QString &settingsPath, const QString &profileName, const QString &table)
{
    QSettings ini(settingsPath, QSettings::IniFormat);
    ini.beginGroup(group(profileName, table));
    ColumnInUse c{ini.value(QStringLiteral("column")).toString(), ini.value(QStringLiteral("provider")).toString()};
    if (c.column.isEmpty())
        return std::nullopt;
    return c;
}

Result<void> ColumnInUse::save(const QString &settingsPath, const QString &profileName, const QString &table) const
{
    if (column.isEmpty() || profileName.trimmed().isEmpty() || table.isEmpty())
        return Error::invalid(QStringLiteral("A search column needs a profile, a table and a column"));
    if (!validProviderName(provider))
        return Error::invalid(
            QStringLiteral("Unknown embedding provider \"%1\" (use lexical, lexical-stem, openai or openai:MODEL)").arg(provider));
    QSettings ini(settingsPath, QSettings::IniFormat);
    ini.beginGroup(group(profileName, table));
    ini.setValue(QStringLiteral("column"), column);
    ini.setValue(QStringLiteral("provider"), provider);
    ini.endGroup();
    return written(ini, settingsPath);
}

Result<void> ColumnInUse::clear(const QString &settingsPath, const QString &profileName, const QString &table)
{
    QSettings ini(settingsPath, QSettings::IniFormat);
    ini.remove(group(profileName, table));
    return written(ini, settingsPath);
}

QString providerNameOf(const EmbeddingSource &source)
{
    if (source.provider == QLatin1String("lexical"))
        return source.model == QLatin1String(LexicalHashingProvider::SnowballModel) ? QStringLiteral("lexical-stem")
                                                                                    : QStringLiteral("lexical");
    if (source.provider == QLatin1String("openai") && !source.model.isEmpty())
        return QStringLiteral("openai:") + source.model; // the model, not whichever the profile names today
    return source.provider;
}
} // namespace vwb
