// app/maintenance/MaintenanceJob.h
#pragma once

#include "connection/ConnectionProfile.h"
#include "core/Job.h"
#include "schema/DatabaseSchema.h"
#include "search/SearchMetric.h"

namespace vwb {
class PgConnection;

struct MaintenanceRequest
{
    /// ReindexThenVacuum is pgvector's advice for HNSW: a rebuilt graph vacuums much faster than
    /// one whose deleted elements must be repaired. RepairIndex fixes an invalid index left by a
    /// failed concurrent build: REINDEX INDEX CONCURRENTLY, or DROP INDEX CONCURRENTLY for the
    /// _ccnew / _ccold copies a failed REINDEX CONCURRENTLY leaves beside the original.
    enum class Kind { Vacuum, Analyze, Reindex, CreateIndex, DropIndex, ReindexThenVacuum, RepairIndex };
    Kind kind = Kind::Vacuum;
    TableRef table;            // Vacuum, Analyze, Reindex (table), CreateIndex, ReindexThenVacuum
    QString index;             // Reindex (one index), DropIndex, RepairIndex; CreateIndex: the new name (empty: generated)
    bool concurrently = false; // Reindex, CreateIndex, DropIndex (ReindexThenVacuum, RepairIndex: always)
    // CreateIndex
    QString column;
    QString method = QStringLiteral("hnsw"); // hnsw | ivfflat
    SearchMetric metric = SearchMetric::Cosine;
    int m = 16;              // hnsw
    int efConstruction = 64; // hnsw
    int lists = 0;           // ivfflat; 0: rows/1000 up to 1M rows, sqrt(rows) above
    /// Index a vector column as (column::halfvec(N)) with the halfvec operator class: half the
    /// size, up to 4,000 dimensions; searches order by the cast and rank at full precision.
    bool halfvec = false;
};

/// "VACUUM (ANALYZE)", "REINDEX, then VACUUM", ...: what a kind of request is called in titles and menus.
QString maintenanceKindName(MaintenanceRequest::Kind kind);

/// The statements a request runs, in order, decided (and shown) before it runs, with what to watch out for.
struct MaintenancePlan
{
    MaintenanceRequest request;
    QStringList settings;   // SET statements run first on the same session (not steps of their own)
    QStringList statements; // each runs on its own (VACUUM and the CONCURRENTLY forms refuse a transaction block)
    QString sql() const { return (settings + statements).join(QStringLiteral(";\n")); }
    QStringList warnings;     // too few rows for IVFFlat, maintenance_work_mem too small, ...
    QStringList notes;        // what the settings chose, for the log
    QString finishesRebuild;  // an index a backfill dropped to rebuild (IndexRebuilds): its record goes once this ran
    QString rebuildsPath;     // where that record is kept (empty: IndexRebuilds::defaultPath())
    bool destructive = false; // drops or rewrites: production needs a typed confirmation
    QString title;
};

/// Builds the plan: identifiers escaped, the operator class matching the metric, IVFFlat lists
/// from the row estimate, the index size estimate against maintenance_work_mem.
Result<MaintenancePlan> planMaintenance(PgConnection &conn, const MaintenanceRequest &request);
/// What a maintenance request changes: indexes, or storage and statistics.
QList<DataChange> maintenanceChanges(const MaintenanceRequest &request);
/// pgvector's guidance: rows/1000 lists up to 1M rows, sqrt(rows) above (at least 1).
int ivfflatLists(qint64 rows);

/// Runs a plan's statements one after another on its own connection while a second one polls
/// pg_stat_progress_create_index / _vacuum / _analyze for the first one's backend and reports the
/// phase and its share done ("2/2 VACUUM: scanning heap" when there are several).
/// Cancel cancels the statement. Refuses write-locked production sessions.
class MaintenanceJob : public Job
{
public:
    MaintenanceJob(ConnectionProfile profile, MaintenancePlan plan);
    QString title() const override { return m_plan.title; }
    Result<void> run(JobContext &ctx) override;
    QList<DataChange> changes() const override { return maintenanceChanges(m_plan.request); }
    std::optional<AuditSubject> audit() const override
    {
        return AuditSubject{m_profile.name, maintenanceKindName(m_plan.request.kind), m_plan.statements.join(QStringLiteral("; "))};
    }

private:
    ConnectionProfile m_profile;
    MaintenancePlan m_plan;
};
} // namespace vwb
