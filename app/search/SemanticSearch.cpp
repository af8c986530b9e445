// app/search/SemanticSearch.cpp
#include "search/SemanticSearch.h"

#include "connection/PgConnection.h"
#include "connection/SqlLiterals.h"
#include "schema/RowKey.h"
#include "search/FilterHint.h"
#include "search/ForumSpellings.h"
#include "search/IndexAbsence.h"
#include "search/IndexUse.h"
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace vwb {
namespace {

using Quote = std::function<QString(const QString &)>;

QString tableSql(const TableRef &t, const Quote &quote)
{
    return quote(t.schema) + QLatin1Char('.') + quote(t.name);
}

/// The key of a vector row's content row, over alias `v`: the foreign key, or the key itself inline
/// (as its text when composite).
QString refSql(const ContentPair &p, const Quote &quote)
{
    const KeyShape ref = p.vectorKey();
    return ref.isComposite() ? KeySql(ref, QStringLiteral("v"), quote).text() : QStringLiteral("v.") + quote(ref.columns.value(0));
}

/// `ref op key` over the vector table's alias `v`, the key's parts appended to params.
QString refCompare(const ContentPair &p, const Quote &quote, const QString &op, const RowKey &key, QVariantList *params)
{
    return KeySql(p.vectorKey(), QStringLiteral("v"), quote).compare(op, key, *params);
}

/// The content row `c` a search result's `ref` names. A composite ref (a JSON array of the parts'
/// texts) is taken apart into the key's own types, so the key's index finds the row.
QString joinOnRef(const ContentPair &p, const Quote &quote, const QString &ref)
{
    if (!p.key.isComposite())
        return QStringLiteral("c.%1 = %2").arg(quote(p.contentKey), ref);
    QStringList parts;
    for (qsizetype i = 0; i < p.key.columns.size(); ++i)
        parts << QStringLiteral("(%1::json->>%2)::%3").arg(ref).arg(i).arg(quote(p.key.types.value(i)));
    return QStringLiteral("%1 = (%2)").arg(KeySql(p.key, QStringLiteral("c"), quote).columns(), parts.join(QStringLiteral(", ")));
}

/// forum, title, snippet, created (ms) of content row `c`: what every ranking shows.
QString displayColumns(const ContentPair &p, const Quote &quote)
{
    const RoleSql roles(p, QStringLiteral("c"), quote);
    return QStringList{roles.filterValue(), roles.title(), roles.snippet(240),
                       p.contentHas(QStringLiteral("created_at")) ? QStringLiteral("(extract(epoch from c.created_at) * 1000)::bigint")
                                                                  : QStringLiteral("NULL")}
        .join(QStringLiteral(", "));
}

/// The row's words for full text: title and content, in the request's configuration. Written the
/// same way every time so that a GIN index on this expression can serve it.
QString textDocument(const SearchRequest &r, const Quote &quote)
{
    const ContentPair &p = r.pair;
    QStringList parts;
    for (const QString &c : {p.roles.title, p.roles.text})
        if (!c.isEmpty())
            parts << QStringLiteral("coalesce(c.%1::text, '')").arg(quote(c));
    if (parts.isEmpty())
        parts << QStringLiteral("''");
    return QStringLiteral("to_tsvector('%1'::regconfig, %2)").arg(r.textConfig, parts.join(QStringLiteral(" || ' ' || ")));
}

/// Rows of the content table matching any of the query's words (each reduced by the same
/// configuration, OR-ed: a question rarely shares all its words with its answer), best
/// ts_rank_cd first. Columns: ref, rank. Appends its parameters.
QString textListSql(const SearchRequest &r, const Quote &quote, QVariantList *params, int depth)
{
    const ContentPair &p = r.pair;
    const KeySql key(p.key, QStringLiteral("c"), quote);
    *params << r.queryText;
    const QString query = QStringLiteral("(SELECT coalesce(string_agg(quote_literal(w), ' | '), '')::tsquery FROM "
                                         "unnest(tsvector_to_array(to_tsvector('%1'::regconfig, $%2))) w)")
                              .arg(r.textConfig, QString::number(params->size()));
    QStringList where{QStringLiteral("%1 @@ q.query").arg(textDocument(r, quote))};
    const RoleSql roles(p, QStringLiteral("c"), quote);
    if (!r.forum.isEmpty() && roles.hasFilter()) {
        const bool folds = filterFoldsCase(p);
        *params << (folds ? QVariant(textArrayLiteral(r.forumSpellings.isEmpty() ? QStringList{r.forum} : r.forumSpellings))
                          : QVariant(r.forum));
        where << roles.filterEquals(QStringLiteral("$%1").arg(params->size()), folds);
    }
    if (!r.candidates.isEmpty())
        where << key.in(r.candidates, *params);
    if (!r.likeKey.isEmpty())
        where << key.compare(QStringLiteral("IS DISTINCT FROM"), r.likeKey, *params);
    *params << depth;
    const QString ref = p.key.isComposite() ? key.text() : QStringLiteral("c.") + quote(p.contentKey);
    return QStringLiteral("SELECT %1 AS ref, ts_rank_cd(%2, q.query) AS rank FROM %3 c, %4 q(query) WHERE %5 "
                          "ORDER BY rank DESC, ref LIMIT $%6")
        .arg(ref, textDocument(r, quote), tableSql(p.content, quote), query, where.join(QStringLiteral(" AND ")),
             QString::number(params->size()));
}

Result<void> checkRanking(const SearchRequest &r)
{
    if (r.ranking == Ranking::Vector)
        return {};
    if (r.queryText.trimmed().isEmpty())
        return Error::invalid(QStringLiteral("%1 ranking matches the query's words: give a text to search for")
                                  .arg(r.ranking == Ranking::Text ? QStringLiteral("Full-text") : QStringLiteral("Hybrid")));
    if (!validTextConfig(r.textConfig))
        return Error::invalid(QStringLiteral("\"%1\" is not a text search configuration name (english, simple, …)").arg(r.textConfig));
    if (r.rrfK < 1 || r.rrfK > 100000)
        return Error::invalid(QStringLiteral("The rank fusion constant must be between 1 and 100000 (got %1)").arg(r.rrfK));
    return {};
}

int fusionDepth(const SearchRequest &r)
{
    return r.fusionDepth > 0 ? r.fusionDepth : qMax(r.limit, 100);
}

void collectIndexes(const QJsonObject &node, QStringList &out)
{
    if (node.contains(QStringLiteral("Index Name")))
        out << node.value(QStringLiteral("Index Name")).toString();
    for (const QJsonValue &child : node.value(QStringLiteral("Plans")).toArray())
        collectIndexes(child.toObject(), out);
}

/// Runs `body` inside BEGIN ... with the request's settings, then ROLLBACK: nothing a search does
/// is ever kept, and SET LOCAL ends with it.
/// BEGIN and the search's SET LOCALs, as one script.
QString beginSql(const SearchRequest &request)
{
    QString sql = QStringLiteral("BEGIN;");
    for (const QString &s : SemanticSearch::settingsFor(request))
        sql += s + QLatin1Char(';');
    return sql;
}

template<typename T>
Result<T> inSearchTransaction(PgConnection &conn, const SearchRequest &request, const std::function<Result<T>()> &body)
{
    if (auto begun = conn.execScript(beginSql(request)); !begun.ok()) {
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
        return begun.error();
    }
    Result<T> result = body();
    (void)conn.execScript(QStringLiteral("ROLLBACK"));
    return result;
}
} // namespace

int SemanticSearch::dimensionsOf(const QString &vectorText)
{
    const QString t = vectorText.trimmed();
    if (t.size() < 2 || !t.startsWith(QLatin1Char('[')) || !t.endsWith(QLatin1Char(']')))
        return 0;
    return t.size() == 2 ? 0 : int(t.count(QLatin1Char(','))) + 1;
}

QStringList SemanticSearch::settingsFor(const SearchRequest &r)
{
    QStringList out;
    if (r.exact) {
        out << QStringLiteral("SET LOCAL enable_indexscan = off") << QStringLiteral("SET LOCAL enable_bitmapscan = off")
            << QStringLiteral("SET LOCAL enable_indexonlyscan = off");
        return out;
    }
    if (r.efSearch > 0)
        out << QStringLiteral("SET LOCAL hnsw.ef_search = %1").arg(r.efSearch);
    if (r.probes > 0)
        out << QStringLiteral("SET LOCAL ivfflat.probes = %1").arg(r.probes);
    if (r.iterativeScan)
        out << QStringLiteral("SET LOCAL hnsw.iterative_scan = relaxed_order")
            << QStringLiteral("SET LOCAL ivfflat.iterative_scan = relaxed_order");
    return out;
}

namespace {
/// The nearest rows by vector. Columns: ref, forum, title, snippet, created, distance.
QString vectorSql(const SearchRequest &r, const Quote &quote, QVariantList *params, int limit)
{
    const ContentPair &p = r.pair;
    const QString op = QLatin1String(metricInfo(r.metric).op);
    const VectorColumn *searched = SemanticSearch::columnOf(r);
    const QString column = QStringLiteral("v.") + quote(searched ? searched->name : QString());
    const QString distance = QStringLiteral("%1 %2 $1::vector").arg(column, op);
    // Through a halfvec index: ordered by the indexed cast, the distance returned and ranked by
    // (outside the scan) at full precision.
    const int half = SemanticSearch::halfvecOrder(r);
    // Candidates: the subquery's own distance column (every one is ranked, no index serves them).
    const QString order = !r.candidates.isEmpty() ? QStringLiteral("distance")
                          : half > 0 ? QStringLiteral("%1::halfvec(%3) %2 $1::vector::halfvec(%3)").arg(column, op, QString::number(half))
                                     : distance;
    const QString ref = refSql(p, quote);
    params->clear();
    *params << r.vector;
    QStringList inner;
    if (!r.forum.isEmpty() && !p.roles.filter.isEmpty()) {
        const bool folds = filterFoldsCase(p);
        const bool spelled = folds && !r.forumSpellings.isEmpty();
        if (spelled)
            *params << textArrayLiteral(r.forumSpellings);
        else
            *params << r.forum;
        const QString placeholder = QStringLiteral("$%1").arg(params->size());
        if (p.isInline()) {
            inner << RoleSql(p, QStringLiteral("v"), quote).filterEquals(placeholder, spelled);
        } else if (p.vectorsHave(p.roles.filter) && !p.roles.lookup.isSet()) { // the reference design copies forum_name over
            const QString column = QStringLiteral("v.") + quote(p.roles.filter);
            inner
                << (spelled ? QStringLiteral("%1 = ANY(%2::text[])").arg(column, placeholder)
                    : folds
                        ? QStringLiteral("lower(%1) = lower(%2)").arg(column, placeholder) // a plan preview: as the application writes it
                        : QStringLiteral("%1 = %2").arg(column, placeholder));
        } else {
            inner << QStringLiteral("%1 IN (SELECT %2 FROM %3 c WHERE %4)")
                         .arg(ref,
                              p.key.isComposite() ? KeySql(p.key, QStringLiteral("c"), quote).text()
                                                  : QStringLiteral("c.") + quote(p.contentKey),
                              tableSql(p.content, quote), RoleSql(p, QStringLiteral("c"), quote).filterEquals(placeholder, spelled));
        }
    }
    if (p.isInline())
        inner << column + QStringLiteral(" IS NOT NULL");
    if (!r.likeKey.isEmpty()) // the row itself, with every vector row it has, inside the scan
        inner << refCompare(p, quote, QStringLiteral("IS DISTINCT FROM"), r.likeKey, params);
    if (!r.candidates.isEmpty()) {
        if (p.isInline()) {
            inner << KeySql(p.key, QStringLiteral("v"), quote).in(r.candidates, *params);
        } else {
            *params << textArrayLiteral(r.candidates);
            inner << QStringLiteral("%1 = ANY($%2)").arg(ref, QString::number(params->size()));
        }
    }
    // Without a unique key a content row can have several vector rows: fetch more and keep each
    // row's nearest, so duplicates neither repeat a row nor take the place of another.
    const bool collapse = !p.isInline() && !p.keyIsUnique;
    *params << (collapse ? limit * 2 : limit);
    const QString limitParam = QStringLiteral("$%1").arg(params->size());
    QStringList outer;
    if (r.threshold > -std::numeric_limits<double>::infinity()) {
        *params << distanceFromSimilarity(r.metric, r.threshold);
        outer << QStringLiteral("n.distance <= $%1").arg(params->size());
    }
    *params << limit;
    // Candidates are ranked exactly, every one of them: OFFSET 0 keeps the ORDER BY away from an
    // ANN index, which would return its own nearest and drop candidates that are not among them.
    // (Every placeholder is filled in one pass: a quoted name holding "%1" stays as it is.)
    QString scan = r.candidates.isEmpty() ? QStringLiteral("SELECT %1 AS ref, %2 AS distance FROM %4 v%5 ORDER BY %3 LIMIT %6")
                                          : QStringLiteral("SELECT * FROM (SELECT %1 AS ref, %2 AS distance FROM %4 v%5 OFFSET 0) s "
                                                           "ORDER BY %3, ref LIMIT %6");
    if (collapse)
        scan = QStringLiteral("SELECT DISTINCT ON (ref) * FROM (") + scan + QStringLiteral(") a ORDER BY ref, distance");
    return (QStringLiteral("SELECT n.ref, %7, n.distance FROM (") + scan
            + QStringLiteral(") n JOIN %8 c ON %9%10 ORDER BY n.distance, n.ref LIMIT $%11"))
        .arg(ref, distance, order, tableSql(p.vectors, quote),
             inner.isEmpty() ? QString() : QStringLiteral(" WHERE ") + inner.join(QStringLiteral(" AND ")), limitParam,
             displayColumns(p, quote), tableSql(p.content, quote), joinOnRef(p, quote, QStringLiteral("n.ref")),
             outer.isEmpty() ? QString() : QStringLiteral(" WHERE ") + outer.join(QStringLiteral(" AND ")),
             QString::number(params->size()));
}
} // namespace

const VectorColumn *SemanticSearch::columnOf(const SearchRequest &request)
{
    for (const VectorColumn &c : request.pair.columns)
        if (request.column.isEmpty() || c.name == request.column)
            return &c;
    return nullptr;
}

int SemanticSearch::halfvecOrder(const SearchRequest &r)
{
    const VectorColumn *column = columnOf(r);
    if (!column || r.exact || !r.candidates.isEmpty() || r.precision == SearchPrecision::Full)
        return 0;
    return chooseIndex(*column, r.metric, r.precision).halfvecDimensions;
}

QString SemanticSearch::sqlFor(const SearchRequest &r, const std::function<QString(const QString &)> &quote, QVariantList *params)
{
    if (r.ranking == Ranking::Vector)
        return vectorSql(r, quote, params, r.limit);
    const QString content = tableSql(r.pair.content, quote);
    if (r.ranking == Ranking::Text) {
        params->clear();
        const QString list = textListSql(r, quote, params, r.limit);
        return QStringLiteral("SELECT t.ref, %1, NULL::float8, t.rank FROM (%2) t JOIN %3 c ON %4 "
                              "ORDER BY t.rank DESC, t.ref")
            .arg(displayColumns(r.pair, quote), list, content, joinOnRef(r.pair, quote, QStringLiteral("t.ref")));
    }
    // Hybrid: each list's first fusionDepth rows, each row scored 1 / (k + rank) in each list it
    // is in, summed; a row in one list only keeps that one term.
    const int depth = fusionDepth(r);
    const QString vectors = vectorSql(r, quote, params, depth);
    const QString texts = textListSql(r, quote, params, depth);
    *params << r.rrfK;
    const QString k = QStringLiteral("$%1::float8").arg(params->size());
    *params << r.limit;
    return QStringLiteral("WITH vl AS (SELECT v.ref, v.distance, row_number() OVER (ORDER BY v.distance, v.ref) AS r "
                          "FROM (%1) v(ref, forum, title, snippet, created, distance)), "
                          "tl AS (SELECT t.ref, row_number() OVER (ORDER BY t.rank DESC, t.ref) AS r FROM (%2) t), "
                          "f AS (SELECT coalesce(vl.ref, tl.ref) AS ref, vl.distance, "
                          "coalesce(1 / (%3 + vl.r), 0) + coalesce(1 / (%3 + tl.r), 0) AS fused "
                          "FROM vl FULL JOIN tl ON tl.ref = vl.ref) "
                          "SELECT f.ref, %4, f.distance, f.fused FROM f JOIN %5 c ON %6 "
                          "ORDER BY f.fused DESC, f.ref LIMIT $%7")
        .arg(vectors, texts, k, displayColumns(r.pair, quote), content, joinOnRef(r.pair, quote, QStringLiteral("f.ref")),
             QString::number(params->size()));
}

QStringList SemanticSearch::indexesInPlan(const QString &jsonPlan)
{
    QStringList out;
    const QJsonArray doc = QJsonDocument::fromJson(jsonPlan.toUtf8()).array();
    for (const QJsonValue &entry : doc)
        collectIndexes(entry.toObject().value(QStringLiteral("Plan")).toObject(), out);
    return out;
}

Result<QString> SemanticSearch::storedVector(PgConnection &conn, const ContentPair &pair, const RowKey &key, const QString &columnName)
{
    const VectorColumn *searched = pair.column(columnName);
    if (!searched)
        return Error::invalid(QStringLiteral("%1 has no vector column %2").arg(pair.vectors.display(), columnName));
    const auto quote = [&conn](const QString &s) { return conn.escapeIdentifier(s); };
    QVariantList params;
    const QString match = refCompare(pair, quote, QStringLiteral("="), key, &params);
    // A row with several vector rows (a chunk store's chunks): its first chunk, the same every time.
    const QString order = pair.vectorsHave(QStringLiteral("chunk_seq")) ? QStringLiteral(" ORDER BY v.chunk_seq") : QString();
    auto r = conn.exec(QStringLiteral("SELECT v.%1::text FROM %2 v WHERE %3 AND v.%1 IS NOT NULL%4 LIMIT 1")
                           .arg(quote(searched->name), tableSql(pair.vectors, quote), match, order),
                       params);
    if (!r.ok())
        return r.error();
    if (r.value().rowCount() == 0)
        return Error::invalid(QStringLiteral("%1 %2 has no stored vector in %3 to search with").arg(pair.kind(), key, searched->name));
    return r.value().scalar();
}

Result<SearchRequest> SemanticSearch::resolved(PgConnection &conn, const SearchRequest &request)
{
    SearchRequest r = request;
    if (!r.forum.isEmpty() && filterFoldsCase(r.pair) && r.forumSpellings.isEmpty()) {
        auto spellings = vwb::forumSpellings(conn, r.pair, r.forum);
        if (!spellings.ok())
            return spellings.error();
        // None stored: keep the filter as written, which matches nothing, rather than no filter.
        r.forumSpellings = spellings.value().isEmpty() ? QStringList{r.forum} : spellings.value();
    }
    if (r.likeKey.isEmpty())
        return r;
    auto stored = storedVector(conn, r.pair, r.likeKey, r.column);
    if (!stored.ok())
        return stored.error();
    r.vector = stored.value();
    return r;
}

namespace {
/// The ANN index the plan of the search's statement scans (EXPLAIN, with the search's settings),
/// or an empty string; also when EXPLAIN fails (the search itself ran).
QString indexInPlan(PgConnection &conn, const SearchRequest &r, const SearchOutcome &out, const IndexUse &indexUse)
{
    auto plan = inSearchTransaction<QueryResult>(
        conn, r, [&] { return conn.exec(QStringLiteral("EXPLAIN (FORMAT JSON) ") + out.sql, out.params); });
    if (!plan.ok())
        return {};
    const QStringList scanned = SemanticSearch::indexesInPlan(plan.value().scalar());
    for (const QString &index : indexUse.indexes()) {
        if (scanned.contains(index))
            return index;
    }
    return {};
}
} // namespace

namespace {
/// An ANN index hands out its ef_search (or probes') nearest before a filter discards any: a
/// vector search through it can come back short although enough rows pass the filter.
bool cameBackShort(const SearchRequest &r, const SearchOutcome &out)
{
    return r.ranking == Ranking::Vector && !r.exact && r.candidates.isEmpty() && out.indexUsed && !out.noVectors
           && out.hits.size() < r.limit && r.threshold == -std::numeric_limits<double>::infinity();
}
} // namespace

Result<SearchOutcome> SemanticSearch::run(PgConnection &conn, const SearchRequest &given)
{
    auto first = runOnce(conn, given);
    if (!first.ok() || !cameBackShort(given, first.value()))
        return first;
    // k rows whenever k rows pass the filter: an iterative scan first (pgvector 0.8 keeps
    // scanning the index), then exact search, which compares every vector that passes.
    SearchRequest wider = given;
    wider.iterativeScan = true;
    wider.exact = given.iterativeScan;
    auto again = runOnce(conn, wider);
    if (again.ok() && !wider.exact && again.value().hits.size() < given.limit) {
        wider.exact = true;
        again = runOnce(conn, wider);
    }
    if (!again.ok() || again.value().hits.size() <= first.value().hits.size())
        return first;
    SearchOutcome out = first.value();
    out.refilledFrom = int(out.hits.size());
    out.hits = again.value().hits;
    out.warnings.removeIf([](const QString &w) { return w.startsWith(QLatin1String("asked for ")); });
    out.warnings << QStringLiteral("the index returned %1 of the %2 rows asked for (it hands out ef_search / probes' worth of "
                                   "candidates, and a filter or deleted rows take some out): %3 found %4")
                        .arg(first.value().hits.size())
                        .arg(given.limit)
                        .arg(wider.exact ? QStringLiteral("exact search") : QStringLiteral("an iterative index scan"))
                        .arg(out.hits.size());
    out.settings << again.value().settings;
    return out;
}

Result<SearchOutcome> SemanticSearch::runOnce(PgConnection &conn, const SearchRequest &given)
{
    if (!columnOf(given))
        return Error::invalid(given.column.isEmpty()
                                  ? QStringLiteral("%1 has no vector column to search").arg(given.pair.content.display())
                                  : QStringLiteral("%1 has no vector column %2").arg(given.pair.vectors.display(), given.column));
    if (const QString type = columnOf(given)->type; type == QLatin1String("bit") || type == QLatin1String("sparsevec"))
        return Error::invalid(QStringLiteral("%1.%2 holds %3 vectors: searching them (%4) is not supported yet; search a "
                                             "vector or halfvec column (--column)")
                                  .arg(given.pair.vectors.display(), columnOf(given)->name,
                                       type == QLatin1String("bit") ? QStringLiteral("binary (bit)") : QStringLiteral("sparse"),
                                       type == QLatin1String("bit") ? QStringLiteral("Hamming or Jaccard distance")
                                                                    : QStringLiteral("with a sparse query vector")));
    if (given.precision == SearchPrecision::Half && given.ranking != Ranking::Text && !given.exact && given.candidates.isEmpty()
        && !chooseIndex(*columnOf(given), given.metric, SearchPrecision::Half).index)
        return Error::invalid(QStringLiteral("No valid halfvec index on %1.%2 serves %3 (%4): create one with vwb index create "
                                             "--table %5 --column %2 --metric %3 --halfvec, or search at full precision")
                                  .arg(given.pair.vectors.display(), columnOf(given)->name, QLatin1String(metricInfo(given.metric).name),
                                       QLatin1String(metricInfo(given.metric).op), given.pair.vectors.display()));
    if (given.limit < 1 || given.limit > 10000)
        return Error::invalid(QStringLiteral("The limit must be between 1 and 10000 (got %1)").arg(given.limit));
    if (auto fits = checkRanking(given); !fits.ok())
        return fits.error();
    auto ready = resolved(conn, given);
    if (!ready.ok())
        return ready.error();
    const SearchRequest &r = ready.value();
    const VectorColumn &col = *columnOf(r);
    const int dims = dimensionsOf(r.vector);
    if (r.ranking != Ranking::Text && dims == 0)
        return Error::invalid(QStringLiteral("The query vector is empty or not a vector"));
    if (r.ranking != Ranking::Text && col.dimensions > 0 && dims != col.dimensions)
        return Error::invalid(QStringLiteral("The query vector has %1 dimensions but %2.%3 has %4: the embedding "
                                             "provider does not match this column")
                                  .arg(dims)
                                  .arg(r.pair.vectors.display(), col.name)
                                  .arg(col.dimensions));
    SearchOutcome out;
    out.settings = settingsFor(r);
    const auto quote = [&conn](const QString &s) { return conn.escapeIdentifier(s); };
    out.sql = sqlFor(r, quote, &out.params);
    out.halfvecDimensions = r.ranking == Ranking::Text ? 0 : halfvecOrder(r);

    // One round trip to begin (settings, and the index-scan counters when an ANN index might
    // serve), the SELECT, one to end (the counters again, ROLLBACK): two round trips more than
    // psql's one. The counters say which index the executor scanned; EXPLAIN is asked only
    // when they can't tell.
    const IndexUse indexUse(r.pair.vectors, col, quote);
    const bool counted = !indexUse.indexes().isEmpty() && !r.exact && r.candidates.isEmpty() && r.ranking != Ranking::Text;
    const QString setup = beginSql(r);
    auto begun = conn.execScript(counted ? setup + indexUse.countsSql() : setup);
    if (!begun.ok()) {
        (void)conn.execScript(QStringLiteral("ROLLBACK"));
        return begun.error();
    }
    QElapsedTimer clock;
    clock.start();
    auto ran = conn.exec(out.sql, out.params);
    out.queryMs = clock.nsecsElapsed() / 1e6;
    QList<QueryResult> closing;
    (void)conn.execScript(ran.ok() && counted ? indexUse.countsSql() + QStringLiteral(";ROLLBACK") : QStringLiteral("ROLLBACK"), &closing);
    if (counted && ran.ok()) {
        std::optional<QString> scanned = closing.size() == 2 ? indexUse.used(begun.value(), closing.first()) : std::nullopt;
        out.indexUseFrom = QStringLiteral("scan counters");
        // No rows: the executor may have skipped a scan the plan has (an empty join side).
        if (!scanned || (scanned->isEmpty() && ran.value().rows.isEmpty())) {
            scanned = indexInPlan(conn, r, out, indexUse);
            out.indexUseFrom = QStringLiteral("plan");
        }
        out.indexUsed = !scanned->isEmpty();
        out.indexName = *scanned;
    }
    if (!ran.ok())
        return ran.error();
    for (const QStringList &row : ran.value().rows) {
        SearchHit h;
        h.key = row.at(0);
        h.forum = row.at(1);
        h.title = row.at(2);
        h.snippet = row.at(3);
        h.createdAt = row.at(4).isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(row.at(4).toLongLong(), Qt::UTC);
        h.distance = row.at(5).isNull() ? qQNaN() : row.at(5).toDouble();
        h.similarity = row.at(5).isNull() ? qQNaN() : similarityFromDistance(r.metric, h.distance);
        h.score = row.size() > 6 ? row.at(6).toDouble() : h.similarity;
        out.hits << h;
    }

    const MetricInfo metric = metricInfo(r.metric);
    out.rankedBy = rankingDescription(r.ranking, QLatin1String(metric.name), r.textConfig, r.rrfK);
    if (r.ranking == Ranking::Text)
        return out;
    if (out.hits.isEmpty()) {
        // The other notes (no index, too few rows) would only hide this one.
        auto any = conn.exec(QStringLiteral("SELECT EXISTS (SELECT 1 FROM %1.%2 WHERE %3 IS NOT NULL)")
                                 .arg(conn.escapeIdentifier(r.pair.vectors.schema), conn.escapeIdentifier(r.pair.vectors.name),
                                      conn.escapeIdentifier(col.name)));
        if (any.ok() && any.value().scalar() == QLatin1String("f")) {
            out.noVectors = true;
            out.warnings = {QStringLiteral("%1.%2 holds no vectors yet, so there is nothing to compare the query with: "
                                           "backfill it first")
                                .arg(r.pair.vectors.display(), col.name)};
            return out;
        }
    }
    QStringList annIndexes;
    for (const VectorIndex &index : col.indexes) {
        if (!index.isAnn())
            continue;
        annIndexes << index.name;
        SearchMetric served;
        if (metricForOpclass(index.opclass, &served) && served != r.metric)
            out.warnings << QStringLiteral("%1 (%2, %3) serves %4 but this search uses %5 (%6): the index cannot be used")
                                .arg(index.name, index.method, index.opclass, QLatin1String(metricInfo(served).name),
                                     QLatin1String(metric.name), QLatin1String(metric.op));
    }
    if (!r.candidates.isEmpty()) {
        if (out.hits.size() < r.candidates.size() && r.threshold == -std::numeric_limits<double>::infinity())
            out.warnings << QStringLiteral("%1 of the %2 candidates have no vector to rank them by")
                                .arg(r.candidates.size() - out.hits.size())
                                .arg(r.candidates.size());
        return out; // each candidate is compared: no index is meant to serve it
    }
    if (r.exact)
        out.warnings << QStringLiteral("exact search: index scans are off, every vector is compared");
    else if (!out.indexUsed) {
        // The schema may be older than a rebuild that dropped the index: the server says why.
        const QString absent = indexAbsenceReason(conn, r.pair.vectors);
        out.warnings
            << (!absent.isEmpty()
                    ? QStringLiteral("exact search, no ANN index on %1.%2 for now: %3").arg(r.pair.vectors.display(), col.name, absent)
                : annIndexes.isEmpty()
                    ? QStringLiteral("no ANN index on %1.%2: every query reads every vector").arg(r.pair.vectors.display(), col.name)
                    : QStringLiteral("the plan does not use an ANN index (a sequential scan and sort)"));
        if (const IndexChoice half = chooseIndex(col, r.metric, SearchPrecision::Half); half.index && r.precision == SearchPrecision::Full)
            out.warnings << QStringLiteral("%1 indexes %2::halfvec(%3): a full-precision search cannot go through it (search "
                                           "with precision auto or half)")
                                .arg(half.index->name, col.name)
                                .arg(half.halfvecDimensions);
    }
    if (out.hits.isEmpty() && !r.forum.isEmpty()) {
        auto hint = filterMissHint(conn, r.pair, r.forum);
        if (hint.ok() && !hint.value().isEmpty())
            out.warnings << hint.value();
    }
    if (out.hits.size() < r.limit && r.threshold == -std::numeric_limits<double>::infinity())
        out.warnings << QStringLiteral("asked for %1 rows, got %2%3")
                            .arg(r.limit)
                            .arg(out.hits.size())
                            .arg(out.indexUsed && !r.iterativeScan
                                     ? QStringLiteral(": the index returns at most ef_search (or probes' worth of) candidates "
                                                      "before filters; raise ef_search/probes or turn on iterative scan")
                                     : QString());

    return out;
}

Result<QString> SemanticSearch::explain(PgConnection &conn, const SearchRequest &given, bool analyze)
{
    auto ready = resolved(conn, given);
    if (!ready.ok())
        return ready.error();
    const SearchRequest &r = ready.value();
    QVariantList params;
    const QString sql = sqlFor(
        r, [&conn](const QString &s) { return conn.escapeIdentifier(s); }, &params);
    return inSearchTransaction<QString>(conn, r, [&]() -> Result<QString> {
        auto plan = conn.exec((analyze ? QStringLiteral("EXPLAIN (ANALYZE, BUFFERS) ") : QStringLiteral("EXPLAIN ")) + sql, params);
        if (!plan.ok())
            return plan.error();
        QStringList lines;
        for (const QStringList &row : plan.value().rows)
            lines << row.first();
        return lines.join(QLatin1Char('\n'));
    });
}
} // namespace vwb
