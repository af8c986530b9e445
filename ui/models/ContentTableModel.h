// ui/models/ContentTableModel.h
#pragma once

#include "browse/BrowseQuery.h"
#include <QAbstractTableModel>

namespace vwb::ui {

/// Where the model's pages come from. requestPage() returns at once; the page arrives later
/// through ContentTableModel::appendPage (or pageFailed) with the same generation.
class PageSource
{
public:
    virtual ~PageSource() = default;
    virtual void requestPage(int generation, const std::optional<vwb::BrowseCursor> &after, int limit) = 0;
};

/// Content rows fetched a page at a time as the view scrolls: fetchMore() only asks, rows arrive
/// from a worker thread, and a page of an older query (an older generation) is dropped.
class ContentTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Forum, Title, Created, Vector, Updated, ColumnCount };
    static constexpr int PageSize = 100;

    explicit ContentTableModel(QObject *parent = nullptr);
    void setSource(PageSource *source) { m_source = source; }
    /// Starts over for a new query: clears the rows and bumps the generation.
    void restart();
    /// Headers after the table's own columns: its key, its filter (Forum, Collection…), its title
    /// or text; integer keys align right.
    void setLabels(const vwb::ContentPair &pair);
    int generation() const { return m_generation; }
    const vwb::BrowseRow *rowAt(int row) const;
    bool isLoading() const { return m_inFlight; }
    bool hasMore() const { return m_hasMore; }

    void appendPage(int generation, const vwb::BrowsePage &page);
    void pageFailed(int generation, const QString &message);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void loadingChanged(bool loading);
    void failed(const QString &message);

private:
    PageSource *m_source = nullptr;
    QList<vwb::BrowseRow> m_rows;
    std::optional<vwb::BrowseCursor> m_cursor;
    int m_generation = 0;
    bool m_hasMore = false;
    bool m_inFlight = false;
    QString m_keyLabel = tr("ID"), m_filterLabel = tr("Forum"), m_titleLabel = tr("Title");
    bool m_numericKey = true;
};
} // namespace vwb::ui
