// app/plan/PlanParser.cpp — format detection, psql's frame, and FORMAT JSON.
#include "plan/PlanParser.h"

#include "plan/PlanMetrics.h"
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <limits>

namespace vwb {
namespace {

constexpr double MaxFigure = 1e18; // larger costs, rows or times are not from a real server

/// Reads one JSON plan node after another, keeping the first problem it meets.
class JsonReader
{
public:
    bool readNode(const QJsonObject &o, const QString &path, int depth, PlanNode &node);
    bool readTop(const QJsonObject &o, const QString &path, Plan &plan);
    QString error;

private:
    bool fail(const QString &path, const QString &what)
    {
        if (error.isEmpty())
            error = QStringLiteral("%1: %2").arg(path, what);
        return false;
    }
    bool text(const QJsonObject &o, const QString &path, const char *key, QString *out);
    bool number(const QJsonObject &o, const QString &path, const char *key, double *out, bool *present = nullptr);
    bool count(const QJsonObject &o, const QString &path, const char *key, qint64 *out, bool *present = nullptr);
};

QString display(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::String: return v.toString();
    case QJsonValue::Double: return QString::number(v.toDouble(), 'g', 15);
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Array: {
        QStringList parts;
        bool strings = true;
        for (const QJsonValue &e : v.toArray()) {
            strings = strings && e.isString();
            parts << e.toString();
        }
        if (strings)
            return parts.join(QStringLiteral(", "));
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    }
    case QJsonValue::Object: return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined: break;
    }
    return {};
}

bool JsonReader::text(const QJsonObject &o, const QString &path, const char *key, QString *out)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined())
        return true;
    if (!v.isString())
        return fail(path, QStringLiteral("\"%1\" must be a string").arg(QLatin1String(key)));
    *out = v.toString();
    return true;
}

bool JsonReader::number(const QJsonObject &o, const QString &path, const char *key, double *out, bool *present)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (present)
        *present = !v.isUndefined();
    if (v.isUndefined())
        return true;
    if (!v.isDouble())
        return fail(path, QStringLiteral("\"%1\" must be a number").arg(QLatin1String(key)));
    const double d = v.toDouble();
    if (!std::isfinite(d) || d < 0)
        return fail(path, QStringLiteral("\"%1\" is negative (%2)").arg(QLatin1String(key)).arg(d));
    if (d > MaxFigure)
        return fail(path, QStringLiteral("\"%1\" is out of range (%2)").arg(QLatin1String(key)).arg(d));
    *out = d;
    return true;
}

bool JsonReader::count(const QJsonObject &o, const QString &path, const char *key, qint64 *out, bool *present)
{
    double d = 0;
    bool has = false;
    if (!number(o, path, key, &d, &has))
        return false;
    if (present)
        *present = has;
    if (has)
        *out = qint64(d);
    return true;
}

