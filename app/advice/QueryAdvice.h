// app/advice/QueryAdvice.h
#pragma once

#include "schema/DatabaseSchema.h"
#include <QStringList>

namespace vwb {

/// What a vector query asks of an ANN index, read from its text: which operator on which column,
/// whether it orders by that distance (the one shape an HNSW or IVFFlat index can produce), which
/// index serves the operator, and why none can. Pure; the plan tells the rest (see VectorQueries).
struct QueryAdvice
{
    QString op;                    // "<->", "<=>", "<#>", "<+>"; empty: no vector operator found
    QString table;                 // the vector table it reads ("topic_vectors"), when it names a discovered one
    QString column;                // its vector column
    bool ordersByDistance = false; // ORDER BY column <op> ... LIMIT
    QString servedBy;              // a valid ANN index of the column serving `op`
    QStringList reasons;           // why no index can serve it, for people
    QString suggestedIndex;        // an index that would serve it, when none does and the shape allows one
    QString suggestedOpclass;      // its operator class ("vector_l2_ops")
    QString rewrite;               // the same query in a form an index can serve (the reference design's search)
    QString rewriteNote;           // what changes for the caller (bindings)

    bool indexable() const { return ordersByDistance && !servedBy.isEmpty(); }
};

QueryAdvice adviseVectorQuery(const QString &sql, const DatabaseSchema &schema);

/// The reference design's search shape — SELECT … 1 / (1 + (v.col <op> $a)) AS sim FROM vt v JOIN ct c
/// ON … WHERE … AND 1 / (1 + (v.col <op> $b)) >= $t ORDER BY sim DESC LIMIT $k — rewritten so an
/// index can serve it: the nearest rows in an inner ORDER BY distance LIMIT, the threshold and the
/// join outside. Empty when `sql` has another shape.
QString indexFriendlyRewrite(const QString &sql, QString *note = nullptr);
} // namespace vwb
