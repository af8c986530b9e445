// ui/models/SearchResultModel.cpp
#include "models/SearchResultModel.h"

#include <cmath>

namespace vwb::ui {

SearchResultModel::SearchResultModel(QObject *parent) : QAbstractTableModel(parent) {}

void SearchResultModel::setCandidates(const QList<SearchHit> &candidates)
{
    m_candidates = candidates;
    refilter();
}

void SearchResultModel::setThreshold(double similarity)
{
    m_threshold = similarity;
    refilter();
}

void SearchResultModel::setLimit(int limit)
{
    m_limit = qMax(1, limit);
    refilter();
}

void SearchResultModel::setGrades(const Judgments &grades)
{
    m_grades = grades;
    if (!m_visible.isEmpty())
        emit dataChanged(index(0, Judged), index(int(m_visible.size()) - 1, Judged));
}

void SearchResultModel::refilter()
{
    beginResetModel();
    m_visible.clear();
    for (int i = 0; i < m_candidates.size() && m_visible.size() < m_limit; ++i) {
        const double s = m_candidates.at(i).similarity;
        if (std::isnan(s) ? m_threshold <= -1e8 : s >= m_threshold) // a row with no similarity shows while the threshold is off
            m_visible << i;
    }
    endResetModel();
}

const SearchHit *SearchResultModel::hitAt(int row) const
{
    return row >= 0 && row < m_visible.size() ? &m_candidates.at(m_visible.at(row)) : nullptr;
}

int SearchResultModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_visible.size());
}

int SearchResultModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SearchResultModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SearchHit &h = m_candidates.at(m_visible.at(index.row()));
    if (role == SimilarityRole)
        return h.similarity;
    if (role == Qt::ToolTipRole)
        return h.snippet;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Rank: return index.row() + 1;
    case Similarity: return std::isnan(h.similarity) ? QStringLiteral("—") : QString::number(h.similarity, 'f', 4);
    case Title: return h.title.simplified();
    case Forum: return h.forum;
    case Snippet: return h.snippet.simplified().left(160);
    case Created: return h.createdAt.isValid() ? h.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd")) : QString();
    case Judged: {
        const auto grade = m_grades.constFind(h.key);
        return grade == m_grades.cend() ? QString() : QString::number(*grade);
    }
    }
    return {};
}

void SearchResultModel::setLabels(const QString &filter, const QString &title)
{
    m_filterLabel = filter;
    m_titleLabel = title;
    emit headerDataChanged(Qt::Horizontal, Title, Forum);
}

QVariant SearchResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Rank: return QStringLiteral("#");
    case Similarity: return tr("Similarity");
    case Title: return m_titleLabel;
    case Forum: return m_filterLabel;
    case Snippet: return tr("Snippet");
    case Created: return tr("Created");
    case Judged: return tr("Grade");
    }
    return {};
}
} // namespace vwb::ui
