// app/plan/PlanNodeHead.cpp
#include "plan/PlanNodeHead.h"

#include <QRegularExpression>

namespace vwb {
namespace {

const QStringList KnownNodeTypes{"Result",           "ProjectSet",      "ModifyTable",
                                 "Append",           "Merge Append",    "Recursive Union",
                                 "BitmapAnd",        "BitmapOr",        "Nested Loop",
                                 "Merge Join",       "Hash Join",       "Seq Scan",
                                 "Sample Scan",      "Gather",          "Gather Merge",
                                 "Index Scan",       "Index Only Scan", "Bitmap Index Scan",
                                 "Bitmap Heap Scan", "Tid Scan",        "Tid Range Scan",
                                 "Subquery Scan",    "Function Scan",   "Table Function Scan",
                                 "Values Scan",      "CTE Scan",        "Named Tuplestore Scan",
                                 "WorkTable Scan",   "Foreign Scan",    "Custom Scan",
                                 "Materialize",      "Memoize",         "Sort",
                                 "Incremental Sort", "Group",           "Aggregate",
                                 "WindowAgg",        "Unique",          "SetOp",
                                 "LockRows",         "Limit",           "Hash"};

/// Splits at spaces outside double quotes; quotes are removed ("a""b" -> a"b).
QStringList identifiers(const QString &text)
{
    QStringList out;
    QString current;
    bool quoted = false, any = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('"')) {
            if (quoted && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                current += c;
                ++i;
            } else {
                quoted = !quoted;
            }
            any = true;
        } else if (c == QLatin1Char(' ') && !quoted) {
            if (any)
                out << current;
            current.clear();
            any = false;
        } else {
            current += c;
            any = true;
        }
    }
    if (any)
        out << current;
    return out;
}

qsizetype indexOutsideQuotes(const QString &text, QLatin1String needle)
{
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == QLatin1Char('"'))
            quoted = !quoted; // a doubled quote inside toggles twice
        else if (!quoted && QStringView(text).mid(i).startsWith(needle))
            return i;
    }
    return -1;
}

/// VERBOSE qualifies tables and functions: schema.name, either part possibly quoted. Splits the
/// first name in `target` at a dot outside quotes; false when it is not qualified.
bool splitQualified(const QString &target, QString *schema, QString *name)
{
    QStringList parts;
    QString current;
    bool quoted = false;
    for (qsizetype i = 0; i < target.size(); ++i) {
        const QChar c = target.at(i);
        if (c == QLatin1Char('"')) {
            if (quoted && i + 1 < target.size() && target.at(i + 1) == QLatin1Char('"')) {
                current += c;
                ++i;
            } else {
                quoted = !quoted;
            }
        } else if (!quoted && c == QLatin1Char(' ')) {
            break;
        } else if (!quoted && c == QLatin1Char('.')) {
            parts << current;
            current.clear();
        } else {
            current += c;
        }
    }
    parts << current;
    if (parts.size() != 2 || parts.at(0).isEmpty() || parts.at(1).isEmpty())
        return false;
    *schema = parts.at(0);
    *name = parts.at(1);
    return true;
}
} // namespace

bool isKnownNodeType(const QString &nodeType)
{
    return KnownNodeTypes.contains(nodeType);
}

