// ui/models/SearchResultModel.h
#pragma once

#include "eval/RankingMetrics.h"
#include "search/SemanticSearch.h"
#include <QAbstractTableModel>

namespace vwb::ui {

/// The fetched candidates of a search, shown up to `limit` and down to a similarity threshold
/// that moves on the client: dragging the slider re-filters, it never queries.
class SearchResultModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Rank, Similarity, Title, Forum, Snippet, Created, Judged, ColumnCount };
    static constexpr int SimilarityRole = Qt::UserRole + 1; // double, for the bar delegate

    explicit SearchResultModel(QObject *parent = nullptr);
    void setCandidates(const QList<vwb::SearchHit> &candidates);
    void setThreshold(double similarity);
    void setLimit(int limit);
    /// The analyst's grades of this query's results (document id -> grade), for the Judged column.
    void setGrades(const vwb::Judgments &grades);
    /// Headers in the table's words: its filter column (Forum, Collection, the column's name) and
    /// its title, or "Text" for a table that has none.
    void setLabels(const QString &filter, const QString &title);
    const QList<vwb::SearchHit> &candidates() const { return m_candidates; }
    const vwb::SearchHit *hitAt(int row) const;
    double threshold() const { return m_threshold; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void refilter();
    QList<vwb::SearchHit> m_candidates;
    QList<int> m_visible; // indexes into m_candidates
    double m_threshold = -1e9;
    vwb::Judgments m_grades;
    int m_limit = 10;
    QString m_filterLabel = tr("Forum"), m_titleLabel = tr("Title");
};
} // namespace vwb::ui
