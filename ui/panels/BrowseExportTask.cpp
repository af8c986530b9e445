// ui/panels/BrowseExportTask.cpp
#include "panels/BrowseExportTask.h"

#include "browse/BrowseExport.h"
#include "session/Session.h"
#include "widgets/ErrorDisplay.h"
#include <QSaveFile>
#include <QTimer>

namespace vwb::ui {
namespace {
constexpr auto ExportLane = "browse-export"; // its own connection: pages and counts go on meanwhile
}

BrowseExportTask::BrowseExportTask(Session *session, BrowseQuery query, QString path, ExportFormat format, QObject *parent)
    : QObject(parent), m_session(session), m_query(std::move(query)), m_path(std::move(path)), m_format(format)
{
    m_poll = new QTimer(this);
    m_poll->setInterval(250);
    connect(m_poll, &QTimer::timeout, this, [this] { emit progress(m_written->load()); });
}

BrowseExportTask::~BrowseExportTask()
{
    m_stop->store(true);
}

void BrowseExportTask::start()
{
    m_poll->start();
    m_session->runOnServer<qint64>(
        QLatin1String(ExportLane), this,
        [query = m_query, path = m_path, format = m_format, written = m_written, stop = m_stop](PgConnection &conn) -> Result<qint64> {
            QSaveFile file(path); // all or nothing: a failed or stopped export leaves no half file
            if (!file.open(QIODevice::WriteOnly))
                return Error::io(QStringLiteral("Could not save %1: %2").arg(path, file.errorString()));
            auto rows = exportBrowseRows(conn, query, format, file, [&](qint64 n) {
                written->store(n);
                return !stop->load();
            });
            if (!rows.ok()) {
                file.cancelWriting();
                return rows.error();
            }
            if (!file.commit())
                return Error::io(QStringLiteral("Could not save %1: %2").arg(path, file.errorString()));
            return rows;
        },
        [this](Result<qint64> rows) {
            m_poll->stop();
            emit finished(rows.ok() ? rows.value() : -1, rows.ok() ? QString() : errorText(rows.error()));
        });
}
} // namespace vwb::ui