bool JsonReader::readNode(const QJsonObject &o, const QString &path, int depth, PlanNode &n)
{
    if (depth > PlanParser::MaxDepth)
        return fail(path, QStringLiteral("the plan is nested deeper than %1 levels").arg(PlanParser::MaxDepth));
    if (!o.value(QLatin1String("Node Type")).isString() || o.value(QLatin1String("Node Type")).toString().isEmpty())
        return fail(path, QStringLiteral("\"Node Type\" is missing or not a string"));
    QString relationship;
    bool ok = text(o, path, "Node Type", &n.nodeType) && text(o, path, "Parent Relationship", &relationship)
              && text(o, path, "Subplan Name", &n.subplanName) && text(o, path, "Join Type", &n.joinType)
              && text(o, path, "Strategy", &n.strategy) && text(o, path, "Partial Mode", &n.partialMode)
              && text(o, path, "Operation", &n.operation) && text(o, path, "Scan Direction", &n.scanDirection)
              && text(o, path, "Custom Plan Provider", &n.customProvider) && text(o, path, "Relation Name", &n.relation)
              && text(o, path, "Schema", &n.schema) && text(o, path, "Alias", &n.alias) && text(o, path, "Index Name", &n.indexName)
              && text(o, path, "CTE Name", &n.cteName) && text(o, path, "Function Name", &n.functionName)
              && text(o, path, "Order By", &n.orderBy) && text(o, path, "Index Cond", &n.indexCond) && text(o, path, "Filter", &n.filter)
              && text(o, path, "Join Filter", &n.joinFilter);
    if (!ok)
        return false;
    n.relationship = planRelationFromName(relationship);
    const QJsonValue parallel = o.value(QLatin1String("Parallel Aware"));
    if (!parallel.isUndefined() && !parallel.isBool())
        return fail(path, QStringLiteral("\"Parallel Aware\" must be true or false"));
    n.parallelAware = parallel.toBool();

    bool startup = false, total = false, rows = false, loops = false, width = false;
    double planWidth = 0;
    ok = number(o, path, "Startup Cost", &n.startupCost) && number(o, path, "Total Cost", &n.totalCost, &n.hasCosts)
         && number(o, path, "Plan Rows", &n.planRows) && number(o, path, "Plan Width", &planWidth, &width)
         && number(o, path, "Actual Startup Time", &n.actualStartupMs, &startup)
         && number(o, path, "Actual Total Time", &n.actualTotalMs, &total) && number(o, path, "Actual Rows", &n.actualRows, &rows)
         && number(o, path, "Actual Loops", &n.actualLoops, &loops) && number(o, path, "Rows Removed by Filter", &n.rowsRemovedByFilter);
    if (!ok)
        return false;
    if (width && planWidth > std::numeric_limits<int>::max())
        return fail(path, QStringLiteral("\"Plan Width\" is out of range"));
    n.planWidth = int(planWidth);
    n.analyzed = loops;
    n.timed = startup && total;
    qint64 planned = -1, launched = -1;
    bool hit = false, read = false, dirtied = false, written = false;
    ok = count(o, path, "Workers Planned", &planned) && count(o, path, "Workers Launched", &launched)
         && count(o, path, "Shared Hit Blocks", &n.buffers.sharedHit, &hit)
         && count(o, path, "Shared Read Blocks", &n.buffers.sharedRead, &read)
         && count(o, path, "Shared Dirtied Blocks", &n.buffers.sharedDirtied, &dirtied)
         && count(o, path, "Shared Written Blocks", &n.buffers.sharedWritten, &written);
    if (!ok)
        return false;
    if (planned > 100000 || launched > 100000)
        return fail(path, QStringLiteral("the number of workers is out of range"));
    n.workersPlanned = int(planned);
    n.workersLaunched = int(launched);
    n.buffers.reported = hit || read || dirtied || written;

    const QJsonValue sortKey = o.value(QLatin1String("Sort Key"));
    if (sortKey.isString()) {
        n.sortKey << sortKey.toString();
    } else if (sortKey.isArray()) {
        for (const QJsonValue &k : sortKey.toArray()) {
            if (!k.isString())
                return fail(path, QStringLiteral("\"Sort Key\" must hold strings"));
            n.sortKey << k.toString();
        }
    } else if (!sortKey.isUndefined()) {
        return fail(path, QStringLiteral("\"Sort Key\" must be a list of strings"));
    }

    static const QStringList structural{"Node Type",
                                        "Parent Relationship",
                                        "Subplan Name",
                                        "Parallel Aware",
                                        "Join Type",
                                        "Strategy",
                                        "Partial Mode",
                                        "Operation",
                                        "Scan Direction",
                                        "Custom Plan Provider",
                                        "Relation Name",
                                        "Schema",
                                        "Alias",
                                        "Index Name",
                                        "CTE Name",
                                        "Function Name",
                                        "Startup Cost",
                                        "Total Cost",
                                        "Plan Rows",
                                        "Plan Width",
                                        "Actual Startup Time",
                                        "Actual Total Time",
                                        "Actual Rows",
                                        "Actual Loops",
                                        "Workers Planned",
                                        "Workers Launched",
                                        "Shared Hit Blocks",
                                        "Shared Read Blocks",
                                        "Shared Dirtied Blocks",
                                        "Shared Written Blocks",
                                        "Rows Removed by Filter",
                                        "Sort Key",
                                        "Order By",
                                        "Index Cond",
                                        "Filter",
                                        "Join Filter",
                                        "Plans"};
    for (auto it = o.begin(); it != o.end(); ++it) {
        // Zero block counters and empty lists ("Workers": [] without VERBOSE) are what the text
        // format leaves out.
        const bool zeroBlocks = it.key().endsWith(QLatin1String(" Blocks")) && it.value().isDouble() && it.value().toDouble() == 0;
        const bool emptyList = it.value().isArray() && it.value().toArray().isEmpty();
        if (!structural.contains(it.key()) && !zeroBlocks && !emptyList && it.key() != QLatin1String("Async Capable"))
            n.details.append({it.key(), display(it.value())});
    }

    const QJsonValue plans = o.value(QLatin1String("Plans"));
    if (plans.isUndefined())
        return true;
    if (!plans.isArray())
        return fail(path, QStringLiteral("\"Plans\" must be a list"));
    const QJsonArray children = plans.toArray();
    n.children.reserve(children.size());
    for (qsizetype i = 0; i < children.size(); ++i) {
        const QString childPath = QStringLiteral("%1.Plans[%2]").arg(path).arg(i);
        if (!children.at(i).isObject())
            return fail(childPath, QStringLiteral("a plan node must be an object"));
        n.children.append(PlanNode{});
        if (!readNode(children.at(i).toObject(), childPath, depth + 1, n.children.last()))
            return false;
    }
    return true;
}

