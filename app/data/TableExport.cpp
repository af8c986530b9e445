// app/data/TableExport.cpp
#include "data/TableExport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <charconv>

namespace vwb {
namespace {

QString text(const QVariant &v)
{
    if (v.isNull())
        return QString();
    // The shortest text that reads back as the same number (0.1, not 0.10000000000000001).
    if (v.typeId() == QMetaType::Double)
        return QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest);
    if (v.typeId() == QMetaType::Float) {
        char number[32];
        const auto written = std::to_chars(number, number + sizeof number, v.toFloat());
        return QString::fromLatin1(number, written.ptr - number);
    }
    return v.toString();
}

QString csvField(const QString &s)
{
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r')))
        return s;
    return QLatin1Char('"') + QString(s).replace(QLatin1Char('"'), QStringLiteral("\"\"")) + QLatin1Char('"');
}

QString tsvField(const QString &s)
{
    QString out;
    out.reserve(s.size());
    for (QChar c : s) {
        switch (c.unicode()) {
        case '\t': out += QStringLiteral("\\t"); break;
        case '\n': out += QStringLiteral("\\n"); break;
        case '\r': out += QStringLiteral("\\r"); break;
        case '\\': out += QStringLiteral("\\\\"); break;
        default: out += c;
        }
    }
    return out;
}

QJsonValue jsonValue(const QVariant &v)
{
    if (v.isNull())
        return QJsonValue::Null;
    switch (v.typeId()) {
    case QMetaType::Bool: return v.toBool();
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Short:
    case QMetaType::UShort: return v.toInt();
    case QMetaType::LongLong:
    case QMetaType::ULongLong: return QJsonValue(v.toLongLong()); // QJsonValue holds 64-bit integers exactly
    case QMetaType::Double:
    case QMetaType::Float: return v.toDouble();
    default: return v.toString();
    }
}

/// One JSON value as text (a string quoted and escaped as JSON needs).
QByteArray jsonText(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact); // [value]
    return wrapped.mid(1, wrapped.size() - 2);
}

QStringList uniqueNames(const QStringList &headers)
{
    QStringList out;
    QSet<QString> seen;
    for (const QString &h : headers) {
        QString name = h;
        for (int n = 2; seen.contains(name); ++n)
            name = QStringLiteral("%1 (%2)").arg(h).arg(n);
        seen.insert(name);
        out << name;
    }
    return out;
}

/// One CSV or TSV line of `fields`, with its line end.
QByteArray delimited(const QStringList &fields, ExportFormat format)
{
    const bool csv = format == ExportFormat::Csv;
    QStringList written;
    for (const QString &f : fields)
        written << (csv ? csvField(f) : tsvField(f));
    return (written.join(csv ? QStringLiteral(",") : QStringLiteral("\t")) + (csv ? QStringLiteral("\r\n") : QStringLiteral("\n")))
        .toUtf8();
}

} // namespace

bool parseExportFormat(const QString &name, ExportFormat *out)
{
    const QString n = name.toLower();
    for (ExportFormat f : {ExportFormat::Csv, ExportFormat::Tsv, ExportFormat::Json})
        if (n == exportFormatName(f)) {
            *out = f;
            return true;
        }
    return false;
}

QString exportFormatName(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Csv: return QStringLiteral("csv");
    case ExportFormat::Tsv: return QStringLiteral("tsv");
    case ExportFormat::Json: return QStringLiteral("json");
    }
    return {};
}

QByteArray exportRows(const QStringList &headers, const QList<QVariantList> &rows, ExportFormat format)
{
    RowExportWriter writer(headers, format);
    QByteArray out = writer.begin();
    out += writer.rows(rows);
    return out + writer.finish();
}

RowExportWriter::RowExportWriter(QStringList headers, ExportFormat format)
    : m_headers(format == ExportFormat::Json ? uniqueNames(headers) : std::move(headers)), m_format(format)
{
}

QByteArray RowExportWriter::begin() const
{
    if (m_format == ExportFormat::Json)
        return "[";
    return delimited(m_headers, m_format);
}

QByteArray RowExportWriter::rows(const QList<QVariantList> &rows)
{
    const auto cell = [](const QVariantList &row, qsizetype i) { return i < row.size() ? row.at(i) : QVariant(); };
    QByteArray out;
    for (const QVariantList &row : rows) {
        if (m_format == ExportFormat::Json) {
            // Written by hand, not through QJsonObject, which would sort the keys: they stay in
            // the table's column order.
            out += m_wroteRow ? ",\n  {" : "\n  {";
            for (qsizetype i = 0; i < m_headers.size(); ++i)
                out += (i == 0 ? "" : ", ") + jsonText(m_headers.at(i)) + ": " + jsonText(jsonValue(cell(row, i)));
            out += "}";
        } else {
            QStringList fields;
            for (qsizetype i = 0; i < m_headers.size(); ++i)
                fields << text(cell(row, i));
            out += delimited(fields, m_format);
        }
        m_wroteRow = true;
    }
    return out;
}

QByteArray RowExportWriter::finish() const
{
    if (m_format != ExportFormat::Json)
        return {};
    return m_wroteRow ? "\n]\n" : "]\n";
}

} // namespace vwb
