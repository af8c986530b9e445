// ui/models/ConsoleResultModel.h
#pragma once

#include <QAbstractTableModel>
#include <QStringList>

namespace vwb::ui {

/// The query console's result: its columns and the rows fetched so far, a batch at a time as the
/// view scrolls to the bottom (fetchMore asks through moreWanted(); the batch comes back through
/// append()). NULL shows as a grey NULL, numbers align right, long or multi-line text shows its
/// start (the whole value in the tooltip and in copies). At most MaxRows are held: past them the
/// grid stops asking and says so.
class ConsoleResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int MaxRows = 100'000;
    static constexpr int ShownChars = 200;

    explicit ConsoleResultModel(QObject *parent = nullptr);
    /// A new result: its columns (with their type oids), no rows yet.
    void reset(const QStringList &columns, const QList<unsigned int> &types);
    void clear();
    /// The next batch; `done`: the result has no more rows.
    void append(const QList<QStringList> &rows, bool done);
    /// A batch was asked for and failed (or the result was closed): no more are asked for.
    void stop();
    bool isDone() const { return m_done; }
    bool isFetching() const { return m_fetching; }
    /// Rows were left on the server because MaxRows were held.
    bool isCapped() const { return !m_done && m_rows.size() >= MaxRows; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

signals:
    void moreWanted();

private:
    QStringList m_columns;
    QList<unsigned int> m_types;
    QList<QStringList> m_rows;
    bool m_done = true;
    bool m_fetching = false;
};
} // namespace vwb::ui
