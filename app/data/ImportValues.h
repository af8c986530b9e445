// app/data/ImportValues.h
// A corpus file's field values as the columns they go into take them (no database needed).
#pragma once

#include "core/Result.h"
#include <QJsonValue>
#include <optional>

namespace vwb {

/// One key part from a file's field, as the server would print it, for a column of pg_type `type`:
/// an integer column takes a whole number (JSON number or text), a uuid column any spelling of a
/// uuid (written lower-case, as PostgreSQL prints it), other types their text. nullopt with `why`
/// set when the value cannot be that key part; an empty result when the field is absent or null.
std::optional<QString> importKeyPart(const QJsonValue &value, const QString &type, QString *why);

/// pgvector's text of a vector field (a JSON array of numbers), checked against `dimensions` (0:
/// any). The error names the first value that is not a finite number or does not fit a float
/// (pgvector keeps floats), or the dimensions against those of `where`.
Result<QString> importVectorText(const QJsonValue &value, int dimensions, const QString &where);
} // namespace vwb
