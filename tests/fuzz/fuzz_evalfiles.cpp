// tests/fuzz/fuzz_evalfiles.cpp — libFuzzer target for what analysts hand `vwb eval`: any bytes
// as judgments (BEIR, TREC, the Qatar Living layout), as queries (JSON Lines or TSV) and as a TREC
// run must come back as values or one line of error naming the file; judgments and queries that
// parse must write back (judgmentsText, queriesText) to the same set.
#include "eval/QuerySet.h"
#include "eval/RunFile.h"
#include "FuzzChecks.h"
#include <QByteArray>
#include <cstddef>
#include <cstdint>

namespace {
using vwb::fuzz::check;

void checkJudgments(const QByteArray &data)
{
    auto judgments = vwb::QuerySet::parseJudgments(data, QStringLiteral("fuzz.in"));
    if (!judgments.ok())
        return vwb::fuzz::checkError(judgments.error(), QLatin1String("fuzz.in"));
    vwb::QuerySet set;
    set.judgments = judgments.value();
    auto again = vwb::QuerySet::parseJudgments(set.judgmentsText(), QStringLiteral("fuzz.in"));
    check(again.ok() && again.value() == set.judgments);
}

void checkQueries(const QByteArray &data)
{
    auto queries = vwb::QuerySet::parseQueries(data, QStringLiteral("fuzz.in"));
    if (!queries.ok())
        return vwb::fuzz::checkError(queries.error(), QLatin1String("fuzz.in"));
    vwb::QuerySet set;
    set.queries = queries.value();
    auto again = vwb::QuerySet::parseQueries(set.queriesText(), QStringLiteral("fuzz.in"));
    check(again.ok() && again.value().size() == set.queries.size());
    for (qsizetype i = 0; i < set.queries.size(); ++i) {
        const vwb::JudgedQuery &a = set.queries.at(i), &b = again.value().at(i);
        check(a.id == b.id && a.text == b.text && a.title == b.title);
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    checkJudgments(bytes);
    checkQueries(bytes);
    if (auto run = vwb::parseRunText(bytes, QStringLiteral("fuzz.in")); !run.ok())
        vwb::fuzz::checkError(run.error(), QLatin1String("fuzz.in"));
    return 0;
}
