// ui/panels/BrowserPanel.h
#pragma once

#include "browse/BrowseQuery.h"
#include "models/ContentTableModel.h"
#include <QWidget>
#include <memory>

class QCheckBox;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace vwb {
class AsyncConnection;
}

namespace vwb::ui {
class ConnectionController;
class CoverageStrip;
class RecordDetailView;

/// Topics and posts at any table size: keyset pages fetched as the view scrolls, filters, an
/// estimated row count with an exact one on demand, the vector coverage, and a detail pane.
/// Works over its own two connections (pages; counts) so a slow count never holds up scrolling.
class BrowserPanel : public QWidget, public PageSource
{
    Q_OBJECT
public:
    BrowserPanel(ConnectionController *controller, QWidget *parent = nullptr);
    ~BrowserPanel() override;

    void requestPage(int generation, const std::optional<vwb::BrowseCursor> &after, int limit) override;
    void setType(const QString &kind);
    void setFilter(const vwb::BrowseFilter &filter);
    void countExactly();
    void openRecord(qint64 id);

    ContentTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLabel *countLabel() const { return m_count; }
    CoverageStrip *coverage() const { return m_coverage; }
    RecordDetailView *detail() const { return m_detail; }
    const vwb::DatabaseSchema &schema() const { return m_schema; }

signals:
    void schemaReady();
    void recordShown(qint64 id);
    void exactCountReady(qint64 count);
    /// "Find similar" on a row: the Search panel takes it from here.
    void findSimilarRequested(const QString &table, qint64 id);

private:
    void onConnected();
    void rebuildQuery();
    void refreshCounts();
    vwb::BrowseFilter currentFilter() const;
    std::optional<vwb::ContentPair> currentPair() const;

    ConnectionController *m_controller;
    std::unique_ptr<vwb::AsyncConnection> m_pages;
    std::unique_ptr<vwb::AsyncConnection> m_counts;
    vwb::DatabaseSchema m_schema;
    std::optional<vwb::BrowseQuery> m_query;
    ContentTableModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QComboBox *m_type = nullptr;
    QComboBox *m_forum = nullptr;
    QLineEdit *m_text = nullptr;
    QCheckBox *m_fromOn = nullptr;
    QDateEdit *m_from = nullptr;
    QCheckBox *m_toOn = nullptr;
    QDateEdit *m_to = nullptr;
    QComboBox *m_vectors = nullptr;
    QComboBox *m_sort = nullptr;
    QCheckBox *m_descending = nullptr;
    QLabel *m_count = nullptr;
    QLabel *m_status = nullptr;
    CoverageStrip *m_coverage = nullptr;
    RecordDetailView *m_detail = nullptr;
    QTimer *m_debounce = nullptr;
    qint64 m_estimate = -1;
    int m_countGeneration = 0;
};
} // namespace vwb::ui
