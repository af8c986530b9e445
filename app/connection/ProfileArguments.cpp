// app/connection/ProfileArguments.cpp
#include "connection/ProfileArguments.h"

#include "connection/DatabaseUrl.h"
#include "core/ShellWords.h"

namespace vwb {

QStringList profileArguments(const ConnectionProfile &profile)
{
    if (profile.source != ProfileSource::CommandLine)
        return {QStringLiteral("--profile"), profile.name};
    QStringList args{QStringLiteral("--url"), toDatabaseUrl(profile.params)};
    if (profile.production)
        args << QStringLiteral("--production");
    return args;
}

QString withProfileArguments(const QString &command, const ConnectionProfile &profile)
{
    if (!command.startsWith(QLatin1String("vwb ")) || command.contains(QLatin1String(" --profile "))
        || command.contains(QLatin1String(" --url ")))
        return command;
    return command + QLatin1Char(' ') + shellCommand(profileArguments(profile));
}

} // namespace vwb
