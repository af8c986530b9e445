// ui/charts/ChartExport.cpp
#include "charts/ChartExport.h"

#include <QAction>
#include <QBuffer>
#include <QChartView>
#include <QFileDialog>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace vwb::ui {

Result<void> saveChart(QChartView *view, const QString &path)
{
    QByteArray bytes;
    if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
        QBuffer buffer(&bytes);
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(view->size());
        svg.setViewBox(view->rect());
        svg.setTitle(view->chart() ? view->chart()->title() : QString());
        QPainter painter(&svg);
        view->render(&painter);
        painter.end();
    } else {
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        if (!view->grab().save(&buffer, "PNG"))
            return Error::io(QStringLiteral("Could not draw the chart as PNG"));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error::io(QStringLiteral("Could not save %1: %2").arg(path, file.errorString()));
    return {};
}

void addChartExport(QChartView *view, const QString &fileStem)
{
    view->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (const QString &suffix : {QStringLiteral("png"), QStringLiteral("svg")}) {
        auto *action = new QAction(QObject::tr("Save chart as %1…").arg(suffix.toUpper()), view);
        QObject::connect(action, &QAction::triggered, view, [view, fileStem, suffix] {
            const QString path = QFileDialog::getSaveFileName(view, QObject::tr("Save chart"), fileStem + QLatin1Char('.') + suffix,
                                                              QStringLiteral("%1 (*.%2)").arg(suffix.toUpper(), suffix));
            if (path.isEmpty())
                return;
            // A file error has no server detail for ErrorDisplay to add, and charts/ stays below widgets/.
            if (auto saved = saveChart(view, path); !saved.ok())
                QMessageBox::warning(view, QObject::tr("Save chart"), saved.error().message);
        });
        view->addAction(action);
    }
}

} // namespace vwb::ui
