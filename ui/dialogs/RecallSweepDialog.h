// ui/dialogs/RecallSweepDialog.h
#pragma once

#include "search/RecallSweep.h"
#include <QDialog>

class QLabel;
class QTableWidget;

namespace vwb::ui {
class RecallCurveChart;

/// What a recall sweep measured: the curve, every point in a table, and the setting kept for
/// this profile's searches (or why none was).
class RecallSweepDialog : public QDialog
{
    Q_OBJECT
public:
    RecallSweepDialog(const vwb::RecallSweepReport &sweep, QWidget *parent = nullptr);
    RecallCurveChart *chart() const { return m_chart; }
    QTableWidget *table() const { return m_table; }
    QString summary() const;

private:
    RecallCurveChart *m_chart = nullptr;
    QTableWidget *m_table = nullptr;
    QLabel *m_summary = nullptr;
};
} // namespace vwb::ui
