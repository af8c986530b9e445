// app/search/IndexAbsence.cpp
#include "search/IndexAbsence.h"

#include "connection/PgConnection.h"

namespace vwb {

QString indexAbsenceReason(PgConnection &conn, const TableRef &vectors)
{
    // The name BackfillIndexes gives a rebuilding backfill's connections carries the table's oid.
    auto state = conn.exec(
        QStringLiteral("SELECT (SELECT p.phase || coalesce(' ' || round(100.0 * p.blocks_done / nullif(p.blocks_total, 0)) || '%', '') "
                       "        FROM pg_stat_progress_create_index p WHERE p.relid = to_regclass($1) LIMIT 1), "
                       "       EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.application_name = "
                       "               'vector-workbench backfill, rebuilding ' || to_regclass($1)::oid)"),
        {conn.escapeIdentifier(vectors.schema) + QLatin1Char('.') + conn.escapeIdentifier(vectors.name)});
    if (!state.ok())
        return {};
    if (!state.value().isNull(0, 0))
        return QStringLiteral("an index on it is being built (%1)").arg(state.value().value(0, 0));
    if (state.value().value(0, 1) == QLatin1String("t"))
        return QStringLiteral("a backfill is filling it without its ANN index, which it builds again afterwards");
    return {};
}
} // namespace vwb
