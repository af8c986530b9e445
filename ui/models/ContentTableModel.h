// ui/models/ContentTableModel.h
#pragma once

#include "browse/BrowseQuery.h"
#include <QAbstractTableModel>
#include <QHash>

namespace vwb::ui {

/// One page the model wants: rows page × PageSize onwards. `after` is the previous page's last
/// row when the model holds it (keyset paging from there); otherwise `total` is the exact count
/// and the source finds the page by its position (BrowseQuery::fetchPageAt).
struct PageRequest
{
    int generation = 0;
    int page = 0;
    std::optional<vwb::BrowseCursor> after;
    qint64 total = -1;
};

/// Where the model's pages come from. requestPage() returns at once; the page arrives later
/// through ContentTableModel::pageArrived (or pageFailed) with the same generation.
class PageSource
{
public:
    virtual ~PageSource() = default;
    virtual void requestPage(const PageRequest &request) = 0;
};

/// Content rows, a page at a time, from a worker thread; a page of an older query (an older
/// generation) is dropped. Two ways of holding them:
/// - until the rows are counted, the rows fetched so far from the start (fetchMore asks for the
///   next page as the view scrolls to the bottom);
/// - once setTotal() gives the exact count, every row: the view can reach any position (the end,
///   the middle) and the pages it shows are fetched by position when it paints them (a "…" row
///   until they arrive). Only the KeptPages pages used most recently are held: memory stays
///   bounded however far the table is scrolled.
class ContentTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Forum, Title, Created, Vector, Updated, ColumnCount };
    static constexpr int PageSize = 100;
    static constexpr int KeptPages = 40;

    explicit ContentTableModel(QObject *parent = nullptr);
    void setSource(PageSource *source) { m_source = source; }
    /// Starts over for a new query: clears the rows and the count, bumps the generation.
    void restart();
    /// The exact number of rows the query matches: from now on every row is reachable.
    void setTotal(qint64 rows);
    /// The exact count given, or -1.
    qint64 total() const { return m_total; }
    /// Headers after the table's own columns: its key, its filter (Forum, Collection…), its title
    /// or text; integer keys align right.
    void setLabels(const vwb::ContentPair &pair);
    int generation() const { return m_generation; }
    /// The row, or nullptr when its page isn't held (not fetched yet, or released).
    const vwb::BrowseRow *rowAt(int row) const;
    bool isLoading() const { return m_inFlight >= 0; }
    /// Before the count: more rows after those fetched.
    bool hasMore() const { return m_hasMore; }
    /// Rows held in memory now.
    int heldRows() const;

    void pageArrived(int generation, int page, const vwb::BrowsePage &rows);
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
    /// Rows first…last arrived (a page).
    void rowsArrived(int first, int last);

private:
    struct Page
    {
        QList<vwb::BrowseRow> rows;
        vwb::BrowseCursor last;   // where the next page starts
        mutable quint64 used = 0; // when the view last read it
    };
    void request(int page);
    /// Asks for the page the view wanted most recently, when none is on its way.
    void fetchWanted();
    void releaseUnused(int keep);

    PageSource *m_source = nullptr;
    QHash<int, Page> m_pages;
    qint64 m_total = -1;
    int m_grown = 0; // before the count: rows fetched from the start
    int m_generation = 0;
    bool m_hasMore = false;
    int m_inFlight = -1;         // the page on its way
    mutable QList<int> m_wanted; // pages painted but not held, latest last
    mutable bool m_fetchQueued = false;
    mutable quint64 m_clock = 0;
    QString m_keyLabel = tr("ID"), m_filterLabel = tr("Forum"), m_titleLabel = tr("Title");
    bool m_numericKey = true;
};
} // namespace vwb::ui
