// ui/models/MigrationTableModel.cpp
#include "models/MigrationTableModel.h"

#include "theme/Theme.h"
#include <QBrush>
#include <QColor>
#include <QFont>

namespace vwb::ui {

MigrationTableModel::MigrationTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void MigrationTableModel::setStatus(const MigrationStatus &status)
{
    beginResetModel();
    m_status = status;
    endResetModel();
}

int MigrationTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_status.entries.size());
}

int MigrationTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MigrationTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MigrationEntry &e = m_status.entries.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name: return e.name;
        case Status:
            switch (e.state) {
            case MigrationState::Applied: return e.timesApplied > 1 ? tr("applied ×%1").arg(e.timesApplied) : tr("applied");
            case MigrationState::Pending: return tr("pending");
            case MigrationState::PendingOutOfOrder: return tr("pending (out of order)");
            case MigrationState::Missing: return tr("applied, file missing");
            }
            return {};
        case Batch: return e.batch > 0 ? QVariant(e.batch) : QVariant();
        case AppliedAt:
            return e.appliedAt.isValid() ? e.appliedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QVariant();
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Status) {
        switch (e.state) {
        case MigrationState::Applied: return QBrush(Theme::text(Tone::Ok));
        case MigrationState::Pending: return QBrush(Theme::text(Tone::Info));
        case MigrationState::PendingOutOfOrder: return QBrush(Theme::text(Tone::Warning));
        case MigrationState::Missing: return QBrush(Theme::text(Tone::Error));
        }
    }
    if (role == Qt::FontRole && index.column() == Status && e.state == MigrationState::Missing) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole) {
        if (e.state == MigrationState::Missing)
            return tr("Recorded in the ledger, but no such file in the folder: Knex calls the folder corrupt and "
                      "refuses to migrate until it is back.");
        if (e.state == MigrationState::PendingOutOfOrder)
            return tr("Not applied, though a later migration is: latest will run it, in file order.");
        return e.path;
    }
    return {};
}

QVariant MigrationTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name: return tr("Migration");
    case Status: return tr("Status");
    case Batch: return tr("Batch");
    case AppliedAt: return tr("Applied at");
    }
    return {};
}
} // namespace vwb::ui
