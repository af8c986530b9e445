// app/cli/CliSupport.h
#pragma once

#include "connection/ProfileCatalog.h"
#include "connection/PgConnection.h"
#include "core/Result.h"
#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <optional>

namespace vwb::cli {

enum ExitCode { Ok = 0, Failed = 1, Usage = 2 };

/// QCommandLineParser with vwb's conventions: --help and --json on every command, exit code 2
/// and a one-line message on usage errors (QCommandLineParser::process() would exit 1).
class CommandParser
{
public:
    CommandParser(const QString &command, const QString &description, bool withJson = true);
    QCommandLineParser &parser() { return m_parser; }
    const QCommandLineParser &parser() const { return m_parser; }
    void addOption(const QCommandLineOption &option)
    {
        m_parser.addOption(option);
        m_names << option.names();
    }
    /// Whether the command takes this option (QCommandLineParser warns of one it doesn't).
    bool takes(const QString &name) const { return m_names.contains(name); }
    /// Returns an exit code when the command must stop now (help printed, or a usage error).
    std::optional<int> parse(const QStringList &arguments);
    bool json() const { return m_json && m_parser.isSet(QStringLiteral("json")); }
    int usageError(const QString &message) const;
    const QString &command() const { return m_command; }

private:
    QCommandLineParser m_parser;
    QString m_command;
    QStringList m_names;
    bool m_json;
};

void printJson(const QJsonValue &value);
void printLine(const QString &line);
void printError(const QString &line); // stderr
/// Prints an Error for people ("error: ...") or as {"error": {...}} with --json; returns Failed.
int reportError(const Error &error, bool json, const QJsonObject &extra = {});
QJsonObject errorJson(const Error &error);

/// The option every command that reads profiles shares, and the catalog it selects.
QCommandLineOption projectOption();
/// --table NAME (also spelled --type): topic (default), post, or any discovered content table,
/// by name or schema.name.
QCommandLineOption typeOption();
ProfileCatalog loadCatalog(const QCommandLineParser &parser);
/// The catalog with `projectDir`'s .env (empty: none).
ProfileCatalog loadCatalog(const QString &projectDir);
/// Asks for a password on the terminal without echo; empty when stdin is not a terminal.
QString promptPassword(const QString &prompt);

/// The options of every command that talks to a database: --profile, --url, --production,
/// --timeout, --project and --unlock-writes.
void addConnectionOptions(CommandParser &cmd);
/// The profile those options name (the catalog's default when none), its saved password filled
/// in. A problem with the options themselves comes back with sqlState "usage" (exit code 2).
Result<ConnectionProfile> resolveProfile(CommandParser &cmd);
/// Connects to `profile`: asks once for a missing password at a terminal, and applies
/// --unlock-writes DBNAME (the typed confirmation a production profile needs for writes).
Result<std::unique_ptr<PgConnection>> openConnection(CommandParser &cmd, const ConnectionProfile &profile);
/// resolveProfile() then openConnection().
Result<std::unique_ptr<PgConnection>> openConnection(CommandParser &cmd);
/// Reports an error from the functions above: usage problems exit 2, others 1.
int reportConnectionError(CommandParser &cmd, const Error &error, const QJsonObject &extra = {});

int runProfiles(const QStringList &args);
int runCheck(const QStringList &args);
int runSandbox(const QStringList &args);
int runDemo(const QStringList &args);
int runMigrate(const QStringList &args);
int runMigrateExport(const QStringList &args);
int runTopics(const QStringList &args);
int runTopic(const QStringList &args);
int runSearch(const QStringList &args);
int runRecall(const QStringList &args);
int runImport(const QStringList &args);
int runBackfill(const QStringList &args);
int runHealth(const QStringList &args);
int runVacuum(const QStringList &args);
int runAnalyze(const QStringList &args);
int runReindex(const QStringList &args);
int runIndex(const QStringList &args);
int runExplain(const QStringList &args);
int runSizes(const QStringList &args);
int runQueries(const QStringList &args);
int runEval(const QStringList &args);
int runColumn(const QStringList &args);
int runTables(const QStringList &args);
int runAudit(const QStringList &args);
} // namespace vwb::cli
