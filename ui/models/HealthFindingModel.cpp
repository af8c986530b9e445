// ui/models/HealthFindingModel.cpp
#include "models/HealthFindingModel.h"

#include "theme/Theme.h"
#include <QColor>
#include <algorithm>

namespace vwb::ui {
using Sev = HealthFinding::Severity;

HealthFindingModel::HealthFindingModel(QObject *parent) : QAbstractTableModel(parent) {}

void HealthFindingModel::setFindings(QList<HealthFinding> findings)
{
    std::stable_sort(findings.begin(), findings.end(),
                     [](const HealthFinding &a, const HealthFinding &b) { return int(a.severity) > int(b.severity); });
    beginResetModel();
    m_findings = std::move(findings);
    endResetModel();
}

int HealthFindingModel::countOf(Sev severity) const
{
    return int(std::count_if(m_findings.begin(), m_findings.end(), [severity](const HealthFinding &f) { return f.severity == severity; }));
}

QColor HealthFindingModel::colorOf(Sev severity)
{
    switch (severity) {
    case Sev::Problem: return Theme::fill(Tone::Error);
    case Sev::Warning: return Theme::fill(Tone::Warning);
    case Sev::Info: return Theme::fill(Tone::Info);
    case Sev::Ok: return Theme::fill(Tone::Ok);
    }
    return {};
}

int HealthFindingModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_findings.size());
}
int HealthFindingModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HealthFindingModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_findings.size())
        return {};
    const HealthFinding &f = m_findings.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Severity: return HealthFinding::severityName(f.severity);
        case Check: return f.check;
        case Table: return f.table;
        case Count: return f.count;
        case Message: return f.message;
        }
    }
    if (role == Qt::BackgroundRole && index.column() == Severity)
        return colorOf(f.severity);
    if (role == Qt::ToolTipRole)
        return f.fix.isEmpty() ? f.message : tr("Fix: %1").arg(f.fix);
    if (role == Qt::TextAlignmentRole && index.column() == Count)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant HealthFindingModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[] = {"Severity", "Check", "Table", "Count", "Message"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}
} // namespace vwb::ui
