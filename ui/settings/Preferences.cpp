// ui/settings/Preferences.cpp
#include "settings/Preferences.h"

#include <QDir>
#include <QSettings>

namespace vwb::ui {
namespace {
const QStringList Metrics{QString(), QStringLiteral("l2"), QStringLiteral("cosine"), QStringLiteral("ip")};

/// `key` as an int within [low, high], else `fallback` (a typo in the file is not "0").
int intIn(const QSettings &ini, const QString &key, int low, int high, int fallback)
{
    bool ok = false;
    const int v = ini.value(key).toInt(&ok);
    return ok && v >= low && v <= high ? v : fallback;
}
} // namespace

QString Preferences::defaultPath()
{
    QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (config.isEmpty() || !QDir::isAbsolutePath(config))
        config = QDir::homePath() + QStringLiteral("/.config");
    return config + QStringLiteral("/vector-workbench/preferences.ini");
}

Preferences Preferences::load(const QString &path)
{
    Preferences p;
    const QSettings ini(path, QSettings::IniFormat);
    p.theme = Theme::modeFromKey(ini.value(QStringLiteral("appearance/theme")).toString());
    if (const QString metric = ini.value(QStringLiteral("search/metric")).toString(); Metrics.contains(metric))
        p.searchMetric = metric;
    p.searchLimit = intIn(ini, QStringLiteral("search/limit"), 1, 100, p.searchLimit);
    bool ok = false;
    if (const double t = ini.value(QStringLiteral("search/threshold")).toDouble(&ok); ok && t >= 0 && t <= 1)
        p.searchThreshold = t;
    p.sizeSampleMinutes = intIn(ini, QStringLiteral("sizes/sampleMinutes"), 1, 24 * 60, p.sizeSampleMinutes);
    p.explainTimeoutMs = intIn(ini, QStringLiteral("plans/explainTimeoutMs"), 0, 3600000, p.explainTimeoutMs);
    return p;
}

Result<void> Preferences::save(const QString &path) const
{
    QSettings ini(path, QSettings::IniFormat);
    ini.setValue(QStringLiteral("appearance/theme"), Theme::modeKey(theme));
    ini.setValue(QStringLiteral("search/metric"), searchMetric);
    ini.setValue(QStringLiteral("search/limit"), searchLimit);
    ini.setValue(QStringLiteral("search/threshold"), searchThreshold);
    ini.setValue(QStringLiteral("sizes/sampleMinutes"), sizeSampleMinutes);
    ini.setValue(QStringLiteral("plans/explainTimeoutMs"), explainTimeoutMs);
    ini.sync();
    if (ini.status() != QSettings::NoError)
        return Error::io(QStringLiteral("Could not write the preferences to %1").arg(path));
    return {};
}
} // namespace vwb::ui
