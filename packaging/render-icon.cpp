// packaging/render-icon.cpp — build tool: renders an SVG icon to a square PNG (render-icon IN.svg OUT.png SIZE).
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <cstdio>

namespace {
constexpr int MaxSize = 4096; // px; hicolor stops at 512, anything far beyond is a typo

int s_svgWarnings = 0; // Qt SVG's complaints about the file (an element it skipped, a bad attribute)
QtMessageHandler s_defaultHandler = nullptr;

void countSvgWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type != QtDebugMsg && type != QtInfoMsg && qstrcmp(context.category, "qt.svg") == 0)
        ++s_svgWarnings;
    if (s_defaultHandler)
        s_defaultHandler(type, context, message);
    else
        std::fprintf(stderr, "%s\n", qPrintable(message));
}

int fail(const QString &message)
{
    std::fprintf(stderr, "render-icon: %s\n", qPrintable(message));
    return 1;
}
} // namespace

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv); // offscreen is enough: QT_QPA_PLATFORM=offscreen
    const QStringList args = QGuiApplication::arguments();
    if (args.size() != 4)
        return fail(QStringLiteral("usage: render-icon IN.svg OUT.png SIZE"));
    const QString in = args.at(1), out = args.at(2);
    bool isNumber = false;
    const int size = args.at(3).toInt(&isNumber);
    if (!isNumber || size < 1 || size > MaxSize)
        return fail(QStringLiteral("size \"%1\" is not a number of pixels from 1 to %2").arg(args.at(3)).arg(MaxSize));
    if (!QFileInfo(in).isFile() || !QFileInfo(in).isReadable())
        return fail(QStringLiteral("cannot read %1").arg(in));

    s_defaultHandler = qInstallMessageHandler(countSvgWarnings);
    QSvgRenderer renderer(in);
    if (!renderer.isValid())
        return fail(QStringLiteral("%1 is not a valid SVG file").arg(in));
    if (s_svgWarnings > 0) // a part Qt could not draw would be missing from every installed icon
        return fail(QStringLiteral("%1: Qt SVG reported %2 problem(s), see above").arg(in).arg(s_svgWarnings));

    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::SmoothPixmapTransform);
    renderer.render(&painter, QRectF(0, 0, size, size));
    painter.end();
    if (s_svgWarnings > 0)
        return fail(QStringLiteral("%1: Qt SVG reported %2 problem(s) while drawing, see above").arg(in).arg(s_svgWarnings));
    if (!image.save(out, "PNG"))
        return fail(QStringLiteral("cannot write %1").arg(out));
    return 0;
}
