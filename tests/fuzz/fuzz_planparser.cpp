// tests/fuzz/fuzz_planparser.cpp — libFuzzer target: any bytes, as pasted text and as JSON, must
// come back as a plan or an Error; a plan must hold its invariants (finite times, shares 0..1, no
// node's own time above its total, own times that cover the root's total) and survive comparison
// with itself.
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
        // A node's own time is what its total leaves once its children are taken out: never more.
        if (n->exclusiveMs > std::max(0.0, n->inclusiveMs) * (1 + 1e-9))
            __builtin_trap();
        sum += n->exclusiveMs;
    }
    // Each node's total is taken out of one other node at most, so the own times cover the
    // root's total (exactly, unless a child outlasted its parent and a difference was clamped).
    if (sum < plan.root.inclusiveMs * (1 - 1e-9) - 1e-9)
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
