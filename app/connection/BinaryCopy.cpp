// app/connection/BinaryCopy.cpp
#include "connection/BinaryCopy.h"

#include <QtEndian>
#include <bit>
#include <cstring>

namespace vwb {
namespace {
constexpr unsigned int Int2Oid = 21, Int4Oid = 23, Int8Oid = 20, TextOid = 25, VarcharOid = 1043;

template<typename T>
void put(QByteArray &out, T value)
{
    const T big = qToBigEndian(value);
    out.append(reinterpret_cast<const char *>(&big), sizeof big);
}
} // namespace

bool BinaryCopyWriter::supportsKeyType(unsigned int oid)
{
    return oid == Int2Oid || oid == Int4Oid || oid == Int8Oid || oid == TextOid || oid == VarcharOid;
}

void BinaryCopyWriter::header()
{
    static const char signature[] = "PGCOPY\n\377\r\n"; // and the terminating NUL: 11 bytes
    m_out.append(signature, 11);
    put<qint32>(m_out, 0); // flags: no OIDs
    put<qint32>(m_out, 0); // header extension length
}

void BinaryCopyWriter::beginRow(int fields)
{
    put<qint16>(m_out, qint16(fields));
}

void BinaryCopyWriter::int32(qint32 value)
{
    put<qint32>(m_out, 4);
    put<qint32>(m_out, value);
}

void BinaryCopyWriter::int64(qint64 value)
{
    put<qint32>(m_out, 8);
    put<qint64>(m_out, value);
}

void BinaryCopyWriter::text(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    put<qint32>(m_out, qint32(utf8.size()));
    m_out.append(utf8);
}

void BinaryCopyWriter::null()
{
    put<qint32>(m_out, -1);
}

bool BinaryCopyWriter::key(unsigned int typeOid, const QString &value)
{
    bool ok = true;
    switch (typeOid) {
    case Int2Oid: {
        const short v = value.toShort(&ok);
        if (ok) {
            put<qint32>(m_out, 2);
            put<qint16>(m_out, v);
        }
        return ok;
    }
    case Int4Oid: {
        const int v = value.toInt(&ok);
        if (ok)
            int32(v);
        return ok;
    }
    case Int8Oid: {
        const qlonglong v = value.toLongLong(&ok);
        if (ok)
            int64(v);
        return ok;
    }
    default:
        text(value); // text and varchar share the text wire form
        return true;
    }
}

void BinaryCopyWriter::vector(const QList<float> &values)
{
    put<qint32>(m_out, qint32(4 + 4 * values.size()));
    put<qint16>(m_out, qint16(values.size()));
    put<qint16>(m_out, 0);
    const qsizetype at = m_out.size();
    m_out.resize(at + 4 * values.size());
    char *dst = m_out.data() + at;
    for (float f : values) {
        const quint32 big = qToBigEndian(std::bit_cast<quint32>(f));
        std::memcpy(dst, &big, 4);
        dst += 4;
    }
}

void BinaryCopyWriter::trailer()
{
    put<qint16>(m_out, -1);
}
} // namespace vwb
