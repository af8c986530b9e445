// ui/models/HealthFindingModel.h
#pragma once

#include "maintenance/HealthCheck.h"
#include <QAbstractTableModel>

namespace vwb::ui {

/// One row per health finding, worst first: severity (colour-banded), check, table, count, message.
/// The fix is the row's tooltip and is available through finding().
class HealthFindingModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Severity, Check, Table, Count, Message, ColumnCount };
    explicit HealthFindingModel(QObject *parent = nullptr);

    /// Replaces the findings; Ok ones are kept (they show what was checked) below the others.
    void setFindings(QList<vwb::HealthFinding> findings);
    const vwb::HealthFinding &finding(int row) const { return m_findings.at(row); }
    /// How many findings have this severity.
    int countOf(vwb::HealthFinding::Severity severity) const;
    /// The colour a severity is shown in (background of the severity cell).
    static QColor colorOf(vwb::HealthFinding::Severity severity);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<vwb::HealthFinding> m_findings;
};
} // namespace vwb::ui