bool applyNodeHead(PlanNode &n, QString head)
{
    if (head.startsWith(QLatin1String("Parallel "))) {
        n.parallelAware = true;
        head.remove(0, 9);
    }
    for (const char *mode : {"Partial ", "Finalize "}) {
        if (head.startsWith(QLatin1String(mode)) && head.contains(QLatin1String("Aggregate"))) {
            n.partialMode = QString::fromLatin1(mode).trimmed();
            head.remove(0, qsizetype(qstrlen(mode)));
        }
    }
    QString type = head, target;
    if (head.startsWith(QLatin1String("Custom Scan ("))) {
        const qsizetype close = head.indexOf(QLatin1Char(')'));
        if (close < 0)
            return false;
        n.customProvider = head.mid(13, close - 13);
        type = QStringLiteral("Custom Scan");
        target = head.mid(close + 1).trimmed();
        if (target.startsWith(QLatin1String("on ")))
            target = target.mid(3);
    } else if (const qsizetype using_ = head.indexOf(QLatin1String(" using ")); using_ > 0) {
        type = head.left(using_);
        const QStringList parts = identifiers(head.mid(using_ + 7));
        if (parts.size() < 3 || parts.at(1) != QLatin1String("on"))
            return false;
        n.indexName = parts.at(0);
        target = head.mid(using_ + 7);
        const qsizetype on = indexOutsideQuotes(target, QLatin1String(" on "));
        if (on < 0)
            return false;
        target = target.mid(on + 4);
    } else if (const qsizetype on = head.indexOf(QLatin1String(" on ")); on > 0) {
        type = head.left(on);
        target = head.mid(on + 4);
    }

    static const QRegularExpression join(
        QStringLiteral("^(Hash|Merge|Nested Loop)(?: (Left|Right|Full|Semi|Anti|Right Semi|Right Anti))? Join$"));
    if (const auto m = join.match(type); m.hasMatch()) {
        type = m.captured(1) == QLatin1String("Nested Loop") ? m.captured(1) : m.captured(1) + QStringLiteral(" Join");
        n.joinType = m.captured(2).isEmpty() ? QStringLiteral("Inner") : m.captured(2);
    } else if (type == QLatin1String("Nested Loop")) {
        n.joinType = QStringLiteral("Inner");
    } else if (type.endsWith(QLatin1String("Aggregate"))) {
        const QString prefix = type.chopped(9);
        n.strategy = prefix.isEmpty()                   ? QStringLiteral("Plain")
                     : prefix == QLatin1String("Group") ? QStringLiteral("Sorted")
                     : prefix == QLatin1String("Hash")  ? QStringLiteral("Hashed")
                                                        : QStringLiteral("Mixed");
        type = QStringLiteral("Aggregate");
        if (n.partialMode.isEmpty())
            n.partialMode = QStringLiteral("Simple");
    } else if (type.startsWith(QLatin1String("SetOp ")) || type.startsWith(QLatin1String("HashSetOp "))) {
        n.strategy = type.startsWith(QLatin1Char('H')) ? QStringLiteral("Hashed") : QStringLiteral("Sorted");
        n.details.append({QStringLiteral("Command"), type.section(QLatin1Char(' '), 1)});
        type = QStringLiteral("SetOp");
    } else if (type == QLatin1String("Insert") || type == QLatin1String("Update") || type == QLatin1String("Delete")
               || type == QLatin1String("Merge")) {
        n.operation = type;
        type = QStringLiteral("ModifyTable");
    } else if (type.endsWith(QLatin1String(" Backward"))) {
        n.scanDirection = QStringLiteral("Backward");
        type.chop(9);
    }
    n.nodeType = type;

    const QStringList names = identifiers(target);
    if (names.isEmpty())
        return target.trimmed().isEmpty();
    const QString first = names.at(0);
    const QString second = names.value(1, first);
    if (type == QLatin1String("Bitmap Index Scan")) {
        n.indexName = first;
    } else if (type == QLatin1String("CTE Scan") || type == QLatin1String("WorkTable Scan")) {
        n.cteName = first;
        n.alias = second;
    } else if (type == QLatin1String("Function Scan")) {
        if (!splitQualified(target, &n.schema, &n.functionName))
            n.functionName = first;
        n.alias = names.size() > 1 ? second : n.functionName;
    } else if (type == QLatin1String("Subquery Scan") || type == QLatin1String("Values Scan")
               || type == QLatin1String("Table Function Scan") || type == QLatin1String("Named Tuplestore Scan")) {
        n.alias = first;
    } else {
        if (!splitQualified(target, &n.schema, &n.relation))
            n.relation = first;
        n.alias = names.size() > 1 ? second : n.relation;
    }
    return true;
}

} // namespace vwb
