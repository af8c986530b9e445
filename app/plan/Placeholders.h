// app/plan/Placeholders.h
#pragma once

#include "core/Result.h"
#include <QString>

namespace vwb {

/// A statement's parameters, as an application writes them: Knex's `?` (each one a value, `\?` a
/// literal question mark) or libpq's `$1`, `$2`. Quotes, dollar quotes and comments are skipped.
struct Placeholders
{
    enum class Style { None, Question, Dollar };
    Style style = Style::None;
    int count = 0; // parameters the statement takes ($n: the highest n)
    QString sql;   // with `?` turned into $1, $2, … and `\?` into `?`; otherwise as given

    /// Errors for a mix of `?` and `$n`, and for Knex's `??` (an identifier binding: no value can
    /// stand in for it).
    static Result<Placeholders> scan(const QString &statement);
};
} // namespace vwb
