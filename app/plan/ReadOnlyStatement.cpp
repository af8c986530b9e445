// app/plan/ReadOnlyStatement.cpp
#include "plan/ReadOnlyStatement.h"

#include "connection/PgConnection.h"
#include "plan/SqlTokens.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace vwb {
namespace {

using Name = StatementReferences::Name;

// Words that may stand before "(" without being a function's name.
bool isConstruct(const SqlToken &t)
{
    static const QStringList words{"select",    "in",           "exists", "values",  "any",     "all",   "some",   "array",  "row",
                                   "as",        "over",         "filter", "within",  "using",   "on",    "and",    "or",     "not",
                                   "where",     "from",         "join",   "lateral", "when",    "then",  "else",   "by",     "with",
                                   "union",     "intersect",    "except", "is",      "between", "like",  "ilike",  "case",   "distinct",
                                   "recursive", "materialized", "rollup", "cube",    "sets",    "limit", "offset", "having", "table",
                                   "window",    "partition",    "order",  "group",   "only",    "cast"};
    return t.kind == SqlToken::Kind::Word && words.contains(t.text);
}

void addOnce(QList<Name> &list, const Name &name)
{
    if (!list.contains(name))
        list.append(name);
}

/// The name ending at token `k` ("f", "s.f"): its schema, and the index of the token before it.
std::pair<Name, qsizetype> nameAt(const QList<SqlToken> &t, qsizetype k)
{
    if (k >= 2 && t.at(k - 1).isPunctuation(QLatin1String(".")) && t.at(k - 2).isName())
        return {{t.at(k - 2).text, t.at(k).text}, k - 3};
    return {{QString(), t.at(k).text}, k - 1};
}

QString json(const QList<Name> &names)
{
    QJsonArray a;
    for (const Name &n : names)
        a.append(QJsonArray{n.schema, n.name});
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

// PostgreSQL's volatile functions that touch nothing outside the statement.
constexpr const char *VettedVolatile = "{random,random_normal,clock_timestamp,timeofday,gen_random_uuid}";
// Extensions whose functions are known: IMMUTABLE and STABLE ones among them change nothing.
constexpr const char *KnownExtensions = "{vector,pg_trgm}";
// PostgreSQL's STABLE functions that read tables or views named by a value, not by the statement:
// table_to_xml('some_view'::regclass, …) runs the view, whatever the view calls.
constexpr const char *ReadsByValue = "{table_to_xml,table_to_xmlschema,table_to_xml_and_xmlschema,schema_to_xml,"
                                     "schema_to_xmlschema,schema_to_xml_and_xmlschema,database_to_xml,database_to_xmlschema,"
                                     "database_to_xml_and_xmlschema}";

// The functions a statement reaches directly, by name, behind an operator or in a cast to a type,
// and those of them not known to change nothing.
const char *ReachedSql = R"SQL(
WITH names(kind, nsp, name) AS (
  SELECT k, e->>0, e->>1 FROM (VALUES ('f', $1::json), ('o', $2::json), ('t', $3::json)) AS l(k, j), json_array_elements(l.j) AS e),
reached(what, fn) AS (
  SELECT 'function ' || CASE WHEN x.nsp = '' THEN '' ELSE x.nsp || '.' END || x.name, p.oid
    FROM names x JOIN pg_proc p ON x.kind = 'f' AND p.proname = x.name
     AND CASE WHEN x.nsp = '' THEN pg_function_is_visible(p.oid) ELSE p.pronamespace = to_regnamespace(x.nsp) END
  UNION ALL
  SELECT 'operator ' || x.name, o.oprcode::oid FROM names x JOIN pg_operator o ON x.kind = 'o' AND o.oprname = x.name
     AND CASE WHEN x.nsp = '' THEN pg_operator_is_visible(o.oid) ELSE o.oprnamespace = to_regnamespace(x.nsp) END
  UNION ALL
  SELECT 'type ' || t.oid::regtype::text, f.fn FROM names x JOIN pg_type t ON x.kind = 't' AND t.typname = x.name
     AND CASE WHEN x.nsp = '' THEN pg_type_is_visible(t.oid) ELSE t.typnamespace = to_regnamespace(x.nsp) END
    CROSS JOIN LATERAL (SELECT t.typinput::oid UNION ALL SELECT t.typoutput::oid
                        UNION ALL SELECT c.castfunc FROM pg_cast c WHERE c.casttarget = t.oid AND c.castfunc <> 0) AS f(fn)),
judged AS (
  SELECT r.what, p.oid::regprocedure::text AS fn, n.nspname, p.provolatile, p.proname,
         n.nspname = 'pg_catalog' OR EXISTS (
           SELECT 1 FROM pg_depend e JOIN pg_extension x ON x.oid = e.refobjid
            WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e' AND x.extname = ANY ($5::text[])) AS known
    FROM reached r JOIN pg_proc p ON p.oid = r.fn JOIN pg_namespace n ON n.oid = p.pronamespace)
SELECT what, fn, nspname, CASE WHEN proname = ANY ($6::text[]) THEN 'r' ELSE provolatile END, known FROM judged
 WHERE NOT (known AND (provolatile IN ('i', 's') OR (nspname = 'pg_catalog' AND proname = ANY ($4::text[])))
            AND NOT (nspname = 'pg_catalog' AND proname = ANY ($6::text[])))
 ORDER BY 1, 2
 LIMIT 5
)SQL";

// What the statement reads that holds SQL of its own: views (PostgreSQL's own excepted), the
// row-security policies of the tables it reads, and the CHECK constraints of domains it casts to.
const char *HiddenSql = R"SQL(
WITH names(nsp, name) AS (SELECT e->>0, e->>1 FROM json_array_elements($1::json) AS e),
types(nsp, name) AS (SELECT e->>0, e->>1 FROM json_array_elements($2::json) AS e),
rel AS (
  SELECT c.oid, c.relkind, c.relnamespace FROM names x JOIN pg_class c ON c.relname = x.name AND c.relkind IN ('v', 'r', 'p')
     AND CASE WHEN x.nsp = '' THEN pg_table_is_visible(c.oid) ELSE c.relnamespace = to_regnamespace(x.nsp) END)
SELECT 'view ' || r.oid::regclass::text, 'v' || r.oid, pg_get_viewdef(r.oid) FROM rel r
 WHERE r.relkind = 'v' AND r.relnamespace NOT IN ('pg_catalog'::regnamespace, to_regnamespace('information_schema'))
UNION ALL
SELECT 'row-security policy ' || quote_ident(p.polname) || ' of ' || r.oid::regclass::text, 'p' || p.oid,
       coalesce(pg_get_expr(p.polqual, p.polrelid), '')
  FROM rel r JOIN pg_policy p ON p.polrelid = r.oid
UNION ALL
SELECT 'domain ' || t.oid::regtype::text, 'd' || k.oid, pg_get_constraintdef(k.oid)
  FROM types x JOIN pg_type t ON t.typname = x.name AND t.typtype = 'd'
   AND CASE WHEN x.nsp = '' THEN pg_type_is_visible(t.oid) ELSE t.typnamespace = to_regnamespace(x.nsp) END
  JOIN pg_constraint k ON k.contypid = t.oid
)SQL";

constexpr int MostNesting = 16; // views over views over …

Error refused(PgConnection &conn, ReadOnlyRunner runner, const QString &why)
{
    if (runner == ReadOnlyRunner::Console)
        return {Error::Kind::Invalid,
                QStringLiteral("On a locked production profile the query console runs only what can change nothing outside its "
                               "read-only transaction, and %1. Unlock writes (the lock in the toolbar) to run it")
                    .arg(why),
                QStringLiteral("25006"),
                {}};
    return {Error::Kind::Invalid,
            QStringLiteral("On a locked production profile EXPLAIN ANALYZE runs only what can change nothing outside the "
                           "transaction it is rolled back with, and %1. EXPLAIN it without ANALYZE (nothing runs), or unlock "
                           "writes (vwb: --unlock-writes %2) to run it")
                .arg(why, conn.server().database),
            QStringLiteral("25006"),
            {}};
}

/// The functions `refs` reach, directly and through the views and policies they read, `via`
/// (empty: the statement itself); `seen` keeps each view and policy to once.
Result<void> checkReached(PgConnection &conn, ReadOnlyRunner runner, const StatementReferences &refs, const QString &via,
                          QSet<QString> &seen, int depth)
{
    auto unsafe = conn.exec(QString::fromLatin1(ReachedSql),
                            {json(refs.functions), json(refs.operators), json(refs.types), QString::fromLatin1(VettedVolatile),
                             QString::fromLatin1(KnownExtensions), QString::fromLatin1(ReadsByValue)});
    if (!unsafe.ok())
        return unsafe.error().withContext(QStringLiteral("reading what the statement calls"));
    if (unsafe.value().rowCount() > 0) {
        const QueryResult &u = unsafe.value();
        const QString what = u.value(0, 0), function = u.value(0, 1), schema = u.value(0, 2);
        const QString subject = !via.isEmpty()                                ? via + QStringLiteral(" calls")
                                : what.startsWith(QLatin1String("function ")) ? QStringLiteral("it calls")
                                                                              : what + QStringLiteral(" calls");
        if (u.value(0, 3) == QLatin1String("r"))
            return refused(conn, runner,
                           QStringLiteral("%1 %2, which reads the tables and views a value names — and a view runs what "
                                          "it calls — so what it reaches cannot be known beforehand")
                               .arg(subject, function));
        if (u.value(0, 4) == QLatin1String("t"))
            return refused(conn, runner,
                           QStringLiteral("%1 %2, which is VOLATILE: what it does (ending a session, resetting statistics, "
                                          "taking a lock, …) outlives the rollback")
                               .arg(subject, function));
        return refused(conn, runner,
                       QStringLiteral("%1 %2 of schema %3, which is neither PostgreSQL's, pgvector's nor pg_trgm's: what it "
                                      "does is not known")
                           .arg(subject, function, schema));
    }
    if (refs.names.isEmpty() && refs.types.isEmpty())
        return {};
    auto hidden = conn.exec(QString::fromLatin1(HiddenSql), {json(refs.names), json(refs.types)});
    if (!hidden.ok())
        return hidden.error().withContext(QStringLiteral("reading the views and policies the statement reads"));
    for (const QStringList &row : hidden.value().rows) {
        if (seen.contains(row.at(1)))
            continue;
        seen.insert(row.at(1));
        const QString where = via.isEmpty() ? row.at(0) : QStringLiteral("%1 (under %2)").arg(row.at(0), via);
        if (depth >= MostNesting)
            return refused(conn, runner, QStringLiteral("%1 nests views more than %2 deep").arg(where).arg(MostNesting));
        if (auto inner = checkReached(conn, runner, StatementReferences::of(row.at(2)), where, seen, depth + 1); !inner.ok())
            return inner;
    }
    return {};
}

} // namespace

