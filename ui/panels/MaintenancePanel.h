// ui/panels/MaintenancePanel.h
#pragma once

#include "backfill/BackfillOptions.h"
#include "core/JobRunner.h"
#include "maintenance/HealthCheck.h"
#include "maintenance/MaintenanceJob.h"
#include "schema/DatabaseSchema.h"
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;

namespace vwb {
class Session;
} // namespace vwb

namespace vwb::ui {

/// Backfill and maintenance for one content table: each action shows what it will run, then
/// runs as a job of the session (the Jobs dock shows it) with live progress; when it ends the
/// session tells every view what changed. Writes on production need the session unlock;
/// destructive ones also the database name typed again.
class MaintenancePanel : public QWidget
{
    Q_OBJECT
public:
    explicit MaintenancePanel(vwb::Session *session, QWidget *parent = nullptr);
    ~MaintenancePanel() override;

    /// Starts a maintenance job without asking (tests, and the actions after their confirmation).
    vwb::JobId startMaintenance(const vwb::MaintenanceRequest &request);
    vwb::JobId startBackfill(bool stale);
    /// Runs a health finding's fix the way its button here would: preview, production guard, job.
    /// False (and nothing run) when the finding has no fix the panel runs.
    bool askFix(const vwb::HealthFinding &finding);
    bool hasSchema() const;
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

    vwb::Session *m_session;
    QComboBox *m_type = nullptr;
    QComboBox *m_strategy = nullptr; // the backfill's IndexStrategy
    QLineEdit *m_text = nullptr;     // what a backfill embeds (EmbeddingText)
    QLabel *m_guard = nullptr;
};
} // namespace vwb::ui