bool JsonReader::readTop(const QJsonObject &o, const QString &path, Plan &plan)
{
    if (!o.contains(QLatin1String("Plan")))
        return readNode(o, path, 0, plan.root); // a bare plan node
    if (!o.value(QLatin1String("Plan")).isObject())
        return fail(path, QStringLiteral("\"Plan\" must be an object"));
    if (!readNode(o.value(QLatin1String("Plan")).toObject(), path + QStringLiteral(".Plan"), 0, plan.root))
        return false;
    bool planning = false, execution = false;
    if (!number(o, path, "Planning Time", &plan.planningMs, &planning)
        || !number(o, path, "Execution Time", &plan.executionMs, &execution))
        return false;
    if (!planning)
        plan.planningMs = -1;
    if (!execution)
        plan.executionMs = -1;
    for (auto it = o.begin(); it != o.end(); ++it) {
        const QString &key = it.key();
        if (key == QLatin1String("Plan") || key == QLatin1String("Planning Time") || key == QLatin1String("Execution Time"))
            continue;
        if (it.value().isArray() && it.value().toArray().isEmpty()) // "Triggers": []
            continue;
        plan.details.append({key, display(it.value())});
    }
    return true;
}

bool isDashLine(const QString &line)
{
    const QString t = line.trimmed();
    return t.size() >= 3 && std::all_of(t.begin(), t.end(), [](QChar c) { return c == QLatin1Char('-') || c == QLatin1Char('+'); });
}
} // namespace

QString PlanParser::withoutPsqlFrame(const QString &text)
{
    QStringList lines = text.split(QLatin1Char('\n'));
    for (QString &l : lines) {
        if (l.endsWith(QLatin1Char('\r')))
            l.chop(1);
    }
    qsizetype first = 0;
    while (first < lines.size() && lines.at(first).trimmed().isEmpty())
        ++first;
    const bool header = first < lines.size() && lines.at(first).trimmed() == QLatin1String("QUERY PLAN");
    const bool framed = header && first + 1 < lines.size() && isDashLine(lines.at(first + 1));
    // "(9 rows)", and "Time: 1.234 ms" when psql's \timing is on.
    static const QRegularExpression footer(QStringLiteral("^(?:\\(\\d+ rows?\\)|Time: [0-9.]+ ms.*)$"));
    qsizetype last = lines.size();
    while (last > first && (lines.at(last - 1).trimmed().isEmpty() || footer.match(lines.at(last - 1).trimmed()).hasMatch()))
        --last;
    if (header && !framed) // psql -A (unaligned): the header and footer, no margin or wrap marks
        ++first;
    if (!framed)
        return first < last ? lines.mid(first, last - first).join(QLatin1Char('\n')) : QString();
    QStringList body;
    for (qsizetype i = first + 2; i < last; ++i) {
        QString l = lines.at(i);
        if (l.startsWith(QLatin1Char(' ')))
            l.remove(0, 1); // psql's left margin
        while (l.endsWith(QLatin1Char(' ')))
            l.chop(1);
        if (l.endsWith(QLatin1Char('+')))
            l.chop(1); // psql marks a value that goes on on the next line
        body << l;
    }
    return body.join(QLatin1Char('\n'));
}

Result<Plan> PlanParser::parse(const QString &text)
{
    if (text.size() > MaxInputChars)
        return Error::invalid(QStringLiteral("The plan is larger than %1 MB").arg(MaxInputChars / (1024 * 1024)));
    // Not trimmed as a whole: the text format is read by indentation, and trimming would take a
    // pasted margin off the first line only.
    const QString body = withoutPsqlFrame(text);
    const QString trimmed = body.trimmed();
    if (trimmed.isEmpty())
        return Error::invalid(QStringLiteral("No plan: the input is empty"));
    if (trimmed.startsWith(QLatin1Char('[')) || trimmed.startsWith(QLatin1Char('{')))
        return parseJson(trimmed.toUtf8());
    return parseText(body);
}

Result<Plan> PlanParser::parseJson(const QByteArray &json)
{
    if (json.size() > MaxInputChars)
        return Error::invalid(QStringLiteral("The plan is larger than %1 MB").arg(MaxInputChars / (1024 * 1024)));
    if (json.trimmed().isEmpty())
        return Error::invalid(QStringLiteral("No plan: the input is empty"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error::invalid(QStringLiteral("Not a JSON plan: %1 at offset %2").arg(parseError.errorString()).arg(parseError.offset));
    Plan plan;
    JsonReader reader;
    if (doc.isArray()) {
        const QJsonArray top = doc.array();
        if (top.isEmpty())
            return Error::invalid(QStringLiteral("Not a JSON plan: the list is empty"));
        if (!top.first().isObject())
            return Error::invalid(QStringLiteral("Not a JSON plan: $[0] must be an object"));
        if (!reader.readTop(top.first().toObject(), QStringLiteral("$[0]"), plan))
            return Error::invalid(QStringLiteral("Not a valid JSON plan at %1").arg(reader.error));
        if (top.size() > 1)
            plan.details.append({QStringLiteral("Plans"), QStringLiteral("%1 (the first is shown)").arg(top.size())});
    } else if (doc.isObject()) {
        if (!reader.readTop(doc.object(), QStringLiteral("$"), plan))
            return Error::invalid(QStringLiteral("Not a valid JSON plan at %1").arg(reader.error));
    } else {
        return Error::invalid(QStringLiteral("Not a JSON plan: expected a list or an object"));
    }
    plan.analyzed = plan.root.analyzed;
    computePlanMetrics(plan);
    return plan;
}
} // namespace vwb
