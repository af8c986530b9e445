// ui/models/MigrationTableModel.h
#pragma once

#include "migrations/MigrationStatus.h"
#include <QAbstractTableModel>

namespace vwb::ui {

/// One row per migration of a MigrationStatus: name, status, batch, applied at.
class MigrationTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Status, Batch, AppliedAt, ColumnCount };
    explicit MigrationTableModel(QObject *parent = nullptr);

    void setStatus(const vwb::MigrationStatus &status);
    const vwb::MigrationStatus &status() const { return m_status; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    vwb::MigrationStatus m_status;
};
} // namespace vwb::ui
