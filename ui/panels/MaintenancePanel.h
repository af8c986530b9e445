// ui/panels/MaintenancePanel.h
#pragma once

#include "core/JobRunner.h"
#include "schema/DatabaseSchema.h"
#include <QWidget>
#include <memory>

#include "backfill/BackfillOptions.h"
#include "maintenance/HealthCheck.h"
#include "maintenance/MaintenanceJob.h"

class QComboBox;
class QLabel;
class QLineEdit;

namespace vwb {
class AsyncConnection;
} // namespace vwb

namespace vwb::ui {
class ConnectionController;
class JobsDock;

/// Backfill and maintenance for one content table: each action shows what it will run, then
/// runs as a job in the Jobs dock with live progress. Writes on production need the session
/// unlock; destructive ones also the database name typed again.
class MaintenancePanel : public QWidget
{
    Q_OBJECT
public:
    MaintenancePanel(ConnectionController *controller, JobsDock *dock, QWidget *parent = nullptr);
    ~MaintenancePanel() override;

    /// Starts a maintenance job without asking (tests, and the actions after their confirmation).
    vwb::JobId startMaintenance(const vwb::MaintenanceRequest &request);
    vwb::JobId startBackfill(bool stale);
    /// Runs a health finding's fix the way its button here would: preview, production guard, job.
    /// False (and nothing run) when the finding has no fix the panel runs.
    bool askFix(const vwb::HealthFinding &finding);
    bool hasSchema() const { return !m_schema.pairs.isEmpty(); }
    /// Picks the content table the actions work on ("topics", "public.posts"); false when unknown.
    bool selectTable(const QString &table);

private:
    void onConnected();
    void ask(const vwb::MaintenanceRequest &request);
    bool refuseWhenLocked();
    void askBackfill(bool stale);
    bool confirmDestructive(const QString &what);
    std::optional<vwb::ContentPair> currentPair() const;
    vwb::BackfillOptions backfillOptions(const vwb::ContentPair &pair, bool stale) const;
    vwb::MaintenanceRequest requestFor(vwb::MaintenanceRequest::Kind kind) const;

    ConnectionController *m_controller;
    JobsDock *m_dock;
    std::unique_ptr<vwb::AsyncConnection> m_conn;
    vwb::DatabaseSchema m_schema;
    QComboBox *m_type = nullptr;
    QLineEdit *m_text = nullptr; // what a backfill embeds (EmbeddingText)
    QLabel *m_guard = nullptr;
};
} // namespace vwb::ui
