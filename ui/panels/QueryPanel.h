// ui/panels/QueryPanel.h
#pragma once

#include "console/StatementCursor.h"
#include "session/Session.h"
#include <QElapsedTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;

namespace vwb::ui {
class ConsoleResultModel;

/// The query console: any statement (the selection, or the whole text), its result in a grid
/// that fetches a batch at a time as it scrolls (a cursor on the server, not the whole result in
/// memory), a timeout, Cancel, the statements run before (History), and EXPLAIN / EXPLAIN
/// ANALYZE of the same text in the Plans panel. The rows left to fetch wait in a holdable cursor
/// on the server, outside any transaction (StatementCursor); running something else closes it. On
/// a locked production profile the transaction is READ ONLY and a write is refused with the way
/// to unlock.
class QueryPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int BatchRows = 500;
    static constexpr int HistorySize = 50;

    explicit QueryPanel(vwb::Session *session, QWidget *parent = nullptr);

    void setText(const QString &sql);
    /// Runs the selected text, or the whole text when nothing is selected.
    void run();
    void cancel();
    bool isRunning() const { return m_running; }
    /// The statement Run would run now.
    QString statement() const;

    QPlainTextEdit *editor() const { return m_editor; }
    QTableView *resultView() const { return m_view; }
    ConsoleResultModel *model() const { return m_model; }
    QLabel *status() const { return m_status; }
    QComboBox *history() const { return m_history; }
    QLabel *mode() const { return m_mode; }

signals:
    /// The statement finished (its first batch is in the grid) or failed.
    void finished(bool ok);
    /// A later batch arrived.
    void batchShown();
    /// EXPLAIN (ANALYZE) of `sql` was asked for: the Plans panel runs it.
    void explainRequested(const QString &sql, bool analyze);

private:
    void fetchMore();
    void closeOpen();
    void setRunning(bool running);
    void showOutcome(const vwb::ConsoleBatch &batch);
    void fail(const vwb::Error &error);
    void remember(const QString &sql);
    void showMode();

    vwb::Session *m_session;
    vwb::Session::TaskId m_task = 0;
    vwb::ConsoleState m_state; // the open query, if one is
    QElapsedTimer m_clock;
    qint64 m_firstMs = 0;
    QPlainTextEdit *m_editor = nullptr;
    QPushButton *m_run = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_explain = nullptr;
    QPushButton *m_analyze = nullptr;
    QSpinBox *m_timeout = nullptr;
    QComboBox *m_history = nullptr;
    QLabel *m_mode = nullptr;
    QLabel *m_status = nullptr;
    QTableView *m_view = nullptr;
    ConsoleResultModel *m_model = nullptr;
    bool m_running = false;
};
} // namespace vwb::ui
