// ui/panels/BrowseExportTask.h
#pragma once

#include "browse/BrowseQuery.h"
#include "data/TableExport.h"
#include <QObject>
#include <atomic>
#include <memory>

class QTimer;

namespace vwb {
class Session;
}

namespace vwb::ui {

/// Browse's "Save every matching row": the query's rows written page by page off the UI thread
/// into a file that appears only once complete (QSaveFile), with the count so far every quarter
/// second. Deleting the task stops the export after its current page.
class BrowseExportTask : public QObject
{
    Q_OBJECT
public:
    BrowseExportTask(vwb::Session *session, vwb::BrowseQuery query, QString path, vwb::ExportFormat format, QObject *parent = nullptr);
    ~BrowseExportTask() override;
    void start();
    const QString &path() const { return m_path; }

signals:
    void progress(qint64 rows);
    /// rows written, or -1 with the reason
    void finished(qint64 rows, const QString &error);

private:
    vwb::Session *m_session;
    vwb::BrowseQuery m_query;
    QString m_path;
    vwb::ExportFormat m_format;
    QTimer *m_poll = nullptr;
    std::shared_ptr<std::atomic<qint64>> m_written = std::make_shared<std::atomic<qint64>>(0);
    std::shared_ptr<std::atomic<bool>> m_stop = std::make_shared<std::atomic<bool>>(false);
};
} // namespace vwb::ui
