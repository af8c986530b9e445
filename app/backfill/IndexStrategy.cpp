// app/backfill/IndexStrategy.cpp
#include "backfill/IndexStrategy.h"

#include "connection/PgConnection.h"
#include <QLocale>
#include <algorithm>

namespace vwb {
namespace {
// Measured on this project's 2-core machine, 1536 dimensions, the migrations' indexes (HNSW m 16,
// ef_construction 64): 20,000 offline-provider rows filled at 5,747 rows/s with no ANN index and
// 193 rows/s through the HNSW index; CREATE INDEX … USING hnsw over them in 23.6 s (~850 rows/s).
// IVFFlat inserts compare a row with the lists' centres only, and builds in seconds.
constexpr double LocalFillRate = 5000;
constexpr double RemoteFillRate = 1000;
constexpr double HnswInsertRate = 200;
constexpr double IvfflatInsertRate = 4000;
constexpr double HnswBuildRate = 850;
constexpr double IvfflatBuildRate = 10000;

QString seconds(double s)
{
    return s < 90 ? QStringLiteral("%1 s").arg(s, 0, 'f', s < 10 ? 1 : 0) : QStringLiteral("%1 min").arg(s / 60, 0, 'f', 1);
}
} // namespace

QString indexStrategyName(IndexStrategy s)
{
    switch (s) {
    case IndexStrategy::Auto: return QStringLiteral("auto");
    case IndexStrategy::InPlace: return QStringLiteral("in-place");
    case IndexStrategy::Rebuild: return QStringLiteral("rebuild");
    }
    return {};
}

std::optional<IndexStrategy> parseIndexStrategy(const QString &name)
{
    for (IndexStrategy s : {IndexStrategy::Auto, IndexStrategy::InPlace, IndexStrategy::Rebuild})
        if (name == indexStrategyName(s))
            return s;
    return std::nullopt;
}

Result<QList<ColumnIndex>> annIndexesOn(PgConnection &conn, const TableRef &table, const QString &column)
{
    // pg_depend ties an index to every column it reads, an expression's included.
    auto found = conn.exec(QStringLiteral(R"(SELECT n.nspname, ic.relname, am.amname, pg_get_indexdef(i.indexrelid), i.indisvalid
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_am am ON am.oid = ic.relam
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = $2 AND NOT a.attisdropped
WHERE i.indrelid = to_regclass($1) AND am.amname IN ('hnsw', 'ivfflat')
  AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = i.indexrelid
              AND d.refclassid = 'pg_class'::regclass AND d.refobjid = i.indrelid AND d.refobjsubid = a.attnum)
ORDER BY ic.relname)"),
                           {conn.escapeIdentifier(table.schema) + QLatin1Char('.') + conn.escapeIdentifier(table.name), column});
    if (!found.ok())
        return found.error().withContext(QStringLiteral("listing the ANN indexes on %1.%2").arg(table.display(), column));
    QList<ColumnIndex> out;
    for (const QStringList &row : found.value().rows)
        out << ColumnIndex{row.at(0), row.at(1), row.at(2), row.at(3), row.at(4) == QLatin1String("t")};
    return out;
}

BackfillRates defaultBackfillRates(const QList<ColumnIndex> &indexes, bool localProvider, double requestsPerMinute,
                                   double tokensPerMinute, int batchSize, double tokensPerRow, double measuredFill)
{
    BackfillRates r;
    r.fill = measuredFill > 0 ? measuredFill : localProvider ? LocalFillRate : RemoteFillRate;
    if (requestsPerMinute > 0)
        r.fill = std::min(r.fill, requestsPerMinute * std::max(1, batchSize) / 60.0);
    if (tokensPerMinute > 0 && tokensPerRow > 0)
        r.fill = std::min(r.fill, tokensPerMinute / tokensPerRow / 60.0);
    // A local provider and the server share the machine's cores: seconds per row add up. Waiting on
    // a remote provider, the workers' writes overlap the waits: the slower of the two sets the pace.
    double insertSeconds = 0, buildSeconds = 0;
    for (const ColumnIndex &i : indexes) {
        const bool hnsw = i.method == QLatin1String("hnsw");
        insertSeconds += 1.0 / (hnsw ? HnswInsertRate : IvfflatInsertRate);
        buildSeconds += 1.0 / (hnsw ? HnswBuildRate : IvfflatBuildRate);
    }
    r.inPlace = localProvider ? 1.0 / (1.0 / r.fill + insertSeconds) : insertSeconds > 0 ? std::min(r.fill, 1.0 / insertSeconds) : r.fill;
    r.build = buildSeconds > 0 ? 1.0 / buildSeconds : 0;
    return r;
}

IndexStrategyEstimate chooseIndexStrategy(IndexStrategy asked, const QList<ColumnIndex> &indexes, qint64 rows, qint64 tableRows,
                                          const BackfillRates &rates)
{
    IndexStrategyEstimate e;
    e.rows = rows;
    e.tableRows = std::max(tableRows, rows);
    e.rates = rates;
    for (const ColumnIndex &i : indexes)
        e.indexes << i.qualified();
    e.inPlaceSeconds = rates.inPlace > 0 ? double(rows) / rates.inPlace : 0;
    e.rebuildSeconds = (rates.fill > 0 ? double(rows) / rates.fill : 0) + (rates.build > 0 ? double(e.tableRows) / rates.build : 0);
    const QLocale c = QLocale::c();
    if (indexes.isEmpty() || rows == 0) {
        e.chosen = IndexStrategy::InPlace;
        e.reason = indexes.isEmpty() ? QStringLiteral("no ANN index on the column: nothing to rebuild")
                                     : QStringLiteral("nothing to write: the indexes stay as they are");
        return e;
    }
    const QString both = QStringLiteral("in place ~%1, fill then build %2 ~%3 (%4 rows to write, %5 in the table)")
                             .arg(seconds(e.inPlaceSeconds), e.indexes.join(QStringLiteral(", ")), seconds(e.rebuildSeconds),
                                  c.toString(rows), c.toString(e.tableRows));
    const QString basis = rates.measured.isEmpty() ? QStringLiteral("default rates, nothing measured on this database yet")
                                                   : QStringLiteral("measured here: %1").arg(rates.measured.join(QStringLiteral(", ")));
    if (asked != IndexStrategy::Auto) {
        e.chosen = asked;
        e.asked = true;
        e.reason = QStringLiteral("%1 as asked; estimates: %2; %3").arg(indexStrategyName(asked), both, basis);
        return e;
    }
    e.chosen = e.rebuildSeconds < e.inPlaceSeconds ? IndexStrategy::Rebuild : IndexStrategy::InPlace;
    e.reason = QStringLiteral("%1, the faster: %2; %3").arg(indexStrategyName(e.chosen), both, basis);
    return e;
}
} // namespace vwb
