// app/plan/PlanHints.cpp
#include "plan/PlanHints.h"

#include <QRegularExpression>
#include <algorithm>
#include <functional>
#include <optional>

namespace vwb {
namespace {

const QString Ident = QStringLiteral("(?:\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)");
const QString Ops = QStringLiteral("(<->|<=>|<#>|<\\+>|<~>|<%>)");

/// `column <op> ...` inside an expression: the column is on the left of the operator (a cast's
/// type name, as in '[1,2]'::vector <=> v, is not a column).
struct DistanceUse
{
    QString qualifier; // table alias, when the expression names one
    QString column;
    QString op;
};

QString unquote(QString name)
{
    if (name.startsWith(QLatin1Char('"')) && name.endsWith(QLatin1Char('"')) && name.size() >= 2)
        name = name.mid(1, name.size() - 2).replace(QLatin1String("\"\""), QLatin1String("\""));
    return name;
}

std::optional<DistanceUse> distanceIn(const QString &expression)
{
    static const QRegularExpression use(QStringLiteral("(?<![:\\w.\"])(?:(%1)\\.)?(%1)\\s*%2").arg(Ident, Ops));
    const auto m = use.match(expression);
    if (!m.hasMatch())
        return std::nullopt;
    return DistanceUse{unquote(m.captured(1)), unquote(m.captured(2)), m.captured(3)};
}

/// True for exactly `[alias.]column <op> operand` (parenthesised, ascending): what an ANN index
/// scan can return in order.
bool isBareDistance(QString key)
{
    key = key.trimmed();
    if (key.endsWith(QLatin1String(" NULLS LAST")))
        key.chop(11);
    if (key.endsWith(QLatin1String(" ASC")))
        key.chop(4);
    for (;;) { // strip parentheses that wrap the whole key
        if (!key.startsWith(QLatin1Char('(')) || !key.endsWith(QLatin1Char(')')))
            break;
        int depth = 0;
        bool wraps = true;
        for (qsizetype i = 0; i < key.size() - 1 && wraps; ++i) {
            depth += key.at(i) == QLatin1Char('(') ? 1 : key.at(i) == QLatin1Char(')') ? -1 : 0;
            wraps = depth > 0;
        }
        if (!wraps)
            break;
        key = key.mid(1, key.size() - 2).trimmed();
    }
    static const QRegularExpression bare(
        QStringLiteral("^(?:%1\\.)?%1\\s*%2\\s*(?:'(?:[^']|'')*'|\\$\\d+|\\(InitPlan \\d+\\)\\.col\\d+|%1(?:\\.%1)?)"
                       "(?:::[A-Za-z_]+(?:\\(\\d+\\))?)*$")
            .arg(Ident, Ops));
    return bare.match(key).hasMatch();
}

bool isAnn(const VectorIndex &index)
{
    return index.valid && index.isAnn();
}

class HintFinder
{
public:
    HintFinder(const DatabaseSchema &schema, const QStringList &searchPath) : m_schema(schema), m_searchPath(searchPath) {}
    QList<PlanHint> run(const PlanNode &root);

private:
    void visit(const PlanNode &node);
    void sortHints(const PlanNode &sort);
    void shortAnnScan(const PlanNode &limit);
    void discardingFilter(const PlanNode &scan);
    const VectorColumn *column(const PlanNode &scan, const QString &name) const;
    const VectorIndex *annIndex(const QString &name) const;
    void add(PlanHint::Severity severity, const char *code, const PlanNode &node, const QString &message, const QString &fix)
    {
        for (const PlanHint &h : m_hints) {
            if (h.nodeId == node.id && h.code == QLatin1String(code))
                return; // an outer Limit finds the same scan again
        }
        m_hints.append({severity, QLatin1String(code), node.id, node.label(), message, fix});
    }

