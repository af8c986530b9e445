// tests/fuzz/fuzz_corpusfiles.cpp — libFuzzer target for what `vwb import` reads: any bytes as a
// JSON Lines file and as a CSV file must come back as rows or one line of error naming the file;
// rows keep their order and a line inside the text; a key field that is accepted is one the
// column takes; a vector field that is accepted is pgvector's text of exactly the floats the server
// would store; and pgvector's own text ("[1,2.5]", as a vector column is read) reads back the same
// once written again.
#include "connection/SqlLiterals.h"
#include "data/CorpusFile.h"
#include "data/ImportValues.h"
#include "FuzzChecks.h"
#include <QByteArray>
#include <QJsonArray>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace {
using vwb::fuzz::check;

void checkVectorField(const QJsonValue &field)
{
    auto text = vwb::importVectorText(field, 0, QStringLiteral("t.v"));
    if (!text.ok())
        return vwb::fuzz::checkError(text.error());
    const QJsonArray numbers = field.toArray();
    const QList<float> floats = vwb::readVectorLiteral(text.value());
    check(floats.size() == numbers.size());
    for (qsizetype i = 0; i < floats.size(); ++i)
        check(floats.at(i) == float(numbers.at(i).toDouble()));
}

void checkKeyField(const QJsonValue &field)
{
    QString why;
    if (const auto id = vwb::importKeyPart(field, QStringLiteral("int4"), &why); id && !id->isEmpty()) {
        bool ok = false;
        const qint64 n = id->toLongLong(&ok);
        check(ok && n >= INT32_MIN && n <= INT32_MAX && QString::number(n) == *id);
    } else if (!id) {
        vwb::fuzz::checkError(vwb::corpusLineError(QStringLiteral("fuzz.in"), 1, why)); // as the import says it
    }
    if (const auto uuid = vwb::importKeyPart(field, QStringLiteral("uuid"), &why); uuid && !uuid->isEmpty())
        check(uuid->size() == 36 && uuid->count(QLatin1Char('-')) == 4 && *uuid == uuid->toLower());
}

void checkRows(const QByteArray &data, vwb::CorpusFormat format)
{
    auto rows = vwb::parseCorpusText(data, format, QStringLiteral("fuzz.in"));
    if (!rows.ok()) {
        vwb::fuzz::checkError(rows.error());
        check(rows.error().message.startsWith(QLatin1String("fuzz.in line ")));
        return;
    }
    const int lines = int(data.count('\n') + data.count('\r')) + 1;
    int previous = 0;
    for (const vwb::CorpusRow &row : rows.value()) {
        check(row.line > previous && row.line <= lines);
        previous = row.line;
        checkVectorField(row.fields.value(QStringLiteral("vector")));
        checkKeyField(row.fields.value(QStringLiteral("id")));
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    checkRows(bytes, vwb::CorpusFormat::JsonLines);
    checkRows(bytes, vwb::CorpusFormat::Csv);
    const QString text = QString::fromUtf8(bytes);
    if (const QList<float> floats = vwb::readVectorLiteral(text); !floats.isEmpty()) {
        for (const float f : floats)
            check(std::isfinite(f));
        QByteArray written;
        vwb::appendVectorLiteral(written, floats);
        check(vwb::readVectorLiteral(QString::fromLatin1(written)) == floats);
    }
    return 0;
}
