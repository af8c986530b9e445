// app/connection/SqlLiterals.h
#pragma once

#include <QByteArray>
#include <QList>
#include <QStringList>
#include <QStringView>

namespace vwb {

/// A PostgreSQL array literal with every element quoted ('{"a","b,c"}'), for a text[] parameter:
/// commas, braces, quotes and backslashes in the values stay inside their element.
QString textArrayLiteral(const QStringList &values);

/// Appends pgvector's text form of `values` ("[0.5,-1,3.25e-07]"), each number in its shortest
/// form that reads back as the same float.
void appendVectorLiteral(QByteArray &out, const QList<float> &values);

/// The floats of pgvector's text form ("[1,2.5,-3e-2]", spaces allowed around numbers and
/// brackets); empty for anything else: another type's text, a number that is not finite or does
/// not fit a float, an empty vector.
QList<float> readVectorLiteral(QStringView text);
} // namespace vwb
