// app/advice/QueryAdvice.cpp
#include "advice/QueryAdvice.h"

#include <QRegularExpression>

namespace vwb {
namespace {

const QString Operators = QStringLiteral("(<->|<=>|<#>|<\\+>)");

QString normalized(const QString &sql)
{
    QString s = sql.simplified();
    while (s.endsWith(QLatin1Char(';')))
        s.chop(1);
    return s.trimmed();
}

bool mentions(const QString &sql, const QString &name)
{
    return QRegularExpression(QStringLiteral("(^|[^\\w])\"?%1\"?($|[^\\w])").arg(QRegularExpression::escape(name)),
                              QRegularExpression::CaseInsensitiveOption)
        .match(sql)
        .hasMatch();
}

/// Splits a WHERE clause at its top-level ANDs (parentheses and quotes respected).
QStringList conjuncts(const QString &where)
{
    QStringList out;
    int depth = 0;
    bool quoted = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < where.size(); ++i) {
        const QChar c = where.at(i);
        if (c == QLatin1Char('\''))
            quoted = !quoted;
        if (quoted)
            continue;
        depth += c == QLatin1Char('(') ? 1 : c == QLatin1Char(')') ? -1 : 0;
        if (depth == 0 && where.mid(i, 5).compare(QLatin1String(" AND "), Qt::CaseInsensitive) == 0) {
            out << where.mid(start, i - start).trimmed();
            start = i + 5;
            i += 4;
        }
    }
    out << where.mid(start).trimmed();
    return out;
}

/// $n renumbered 1, 2, … in order of first appearance (a prepared statement must use each one).
QString renumbered(const QString &sql, QStringList *mapping)
{
    static const QRegularExpression param(QStringLiteral("\\$(\\d+)"));
    QHash<QString, int> seen;
    QString out;
    qsizetype last = 0;
    auto it = param.globalMatch(sql);
    while (it.hasNext()) {
        const auto m = it.next();
        if (!seen.contains(m.captured(1))) {
            seen.insert(m.captured(1), int(seen.size()) + 1);
            *mapping << QStringLiteral("$%1 = the original $%2").arg(seen.size()).arg(m.captured(1));
        }
        out += sql.mid(last, m.capturedStart() - last) + QStringLiteral("$%1").arg(seen.value(m.captured(1)));
        last = m.capturedEnd();
    }
    return out + sql.mid(last);
}
} // namespace

