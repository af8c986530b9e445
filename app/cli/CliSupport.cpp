// app/cli/CliSupport.cpp
#include "cli/CliSupport.h"

#include "connection/DatabaseUrl.h"
#include "connection/ProfileStore.h"
#include "connection/SecretStore.h"
#include "connection/SessionUnlocks.h"
#include "core/ShownText.h"
#include "sandbox/LocalCluster.h"
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace vwb::cli {

CommandParser::CommandParser(const QString &command, const QString &description, bool withJson) : m_command(command), m_json(withJson)
{
    m_parser.setApplicationDescription(description);
    m_parser.addHelpOption();
    if (withJson)
        m_parser.addOption({QStringLiteral("json"), QStringLiteral("Print machine-readable JSON.")});
}

std::optional<int> CommandParser::parse(const QStringList &arguments)
{
    if (!m_parser.parse(QStringList{QStringLiteral("vwb ") + m_command} + arguments))
        return usageError(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help"))) {
        // helpText() names argv[0]; people type "vwb <command>".
        const QString argv0 = QCoreApplication::arguments().value(0);
        printLine(m_parser.helpText().replace(QStringLiteral("Usage: ") + argv0, QStringLiteral("Usage: vwb ") + m_command));
        return Ok;
    }
    return std::nullopt;
}

int CommandParser::usageError(const QString &message) const
{
    printError(QStringLiteral("vwb %1: %2").arg(m_command, message));
    printError(QStringLiteral("Try 'vwb %1 --help'.").arg(m_command));
    return Usage;
}

void printJson(const QJsonValue &value)
{
    const QByteArray text = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)
                                            : QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented);
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}

void printLine(const QString &line)
{
    // On a terminal, a row's text with an escape code would act on the terminal: shown escaped.
    // Piped output stays as the database holds it.
    static const bool terminal = ::isatty(STDOUT_FILENO) == 1;
    const QByteArray text = (terminal ? shownText(line, true) : line).toLocal8Bit() + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}

void printError(const QString &line)
{
    // Messages quote URLs, files and server text: their control characters are shown, not sent.
    const QByteArray text = shownText(line, true).toLocal8Bit() + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stderr);
}

QJsonObject errorJson(const Error &error)
{
    QJsonObject e{{QStringLiteral("kind"), error.kindName()}, {QStringLiteral("message"), error.message}};
    if (!error.sqlState.isEmpty())
        e.insert(QStringLiteral("sqlstate"), error.sqlState);
    if (!error.detail.isEmpty())
        e.insert(QStringLiteral("detail"), error.detail);
    return e;
}

int reportError(const Error &error, bool json, const QJsonObject &extra)
{
    if (json) {
        QJsonObject out = extra;
        out.insert(QStringLiteral("error"), errorJson(error));
        printJson(out);
    } else {
        printError(QStringLiteral("error: ") + error.message);
    }
    return Failed;
}

QCommandLineOption typeOption()
{
    return {QStringList{QStringLiteral("table"), QStringLiteral("type")},
            QStringLiteral("The content table: topic (default), post, or any discovered table by name or schema.name (vwb tables lists "
                           "them)."),
            QStringLiteral("table"), QStringLiteral("topic")};
}

QCommandLineOption projectOption()
{
    return {QStringLiteral("project"),
            QStringLiteral("A Node project folder whose .env supplies POSTGRES_*, DATABASE_URL and NODE_ENV "
                           "(default: $VWB_PROJECT_DIR)."),
            QStringLiteral("dir")};
}

ProfileCatalog loadCatalog(const QCommandLineParser &parser)
{
    return loadCatalog(parser.isSet(QStringLiteral("project")) ? parser.value(QStringLiteral("project"))
                                                               : qEnvironmentVariable("VWB_PROJECT_DIR"));
}

ProfileCatalog loadCatalog(const QString &projectDir)
{
    CatalogOptions options;
    options.sandbox = LocalCluster(LocalCluster::defaultBaseDir()).profile();
    options.projectDir = projectDir;
    return ProfileCatalog::load(processEnvironment(), options);
}

