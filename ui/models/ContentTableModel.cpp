// ui/models/ContentTableModel.cpp
#include "models/ContentTableModel.h"

#include "schema/KnownLayouts.h"
#include "models/ModelRoles.h"
#include "theme/Theme.h"

#include <QBrush>
#include <QColor>

namespace vwb::ui {

ContentTableModel::ContentTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void ContentTableModel::restart()
{
    beginResetModel();
    ++m_generation;
    m_pages.clear();
    m_pages.squeeze();
    m_total = -1;
    m_grown = 0;
    m_hasMore = m_source != nullptr;
    m_inFlight = -1;
    m_wanted.clear();
    endResetModel();
    emit loadingChanged(false);
}

void ContentTableModel::setTotal(qint64 rows)
{
    rows = std::clamp<qint64>(rows, 0, std::numeric_limits<int>::max()); // a view counts rows in int
    const int before = rowCount();
    if (rows == m_total)
        return;
    m_hasMore = false; // first: a view told of the rows below must not ask for the next page
    if (rows > before) {
        beginInsertRows({}, before, int(rows - 1));
        m_total = rows;
        endInsertRows();
    } else if (rows < before) {
        beginRemoveRows({}, int(rows), before - 1);
        m_total = rows;
        for (auto it = m_pages.begin(); it != m_pages.end();)
            it = qint64(it.key()) * PageSize >= rows ? m_pages.erase(it) : std::next(it);
        endRemoveRows();
    } else {
        m_total = rows;
    }
}

int ContentTableModel::heldRows() const
{
    int n = 0;
    for (const Page &p : m_pages)
        n += int(p.rows.size());
    return n;
}

const BrowseRow *ContentTableModel::rowAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    const auto it = m_pages.constFind(row / PageSize);
    return it != m_pages.cend() && row % PageSize < it->rows.size() ? &it->rows.at(row % PageSize) : nullptr;
}

bool ContentTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_total < 0 && m_hasMore && m_inFlight < 0 && m_source;
}

void ContentTableModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        request(m_grown / PageSize);
}

void ContentTableModel::request(int page)
{
    PageRequest r;
    r.generation = m_generation;
    r.page = page;
    r.total = m_total;
    // Keyset paging from the page before, when it is held and full (else by position).
    const auto before = m_pages.constFind(page - 1);
    if (before != m_pages.cend() && before->rows.size() == PageSize)
        r.after = before->last;
    else if (page > 0 && m_total < 0)
        return; // before the count only the next page can be asked for
    m_inFlight = page;
    emit loadingChanged(true);
    m_source->requestPage(r);
}

void ContentTableModel::fetchWanted()
{
    m_fetchQueued = false;
    if (m_inFlight >= 0 || !m_source || m_total < 0)
        return;
    // The view paints top to bottom: the latest page it asked for is on screen now, and once it
    // arrives the view paints again and asks for the rest of what it shows.
    while (!m_wanted.isEmpty()) {
        const int page = m_wanted.takeLast();
        if (!m_pages.contains(page) && qint64(page) * PageSize < m_total) {
            m_wanted.clear();
            request(page);
            return;
        }
    }
}

void ContentTableModel::releaseUnused(int keep)
{
    while (m_pages.size() > KeptPages) {
        auto oldest = m_pages.end();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it)
            if (it.key() != keep && (oldest == m_pages.end() || it->used < oldest->used))
                oldest = it;
        const int first = oldest.key() * PageSize, last = first + int(oldest->rows.size()) - 1;
        m_pages.erase(oldest);
        if (last >= first)
            emit dataChanged(index(first, 0), index(last, ColumnCount - 1)); // "…" if it is painted again
    }
}

void ContentTableModel::pageArrived(int generation, int page, const BrowsePage &rows)
{
    if (generation != m_generation || page != m_inFlight) // the query changed after this page was asked for
        return;
    Page held{rows.rows, rows.next, ++m_clock};
    if (m_total < 0) {
        m_hasMore = rows.hasMore;
        if (!held.rows.isEmpty()) {
            beginInsertRows({}, m_grown, int(m_grown + held.rows.size() - 1));
            m_pages.insert(page, held);
            m_grown += int(held.rows.size());
            endInsertRows();
        }
    } else {
        held.rows = held.rows.mid(0, qMax<qint64>(0, m_total - qint64(page) * PageSize));
        const int first = page * PageSize;
        m_pages.insert(page, held);
        if (!held.rows.isEmpty())
            emit dataChanged(index(first, 0), index(first + int(held.rows.size()) - 1, ColumnCount - 1));
        releaseUnused(page);
    }
    m_inFlight = -1; // only now: a view that reacts to the rows above may ask for the next page
    emit loadingChanged(false);
    if (!held.rows.isEmpty())
        emit rowsArrived(page * PageSize, page * PageSize + int(held.rows.size()) - 1);
    fetchWanted();
}

void ContentTableModel::pageFailed(int generation, const QString &message)
{
    if (generation != m_generation)
        return;
    m_inFlight = -1;
    m_hasMore = false;
    m_wanted.clear(); // painting again asks again
    emit loadingChanged(false);
    emit failed(message);
}

int ContentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_total >= 0 ? int(m_total) : m_grown;
}

int ContentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContentTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto page = m_pages.constFind(index.row() / PageSize);
    if (page == m_pages.cend() || index.row() % PageSize >= page->rows.size()) {
        if (role == RowNotHeldRole)
            return true;
        if (role != Qt::DisplayRole)
            return {};
        // Painted but not held: asked for once the view is done painting.
        if (!m_wanted.contains(index.row() / PageSize))
            m_wanted << index.row() / PageSize;
        if (m_wanted.size() > 16) // a drag across a long table while a page is on its way: the latest count
            m_wanted.removeFirst();
        if (!m_fetchQueued) {
            m_fetchQueued = true;
            QMetaObject::invokeMethod(const_cast<ContentTableModel *>(this), &ContentTableModel::fetchWanted, Qt::QueuedConnection);
        }
        return index.column() == Title ? QStringLiteral("…") : QVariant();
    }
    page->used = ++m_clock;
    const BrowseRow &r = page->rows.at(index.row() % PageSize);
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
        return QBrush(Theme::text(!r.hasVector ? Tone::Error : r.stale ? Tone::Warning : Tone::Ok));
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