QString indexFriendlyRewrite(const QString &given, QString *note)
{
    const QString sql = normalized(given);
    static const QRegularExpression shape(
        QStringLiteral("^SELECT (?<select>.+?) FROM (?<vt>[\\w.\"]+) (?:AS )?(?<va>\\w+) (?:INNER )?JOIN (?<ct>[\\w.\"]+) "
                       "(?:AS )?(?<ca>\\w+) ON (?<on>.+?) WHERE (?<where>.+?) ORDER BY (?<alias>\\w+) DESC LIMIT (?<limit>\\S+)$"),
        QRegularExpression::CaseInsensitiveOption);
    const auto m = shape.match(sql);
    if (!m.hasMatch())
        return {};
    const QString va = m.captured(QStringLiteral("va"));
    // 1 / (1 + (v.col <op> q)): a similarity that falls as the distance grows.
    // pg_stat_statements records the constants as $n too: "$6 / ($7 + (...))".
    const QString constant = QStringLiteral("(?:\\d+(?:\\.\\d+)?|\\$\\d+)");
    const QString similarity = QStringLiteral(
                                   "(?<a>%3)\\s*/\\s*\\(\\s*(?<b>%3)\\s*\\+\\s*\\(\\s*%1\\.(?<col>\\w+)\\s*%2\\s*(?<q>[^()]+?)\\s*\\)\\s*\\)")
                                   .arg(QRegularExpression::escape(va), Operators, constant);
    const QRegularExpression selected(similarity + QStringLiteral("\\s+AS\\s+")
                                          + QRegularExpression::escape(m.captured(QStringLiteral("alias"))),
                                      QRegularExpression::CaseInsensitiveOption);
    const auto sel = selected.match(m.captured(QStringLiteral("select")));
    if (!sel.hasMatch())
        return {};
    const QRegularExpression threshold(QStringLiteral("^") + similarity + QStringLiteral("\\s*>=\\s*(?<t>\\S+)$"),
                                       QRegularExpression::CaseInsensitiveOption);
    QString minimum, kept; // the threshold, and its similarity as written
    QStringList inner, outer;
    const QString ca = m.captured(QStringLiteral("ca"));
    for (const QString &c : conjuncts(m.captured(QStringLiteral("where")))) {
        const auto t = threshold.match(c);
        if (t.hasMatch() && t.captured(QStringLiteral("col")) == sel.captured(QStringLiteral("col"))) {
            minimum = t.captured(QStringLiteral("t"));
            kept = QStringLiteral("%1 / (%2 + nearest.distance)").arg(t.captured(QStringLiteral("a")), t.captured(QStringLiteral("b")));
        } else if (c.contains(QRegularExpression(QStringLiteral("\\b%1\\.").arg(QRegularExpression::escape(ca)))))
            outer << c;
        else
            inner << c;
    }
    if (minimum.isEmpty())
        return {};
    const QString distance = QStringLiteral("%1.%2 %3 %4")
                                 .arg(va, sel.captured(QStringLiteral("col")), sel.captured(4), sel.captured(QStringLiteral("q")));
    const auto outside = [&va](QString s) {
        return s.replace(QRegularExpression(QStringLiteral("\\b%1\\.").arg(QRegularExpression::escape(va))), QStringLiteral("nearest."));
    };
    QString select = m.captured(QStringLiteral("select"));
    select.replace(sel.capturedStart(), sel.capturedLength(),
                   QStringLiteral("%1 / (%2 + nearest.distance) AS %3")
                       .arg(sel.captured(QStringLiteral("a")), sel.captured(QStringLiteral("b")), m.captured(QStringLiteral("alias"))));
    QString rewrite = QStringLiteral("SELECT %1\nFROM (\n    SELECT %2.*, %3 AS distance\n    FROM %4 %2\n")
                          .arg(outside(select), va, distance, m.captured(QStringLiteral("vt")));
    if (!inner.isEmpty())
        rewrite += QStringLiteral("    WHERE %1\n").arg(inner.join(QStringLiteral(" AND ")));
    rewrite += QStringLiteral("    ORDER BY %1\n    LIMIT %2\n) nearest\nJOIN %3 %4 ON %5\nWHERE %6 >= %7")
                   .arg(distance, m.captured(QStringLiteral("limit")), m.captured(QStringLiteral("ct")), ca,
                        outside(m.captured(QStringLiteral("on"))), kept, minimum);
    for (const QString &o : outer)
        rewrite += QStringLiteral(" AND ") + outside(o);
    rewrite += QStringLiteral("\nORDER BY nearest.distance");
    QStringList mapping;
    rewrite = renumbered(rewrite, &mapping);
    if (note)
        *note = QStringLiteral("The nearest rows come from ORDER BY distance LIMIT, which the index serves; the threshold "
                               "and the join are applied to them. Parameters: %1. With Knex's ? the bindings follow that "
                               "order, the query vector once (constants pg_stat_statements recorded as $n stay "
                               "constants).")
                    .arg(mapping.join(QStringLiteral(", ")));
    return rewrite;
}

