// app/search/IndexAbsence.h
#pragma once

#include "schema/DatabaseSchema.h"

namespace vwb {
class PgConnection;

/// Why a vector table has no usable ANN index right now, when the server can tell: a backfill
/// (on any machine) dropped it to fill the table faster and builds it again afterwards, or an
/// index on it is being built (its phase and share done). Empty when neither: plain absence.
/// One read of pg_stat_activity and pg_stat_progress_create_index.
QString indexAbsenceReason(PgConnection &conn, const TableRef &vectors);
} // namespace vwb
