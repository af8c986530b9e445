// ui/widgets/PlanCompareView.cpp
#include "widgets/PlanCompareView.h"

#include "theme/Theme.h"
#include <QHeaderView>
#include <QLabel>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {
using Change = PlanNodeDelta::Change;

QString ms(double v)
{
    return QString::number(v, 'f', qAbs(v) < 10 ? 3 : 1);
}
QString signedMs(double v)
{
    return (v > 0 ? QStringLiteral("+") : QString()) + ms(v);
}
QString rows(double v)
{
    return QString::number(qint64(v));
}
} // namespace

PlanCompareView::PlanCompareView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_summary = new QLabel(tr("Keep a plan as the baseline (A), then explain another one to compare it with."));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_table = new QTreeWidget;
    m_table->setRootIsDecorated(false);
    m_table->setUniformRowHeights(true);
    m_table->setHeaderLabels({tr("A: node"), tr("A ms"), tr("A rows"), tr("B: node"), tr("B ms"), tr("B rows"), tr("Δ ms"), tr("Δ rows")});
    // The figures as wide as they need, the two node columns share the rest: a long node (an index
    // and an alias) is elided with its whole text in the tooltip, instead of pushing B off screen.
    QHeaderView *header = m_table->header();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(Before, QHeaderView::Stretch);
    header->setSectionResizeMode(After, QHeaderView::Stretch);
    layout->addWidget(m_table, 1);
}

std::optional<Tone> PlanCompareView::deltaTone(double beforeMs, double afterMs)
{
    const double delta = afterMs - beforeMs, base = qMax(beforeMs, 0.001);
    if (qAbs(delta) < 0.01 || qAbs(delta) / base < 0.1)
        return std::nullopt;
    return delta < 0 ? Tone::Ok : Tone::Error;
}

void PlanCompareView::clear(const QString &why)
{
    m_table->clear();
    m_summary->setText(why);
}

void PlanCompareView::setComparison(const PlanComparison &c, const QString &beforeName, const QString &afterName)
{
    m_table->clear();
    const double before = c.totalBefore.inclusiveMs, after = c.totalAfter.inclusiveMs;
    QString speed;
    if (before > 0 && after > 0)
        speed = after < before ? tr(" — B is %1× faster").arg(before / after, 0, 'f', 1)
                               : tr(" — B is %1× slower").arg(after / before, 0, 'f', 1);
    m_summary->setText(tr("A: %1 (%2 ms)   B: %3 (%4 ms)%5.   Nodes: %6 same, %7 changed, %8 only in A, %9 only in B.")
                           .arg(beforeName, ms(before), afterName, ms(after), speed)
                           .arg(c.same)
                           .arg(c.changed)
                           .arg(c.removed)
                           .arg(c.added));
    for (const PlanNodeDelta &d : c.nodes) {
        auto *item = new QTreeWidgetItem;
        const QString indent(d.depth * 2, QLatin1Char(' '));
        if (d.before.nodeId >= 0) {
            item->setText(Before, indent + d.before.label);
            item->setToolTip(Before, d.before.label);
            item->setText(BeforeMs, ms(d.before.exclusiveMs));
            item->setText(BeforeRows, rows(d.before.rows));
        }
        if (d.after.nodeId >= 0) {
            item->setText(After, indent + d.after.label);
            item->setToolTip(After, d.after.label);
            item->setText(AfterMs, ms(d.after.exclusiveMs));
            item->setText(AfterRows, rows(d.after.rows));
        }
        if (d.before.nodeId >= 0 && d.after.nodeId >= 0) {
            item->setText(DeltaMs, signedMs(d.exclusiveMsDelta()));
            item->setText(DeltaRows, (d.rowsDelta() > 0 ? QStringLiteral("+") : QString()) + rows(d.rowsDelta()));
            if (const auto tone = deltaTone(d.before.exclusiveMs, d.after.exclusiveMs))
                Theme::fillItem(item, DeltaMs, *tone);
            if (d.rowsDelta() != 0)
                Theme::fillItem(item, DeltaRows, Tone::Highlight);
        }
        for (int col = BeforeMs; col < ColumnCount; ++col)
            if (col != After)
                item->setTextAlignment(col, Qt::AlignRight | Qt::AlignVCenter);
        if (d.change == Change::Removed)
            for (int col = 0; col < ColumnCount; ++col)
                Theme::colorItem(item, col, Tone::Muted);
        if (d.change == Change::Added)
            for (int col = 0; col < ColumnCount; ++col)
                Theme::colorItem(item, col, Tone::Info);
        if (d.change == Change::Changed) {
            QFont italic = item->font(0);
            italic.setItalic(true);
            item->setFont(Before, italic);
            item->setFont(After, italic);
        }
        item->setData(0, Qt::UserRole, PlanNodeDelta::changeName(d.change));
        m_table->addTopLevelItem(item);
    }
}
} // namespace vwb::ui
