// app/maintenance/HealthCheck.h
#pragma once

#include "embeddings/EmbeddingProvider.h"
#include "schema/DatabaseSchema.h"
#include <QJsonObject>
#include <memory>

namespace vwb {
class PgConnection;

/// One finding of a health check: what was counted, where, how bad, and what fixes it.
struct HealthFinding
{
    enum class Severity { Ok, Info, Warning, Problem };
    QString check; // "missing_vectors", "orphan_vectors", ...
    QString table; // the table it is about
    Severity severity = Severity::Ok;
    qint64 count = 0;
    QString message; // one line for a person
    QString fix;     // the action (a command or SQL) that repairs it; empty when nothing to do
    /// The fix as something the workbench can run itself (a job or a migration), when it can;
    /// SQL-only fixes (deletes, updates) stay None: copied and reviewed, never run blind.
    enum class Action {
        None,
        Backfill,
        BackfillStale,
        Vacuum,
        CreateAnnIndex,
        RepairIndex,
        DropIndex,
        ApplyMigrations,
        ExportKnexMigration
    }; // the last: write the migration into the Knex project, for its Knex
    Action action = Action::None;
    QString actionTarget; // the table (content table for backfills), the index, or the migration to apply up to

    QJsonObject toJson() const;
    static QString severityName(Severity s);
    static QString actionName(Action a); // "backfill", "repair_index", ... ("" for None)
};

/// Reads the state of every discovered content/vector pair and its indexes: missing, stale and
/// duplicate vectors, orphan vectors, forum_name drift, dimension mismatches, vector columns
/// without an ANN index or stored out of line (TOAST), invalid / unused / duplicate indexes, dead
/// tuples and the last (auto)vacuum and analyze. Read-only: plain SELECTs, safe on production.
/// Makes the provider searches and backfills would use for a column of `dimensions`.
using ProviderForColumn = std::function<Result<std::unique_ptr<EmbeddingProvider>>(int dimensions)>;
/// With `provider`, each vector column's stored vectors are also compared with what it makes of a few
/// rows (SourceProbe: one embedding request per column), the text as last recorded at `sourcesPath`.
Result<QList<HealthFinding>> runHealthChecks(PgConnection &conn, const DatabaseSchema &schema, const ProviderForColumn &provider = {},
                                             const QString &sourcesPath = {});
} // namespace vwb
