// tests/fuzz/fuzz_planparser.cpp — libFuzzer target: any bytes, as pasted text and as JSON, must
// come back as a plan or an Error; a plan must hold its invariants (finite times, shares 0..1,
// exclusive times that add up to the total) and survive comparison with itself.
#include "plan/PlanCompare.h"
#include "plan/PlanParser.h"
#include <QByteArray>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace {

void check(const vwb::Result<vwb::Plan> &parsed)
{
    if (!parsed.ok()) {
        if (parsed.error().message.isEmpty())
            __builtin_trap(); // an error must say what is wrong
        return;
    }
    const vwb::Plan &plan = parsed.value();
    double sum = 0;
    for (const vwb::PlanNode *n : plan.nodes()) {
        if (!std::isfinite(n->inclusiveMs) || !std::isfinite(n->exclusiveMs) || n->exclusiveMs < 0 || n->share < 0 || n->share > 1 + 1e-9)
            __builtin_trap();
        sum += n->exclusiveMs;
    }
    if (std::abs(sum - plan.totalMs()) > 1e-6 * std::max(1.0, plan.totalMs()))
        __builtin_trap();
    const vwb::PlanComparison self = vwb::comparePlans(plan, plan);
    if (self.changed + self.removed + self.added != 0)
        __builtin_trap();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    check(vwb::PlanParser::parse(QString::fromUtf8(bytes)));
    check(vwb::PlanParser::parseJson(bytes));
    return 0;
}
