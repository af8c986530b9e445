// app/eval/RunFile.cpp
#include "eval/RunFile.h"

#include "eval/EvalFile.h"
#include "eval/EvalRun.h"
#include <QRegularExpression>
#include <algorithm>

namespace vwb {

Result<QHash<QString, QStringList>> readRunFile(const QString &path)
{
    auto text = readEvalFile(path, QStringLiteral("the run file"));
    if (!text.ok())
        return text.error();
    return parseRunText(text.value(), path);
}

Result<QHash<QString, QStringList>> parseRunText(const QByteArray &text, const QString &name)
{
    struct Entry
    {
        QString doc;
        int rank;
        double score;
    };
    static const QRegularExpression spaces(QStringLiteral("\\s+"));
    QHash<QString, QList<Entry>> entries;
    int number = 0;
    for (const QByteArray &raw : evalLines(text)) {
        const QString line = QString::fromUtf8(raw).trimmed();
        ++number;
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const QStringList cols = line.split(spaces);
        bool rankOk = false, scoreOk = false;
        const int rank = cols.value(3).toInt(&rankOk);
        const double score = cols.value(4).toDouble(&scoreOk);
        if (cols.size() < 5 || !rankOk || !scoreOk)
            return evalLineError(name, number, QStringLiteral("a run line is \"query_id Q0 doc_id rank score [tag]\""));
        entries[cols.at(0)] << Entry{cols.at(2), rank, score};
    }
    QHash<QString, QStringList> out;
    for (auto it = entries.begin(); it != entries.end(); ++it) {
        std::sort(it->begin(), it->end(), [](const Entry &a, const Entry &b) {
            if (a.score != b.score)
                return a.score > b.score;
            if (a.rank != b.rank)
                return a.rank < b.rank;
            return a.doc < b.doc;
        });
        QStringList &ranked = out[it.key()];
        for (const Entry &e : *it)
            ranked << e.doc;
    }
    return out;
}

Result<void> writeRunFile(const QString &path, const EvalRun &run, const QString &tag)
{
    QString name = tag.simplified();
    name.replace(QLatin1Char(' '), QLatin1Char('_'));
    if (name.isEmpty())
        name = QStringLiteral("vwb");
    QByteArray out;
    for (const QueryRun &q : run.queries)
        for (int i = 0; i < q.ranked.size(); ++i)
            out += QStringLiteral("%1 Q0 %2 %3 %4 %5\n")
                       .arg(q.queryId, q.ranked.at(i).id, QString::number(i + 1), QString::number(q.ranked.at(i).score, 'g', 10), name)
                       .toUtf8();
    return writeEvalFile(path, out);
}
} // namespace vwb
