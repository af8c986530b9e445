// ui/models/ContentTableModel.cpp
#include "models/ContentTableModel.h"

#include "schema/KnownLayouts.h"

#include <QBrush>
#include <QColor>

namespace vwb::ui {

ContentTableModel::ContentTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void ContentTableModel::restart()
{
    beginResetModel();
    ++m_generation;
    m_rows.clear();
    m_rows.squeeze();
    m_cursor.reset();
    m_hasMore = m_source != nullptr;
    m_inFlight = false;
    endResetModel();
    emit loadingChanged(false);
}

const BrowseRow *ContentTableModel::rowAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

bool ContentTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore && !m_inFlight && m_source;
}

void ContentTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_inFlight = true;
    emit loadingChanged(true);
    m_source->requestPage(m_generation, m_cursor, PageSize);
}

void ContentTableModel::appendPage(int generation, const BrowsePage &page)
{
    if (generation != m_generation) // the query changed after this page was asked for
        return;
    m_inFlight = false;
    m_hasMore = page.hasMore;
    if (!page.rows.isEmpty()) {
        m_cursor = page.next;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page.rows.size() - 1));
        m_rows += page.rows;
        endInsertRows();
    }
    emit loadingChanged(false);
}

void ContentTableModel::pageFailed(int generation, const QString &message)
{
    if (generation != m_generation)
        return;
    m_inFlight = false;
    m_hasMore = false;
    emit loadingChanged(false);
    emit failed(message);
}

int ContentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ContentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContentTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BrowseRow &r = m_rows.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Id: return r.key;
        case Forum: return r.forum;
        case Title: return r.title.simplified();
        case Created: return r.createdAt.isValid() ? r.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
        case Vector: return !r.hasVector ? tr("missing") : r.stale ? tr("stale") : tr("ok");
        case Updated: return r.updatedAt.isValid() ? r.updatedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Vector)
        return QBrush(!r.hasVector ? QColor(0xc6, 0x28, 0x28) : r.stale ? QColor(0xe6, 0x51, 0x00) : QColor(0x2e, 0x7d, 0x32));
    if (role == Qt::ToolTipRole && index.column() == Title)
        return r.snippet;
    if (role == Qt::ToolTipRole && index.column() == Id)
        return r.key;
    if (role == Qt::TextAlignmentRole && index.column() == Id && m_numericKey)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

void ContentTableModel::setLabels(const ContentPair &pair)
{
    m_keyLabel = pair.key.columns.size() == 1 && pair.key.columns.first() == QLatin1String("id")
                     ? tr("ID")
                     : pair.key.columns.join(QStringLiteral(", "));
    m_filterLabel = pair.roles.filter.isEmpty() ? tr("Filter") : filterLabel(pair);
    m_titleLabel = pair.roles.title.isEmpty() ? tr("Text") : tr("Title");
    m_numericKey = pair.key.isInteger();
    emit headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
}

QVariant ContentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id: return m_keyLabel;
    case Forum: return m_filterLabel;
    case Title: return m_titleLabel;
    case Created: return tr("Created");
    case Vector: return tr("Vector");
    case Updated: return tr("Updated");
    }
    return {};
}
} // namespace vwb::ui
