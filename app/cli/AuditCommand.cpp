// app/cli/AuditCommand.cpp — vwb audit: the local record of every write the workbench performed.
#include "cli/CliSupport.h"

#include "core/AuditLog.h"
#include <QJsonArray>
#include <QJsonObject>

namespace vwb::cli {
namespace {

QJsonObject entryJson(const AuditEntry &e)
{
    return QJsonObject{
        {QStringLiteral("id"), e.id},
        {QStringLiteral("profile"), e.profile},
        {QStringLiteral("started_at"), e.startedAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("ended_at"), e.endedAt.isValid() ? QJsonValue(e.endedAt.toString(Qt::ISODateWithMs)) : QJsonValue()},
        {QStringLiteral("os_user"), e.osUser},
        {QStringLiteral("host"), e.host},
        {QStringLiteral("pid"), e.pid},
        {QStringLiteral("action"), e.action},
        {QStringLiteral("summary"), e.summary},
        {QStringLiteral("rows"), e.rows < 0 ? QJsonValue() : QJsonValue(e.rows)},
        {QStringLiteral("outcome"), outcomeName(e.outcome)},
        {QStringLiteral("message"), e.message},
    };
}

void printEntries(const QList<AuditEntry> &entries)
{
    if (entries.isEmpty()) {
        printLine(QStringLiteral("No writes recorded (%1).").arg(AuditLog::shared().path()));
        return;
    }
    int profileWidth = 7;
    int actionWidth = 6;
    for (const AuditEntry &e : entries) {
        profileWidth = qMax(profileWidth, int(e.profile.size()));
        actionWidth = qMax(actionWidth, int(e.action.size()));
    }
    profileWidth = qMin(profileWidth, 24);
    actionWidth = qMin(actionWidth, 24);
    printLine(QStringLiteral("%1  %2  %3  %4  %5  %6  %7")
                  .arg(QStringLiteral("when (local)").leftJustified(19), QStringLiteral("user").leftJustified(10),
                       QStringLiteral("profile").leftJustified(profileWidth), QStringLiteral("action").leftJustified(actionWidth),
                       QStringLiteral("outcome").leftJustified(11), QStringLiteral("rows").rightJustified(9), QStringLiteral("what")));
    for (const AuditEntry &e : entries) {
        QString what = e.summary;
        if (!e.message.isEmpty())
            what += QStringLiteral(" — ") + e.message;
        printLine(QStringLiteral("%1  %2  %3  %4  %5  %6  %7")
                      .arg(e.startedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), e.osUser.left(10).leftJustified(10),
                           e.profile.left(profileWidth).leftJustified(profileWidth),
                           e.action.left(actionWidth).leftJustified(actionWidth), outcomeName(e.outcome).leftJustified(11),
                           (e.rows < 0 ? QStringLiteral("-") : QString::number(e.rows)).rightJustified(9), what));
    }
}
} // namespace

int runAudit(const QStringList &args)
{
    CommandParser cmd(QStringLiteral("audit"),
                      QStringLiteral("Every write this machine's workbench performed (migrations, backfills, maintenance, index "
                                     "builds and drops, imports, demo data, unlocks), newest first: when, who, profile, what ran, "
                                     "rows and outcome. \"interrupted\": the process ended mid-write (killed). Kept in %1; it "
                                     "holds no passwords, keys or connection strings.")
                          .arg(AuditLog::defaultPath()));
    const QCommandLineOption profileOpt(QStringLiteral("profile"),
                                        QStringLiteral("Only this profile's writes (default: every profile's)."), QStringLiteral("name"));
    const QCommandLineOption limitOpt(QStringLiteral("limit"), QStringLiteral("At most this many entries (default 50, max 100000)."),
                                      QStringLiteral("n"), QStringLiteral("50"));
    cmd.addOption(profileOpt);
    cmd.addOption(limitOpt);
    if (auto exit = cmd.parse(args))
        return *exit;
    if (!cmd.parser().positionalArguments().isEmpty())
        return cmd.usageError(QStringLiteral("unexpected argument \"%1\"").arg(cmd.parser().positionalArguments().first()));
    bool ok = false;
    const int limit = cmd.parser().value(limitOpt).toInt(&ok);
    if (!ok || limit < 1 || limit > 100000)
        return cmd.usageError(QStringLiteral("--limit must be 1-100000"));
    auto entries = AuditLog::shared().read(cmd.parser().value(profileOpt), limit);
    if (!entries.ok())
        return reportError(entries.error(), cmd.json());
    if (cmd.json()) {
        QJsonArray list;
        for (const AuditEntry &e : entries.value())
            list.append(entryJson(e));
        printJson(QJsonObject{{QStringLiteral("log"), AuditLog::shared().path()}, {QStringLiteral("entries"), list}});
    } else {
        printEntries(entries.value());
    }
    return 0;
}
} // namespace vwb::cli
