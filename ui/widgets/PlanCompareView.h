// ui/widgets/PlanCompareView.h
#pragma once

#include "plan/PlanCompare.h"
#include "theme/Theme.h"
#include <QWidget>
#include <optional>

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
    /// The tone a time delta is shown in: Ok when it got faster by ≥ 10 %, Error when slower.
    static std::optional<Tone> deltaTone(double beforeMs, double afterMs);

private:
    QLabel *m_summary = nullptr;
    QTreeWidget *m_table = nullptr;
};
} // namespace vwb::ui
