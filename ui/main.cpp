// ui/main.cpp — the vector-workbench GUI: QApplication + MainWindow.
#include "core/BuildInfo.h"
#include "session/ConnectionController.h"
#include "mainwindow/MainWindow.h"
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QScreen>
#include <QStandardPaths>
#include <QTimer>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Vector Workbench"));
    QApplication::setOrganizationName(QStringLiteral("vector-workbench"));
    QApplication::setApplicationVersion(vwb::BuildInfo::appVersion());
    QGuiApplication::setDesktopFileName(QStringLiteral(VWB_DESKTOP_ID)); // the installed desktop entry: its icon, its name
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/vector-workbench.svg")));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Vector Workbench: PostgreSQL + pgvector + Knex workbench"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption profile(QStringLiteral("profile"), QStringLiteral("Profile to open."), QStringLiteral("name"));
    const QCommandLineOption project(QStringLiteral("project"), QStringLiteral("Node project folder whose .env supplies profiles."),
                                     QStringLiteral("dir"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Once connected (or failed), save a PNG of the window and "
                                                       "quit."),
                                        QStringLiteral("file"));
    const QCommandLineOption panel(QStringLiteral("panel"),
                                   QStringLiteral("Panel to show first (Connection, "
                                                  "Migrations, ...)."),
                                   QStringLiteral("title"));
    parser.addOptions({profile, project, screenshot, panel});
    parser.process(app);

    vwb::ui::MainWindow::Options options;
    options.profile = parser.value(profile);
    options.catalog.projectDir = parser.isSet(project) ? parser.value(project) : qEnvironmentVariable("VWB_PROJECT_DIR");
    options.layoutPath = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation) + QStringLiteral("/window.ini");
    options.preferencesPath = vwb::ui::Preferences::defaultPath();
    vwb::ui::Theme::captureSystem(); // before any theme is applied: what "follow the system" returns to
    vwb::ui::MainWindow window(options);
    if (parser.isSet(panel) && !window.showPanel(parser.value(panel)))
        qWarning("No panel named \"%s\"", qPrintable(parser.value(panel)));
    window.show();

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        auto grab = [&window, file] {
            QTimer::singleShot(500, &window, [&window, file] { // let the last repaint land
                window.grab().save(file);
                QApplication::quit();
            });
        };
        QObject::connect(
            window.controller(), &vwb::ConnectionController::stateChanged, &window, [grab](vwb::ConnectionController::State state) {
                if (state == vwb::ConnectionController::State::Connected || state == vwb::ConnectionController::State::Failed)
                    grab();
            });
        if (window.controller()->state() == vwb::ConnectionController::State::Idle && options.profile.isEmpty())
            grab(); // first run: the welcome page
    }
    return app.exec();
}
