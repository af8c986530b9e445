// ui/models/ConsoleResultModel.cpp
#include "models/ConsoleResultModel.h"

#include "theme/Theme.h"
#include <QBrush>
#include <QColor>
#include <QFont>

namespace vwb::ui {
namespace {
bool isNumeric(unsigned int oid)
{
    switch (oid) {
    case 20:   // int8
    case 21:   // int2
    case 23:   // int4
    case 26:   // oid
    case 700:  // float4
    case 701:  // float8
    case 1700: // numeric
        return true;
    default: return false;
    }
}
} // namespace

ConsoleResultModel::ConsoleResultModel(QObject *parent) : QAbstractTableModel(parent) {}

void ConsoleResultModel::reset(const QStringList &columns, const QList<unsigned int> &types)
{
    beginResetModel();
    m_columns = columns;
    m_types = types;
    m_rows.clear();
    m_rows.squeeze();
    m_done = false;
    m_fetching = false;
    endResetModel();
}

void ConsoleResultModel::clear()
{
    reset({}, {});
    m_done = true;
}

void ConsoleResultModel::append(const QList<QStringList> &rows, bool done)
{
    m_fetching = false;
    m_done = done;
    if (rows.isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
    m_rows += rows;
    endInsertRows();
}

void ConsoleResultModel::stop()
{
    m_fetching = false;
    m_done = true;
}

int ConsoleResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConsoleResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant ConsoleResultModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &value = m_rows.at(index.row()).value(index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (value.isNull())
            return QStringLiteral("NULL");
        if (value.size() > ShownChars || value.contains(QLatin1Char('\n')))
            return value.left(ShownChars).simplified() + QStringLiteral("…");
        return value;
    case Qt::EditRole: // what a copy takes: the whole value, NULL as nothing
        return value.isNull() ? QVariant() : QVariant(value);
    case Qt::ToolTipRole: return value.size() > 40 || value.contains(QLatin1Char('\n')) ? value.left(4000) : QVariant();
    case Qt::ForegroundRole: return value.isNull() ? QVariant(QBrush(Theme::text(Tone::Muted))) : QVariant();
    case Qt::FontRole:
        if (value.isNull()) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    case Qt::TextAlignmentRole:
        return isNumeric(m_types.value(index.column())) ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter)) : QVariant();
    default: return {};
    }
}

QVariant ConsoleResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return m_columns.value(section);
    if (orientation == Qt::Vertical && role == Qt::DisplayRole)
        return section + 1;
    return QAbstractTableModel::headerData(section, orientation, role);
}

bool ConsoleResultModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_done && !m_fetching && m_rows.size() < MaxRows;
}

void ConsoleResultModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetching = true;
    emit moreWanted();
}
} // namespace vwb::ui
