// app/plan/PlanTextParser.cpp — EXPLAIN's TEXT format: nodes by indentation, "->" children,
// "Key: value" properties, InitPlan/SubPlan/CTE headers, and the Planning/Execution trailer.
#include "plan/PlanParser.h"

#include "plan/PlanMetrics.h"
#include "plan/PlanNodeHead.h"
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

namespace vwb {
namespace {

bool toFigure(const QString &text, double *out)
{
    bool ok = false;
    const double d = text.toDouble(&ok);
    if (!ok || !std::isfinite(d) || d < 0 || d > 1e18)
        return false;
    *out = d;
    return true;
}

/// "Sort Key: a, (b + 1) DESC" -> ["a", "(b + 1) DESC"]: commas inside parentheses or quotes stay.
QStringList splitTopLevel(const QString &text)
{
    QStringList out;
    int depth = 0;
    bool single = false, dbl = false;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('\'') && !dbl)
            single = !single;
        else if (c == QLatin1Char('"') && !single)
            dbl = !dbl;
        else if (!single && !dbl && c == QLatin1Char('('))
            ++depth;
        else if (!single && !dbl && c == QLatin1Char(')'))
            --depth;
        else if (!single && !dbl && depth == 0 && c == QLatin1Char(',')) {
            out << text.mid(start, i - start).trimmed();
            start = i + 1;
        }
    }
    out << text.mid(start).trimmed();
    return out;
}

struct Frame
{
    PlanNode *node;
    int arrow; // column of its "->"; -1 for the root
    int detailColumn = -1;
    int regularChildren = 0; // children so far that are not InitPlans or SubPlans
};

struct Header
{
    QString text;
    int column = 0;
    PlanNode *owner = nullptr;
    int line = 0;
};

class TextReader
{
public:
    Result<Plan> read(const QString &text);

private:
    Error fail(int line, QString what) const
    {
        for (QChar &c : what) { // quoted input may be binary: keep the message one printable line
            if (!c.isPrint())
                c = QChar::ReplacementCharacter;
        }
        return Error::invalid(QStringLiteral("Not a valid text plan at line %1: %2").arg(line).arg(what));
    }
    QString nodeLine(PlanNode &node, QString text);
    QString property(PlanNode &node, const QString &key, const QString &value);
    QString trailer(Plan &plan, const QString &key, const QString &value);
    QString m_section;      // the trailer's current section ("Planning", "JIT")
    bool m_buffers = false; // a Buffers line was seen: EXPLAIN ran with BUFFERS
};

/// Fills `node` from "Head  (cost=...) (actual ...)"; returns a problem or an empty string.
QString TextReader::nodeLine(PlanNode &node, QString text)
{
    static const QRegularExpression actual(
        QStringLiteral("^\\(actual (?:time=([0-9.]+)\\.\\.([0-9.]+) )?rows=([0-9.]+) loops=([0-9.]+)\\)$"));
    static const QRegularExpression cost(QStringLiteral("^\\(cost=([0-9.]+)\\.\\.([0-9.]+) rows=([0-9.]+) width=([0-9]+)\\)$"));
    text = text.trimmed();
    if (text.endsWith(QLatin1String("(never executed)"))) {
        node.analyzed = true;
        node.timed = true;
        text.chop(16);
    } else if (const qsizetype at = text.lastIndexOf(QLatin1String("(actual ")); at >= 0 && text.endsWith(QLatin1Char(')'))) {
        const auto m = actual.match(text.mid(at));
        if (!m.hasMatch())
            return QStringLiteral("cannot read \"%1\"").arg(text.mid(at).left(80));
        node.analyzed = true;
        node.timed = !m.captured(1).isEmpty();
        if ((node.timed && (!toFigure(m.captured(1), &node.actualStartupMs) || !toFigure(m.captured(2), &node.actualTotalMs)))
            || !toFigure(m.captured(3), &node.actualRows) || !toFigure(m.captured(4), &node.actualLoops))
            return QStringLiteral("a figure in \"%1\" is out of range").arg(text.mid(at).left(80));
        text.truncate(at);
    }
    text = text.trimmed();
    if (const qsizetype at = text.lastIndexOf(QLatin1String("(cost=")); at >= 0 && text.endsWith(QLatin1Char(')'))) {
        const auto m = cost.match(text.mid(at));
        double width = 0;
        if (!m.hasMatch())
            return QStringLiteral("cannot read \"%1\"").arg(text.mid(at).left(80));
        if (!toFigure(m.captured(1), &node.startupCost) || !toFigure(m.captured(2), &node.totalCost)
            || !toFigure(m.captured(3), &node.planRows) || !toFigure(m.captured(4), &width) || width > 1e9)
            return QStringLiteral("a figure in \"%1\" is out of range").arg(text.mid(at).left(80));
        node.planWidth = int(width);
        node.hasCosts = true;
        text.truncate(at);
    }
    text = text.trimmed();
    if (text.isEmpty())
        return QStringLiteral("a plan node without a name");
    if (text.contains(QLatin1String("(cost=")) || text.contains(QLatin1String("(actual ")))
        return QStringLiteral("cannot read the figures of \"%1\" (cut short?)").arg(text.left(80));
    if (!applyNodeHead(node, text))
        return QStringLiteral("cannot read the node \"%1\"").arg(text.left(80));
    if (!node.hasCosts && !node.analyzed && !isKnownNodeType(node.nodeType))
        return QStringLiteral("\"%1\" is not a plan node").arg(text.left(80));
    return {};
}

