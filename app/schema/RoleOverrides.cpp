// app/schema/RoleOverrides.cpp
#include "schema/RoleOverrides.h"

#include "schema/DatabaseSchema.h"
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QUrl>

namespace vwb {
namespace {
QString group(const QString &profileKey, const QString &table)
{
    return QStringLiteral("tables/%1/%2")
        .arg(QString::fromLatin1(QUrl::toPercentEncoding(profileKey)), QString::fromLatin1(QUrl::toPercentEncoding(table)));
}

struct Role
{
    const char *key;
    std::optional<QString> RoleChoice::*choice;
    QString ContentRoles::*role;
};
constexpr Role Roles[] = {{"text", &RoleChoice::text, &ContentRoles::text},
                          {"title", &RoleChoice::title, &ContentRoles::title},
                          {"metadata", &RoleChoice::metadata, &ContentRoles::metadata},
                          {"filter", &RoleChoice::filter, &ContentRoles::filter}};
} // namespace

QString defaultChoicesPath()
{
    return RoleChoice::defaultPath();
}

QString RoleChoice::defaultPath()
{
    QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (config.isEmpty() || !QDir::isAbsolutePath(config))
        config = QDir::homePath() + QStringLiteral("/.config");
    return config + QStringLiteral("/vector-workbench/tables.ini");
}

RoleChoice RoleChoice::load(const QString &path, const QString &profileKey, const QString &table)
{
    RoleChoice c;
    if (!QFile::exists(path))
        return c;
    QSettings ini(path, QSettings::IniFormat);
    ini.beginGroup(group(profileKey, table));
    for (const Role &r : Roles)
        if (ini.contains(QLatin1String(r.key)))
            c.*r.choice = ini.value(QLatin1String(r.key)).toString();
    return c;
}

Result<void> RoleChoice::save(const QString &path, const QString &profileKey, const QString &table) const
{
    if (profileKey.trimmed().isEmpty() || table.isEmpty())
        return Error::invalid(QStringLiteral("Column choices need a profile and a table"));
    QSettings ini(path, QSettings::IniFormat);
    ini.beginGroup(group(profileKey, table));
    for (const Role &r : Roles)
        if (this->*r.choice)
            ini.setValue(QLatin1String(r.key), *(this->*r.choice));
    ini.endGroup();
    ini.sync();
    if (ini.status() != QSettings::NoError)
        return Error::io(QStringLiteral("Could not write the column choices to %1").arg(path));
    return {};
}

Result<void> RoleChoice::clear(const QString &path, const QString &profileKey, const QString &table)
{
    QSettings ini(path, QSettings::IniFormat);
    ini.remove(group(profileKey, table));
    ini.sync();
    if (ini.status() != QSettings::NoError)
        return Error::io(QStringLiteral("Could not write the column choices to %1").arg(path));
    return {};
}

Result<void> RoleChoice::validate(const ContentPair &pair) const
{
    for (const Role &r : Roles) {
        const std::optional<QString> &chosen = this->*r.choice;
        if (chosen && !chosen->isEmpty() && !pair.contentHas(*chosen))
            return Error::invalid(
                QStringLiteral("%1 has no column \"%2\" for the %3 (it has %4)")
                    .arg(pair.content.display(), *chosen, QLatin1String(r.key), pair.contentColumns.join(QStringLiteral(", "))));
    }
    if (text && text->isEmpty())
        return Error::invalid(QStringLiteral("A table shown beside its vectors needs a text column"));
    return {};
}

void RoleChoice::applyTo(const ContentPair &pair, ContentRoles &roles) const
{
    for (const Role &r : Roles) {
        const std::optional<QString> &chosen = this->*r.choice;
        if (!chosen || (!chosen->isEmpty() && !pair.contentHas(*chosen)))
            continue;
        if (r.role == &ContentRoles::filter && roles.filter != *chosen)
            roles.lookup = {}; // a column of its own: compared as it is
        roles.*r.role = *chosen;
    }
}
} // namespace vwb
