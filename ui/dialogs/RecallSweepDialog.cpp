// ui/dialogs/RecallSweepDialog.cpp
#include "dialogs/RecallSweepDialog.h"

#include "charts/RecallCurveChart.h"
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace vwb::ui {

RecallSweepDialog::RecallSweepDialog(const RecallSweepReport &sweep, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Recall sweep: %1").arg(sweep.index));
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel;
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    const SweepPoint *c = sweep.choice();
    m_summary->setText(
        c ? tr("Kept for this profile: %1 %2%3 — recall@%4 %5 at %6 ms (median), exact search %7 ms. Searches use it unless the "
               "sliders are moved.")
                .arg(sweep.knob)
                .arg(c->value)
                .arg(c->iterative ? tr(" with iterative scan") : QString())
                .arg(sweep.k)
                .arg(c->recall, 0, 'f', 3)
                .arg(c->medianMs, 0, 'f', 2)
                .arg(sweep.exactMedianMs, 0, 'f', 2)
          : tr("No setting reached recall@%1 %2 with %1 rows every time: nothing kept. Build the index with a larger m and "
               "ef_construction (HNSW) or more lists (IVFFlat).")
                .arg(sweep.k)
                .arg(sweep.target, 0, 'f', 2));
    layout->addWidget(m_summary);
    auto *split = new QSplitter(Qt::Vertical);
    m_chart = new RecallCurveChart;
    m_chart->setSweep(sweep);
    split->addWidget(m_chart);
    m_table = new QTableWidget(int(sweep.points.size()), 7);
    m_table->setHorizontalHeaderLabels(
        {sweep.knob, tr("iterative"), tr("recall@%1").arg(sweep.k), tr("95% from"), tr("median ms"), tr("p90 ms"), tr("short lists")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    for (int row = 0; row < sweep.points.size(); ++row) {
        const SweepPoint &p = sweep.points.at(row);
        const QStringList cells{QString::number(p.value),
                                p.iterative ? tr("on") : tr("off"),
                                QString::number(p.recall, 'f', 3),
                                QString::number(p.recallLow, 'f', 3),
                                QString::number(p.medianMs, 'f', 2),
                                QString::number(p.p90Ms, 'f', 2),
                                QString::number(p.shortQueries)};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (row == sweep.chosen) {
                QFont bold = item->font();
                bold.setBold(true);
                item->setFont(bold);
            }
            m_table->setItem(row, column, item);
        }
    }
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    if (sweep.chosen >= 0)
        m_table->selectRow(sweep.chosen);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QString RecallSweepDialog::summary() const
{
    return m_summary->text();
}
} // namespace vwb::ui