QString TextReader::property(PlanNode &n, const QString &key, const QString &value)
{
    double number = 0;
    if (key == QLatin1String("Index Cond"))
        n.indexCond = value;
    else if (key == QLatin1String("Filter"))
        n.filter = value;
    else if (key == QLatin1String("Join Filter"))
        n.joinFilter = value;
    else if (key == QLatin1String("Order By"))
        n.orderBy = value;
    else if (key == QLatin1String("Sort Key"))
        n.sortKey = splitTopLevel(value);
    else if (key == QLatin1String("Rows Removed by Filter")) {
        if (!toFigure(value, &n.rowsRemovedByFilter))
            return QStringLiteral("\"%1\" is not a count").arg(value.left(40));
    } else if (key == QLatin1String("Workers Planned") || key == QLatin1String("Workers Launched")) {
        if (!toFigure(value, &number) || number > 100000)
            return QStringLiteral("\"%1\" is not a number of workers").arg(value.left(40));
        (key == QLatin1String("Workers Planned") ? n.workersPlanned : n.workersLaunched) = int(number);
    } else if (key == QLatin1String("Buffers")) {
        m_buffers = true;
        // "shared hit=12 read=3 dirtied=1 written=2, local hit=1, temp read=4 written=4"
        for (const QString &group : value.split(QLatin1Char(','))) {
            const QStringList words = group.simplified().split(QLatin1Char(' '));
            for (qsizetype i = 1; i < words.size(); ++i) {
                const QString counter = words.at(i).section(QLatin1Char('='), 0, 0);
                if (!words.at(i).contains(QLatin1Char('=')) || !toFigure(words.at(i).section(QLatin1Char('='), 1), &number))
                    return QStringLiteral("cannot read the buffers \"%1\"").arg(value.left(80));
                if (words.first() != QLatin1String("shared"))
                    continue;
                n.buffers.reported = true;
                if (counter == QLatin1String("hit"))
                    n.buffers.sharedHit = qint64(number);
                else if (counter == QLatin1String("read"))
                    n.buffers.sharedRead = qint64(number);
                else if (counter == QLatin1String("dirtied"))
                    n.buffers.sharedDirtied = qint64(number);
                else if (counter == QLatin1String("written"))
                    n.buffers.sharedWritten = qint64(number);
            }
        }
    } else {
        n.details.append({key, value});
    }
    return {};
}

QString TextReader::trailer(Plan &plan, const QString &key, const QString &value)
{
    const bool planning = key == QLatin1String("Planning Time");
    if (planning || key == QLatin1String("Execution Time") || key == QLatin1String("Total runtime")) {
        QString v = value;
        if (v.endsWith(QLatin1String(" ms")))
            v.chop(3);
        if (!toFigure(v, planning ? &plan.planningMs : &plan.executionMs))
            return QStringLiteral("\"%1\" is not a time").arg(value.left(40));
        return {};
    }
    if (key.endsWith(QLatin1String(" Buffers")))
        m_buffers = true; // "Planning Buffers"
    if (!value.isEmpty()) // not a section's head ("Planning:", "JIT:")
        plan.details.append({key, value});
    return {};
}

