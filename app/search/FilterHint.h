// app/search/FilterHint.h
#pragma once

#include "core/Result.h"

namespace vwb {
class PgConnection;
struct ContentPair;

/// Why a filtered search found nothing, when the filter is the cause: no stored value equals it
/// ("no forum "Visas" in topics"), or one does but in another case where the filter compares
/// exactly (a LangChain collection: "did you mean "photography"?"). Empty when the filter names a
/// stored value, or the filter column is not one the workbench can list.
Result<QString> filterMissHint(PgConnection &conn, const ContentPair &pair, const QString &value);
} // namespace vwb
