// tests/unit/tst_tableexport.cpp — CSV, TSV and JSON of table rows (label unit): what another
// program reads back is what the table showed.
#include "data/TableExport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace vwb;

class TestTableExport : public QObject
{
    Q_OBJECT
private slots:
    void csvQuotesOnlyWhatNeedsIt();
    void tsvKeepsEveryRowOnOneLine();
    void jsonKeepsTypesOrderAndRepeatedNames();
    void shortRowsAndFormatNames();
    void batchesWriteWhatOneCallWrites_data();
    void batchesWriteWhatOneCallWrites();
};

void TestTableExport::csvQuotesOnlyWhatNeedsIt()
{
    const QByteArray csv = exportRows({QStringLiteral("id"), QStringLiteral("title")},
                                      {{7, QStringLiteral("plain")},
                                       {8, QStringLiteral("a, b")},
                                       {9, QStringLiteral("say \"hi\"")},
                                       {10, QStringLiteral("two\nlines")},
                                       {11, 0.1},
                                       {12, QVariant()}},
                                      ExportFormat::Csv);
    QCOMPARE(csv, QByteArray("id,title\r\n7,plain\r\n8,\"a, b\"\r\n9,\"say \"\"hi\"\"\"\r\n10,\"two\nlines\"\r\n11,0.1\r\n12,\r\n"));
    QCOMPARE(exportRows({QStringLiteral("x")}, {{float(0.1f)}}, ExportFormat::Csv), QByteArray("x\r\n0.1\r\n"));
    QCOMPARE(exportRows({QStringLiteral("é")}, {{QStringLiteral("naïve")}}, ExportFormat::Csv), QStringLiteral("é\r\nnaïve\r\n").toUtf8());
}

void TestTableExport::tsvKeepsEveryRowOnOneLine()
{
    const QByteArray tsv = exportRows(
        {QStringLiteral("a"), QStringLiteral("b")},
        {{QStringLiteral("tab\there"), QStringLiteral("line\r\nbreak")}, {QStringLiteral("back\\slash"), 3}}, ExportFormat::Tsv);
    QCOMPARE(tsv, QByteArray("a\tb\ntab\\there\tline\\r\\nbreak\nback\\\\slash\t3\n"));
    QCOMPARE(tsv.count('\n'), 3);
}

void TestTableExport::jsonKeepsTypesOrderAndRepeatedNames()
{
    const QByteArray json = exportRows(
        {QStringLiteral("zeta"), QStringLiteral("alpha"), QStringLiteral("alpha")},
        {{qint64(9007199254740993), 0.25, QStringLiteral("q\"uote")}, {QVariant(), true, QStringLiteral("x")}}, ExportFormat::Json);
    QJsonParseError error;
    const QJsonArray rows = QJsonDocument::fromJson(json, &error).array();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(rows.size(), 2);
    const QJsonObject first = rows.at(0).toObject();
    QCOMPARE(first.value(QStringLiteral("zeta")).toInteger(), qint64(9007199254740993)); // exact past 2^53
    QCOMPARE(first.value(QStringLiteral("alpha")).toDouble(), 0.25);
    QCOMPARE(first.value(QStringLiteral("alpha (2)")).toString(), QStringLiteral("q\"uote"));
    QVERIFY(rows.at(1).toObject().value(QStringLiteral("zeta")).isNull());
    QCOMPARE(rows.at(1).toObject().value(QStringLiteral("alpha")).toBool(), true);
    // The columns' order, not the alphabet's.
    QVERIFY2(json.indexOf("\"zeta\"") < json.indexOf("\"alpha\""), json.constData());
    QCOMPARE(exportRows({QStringLiteral("a")}, {}, ExportFormat::Json), QByteArray("[]\n"));
}

void TestTableExport::shortRowsAndFormatNames()
{
    QCOMPARE(exportRows({QStringLiteral("a"), QStringLiteral("b")}, {{1}}, ExportFormat::Csv), QByteArray("a,b\r\n1,\r\n"));
    ExportFormat f = ExportFormat::Csv;
    QVERIFY(parseExportFormat(QStringLiteral("JSON"), &f));
    QCOMPARE(f, ExportFormat::Json);
    QVERIFY(!parseExportFormat(QStringLiteral("xlsx"), &f));
    QCOMPARE(exportFormatName(ExportFormat::Tsv), QStringLiteral("tsv"));
}

void TestTableExport::batchesWriteWhatOneCallWrites_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("rowCount");
    for (ExportFormat f : {ExportFormat::Csv, ExportFormat::Tsv, ExportFormat::Json})
        for (int n : {0, 1, 7})
            QTest::addRow("%s, %d rows", qPrintable(exportFormatName(f)), n) << int(f) << n;
}

void TestTableExport::batchesWriteWhatOneCallWrites()
{
    // An export of a whole table goes a page at a time; the file must be what one call would write.
    QFETCH(int, format);
    QFETCH(int, rowCount);
    const QStringList headers{QStringLiteral("id"), QStringLiteral("title, \"quoted\""), QStringLiteral("id")};
    QList<QVariantList> rows;
    for (int i = 0; i < rowCount; ++i)
        rows << QVariantList{i, QStringLiteral("line\nbreak %1").arg(i), 0.5 * i};
    RowExportWriter writer(headers, ExportFormat(format));
    QByteArray pieces = writer.begin();
    for (qsizetype at = 0; at < rows.size(); at += 3)
        pieces += writer.rows(rows.mid(at, 3));
    pieces += writer.rows({}); // an empty page changes nothing
    pieces += writer.finish();
    QCOMPARE(pieces, exportRows(headers, rows, ExportFormat(format)));
}

QTEST_GUILESS_MAIN(TestTableExport)
#include "tst_tableexport.moc"