Result<Plan> TextReader::read(const QString &text)
{
    static const QRegularExpression header(QStringLiteral("^(InitPlan \\d+.*|SubPlan \\d+.*|CTE \\S.*)$"));
    static const QRegularExpression modifyTarget(QStringLiteral("^(?:Foreign )?(?:Insert|Update|Delete|Merge) on \\S"));
    QStringList lines = text.split(QLatin1Char('\n'));
    int margin = std::numeric_limits<int>::max();
    for (QString &l : lines) {
        if (l.endsWith(QLatin1Char('\r')))
            l.chop(1);
        const QString t = l.trimmed();
        if (!t.isEmpty())
            margin = std::min(margin, int(l.indexOf(t.front())));
    }
    Plan plan;
    QList<Frame> stack;
    std::optional<Header> pending;
    bool inTrailer = false;
    for (int i = 0; i < lines.size(); ++i) {
        const int number = i + 1;
        const QString content = lines.at(i).trimmed();
        if (content.isEmpty())
            continue;
        const int column = int(lines.at(i).indexOf(content.front())) - margin;
        const bool arrow = content.startsWith(QLatin1String("->"));
        if (stack.isEmpty()) { // the root
            if (const QString problem = nodeLine(plan.root, arrow ? content.mid(2) : content); !problem.isEmpty())
                return fail(number, problem);
            stack.append({&plan.root, -1});
            continue;
        }
        if (inTrailer || (column == 0 && !arrow)) {
            inTrailer = true;
            const qsizetype colon = content.indexOf(QLatin1Char(':'));
            if (colon < 0)
                return fail(number, QStringLiteral("expected \"Key: value\" after the plan"));
            const QString key = content.left(colon).trimmed(), value = content.mid(colon + 1).trimmed();
            if (column == 0)
                m_section = value.isEmpty() ? key : QString();
            if (const QString problem = trailer(plan, column > 0 && !m_section.isEmpty() ? m_section + QLatin1Char(' ') + key : key,
                                                value);
                !problem.isEmpty())
                return fail(number, problem);
            continue;
        }
        while (stack.size() > 1 && stack.last().arrow >= column)
            stack.removeLast();
        Frame &top = stack.last();
        if (arrow) {
            PlanNode child;
            if (const QString problem = nodeLine(child, content.mid(2)); !problem.isEmpty())
                return fail(number, problem);
            if (pending && pending->owner == top.node && pending->column < column) {
                child.subplanName = pending->text;
                child.relationship = pending->text.startsWith(QLatin1String("SubPlan")) ? PlanRelation::SubPlan : PlanRelation::InitPlan;
                pending.reset();
            } else if (pending) {
                return fail(pending->line, QStringLiteral("\"%1\" has no plan below it").arg(pending->text.left(80)));
            } else {
                const QString &parent = top.node->nodeType;
                const int regular = top.regularChildren++;
                child.relationship = parent == QLatin1String("Append") || parent == QLatin1String("Merge Append")
                                             || parent == QLatin1String("BitmapAnd") || parent == QLatin1String("BitmapOr")
                                         ? PlanRelation::Member
                                     : parent == QLatin1String("Subquery Scan") ? PlanRelation::Subquery
                                     : regular == 0                             ? PlanRelation::Outer
                                     : regular == 1                             ? PlanRelation::Inner
                                                                                : PlanRelation::Member;
            }
            if (stack.size() >= PlanParser::MaxDepth)
                return fail(number, QStringLiteral("the plan is nested deeper than %1 levels").arg(PlanParser::MaxDepth));
            top.node->children.append(std::move(child));
            stack.append({&top.node->children.last(), column});
            continue;
        }
        if (pending)
            return fail(pending->line, QStringLiteral("\"%1\" has no plan below it").arg(pending->text.left(80)));
        if (header.match(content).hasMatch() && !content.contains(QLatin1String(": "))) {
            pending = Header{content, column, top.node, number};
            continue;
        }
        if (top.node->nodeType == QLatin1String("ModifyTable") && modifyTarget.match(content).hasMatch()) {
            // "Update on parted_p1 parted_1": one line per partition (FORMAT JSON: "Target Tables").
            top.node->details.append({QStringLiteral("Target Table"), content});
            continue;
        }
        const qsizetype colon = content.indexOf(QLatin1Char(':'));
        if (colon <= 0)
            return fail(
                number,
                QStringLiteral("expected \"->  Node\", \"Key: value\" or an InitPlan/SubPlan/CTE line, got \"%1\"").arg(content.left(80)));
        const QString key = content.left(colon).trimmed(), value = content.mid(colon + 1).trimmed();
        if (top.detailColumn < 0)
            top.detailColumn = column;
        if (column > top.detailColumn) { // belongs to the line above it ("Worker 0:" and its Buffers)
            top.node->details.append({key, value});
        } else if (const QString problem = property(*top.node, key, value); !problem.isEmpty()) {
            return fail(number, problem);
        }
    }
    if (pending)
        return fail(pending->line, QStringLiteral("\"%1\" has no plan below it").arg(pending->text.left(80)));
    if (stack.isEmpty())
        return Error::invalid(QStringLiteral("No plan: the input is empty"));
    if (m_buffers && plan.root.analyzed) {
        // With BUFFERS the text format leaves out the line of a node that touched no block,
        // where FORMAT JSON reports zeros: the same plan reads the same either way.
        QList<PlanNode *> todo{&plan.root};
        while (!todo.isEmpty()) {
            PlanNode *n = todo.takeLast();
            n->buffers.reported = true;
            for (PlanNode &child : n->children)
                todo << &child;
        }
    }
    plan.analyzed = plan.root.analyzed;
    computePlanMetrics(plan);
    return plan;
}
} // namespace

Result<Plan> PlanParser::parseText(const QString &text)
{
    if (text.size() > MaxInputChars)
        return Error::invalid(QStringLiteral("The plan is larger than %1 MB").arg(MaxInputChars / (1024 * 1024)));
    return TextReader().read(text);
}
} // namespace vwb
