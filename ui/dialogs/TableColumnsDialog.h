// ui/dialogs/TableColumnsDialog.h
#pragma once

#include "schema/DatabaseSchema.h"
#include "schema/RoleOverrides.h"
#include <QDialog>

class QComboBox;
class QLabel;

namespace vwb::ui {

/// Which column of a content table is its text, title, metadata and filter: discovery's guess
/// shown, the user's choice returned (RoleChoice) for the caller to keep.
class TableColumnsDialog : public QDialog
{
    Q_OBJECT
public:
    TableColumnsDialog(const vwb::ContentPair &pair, QWidget *parent = nullptr);
    /// The roles that differ from what the dialog opened with.
    vwb::RoleChoice choice() const;
    QComboBox *box(const QString &role) const;

private:
    vwb::ContentPair m_pair;
    QList<std::pair<QString, QComboBox *>> m_boxes;
};
} // namespace vwb::ui
