// app/cli/CliSupport.cpp
#include "cli/CliSupport.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace vwb::cli {

CommandParser::CommandParser(const QString &command, const QString &description, bool withJson)
    : m_command(command), m_json(withJson)
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
        printLine(m_parser.helpText().replace(QStringLiteral("Usage: ") + argv0,
                                              QStringLiteral("Usage: vwb ") + m_command));
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
    const QByteArray text = line.toLocal8Bit() + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
    std::fflush(stdout);
}

void printError(const QString &line)
{
    const QByteArray text = line.toLocal8Bit() + '\n';
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

QCommandLineOption projectOption()
{
    return {QStringLiteral("project"),
            QStringLiteral("A Node project folder whose .env supplies POSTGRES_*, DATABASE_URL and NODE_ENV "
                           "(default: $VWB_PROJECT_DIR)."),
            QStringLiteral("dir")};
}

ProfileCatalog loadCatalog(const QCommandLineParser &parser)
{
    CatalogOptions options;
    options.projectDir = parser.isSet(QStringLiteral("project")) ? parser.value(QStringLiteral("project"))
                                                                  : qEnvironmentVariable("VWB_PROJECT_DIR");
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
} // namespace vwb::cli
