// ui/panels/BrowserPanel.h
#pragma once

#include "browse/BrowseQuery.h"
#include "browse/CreatedSpan.h"
#include "data/TableExport.h"
#include "core/DataChange.h"
#include "models/ContentTableModel.h"
#include "session/Session.h"
#include <QWidget>

class QCheckBox;
class QDialog;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace vwb::ui {
class CoverageStrip;
class RecordDetailView;

/// Topics and posts at any table size: keyset pages fetched as the view scrolls, filters, an
/// estimated row count with an exact one on demand, the vector coverage, and a detail pane.
/// Works on two lanes of the session (pages; counts) so a slow count never holds up scrolling, and
/// reads again what a write changed (the session's dataChanged).
class BrowserPanel : public QWidget, public PageSource
{
    Q_OBJECT
public:
    explicit BrowserPanel(vwb::Session *session, QWidget *parent = nullptr);
    ~BrowserPanel() override;

    void requestPage(const PageRequest &request) override;
    void setType(const QString &kind);
    void setFilter(const vwb::BrowseFilter &filter);
    void countExactly();
    /// What "Refresh schema" does: the schema, the rows, the counts and the coverage read again
    /// (for writes the workbench did not make itself).
    void reload();
    void openRecord(const vwb::RowKey &key);
    /// Every row the current filters match (not only the pages loaded) into `path`, off the UI
    /// thread; the right-click menu's "Save every matching row" asks for the path and calls this.
    void exportMatchingRows(const QString &path, vwb::ExportFormat format);

    ContentTableModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QLabel *countLabel() const { return m_count; }
    CoverageStrip *coverage() const { return m_coverage; }
    RecordDetailView *detail() const { return m_detail; }
    QPushButton *countButton() const { return m_countButton; }
    const vwb::DatabaseSchema &schema() const;

signals:
    void schemaReady();
    void recordShown(const vwb::RowKey &key);
    void exactCountReady(qint64 count);
    void coverageShown();
    void exportFinished(qint64 rows, const QString &error); // rows -1: failed, and why
    /// "Find similar" on a row: the Search panel takes it from here.
    void findSimilarRequested(const QString &table, const vwb::RowKey &key, const QString &column);
    /// "Columns…" opened its dialog (tests answer it).
    void columnsDialogShown(QDialog *dialog);

private:
    void showSchema();
    void dataChanged(const vwb::DataChange &change);
    void setCounting(bool counting);
    /// Counts the rows (so that every one is reachable) when the table is small enough for that to
    /// be quick and the first page showed there are more.
    void countWhenCheap();
    /// Widens the key column to the widest key of rows first…last.
    void fitKeys(int first, int last);
    /// The status line: loading, the rows in view of the counted total, or the rows fetched.
    void showPosition();
    void rebuildQuery();
    void refreshCounts();
    vwb::BrowseFilter currentFilter() const;
    /// Every row of the table is on screen (no filter, no page left): its count is known exactly.
    bool allRowsShown() const;
    void showCreatedSpan(const std::optional<vwb::CreatedSpan> &span);
    std::optional<vwb::ContentPair> currentPair() const;
    QString currentColumn() const;
    void showTable();
    void chooseColumns();

    static constexpr auto PagesLane = "browse";         // pages, the record, similar rows
    static constexpr auto CountsLane = "browse-counts"; // estimates, exact counts, coverage: never hold up scrolling

    vwb::Session *m_session;
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
    QComboBox *m_column = nullptr;    // the vector column the state, record and similar rows read
    QLabel *m_layout = nullptr;       // what made the table
    QPushButton *m_columns = nullptr; // which column is the text, title, metadata, filter
    QLabel *m_count = nullptr;
    QString m_countTable;                       // the table the count line is about
    QString m_spanTable;                        // the table whose created_at days the date filter defaults to
    class BrowseExportTask *m_export = nullptr; // the export running, if one is
    QPushButton *m_countButton = nullptr;
    QLabel *m_status = nullptr;
    CoverageStrip *m_coverage = nullptr;
    RecordDetailView *m_detail = nullptr;
    QTimer *m_debounce = nullptr;
    qint64 m_estimate = -1;
    int m_countGeneration = 0;
    int m_autoCounted = -1;        // the model generation counted without being asked
    bool m_positionQueued = false; // showPosition() will run once the view's layout has settled
    QString m_note;                // what just happened (a file saved), shown before the position
    vwb::Session::TaskId m_countTask = 0;
    bool m_counting = false;
    vwb::RowKey m_openKey;    // the record in the detail pane
    QStringList m_shownShape; // the tables and columns the rows were read with
};
} // namespace vwb::ui
