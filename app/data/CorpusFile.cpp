// app/data/CorpusFile.cpp
#include "data/CorpusFile.h"

#include "core/BoundedFile.h"
#include "core/ShownText.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

namespace vwb {
namespace {
constexpr qint64 MaxCorpusBytes = 1LL << 30;

Result<QByteArray> readBounded(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error::io(QStringLiteral("%1: no such file").arg(path));
    if (!info.isFile())
        return Error::io(QStringLiteral("%1: not a regular file").arg(path));
    if (info.size() > MaxCorpusBytes)
        return Error::io(QStringLiteral("%1: %2 bytes, more than an import takes at once (1 GiB): split it").arg(path).arg(info.size()));
    if (path.endsWith(QLatin1String(".gz"))) {
        QProcess gzip;
        gzip.start(QStringLiteral("gzip"), {QStringLiteral("-dc"), path});
        QByteArray out;
        // Read as it comes, so that a file that inflates past the bound is stopped, not held.
        while (gzip.state() != QProcess::NotRunning || gzip.bytesAvailable() > 0) {
            if (gzip.bytesAvailable() == 0 && !gzip.waitForReadyRead(120000) && gzip.state() != QProcess::NotRunning)
                break;
            out += gzip.readAllStandardOutput();
            if (out.size() > MaxCorpusBytes) {
                gzip.kill();
                gzip.waitForFinished();
                return Error::io(QStringLiteral("%1 inflates to more than an import takes at once (1 GiB): split it").arg(path));
            }
        }
        gzip.waitForFinished();
        if (gzip.exitStatus() != QProcess::NormalExit || gzip.exitCode() != 0)
            return Error::io(
                QStringLiteral("Cannot decompress %1: %2").arg(path, QString::fromLocal8Bit(gzip.readAllStandardError()).trimmed()));
        return out;
    }
    return readRegularFile(path, MaxCorpusBytes, QStringLiteral("the import file"));
}

Result<QList<CorpusRow>> parseJsonLines(const QString &path, const QByteArray &data)
{
    QList<CorpusRow> rows;
    int line = 0;
    for (const QByteArray &text : data.split('\n')) {
        ++line;
        if (text.trimmed().isEmpty())
            continue;
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(text, &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject())
            return corpusLineError(
                path, line,
                QStringLiteral("not a JSON object (%1)")
                    .arg(err.error != QJsonParseError::NoError ? err.errorString() : QStringLiteral("an array or a value")));
        rows << CorpusRow{line, doc.object()};
    }
    return rows;
}

/// CSV records with the line each starts on; `quoted` says which fields were quoted.
struct CsvRecord
{
    int line = 0;
    QStringList fields;
    QList<bool> quoted;
};

Result<QList<CsvRecord>> splitCsv(const QString &path, const QString &text)
{
    QList<CsvRecord> out;
    CsvRecord record;
    QString field;
    bool inQuotes = false, wasQuoted = false, atStart = true;
    int line = 1;
    record.line = 1;
    const auto endField = [&] {
        record.fields << field;
        record.quoted << wasQuoted;
        field.clear();
        wasQuoted = false;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        atStart = false;
        if (inQuotes) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == QLatin1Char('\n'))
                    ++line;
                field += c;
            }
        } else if (c == QLatin1Char('"') && field.isEmpty() && !wasQuoted) {
            inQuotes = wasQuoted = true;
        } else if (c == QLatin1Char(',')) {
            endField();
        } else if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
            endField();
            if (!(record.fields.size() == 1 && record.fields.first().isEmpty() && !record.quoted.first()))
                out << record; // blank lines are skipped
            record = CsvRecord{};
            record.line = ++line;
            atStart = true;
        } else {
            field += c;
        }
    }
    if (inQuotes)
        return corpusLineError(path, record.line, QStringLiteral("a quoted field is never closed"));
    if (!atStart) {
        endField();
        if (!(record.fields.size() == 1 && record.fields.first().isEmpty() && !record.quoted.first()))
            out << record;
    }
    return out;
}

Result<QList<CorpusRow>> parseCsv(const QString &path, const QByteArray &data)
{
    QString text = QString::fromUtf8(data);
    if (text.startsWith(QChar(0xfeff)))
        text.remove(0, 1); // a byte order mark from a spreadsheet
    auto records = splitCsv(path, text);
    if (!records.ok())
        return records.error();
    if (records.value().isEmpty())
        return QList<CorpusRow>{};
    QStringList header;
    for (const QString &name : records.value().first().fields)
        header << name.trimmed();
    QList<CorpusRow> rows;
    for (qsizetype r = 1; r < records.value().size(); ++r) {
        const CsvRecord &rec = records.value().at(r);
        if (rec.fields.size() != header.size())
            return corpusLineError(path, rec.line,
                                   QStringLiteral("%1 fields where the header names %2 (%3)")
                                       .arg(rec.fields.size())
                                       .arg(header.size())
                                       .arg(header.join(QStringLiteral(", "))));
        QJsonObject o;
        for (qsizetype i = 0; i < header.size(); ++i) {
            const QString &value = rec.fields.at(i);
            if (value.isEmpty() && !rec.quoted.at(i)) {
                o.insert(header.at(i), QJsonValue::Null);
                continue;
            }
            if (header.at(i) == QLatin1String("metadata") || header.at(i) == QLatin1String("vector")) {
                const bool wantArray = header.at(i) == QLatin1String("vector");
                QJsonParseError err{};
                const QJsonDocument doc = QJsonDocument::fromJson(value.toUtf8(), &err);
                if (err.error != QJsonParseError::NoError || (wantArray ? !doc.isArray() : !doc.isObject()))
                    return corpusLineError(path, rec.line,
                                           QStringLiteral("%1 is not a JSON %2")
                                               .arg(header.at(i), wantArray ? QStringLiteral("array") : QStringLiteral("object")));
                o.insert(header.at(i), wantArray ? QJsonValue(doc.array()) : QJsonValue(doc.object()));
                continue;
            }
            o.insert(header.at(i), value);
        }
        rows << CorpusRow{rec.line, o};
    }
    return rows;
}
} // namespace

Error corpusLineError(const QString &path, int line, const QString &what)
{
    return Error::invalid(shownText(QStringLiteral("%1 line %2: %3").arg(QFileInfo(path).fileName(), QString::number(line), what)));
}

Result<QList<CorpusRow>> readCorpusFile(const QString &path)
{
    auto data = readBounded(path);
    if (!data.ok())
        return data.error();
    const QString lower = path.toLower();
    const bool csv = lower.endsWith(QLatin1String(".csv")) || lower.endsWith(QLatin1String(".csv.gz"));
    return parseCorpusText(data.value(), csv ? CorpusFormat::Csv : CorpusFormat::JsonLines, path);
}

Result<QList<CorpusRow>> parseCorpusText(const QByteArray &data, CorpusFormat format, const QString &name)
{
    return format == CorpusFormat::Csv ? parseCsv(name, data) : parseJsonLines(name, data);
}
} // namespace vwb
