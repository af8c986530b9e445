// app/data/TableExport.h — rows shown in a table, written for another program: CSV, TSV or JSON.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace vwb {

enum class ExportFormat { Csv, Tsv, Json };

/// "csv", "tsv", "json" (any case); false when unknown.
bool parseExportFormat(const QString &name, ExportFormat *out);
QString exportFormatName(ExportFormat format); // "csv", "tsv", "json"

/// `rows` under `headers`, UTF-8:
/// - CSV as RFC 4180 writes it: comma-separated, CRLF line ends, a field holding a comma, quote,
///   CR or LF in double quotes with its quotes doubled; the header line first.
/// - TSV as spreadsheets paste it: tab-separated, LF line ends, a tab, CR, LF or backslash inside a
///   field written \t, \r, \n, \\ so every row stays one line.
/// - JSON: an array of objects keyed by header, in header order; numbers and booleans stay
///   numbers and booleans, a null QVariant is null, anything else a string. Repeated header names
///   get " (2)", " (3)"... so no value is lost.
/// A row shorter than the headers is padded with nulls (empty fields).
QByteArray exportRows(const QStringList &headers, const QList<QVariantList> &rows, ExportFormat format);

/// exportRows a batch at a time, for more rows than should be held at once: begin(), rows() for
/// each batch, finish(); the pieces put together are exportRows' text for all the rows.
class RowExportWriter
{
public:
    RowExportWriter(QStringList headers, ExportFormat format);
    QByteArray begin() const; // CSV / TSV: the header line; JSON: "["
    QByteArray rows(const QList<QVariantList> &rows);
    QByteArray finish() const;

private:
    QStringList m_headers; // JSON: made unique
    ExportFormat m_format;
    bool m_wroteRow = false;
};

} // namespace vwb
