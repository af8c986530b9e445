// ui/panels/BrowserPanelRows.cpp — the Browse panel's rows: pages asked for, the count that
// makes every row reachable, the key column's width and the status line saying where the view is.
#include "panels/BrowserPanel.h"

#include "session/Session.h"
#include "widgets/CoverageStrip.h"
#include "widgets/ErrorDisplay.h"
#include <QElapsedTimer>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTableView>

namespace vwb::ui {
namespace {
constexpr qint64 AutoCountRows = 2'000'000; // counted without asking up to this size (the planner's estimate)

struct Counted
{
    qint64 count = 0;
    qint64 ms = 0;
};
} // namespace

bool BrowserPanel::allRowsShown() const
{
    const BrowseFilter f = currentFilter();
    return m_query && m_model->total() < 0 && !m_model->isLoading() && !m_model->hasMore() && f.forum.isEmpty() && f.text.isEmpty()
           && !f.from.isValid() && !f.to.isValid() && f.vectors == VectorFilter::Any;
}

void BrowserPanel::requestPage(const PageRequest &request)
{
    if (!m_query)
        return;
    m_session->run<BrowsePage>(
        QLatin1String(PagesLane), this,
        [query = *m_query, request](DatabaseServices &s) {
            const qint64 first = qint64(request.page) * ContentTableModel::PageSize;
            return request.after || first == 0 ? s.browsePage(query, request.after, ContentTableModel::PageSize)
                                               : s.browsePageAt(query, first, request.total, ContentTableModel::PageSize);
        },
        [this, request](Result<BrowsePage> page) {
            if (page.ok())
                m_model->pageArrived(request.generation, request.page, page.value());
            else
                m_model->pageFailed(request.generation, errorText(page.error()));
        });
}

void BrowserPanel::showPosition()
{
    if (m_export) // an export says how far it got
        return;
    QString where;
    if (m_model->isLoading()) {
        where = tr("loading…");
    } else if (m_model->total() > 0) {
        // Where the view is, as a spreadsheet says it: the rows on screen of all of them.
        const int top = qMax(0, m_view->rowAt(0));
        const int bottom = m_view->rowAt(m_view->viewport()->height() - 1);
        where = tr("rows %L1–%L2 of %L3").arg(top + 1).arg(bottom < 0 ? m_model->rowCount() : bottom + 1).arg(m_model->total());
    } else {
        where = tr("%L1 rows shown").arg(m_model->rowCount());
    }
    // What just happened (a file saved, a reload) stays ahead of it until the query changes.
    m_status->setText(m_note.isEmpty() ? where : m_note + QStringLiteral(" · ") + where);
}

void BrowserPanel::countWhenCheap()
{
    // Counted, every row is a scroll away (the end, the middle); on a table this size the count
    // is an index scan of a moment. Bigger ones wait for "Count exactly".
    // (hasMore alone holds before the first page too: then the page may well hold every row.)
    if (m_model->rowCount() > 0 && m_model->hasMore() && m_model->total() < 0 && !m_counting && m_estimate >= 0
        && m_estimate <= AutoCountRows && m_autoCounted != m_model->generation()) {
        m_autoCounted = m_model->generation();
        countExactly();
    }
}

void BrowserPanel::fitKeys(int first, int last)
{
    // The widest key so far sets the key column (a million rows in, ids have seven digits).
    const auto pair = currentPair();
    if (!pair || !pair->key.isInteger())
        return;
    const QFontMetrics metrics(m_view->font());
    int widest = 0;
    for (int row = first; row <= last; ++row)
        if (const BrowseRow *r = m_model->rowAt(row))
            widest = qMax(widest, metrics.horizontalAdvance(r->key));
    QHeaderView *header = m_view->horizontalHeader();
    const int needed = widest + 2 * m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 12;
    if (needed > header->sectionSize(ContentTableModel::Id))
        header->resizeSection(ContentTableModel::Id, needed);
}

void BrowserPanel::countExactly()
{
    if (!m_query)
        return;
    const int generation = ++m_countGeneration;
    m_count->setText(tr("counting…"));
    setCounting(true);
    m_countTask = m_session->run<Counted>(
        QLatin1String(CountsLane), this,
        [query = *m_query](DatabaseServices &s) -> Result<Counted> {
            QElapsedTimer clock;
            clock.start();
            auto n = s.countRows(query);
            if (!n.ok())
                return n.error();
            return Counted{n.value(), clock.elapsed()};
        },
        [this, generation](Result<Counted> counted) {
            if (generation != m_countGeneration)
                return; // the filters changed meanwhile
            setCounting(false);
            if (!counted.ok()) {
                m_count->setText(counted.error().isCanceled() ? tr("count canceled") : errorText(counted.error()));
                return;
            }
            m_count->setText(tr("%L1 matching rows (exact, %2)")
                                 .arg(counted.value().count)
                                 .arg(counted.value().ms > 0 ? tr("%L1 ms").arg(counted.value().ms) : tr("under 1 ms")));
            m_model->setTotal(counted.value().count);
            showPosition();
            emit exactCountReady(counted.value().count);
        });
}

void BrowserPanel::setCounting(bool counting)
{
    m_counting = counting;
    m_countButton->setText(counting ? tr("Cancel count") : tr("Count exactly"));
}

void BrowserPanel::refreshCounts()
{
    m_session->run<QList<Coverage>>(
        QLatin1String(CountsLane), this, [pairs = schema().pairs](DatabaseServices &s) { return s.coverage(pairs); },
        [this](Result<QList<Coverage>> coverage) {
            if (coverage.ok())
                m_coverage->setCoverage(coverage.value());
            emit coverageShown();
        });
}
} // namespace vwb::ui
