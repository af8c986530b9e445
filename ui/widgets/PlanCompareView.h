// ui/widgets/PlanCompareView.h
#pragma once

#include "plan/PlanCompare.h"
#include <QWidget>

class QLabel;
class QTreeWidget;

namespace vwb::ui {

/// Two plans side by side, nodes aligned (see comparePlans): before and after with their exclusive
/// time and rows, and the deltas — faster in green, slower in red, nodes only on one side greyed
/// (removed) or blue (added), paired-by-position nodes in italics.
class PlanCompareView : public QWidget
{
    Q_OBJECT
public:
    enum Column { Before, BeforeMs, BeforeRows, After, AfterMs, AfterRows, DeltaMs, DeltaRows, ColumnCount };
    explicit PlanCompareView(QWidget *parent = nullptr);
    void setComparison(const vwb::PlanComparison &comparison, const QString &beforeName, const QString &afterName);
    void clear(const QString &why);

    QTreeWidget *table() const { return m_table; }
    QLabel *summary() const { return m_summary; }
    /// The colour a time delta is shown in: green when it got faster by ≥ 10 %, red when slower.
    static QColor deltaColor(double beforeMs, double afterMs);

private:
    QLabel *m_summary = nullptr;
    QTreeWidget *m_table = nullptr;
};
} // namespace vwb::ui
