// tests/fuzz/FuzzChecks.h — what the fuzz targets check besides "no crash".
#pragma once

#include "core/Result.h"
#include <algorithm>

namespace vwb::fuzz {

/// A broken property is a crash libFuzzer keeps the input of.
inline void check(bool condition)
{
    if (!condition)
        __builtin_trap();
}

/// An error is one line that starts with `prefix` (the file it names) and holds nothing that
/// would act on a terminal.
inline void checkError(const Error &e, QLatin1String prefix = {})
{
    const auto control = [](QChar c) { return c.category() == QChar::Other_Control; };
    check(!e.message.isEmpty() && e.message.startsWith(prefix) && std::none_of(e.message.cbegin(), e.message.cend(), control));
}
} // namespace vwb::fuzz
