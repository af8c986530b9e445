// ui/panels/PlansPanel.h
#pragma once

#include "plan/PlanHints.h"
#include "session/Session.h"
#include <QWidget>
#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

namespace vwb::ui {
class PlanCompareView;
class PlanView;

/// EXPLAIN a statement on the connected database — plain, or ANALYZE with BUFFERS inside a
/// transaction that is always rolled back, under the statement_timeout set here — or read a plan
/// pasted from elsewhere (JSON or text, psql's frame and all). Any plan can be kept as the
/// baseline (A); every later one (B) is then compared with it node by node.
class PlansPanel : public QWidget
{
    Q_OBJECT
public:
    explicit PlansPanel(vwb::Session *session, QWidget *parent = nullptr);

    void setInput(const QString &text);
    /// Runs EXPLAIN of the input off the UI thread; planShown() or failed() when done.
    void explain(bool analyze);
    /// Cancels the EXPLAIN running now (the statement stops; its transaction rolls back).
    void cancel();
    bool isRunning() const { return m_running; }
    /// Reads the input as a plan (no server needed).
    bool readInputAsPlan();
    void keepAsBaseline();
    void setTimeoutMs(int ms);
    int timeoutMs() const;

    PlanView *view() const { return m_view; }
    PlanCompareView *compareView() const { return m_compare; }
    QTabWidget *tabs() const { return m_tabs; }
    QLabel *status() const { return m_status; }

signals:
    void planShown();
    void failed(const QString &message);

private:
    void show(const vwb::Plan &plan, const QList<vwb::PlanHint> &hints, const QString &name);
    void fail(const QString &message);
    void setRunning(bool running);

    vwb::Session *m_session;
    vwb::Session::TaskId m_task = 0;
    QPlainTextEdit *m_input = nullptr;
    QSpinBox *m_timeout = nullptr;
    QPushButton *m_explain = nullptr;
    QPushButton *m_analyze = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_read = nullptr;
    QPushButton *m_keep = nullptr;
    QLabel *m_status = nullptr;
    QTabWidget *m_tabs = nullptr;
    PlanView *m_view = nullptr;
    PlanCompareView *m_compare = nullptr;
    std::optional<vwb::Plan> m_current;
    QString m_currentName;
    std::optional<vwb::Plan> m_baseline;
    QString m_baselineName;
    bool m_running = false;
};
} // namespace vwb::ui
