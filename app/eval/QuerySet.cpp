// app/eval/QuerySet.cpp
#include "eval/QuerySet.h"

#include "eval/EvalFile.h"
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <algorithm>

namespace vwb {
namespace {

bool isWhole(const QString &text, int *value = nullptr)
{
    bool ok = false;
    const int v = text.toInt(&ok);
    if (ok && value)
        *value = v;
    return ok;
}

/// A query's id as JSON has it: a text, or a whole number (kept exactly, however large). Empty
/// when absent; `why` says what is wrong with a number that is no id (1.5, 1e300).
QString jsonId(const QJsonValue &v, QString *why)
{
    if (v.isString())
        return v.toString().trimmed();
    if (!v.isDouble())
        return {};
    const qint64 whole = v.toInteger();
    if (double(whole) != v.toDouble()) {
        *why = QStringLiteral("the id %1 is not a whole number (write such an id as text)").arg(v.toDouble(), 0, 'g', 17);
        return {};
    }
    return QString::number(whole);
}
} // namespace

Result<QHash<QString, Judgments>> QuerySet::readJudgments(const QString &path)
{
    auto text = readEvalFile(path, QStringLiteral("the judgments file"));
    if (!text.ok())
        return text.error();
    return parseJudgments(text.value(), path);
}

Result<QHash<QString, Judgments>> QuerySet::parseJudgments(const QByteArray &text, const QString &name)
{
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    QHash<QString, Judgments> out;
    int number = 0;
    for (const QByteArray &raw : evalLines(text)) {
        const QString line = QString::fromUtf8(raw).trimmed();
        ++number;
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList cols = line.contains(QLatin1Char('\t')) ? line.split(QLatin1Char('\t')) : line.split(spaces);
        if (cols.size() < 3)
            return evalLineError(name, number, QStringLiteral("needs query_id, doc_id and grade, found %1 column(s)").arg(cols.size()));
        // TREC: query_id, iteration ("0" or "Q0"), doc_id, grade.
        const bool trec = cols.size() >= 4 && (cols.at(1) == QLatin1String("0") || cols.at(1) == QLatin1String("Q0"))
                          && isWhole(cols.at(3));
        const QString query = cols.at(0).trimmed(), doc = cols.at(trec ? 2 : 1).trimmed();
        int grade = 0;
        if (!isWhole(cols.at(trec ? 3 : 2).trimmed(), &grade)) {
            if (number == 1)
                continue; // a header: query_id, doc_id, relevance…
            return evalLineError(name, number, QStringLiteral("the grade \"%1\" is not a whole number").arg(cols.at(trec ? 3 : 2)));
        }
        if (query.isEmpty() || doc.isEmpty())
            return evalLineError(name, number, QStringLiteral("an empty query or document id"));
        Judgments &judged = out[query];
        if (const auto before = judged.constFind(doc); before != judged.cend() && before.value() != grade)
            return evalLineError(
                name, number,
                QStringLiteral("document %1 is judged %2 for query %3, and %4 earlier").arg(doc).arg(grade).arg(query).arg(before.value()));
        judged.insert(doc, grade);
    }
    if (out.isEmpty())
        return Error::invalid(QStringLiteral("%1: no judgments in it").arg(QFileInfo(name).fileName()));
    return out;
}

Result<QList<JudgedQuery>> QuerySet::readQueries(const QString &path)
{
    auto text = readEvalFile(path, QStringLiteral("the queries file"));
    if (!text.ok())
        return text.error();
    return parseQueries(text.value(), path);
}

Result<QList<JudgedQuery>> QuerySet::parseQueries(const QByteArray &text, const QString &name)
{
    QList<JudgedQuery> out;
    QSet<QString> ids;
    int number = 0;
    for (const QByteArray &raw : evalLines(text)) {
        ++number;
        if (raw.isEmpty())
            continue;
        JudgedQuery q;
        if (raw.startsWith('{')) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(raw, &error);
            if (!doc.isObject())
                return evalLineError(name, number, QStringLiteral("not a JSON object (%1)").arg(error.errorString()));
            const QJsonObject o = doc.object();
            QString why;
            q.id = jsonId(o.value(QStringLiteral("id")), &why);
            if (q.id.isEmpty() && why.isEmpty())
                q.id = jsonId(o.value(QStringLiteral("_id")), &why); // BEIR's queries.jsonl
            if (!why.isEmpty())
                return evalLineError(name, number, why);
            q.text = o.value(QStringLiteral("text")).toString();
            q.title = o.value(QStringLiteral("title")).toString();
        } else {
            const QStringList cols = QString::fromUtf8(raw).split(QLatin1Char('\t'));
            if (number == 1 && cols.first().trimmed().compare(QLatin1String("id"), Qt::CaseInsensitive) == 0)
                continue; // a header
            if (cols.size() < 2)
                return evalLineError(name, number, QStringLiteral("needs id <TAB> text"));
            q.id = cols.at(0).trimmed();
            q.text = cols.at(1);
            q.title = cols.value(2);
        }
        if (q.id.isEmpty())
            return evalLineError(name, number, QStringLiteral("no id"));
        if (q.text.trimmed().isEmpty() && q.title.trimmed().isEmpty())
            return evalLineError(name, number, QStringLiteral("query %1 has no text").arg(q.id));
        if (ids.contains(q.id))
            return evalLineError(name, number, QStringLiteral("query %1 is given twice").arg(q.id));
        ids.insert(q.id);
        out << q;
    }
    if (out.isEmpty())
        return Error::invalid(QStringLiteral("%1: no queries in it").arg(QFileInfo(name).fileName()));
    return out;
}