StatementReferences StatementReferences::of(const QString &statement)
{
    const QList<SqlToken> t = tokenizeSql(statement);
    StatementReferences r;
    if (t.isEmpty())
        return r;
    r.firstWord = t.first().text;
    static const QStringList writes{"insert", "update", "delete", "merge", "into"};
    for (qsizetype k = 0; k < t.size(); ++k) {
        const SqlToken &tok = t.at(k);
        const bool call = k + 1 < t.size() && t.at(k + 1).isPunctuation(QLatin1String("("));
        if (tok.kind == SqlToken::Kind::Word && writes.contains(tok.text) && !r.writeKeywords.contains(tok.text))
            r.writeKeywords << tok.text;
        if (tok.kind == SqlToken::Kind::QuotedName && statement.mid(tok.offset, 2).compare(QLatin1String("u&"), Qt::CaseInsensitive) == 0)
            r.escapedNames = true;
        if (tok.kind == SqlToken::Kind::Operator) {
            addOnce(r.operators, {QString(), tok.text});
        } else if (tok.isWord(QLatin1String("operator")) && call) {
            // OPERATOR(schema.<op>)
            for (qsizetype j = k + 2; j < t.size() && !t.at(j).isPunctuation(QLatin1String(")")); ++j)
                if (t.at(j).kind == SqlToken::Kind::Operator)
                    addOnce(r.operators,
                            {j >= 2 && t.at(j - 1).isPunctuation(QLatin1String(".")) ? t.at(j - 2).text : QString(), t.at(j).text});
        } else if (tok.isName()) {
            if (k + 1 < t.size() && t.at(k + 1).isPunctuation(QLatin1String(".")))
                continue; // a schema's name: the name after it carries it
            const auto [name, before] = nameAt(t, k);
            const bool cast = before >= 0
                              && (t.at(before).isPunctuation(QLatin1String("::")) || t.at(before).isWord(QLatin1String("as")));
            if (cast)
                addOnce(r.types, name);
            else if (call && !isConstruct(tok))
                addOnce(r.functions, name);
            else if (!call)
                addOnce(r.names, name);
        }
    }
    return r;
}