    const DatabaseSchema &m_schema;
    const QStringList &m_searchPath;
    QList<PlanHint> m_hints;
};

void forEachBelow(const PlanNode &node, const std::function<void(const PlanNode &)> &fn)
{
    for (const PlanNode &child : node.children) {
        fn(child);
        forEachBelow(child, fn);
    }
}

const VectorColumn *HintFinder::column(const PlanNode &scan, const QString &name) const
{
    const ContentPair *best = nullptr;
    qsizetype bestRank = 0;
    for (const ContentPair &pair : m_schema.pairs) {
        if (pair.vectors.name != scan.relation || (!scan.schema.isEmpty() && pair.vectors.schema != scan.schema))
            continue;
        qsizetype rank = m_searchPath.indexOf(pair.vectors.schema);
        if (rank < 0)
            rank = m_searchPath.size();
        if (!best || rank < bestRank) {
            best = &pair;
            bestRank = rank;
        }
    }
    if (!best)
        return nullptr;
    for (const VectorColumn &c : best->columns) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

const VectorIndex *HintFinder::annIndex(const QString &name) const
{
    for (const ContentPair &pair : m_schema.pairs)
        for (const VectorColumn &c : pair.columns)
            for (const VectorIndex &i : c.indexes)
                if (i.name == name && isAnn(i))
                    return &i;
    return nullptr;
}

void HintFinder::sortHints(const PlanNode &sort)
{
    for (const QString &key : sort.sortKey) {
        const auto use = distanceIn(key);
        if (!use)
            continue;
        // The scan below the Sort that reads the ordered column.
        const PlanNode *scan = nullptr;
        const VectorColumn *col = nullptr;
        forEachBelow(sort, [&](const PlanNode &n) {
            if (col || n.relation.isEmpty() || (!use->qualifier.isEmpty() && use->qualifier != n.alias && use->qualifier != n.relation))
                return;
            if (const VectorColumn *c = column(n, use->column)) {
                scan = &n;
                col = c;
            }
        });
        const QString where = scan ? QStringLiteral("%1.%2").arg(scan->relation, use->column) : use->column;
        QStringList served, matching;
        for (const VectorIndex &i : col ? col->indexes : QList<VectorIndex>{}) {
            if (!isAnn(i))
                continue;
            served << QStringLiteral("%1 (%2, %3)").arg(i.name, i.method, i.opclass);
            if (i.distanceOperator() == use->op)
                matching << i.name;
        }
        if (!isBareDistance(key)) {
            add(col && col->hasAnnIndex() ? PlanHint::Severity::Warning : PlanHint::Severity::Info, "order-by-expression", sort,
                QStringLiteral("Sorts by %1, an expression of the distance (or descending): no index can return rows in that order")
                    .arg(key.left(120)),
                QStringLiteral("ORDER BY %1 %2 <query vector> alone, ascending, with a LIMIT; compute similarity "
                               "(1 - distance) in the select list or an outer query")
                    .arg(use->column, use->op));
        }
        if (!col)
            continue;
        const bool seqScan = scan->nodeType == QLatin1String("Seq Scan");
        if (!served.isEmpty() && matching.isEmpty()) {
            QStringList ops;
            for (const VectorIndex &i : col->indexes)
                if (isAnn(i) && !i.distanceOperator().isEmpty())
                    ops << i.distanceOperator();
            add(PlanHint::Severity::Critical, "operator-mismatch", sort,
                QStringLiteral("Orders by %1 %2 but the ANN index on %3 serves %4: %5")
                    .arg(use->column, use->op, where, ops.join(QStringLiteral(", ")), served.join(QStringLiteral("; "))),
                QStringLiteral("Use the index's operator (%1), or create an index with the operator class for %2 "
                               "(e.g. USING hnsw (%3 vector_%4_ops))")
                    .arg(ops.value(0), use->op, use->column,
                         use->op == QLatin1String("<->")   ? QStringLiteral("l2")
                         : use->op == QLatin1String("<=>") ? QStringLiteral("cosine")
                         : use->op == QLatin1String("<#>") ? QStringLiteral("ip")
                                                           : QStringLiteral("l1")));
        } else if (!matching.isEmpty() && seqScan && isBareDistance(key)) {
            add(PlanHint::Severity::Warning, "seq-scan-sort", sort,
                QStringLiteral("Seq Scan on %1 then a Sort by distance: the ANN index %2 was not used")
                    .arg(scan->relation, matching.join(QStringLiteral(", "))),
                QStringLiteral("Keep the query as ORDER BY %1 %2 <vector> LIMIT k with nothing else in the ORDER BY; check "
                               "enable_indexscan is on and the table is ANALYZEd; with a selective filter try "
                               "hnsw.iterative_scan (pgvector 0.8) or a partial index")
                    .arg(use->column, use->op));
        } else if (served.isEmpty() && seqScan && isBareDistance(key)) {
            add(PlanHint::Severity::Info, "no-ann-index", sort,
                QStringLiteral("Seq Scan on %1 then a Sort by distance: %2 has no ANN index, so every vector is compared")
                    .arg(scan->relation, where),
                QStringLiteral("CREATE INDEX ON %1 USING hnsw (%2 <opclass for %3>) once the table is large enough to matter")
                    .arg(scan->relation, use->column, use->op));
        }
        return; // one distance per Sort is enough
    }
}

void HintFinder::shortAnnScan(const PlanNode &limit)
{
    if (!limit.analyzed || limit.neverExecuted() || !limit.hasCosts || limit.actualRows >= limit.planRows)
        return;
    const PlanNode *scan = nullptr;
    const VectorIndex *index = nullptr;
    forEachBelow(limit, [&](const PlanNode &n) {
        if (!index && !n.indexName.isEmpty() && !n.orderBy.isEmpty() && (index = annIndex(n.indexName)))
            scan = &n;
    });
    // The planner's row estimate for a Limit is min(limit, rows below): the limit itself only
    // when the scan expected more rows than that.
    if (!index || scan->neverExecuted() || scan->planRows <= limit.planRows || scan->actualRows >= limit.planRows)
        return;
    const bool hnsw = index->method == QLatin1String("hnsw");
    add(PlanHint::Severity::Warning, "ann-short", *scan,
        QStringLiteral("The %1 scan of %2 returned %3 rows%4 for a LIMIT of %5: %6")
            .arg(index->method.toUpper(), index->name, QString::number(scan->actualRows, 'f', 0),
                 scan->actualLoops > 1 ? QStringLiteral(" per loop") : QString(), QString::number(limit.planRows, 'f', 0),
                 hnsw ? QStringLiteral("one HNSW scan yields at most hnsw.ef_search candidates, before any filter")
                      : QStringLiteral("IVFFlat only searches ivfflat.probes lists, before any filter")),
        hnsw ? QStringLiteral("SET LOCAL hnsw.ef_search = %1 (at least the LIMIT), or SET LOCAL hnsw.iterative_scan = "
                              "relaxed_order (pgvector 0.8) to keep scanning")
                   .arg(std::max(40, int(limit.planRows) * 2))
             : QStringLiteral("Raise ivfflat.probes (SET LOCAL ivfflat.probes = ...), or SET LOCAL ivfflat.iterative_scan "
                              "= relaxed_order (pgvector 0.8)"));
}

void HintFinder::discardingFilter(const PlanNode &scan)
{
    const bool indexScan = scan.nodeType == QLatin1String("Index Scan") || scan.nodeType == QLatin1String("Index Only Scan")
                           || scan.nodeType == QLatin1String("Bitmap Heap Scan");
    if (!indexScan || !scan.analyzed || scan.neverExecuted() || scan.rowsRemovedByFilter < 0)
        return;
    const double removed = scan.rowsRemovedByFilter * scan.actualLoops;
    const double kept = scan.actualRows * scan.actualLoops;
    if (removed < 100 || removed < 9 * kept)
        return;
    const VectorIndex *ann = scan.indexName.isEmpty() ? nullptr : annIndex(scan.indexName);
    add(PlanHint::Severity::Warning, "filter-discards", scan,
        QStringLiteral("The filter %1 threw away %2 of the %3 rows the %4 returned (%5%)")
            .arg(scan.filter.left(100), QString::number(removed, 'f', 0), QString::number(removed + kept, 'f', 0),
                 ann ? QStringLiteral("%1 index %2").arg(ann->method.toUpper(), ann->name) : QStringLiteral("index scan"),
                 QString::number(100.0 * removed / (removed + kept), 'f', 0)),
        ann ? QStringLiteral("Turn on iterative scans (hnsw.iterative_scan / ivfflat.iterative_scan = relaxed_order, "
                             "pgvector 0.8), or add a partial ANN index per filter value, or a B-tree on the filter "
                             "column so the planner can filter first")
            : QStringLiteral("An index that covers the filter's columns (or a partial index on its condition) reads only "
                             "the rows that are kept"));
}

void HintFinder::visit(const PlanNode &node)
{
    if (node.nodeType == QLatin1String("Sort") || node.nodeType == QLatin1String("Incremental Sort"))
        sortHints(node);
    if (node.nodeType == QLatin1String("Limit"))
        shortAnnScan(node);
    discardingFilter(node);
    for (const PlanNode &child : node.children)
        visit(child);
}

QList<PlanHint> HintFinder::run(const PlanNode &root)
{
    visit(root);
    std::stable_sort(m_hints.begin(), m_hints.end(), [](const PlanHint &a, const PlanHint &b) { return a.severity > b.severity; });
    return m_hints;
}
} // namespace

QString PlanHint::severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info: return QStringLiteral("info");
    case Severity::Warning: return QStringLiteral("warning");
    case Severity::Critical: return QStringLiteral("critical");
    }
    return {};
}

QList<PlanHint> planHints(const Plan &plan, const DatabaseSchema &schema, const QStringList &searchPath)
{
    return HintFinder(schema, searchPath).run(plan.root);
}
} // namespace vwb
