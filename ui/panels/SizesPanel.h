// ui/panels/SizesPanel.h
#pragma once

#include "maintenance/IndexList.h"
#include "metrics/SizeHistory.h"
#include <QWidget>
#include <chrono>
#include <memory>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTimer;

namespace vwb {
class Session;
}

namespace vwb::ui {
class SizeHistoryChart;
class TableSizeChart;

/// Where the space goes and how fast it grows: every table's heap / indexes / TOAST, row estimate
/// and vector coverage, as a table and a stacked bar chart; the indexes with their size and scans;
/// and the size over time from the local history, which is sampled on connect and every N minutes
/// (no more than once per interval, whichever window or `vwb sizes` run took the last sample).
class SizesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SizesPanel(vwb::Session *session, QWidget *parent = nullptr);
    ~SizesPanel() override;

    /// Reads the sizes now (off the UI thread), records a sample when one is due, redraws. Also
    /// runs when the session says a write changed the data.
    void refresh();
    void setIntervalMinutes(int minutes);
    int intervalMinutes() const;

    TableSizeChart *barChart() const { return m_bars; }
    SizeHistoryChart *historyChart() const { return m_history; }
    QTableWidget *tables() const { return m_tables; }
    QTableWidget *indexes() const { return m_indexes; }
    QLabel *summary() const { return m_summary; }
    const QString &historyPath() const { return m_store->path(); }

signals:
    /// The sizes are shown; `recorded` says whether this read was stored as a new sample.
    void refreshed(bool recorded);

private:
    void show(const QString &profileKey, const QList<vwb::TableSize> &sizes, const QList<vwb::IndexInfo> &indexes);

    vwb::Session *m_session;
    std::unique_ptr<vwb::SizeHistory> m_store;
    QLabel *m_summary = nullptr;
    QSpinBox *m_interval = nullptr;
    QPushButton *m_refresh = nullptr;
    QTableWidget *m_tables = nullptr;
    QTableWidget *m_indexes = nullptr;
    TableSizeChart *m_bars = nullptr;
    SizeHistoryChart *m_history = nullptr;
    QTimer *m_timer = nullptr;
    bool m_reading = false;
    bool m_again = false;
};
} // namespace vwb::ui
