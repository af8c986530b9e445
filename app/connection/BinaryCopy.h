// app/connection/BinaryCopy.h
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace vwb {

/// Writes PostgreSQL's binary COPY format (COPY ... FROM STDIN (FORMAT binary)): the signature
/// header, then per row a field count and length-prefixed big-endian fields, then the trailer.
/// Only the types the workbench streams: integers, text and pgvector's `vector` (whose binary
/// form is int16 dimensions, int16 zero, then float4 values).
class BinaryCopyWriter
{
public:
    /// The oids binary COPY is written for here; others go through text COPY.
    static bool supportsKeyType(unsigned int typeOid);

    explicit BinaryCopyWriter(QByteArray &out) : m_out(out) {}
    void header();
    void beginRow(int fields);
    void int32(qint32 value);
    void int64(qint64 value);
    void text(const QString &value);
    void null(); // a NULL field, of any type
    /// A key of type `typeOid` (one supportsKeyType() accepts) given as its text form; false when
    /// the text is not a valid number for an integer type.
    bool key(unsigned int typeOid, const QString &value);
    void vector(const QList<float> &values);
    void trailer();

private:
    QByteArray &m_out;
};
} // namespace vwb
