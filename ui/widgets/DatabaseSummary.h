// ui/widgets/DatabaseSummary.h
#pragma once

#include <QWidget>

class QLabel;
class QTableWidget;

namespace vwb {
class Session;
struct DatabaseSchema;
} // namespace vwb

namespace vwb::ui {

/// The Connection page's "In this database": every content table found with what made it, its
/// rows (the planner's estimate: instant at any size), its vector columns and their ANN indexes,
/// and links to Browse and Search it. Read again when the schema or the rows change.
class DatabaseSummary : public QWidget
{
    Q_OBJECT
public:
    enum Column { Table, Layout, Rows, Vectors, Open, ColumnCount };
    explicit DatabaseSummary(vwb::Session *session, QWidget *parent = nullptr);
    QTableWidget *table() const { return m_table; }

signals:
    void browseRequested(const QString &table);
    void searchRequested(const QString &table);
    void shown(); // the rows' estimates are in

private:
    void refresh();
    void show(const vwb::DatabaseSchema &schema, const QList<qint64> &estimates);

    vwb::Session *m_session;
    QLabel *m_title = nullptr;
    QTableWidget *m_table = nullptr;
    int m_generation = 0;
};
} // namespace vwb::ui