Result<QuerySet> QuerySet::read(const QString &queriesPath, const QString &judgmentsPath)
{
    auto queries = readQueries(queriesPath);
    if (!queries.ok())
        return queries.error();
    auto judgments = readJudgments(judgmentsPath);
    if (!judgments.ok())
        return judgments.error();
    QSet<QString> known;
    for (const JudgedQuery &q : queries.value())
        known.insert(q.id);
    for (auto it = judgments.value().cbegin(); it != judgments.value().cend(); ++it)
        if (!known.contains(it.key()))
            return Error::invalid(QStringLiteral("%1 judges query %2, which %3 does not have")
                                      .arg(QFileInfo(judgmentsPath).fileName(), it.key(), QFileInfo(queriesPath).fileName()));
    return QuerySet{queries.value(), judgments.value()};
}

Result<void> QuerySet::writeQueries(const QString &path) const
{
    return writeEvalFile(path, queriesText());
}

Result<void> QuerySet::writeJudgments(const QString &path) const
{
    return writeEvalFile(path, judgmentsText());
}

QByteArray QuerySet::queriesText() const
{
    QByteArray out;
    for (const JudgedQuery &q : queries) {
        bool whole = false;
        const qint64 number = q.id.toLongLong(&whole);
        QJsonObject o{{QStringLiteral("id"), whole && QString::number(number) == q.id ? QJsonValue(number) : QJsonValue(q.id)},
                      {QStringLiteral("text"), q.text}};
        if (!q.title.isEmpty())
            o.insert(QStringLiteral("title"), q.title);
        out += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    }
    return out;
}

QByteArray QuerySet::judgmentsText() const
{
    QByteArray out = "query_id\tdoc_id\trelevance\n";
    QStringList order;
    for (const JudgedQuery &q : queries)
        order << q.id;
    for (const QString &id : judgments.keys())
        if (!order.contains(id))
            order << id;
    for (const QString &id : order) {
        const Judgments judged = judgments.value(id);
        QStringList docs = judged.keys();
        std::sort(docs.begin(), docs.end(), [](const QString &a, const QString &b) {
            return a.size() != b.size() ? a.size() < b.size() : a < b; // numbers in numeric order
        });
        for (const QString &doc : docs)
            out += (id + QLatin1Char('\t') + doc + QLatin1Char('\t') + QString::number(judged.value(doc)) + QLatin1Char('\n')).toUtf8();
    }
    return out;
}
} // namespace vwb