QString promptPassword(const QString &prompt)
{
    if (!::isatty(STDIN_FILENO))
        return {};
    std::fprintf(stderr, "%s", prompt.toLocal8Bit().constData());
    std::fflush(stderr);
    termios old{};
    const bool tty = ::tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    char buffer[1024] = {};
    const bool got = std::fgets(buffer, sizeof buffer, stdin) != nullptr;
    if (tty)
        ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fprintf(stderr, "\n");
    QString password = got ? QString::fromLocal8Bit(buffer) : QString();
    if (password.endsWith(QLatin1Char('\n')))
        password.chop(1);
    return password;
}
namespace {
const QCommandLineOption ProfileOption(QStringLiteral("profile"), QStringLiteral("Profile to use (default: the default profile)."),
                                       QStringLiteral("name"));
const QCommandLineOption UrlOption(QStringLiteral("url"), QStringLiteral("A postgres:// URL instead of a profile."),
                                   QStringLiteral("url"));
const QCommandLineOption ProductionOption(QStringLiteral("production"),
                                          QStringLiteral("Treat --url as production (TLS required, read-only)."));
const QCommandLineOption TimeoutOption(QStringLiteral("timeout"), QStringLiteral("Connect timeout (default 5)."),
                                       QStringLiteral("seconds"), QStringLiteral("5"));
const QCommandLineOption UnlockOption(QStringLiteral("unlock-writes"),
                                      QStringLiteral("Production: allow writes in this run; give the database "
                                                     "name to confirm."),
                                      QStringLiteral("dbname"));

Error usage(const QString &message)
{
    return {Error::Kind::Invalid, message, QStringLiteral("usage"), {}};
}
} // namespace

void addConnectionOptions(CommandParser &cmd)
{
    for (const auto &o : {ProfileOption, UrlOption, ProductionOption, TimeoutOption, UnlockOption, projectOption()})
        cmd.addOption(o);
}

Result<ConnectionProfile> resolveProfile(CommandParser &cmd)
{
    const QCommandLineParser &p = cmd.parser();
    if (p.isSet(ProfileOption) && p.isSet(UrlOption))
        return usage(QStringLiteral("give --profile or --url, not both"));
    ConnectionProfile profile;
    if (p.isSet(UrlOption)) {
        auto parsed = parseDatabaseUrl(p.value(UrlOption));
        if (!parsed.ok())
            return usage(parsed.error().message);
        profile.name = QStringLiteral("url");
        profile.source = ProfileSource::CommandLine;
        profile.production = p.isSet(ProductionOption);
        profile.params = parsed.value();
        profile.origin = QStringLiteral("--url");
        return profile;
    }
    const ProfileCatalog catalog = loadCatalog(p);
    if (!p.isSet(ProfileOption) && !catalog.defaultError.isEmpty())
        return Error::invalid(catalog.defaultError);
    const QString name = p.isSet(ProfileOption) ? p.value(ProfileOption) : catalog.defaultName;
    const auto found = catalog.find(name);
    if (!found)
        return usage(QStringLiteral("no profile named \"%1\" (known: %2)").arg(name, catalog.names().join(QStringLiteral(", "))));
    profile = *found;
    KeychainSecretStore keychain;
    resolvePassword(profile, &keychain);
    return profile;
}

Result<std::unique_ptr<PgConnection>> openConnection(CommandParser &cmd, const ConnectionProfile &chosen)
{
    const QCommandLineParser &p = cmd.parser();
    bool timeoutOk = false;
    const double timeout = p.value(TimeoutOption).toDouble(&timeoutOk);
    if (!timeoutOk || timeout <= 0 || timeout > 600)
        return usage(QStringLiteral("--timeout must be a number of seconds between 0 and 600"));
    ConnectionProfile profile = chosen;
    if (p.isSet(UnlockOption)) {
        if (!profile.production)
            return usage(QStringLiteral("--unlock-writes is for production profiles; \"%1\" is not one").arg(profile.name));
        if (auto unlocked = SessionUnlocks::unlock(profile, p.value(UnlockOption)); !unlocked.ok())
            return usage(unlocked.error().message);
    }
    ConnectOptions options;
    options.connectTimeoutMs = int(timeout * 1000);
    options.applicationName = QStringLiteral("vwb ") + cmd.command();
    auto conn = PgConnection::open(profile, options);
    if (!conn.ok() && conn.error().sqlState == QLatin1String("28P01") && profile.params.password.isEmpty() && !cmd.json()) {
        const QString typed = promptPassword(QStringLiteral("Password for %1: ").arg(profile.params.displayTarget()));
        if (!typed.isEmpty()) {
            profile.params.password = typed;
            conn = PgConnection::open(profile, options);
            if (conn.ok())
                (void)MemorySecretStore::session().write(ProfileStore::secretKey(profile.name), typed);
        }
    }
    return conn;
}

Result<std::unique_ptr<PgConnection>> openConnection(CommandParser &cmd)
{
    auto profile = resolveProfile(cmd);
    if (!profile.ok())
        return profile.error();
    return openConnection(cmd, profile.value());
}

int reportConnectionError(CommandParser &cmd, const Error &error, const QJsonObject &extra)
{
    if (error.sqlState == QLatin1String("usage"))
        return cmd.usageError(error.message);
    return reportError(error, cmd.json(), extra);
}
} // namespace vwb::cli