Result<void> checkReadOnlyStatement(PgConnection &conn, const QString &statement, ReadOnlyRunner runner)
{
    const StatementReferences refs = StatementReferences::of(statement);
    static const QStringList queries{"select", "with", "values", "table", "("};
    if (!queries.contains(refs.firstWord))
        return refused(conn, runner,
                       QStringLiteral("%1 is not a query: only SELECT, WITH, VALUES and TABLE statements run there (a "
                                      "rollback does not undo all of what other statements do; CREATE TABLE AS, for one, "
                                      "runs even in a read-only transaction)")
                           .arg(refs.firstWord.toUpper()));
    if (refs.escapedNames)
        return refused(conn, runner,
                       QStringLiteral("it writes a name with Unicode escapes (U&\"…\"), which is not read here: write the name "
                                      "as it is"));
    if (!refs.writeKeywords.isEmpty())
        return refused(conn, runner,
                       QStringLiteral("this query holds %1, a write (a data-modifying WITH, or SELECT INTO); if it is a "
                                      "column's name, quote it (\"%2\")")
                           .arg(refs.writeKeywords.first().toUpper(), refs.writeKeywords.first()));
    QSet<QString> seen;
    return checkReached(conn, runner, refs, QString(), seen, 0);
}
} // namespace vwb
