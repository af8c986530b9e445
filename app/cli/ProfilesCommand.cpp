// app/cli/ProfilesCommand.cpp — vwb profiles
#include "cli/CliSupport.h"

#include "connection/DatabaseUrl.h"
#include "connection/ProfileStore.h"
#include "connection/SecretStore.h"
#include <QJsonArray>
#include <QJsonObject>

namespace vwb::cli {
namespace {

QJsonObject profileJson(const ConnectionProfile &p, bool isDefault)
{
    return QJsonObject{{QStringLiteral("name"), p.name},
                       {QStringLiteral("source"), ConnectionProfile::sourceName(p.source)},
                       {QStringLiteral("origin"), p.origin},
                       {QStringLiteral("production"), p.production},
                       {QStringLiteral("default"), isDefault},
                       {QStringLiteral("target"), p.params.displayTarget()},
                       {QStringLiteral("url"), toDatabaseUrl(p.params, false)},
                       {QStringLiteral("sslmode"), p.effectiveSslMode()},
                       {QStringLiteral("warnings"), QJsonArray::fromStringList(p.warnings())}};
}

int list(CommandParser &cmd)
{
    const ProfileCatalog catalog = loadCatalog(cmd.parser());
    if (cmd.json()) {
        QJsonArray profiles;
        for (const ConnectionProfile &p : catalog.profiles)
            profiles.append(profileJson(p, p.name == catalog.defaultName));
        printJson(QJsonObject{{QStringLiteral("profiles"), profiles},
                              {QStringLiteral("default"), catalog.defaultName},
                              {QStringLiteral("default_error"), catalog.defaultError},
                              {QStringLiteral("notes"), QJsonArray::fromStringList(catalog.notes)}});
        return Ok;
    }
    for (const ConnectionProfile &p : catalog.profiles) {
        printLine(QStringLiteral("%1 %2 %3 %4  %5")
                      .arg(p.name == catalog.defaultName ? QStringLiteral("*") : QStringLiteral(" "), p.name.leftJustified(16),
                           ConnectionProfile::sourceName(p.source).leftJustified(14),
                           p.production ? QStringLiteral("PROD") : QStringLiteral("    "), p.params.displayTarget()));
        for (const QString &w : p.warnings())
            printLine(QStringLiteral("      warning: ") + w);
    }
    for (const QString &n : catalog.notes)
        printLine(QStringLiteral("note: ") + n);
    if (!catalog.defaultError.isEmpty())
        printLine(QStringLiteral("no default profile: ") + catalog.defaultError);
    return Ok;
}
} // namespace

int runProfiles(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("profiles"),
                      QStringLiteral("Lists connection profiles (* marks the default, which NODE_ENV picks as a "
                                     "knexfile does).\n"
                                     "  vwb profiles [list]\n"
                                     "  vwb profiles save NAME --url URL [--production]\n"
                                     "  vwb profiles remove NAME\n"
                                     "Passwords go to the OS keychain when one is available, never to the "
                                     "settings file."));
    const QCommandLineOption urlOpt(QStringLiteral("url"), QStringLiteral("postgres:// URL of the profile to save."),
                                    QStringLiteral("url"));
    const QCommandLineOption prodOpt(QStringLiteral("production"),
                                     QStringLiteral("Mark the saved profile as production (TLS, read-only)."));
    for (const auto &o : {urlOpt, prodOpt, projectOption()})
        cmd.addOption(o);
    if (auto exit = cmd.parse(args))
        return *exit;
    const QStringList pos = cmd.parser().positionalArguments();
    const QString action = pos.value(0, QStringLiteral("list"));
    if (action == QLatin1String("list")) {
        if (pos.size() > 1)
            return cmd.usageError(QStringLiteral("\"list\" takes no argument"));
        return list(cmd);
    }
    if (action != QLatin1String("save") && action != QLatin1String("remove"))
        return cmd.usageError(QStringLiteral("unknown action \"%1\" (list, save, remove)").arg(action));
    if (pos.size() != 2)
        return cmd.usageError(QStringLiteral("\"%1\" needs exactly one profile name").arg(action));
    ProfileStore store;
    KeychainSecretStore keychain;
    if (action == QLatin1String("remove")) {
        if (auto removed = store.remove(pos.at(1), &keychain); !removed.ok())
            return reportError(removed.error(), cmd.json());
        cmd.json() ? printJson(QJsonObject{{QStringLiteral("removed"), pos.at(1)}})
                   : printLine(QStringLiteral("removed profile \"%1\"").arg(pos.at(1)));
        return Ok;
    }
    if (!cmd.parser().isSet(urlOpt))
        return cmd.usageError(QStringLiteral("\"save\" needs --url"));
    auto parsed = parseDatabaseUrl(cmd.parser().value(urlOpt));
    if (!parsed.ok())
        return cmd.usageError(parsed.error().message);
    ConnectionProfile profile;
    profile.name = pos.at(1);
    profile.source = ProfileSource::Saved;
    profile.production = cmd.parser().isSet(prodOpt);
    profile.params = parsed.value();
    if (auto valid = profile.validate(); !valid.ok())
        return reportError(valid.error(), cmd.json());
    auto saved = store.save(profile, &keychain);
    if (!saved.ok())
        return reportError(saved.error(), cmd.json());
    if (cmd.json())
        printJson(QJsonObject{{QStringLiteral("saved"), profile.name},
                              {QStringLiteral("settings"), store.path()},
                              {QStringLiteral("note"), saved.value()}});
    else
        printLine(QStringLiteral("profile \"%1\" %2 (%3)").arg(profile.name, saved.value(), store.path()));
    return Ok;
}
} // namespace vwb::cli
