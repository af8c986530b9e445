// app/eval/EvalConfig.h
#pragma once

#include "core/Result.h"
#include "search/SemanticSearch.h"
#include <QJsonObject>
#include <optional>

namespace vwb {

/// How each query's list is made. Full retrieval searches the whole table; re-ranking orders only
/// the documents judged for the query (the SemEval set-up), so every list is fully judged.
enum class EvalMode { Full, Rerank };

/// One search configuration an analyst evaluates: what `vwb eval run` and the Evaluate panel
/// take, stored with each run (as JSON) so a run can be repeated and two runs told apart.
struct EvalConfig
{
    QString type = QStringLiteral("topic"); // content table (pickPair)
    QString column;                         // vector column; empty = the table's first
    QString provider = QStringLiteral("lexical");
    std::optional<SearchMetric> metric; // empty = what the column's index serves
    bool exact = false;
    int efSearch = 0;
    int probes = 0;
    bool iterativeScan = false;
    int limit = 100; // full retrieval: rows per query (MAP looks at all of them)
    double threshold = -std::numeric_limits<double>::infinity();
    Ranking ranking = Ranking::Vector;
    QString textConfig = QStringLiteral("english");
    int rrfK = 60;
    EvalMode mode = EvalMode::Full;
    QString collapseKey; // metadata key whose equal values are one document (text_sha1); empty = none

    QJsonObject toJson() const;
    /// Errors name the field: a stored run or a file from elsewhere may hold anything.
    static Result<EvalConfig> fromJson(const QJsonObject &json);
    /// "vector cosine · index ef_search 100 · re-rank · collapse text_sha1" — a run's label.
    QString summary() const;
    /// The checks a run makes before it starts (limits, names), as an error naming the field.
    Result<void> validate() const;
};

const char *evalModeName(EvalMode mode); // "full", "rerank"
bool parseEvalMode(const QString &name, EvalMode *out);
} // namespace vwb