QueryAdvice adviseVectorQuery(const QString &given, const DatabaseSchema &schema)
{
    QueryAdvice a;
    const QString sql = normalized(given);
    const auto op = QRegularExpression(Operators).match(sql);
    if (!op.hasMatch())
        return a;
    a.op = op.captured(1);
    const ContentPair *pair = nullptr;
    // The table by its qualified name, or unqualified for one in public (the usual search_path).
    for (const ContentPair &p : schema.pairs) {
        const bool named = mentions(sql, p.vectors.schema + QLatin1Char('.') + p.vectors.name)
                           || mentions(sql, QStringLiteral("\"%1\".\"%2\"").arg(p.vectors.schema, p.vectors.name))
                           || (p.vectors.schema == QLatin1String("public")
                               && QRegularExpression(
                                      QStringLiteral("(^|[^\\w.\"])\"?%1\"?($|[^\\w])").arg(QRegularExpression::escape(p.vectors.name)),
                                      QRegularExpression::CaseInsensitiveOption)
                                      .match(sql)
                                      .hasMatch());
        if (!p.columns.isEmpty() && named) {
            pair = &p;
            break;
        }
    }
    if (pair) {
        a.table = pair->vectors.display();
        for (const VectorColumn &c : pair->columns) {
            if (QRegularExpression(QStringLiteral("\"?%1\"?\\s*%2").arg(QRegularExpression::escape(c.name), Operators))
                    .match(sql)
                    .hasMatch()) {
                a.column = c.name;
                break;
            }
        }
    }
    const QRegularExpression ordered(
        QStringLiteral("ORDER BY (?:[\\w\"]+\\.)?\"?%1\"?\\s*%2[^,]*?(?: ASC)? LIMIT ")
            .arg(a.column.isEmpty() ? QStringLiteral("\\w+") : QRegularExpression::escape(a.column), QRegularExpression::escape(a.op)),
        QRegularExpression::CaseInsensitiveOption);
    a.ordersByDistance = ordered.match(sql).hasMatch();
    if (!a.ordersByDistance) {
        const auto orderBy = QRegularExpression(QStringLiteral("ORDER BY ([^;]+?)(?: LIMIT |$)"),
                                                QRegularExpression::CaseInsensitiveOption)
                                 .match(sql);
        a.reasons << (orderBy.hasMatch()
                          ? QStringLiteral("it orders by %1, not by the distance itself (ORDER BY column %2 value LIMIT k): "
                                           "no index produces that order, so every row is read and sorted")
                                .arg(orderBy.captured(1), a.op)
                          : QStringLiteral("it has no ORDER BY column %1 value LIMIT k: the operator only filters or "
                                           "computes, which no ANN index serves")
                                .arg(a.op));
    }
    if (pair && !a.column.isEmpty()) {
        QStringList others;
        for (const VectorColumn &c : pair->columns) {
            if (c.name != a.column)
                continue;
            for (const VectorIndex &i : c.indexes) {
                if (!i.valid || (i.method != QLatin1String("hnsw") && i.method != QLatin1String("ivfflat")))
                    continue;
                if (i.distanceOperator() == a.op && a.servedBy.isEmpty())
                    a.servedBy = i.name;
                else if (i.distanceOperator() != a.op)
                    others << QStringLiteral("%1 serves %2").arg(i.name, i.distanceOperator());
            }
        }
        if (a.servedBy.isEmpty()) {
            a.reasons << (others.isEmpty() ? QStringLiteral("%1.%2 has no ANN index").arg(a.table, a.column)
                                           : QStringLiteral("no index of %1.%2 serves %3 (%4)")
                                                 .arg(a.table, a.column, a.op, others.join(QStringLiteral(", "))));
            static const QHash<QString, QString> opclass{{QStringLiteral("<->"), QStringLiteral("vector_l2_ops")},
                                                         {QStringLiteral("<=>"), QStringLiteral("vector_cosine_ops")},
                                                         {QStringLiteral("<#>"), QStringLiteral("vector_ip_ops")},
                                                         {QStringLiteral("<+>"), QStringLiteral("vector_l1_ops")}};
            a.suggestedOpclass = opclass.value(a.op);
            a.suggestedIndex = QStringLiteral("CREATE INDEX CONCURRENTLY ON %1 USING hnsw (%2 %3)")
                                   .arg(a.table, a.column, a.suggestedOpclass);
        }
    }
    a.rewrite = indexFriendlyRewrite(given, &a.rewriteNote);
    return a;
}
} // namespace vwb
