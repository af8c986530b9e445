// ui/widgets/RecordDetailView.h
#pragma once

#include "browse/ContentRecord.h"
#include "search/SimilarRows.h"
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTextBrowser;
class QTreeWidget;

namespace vwb::ui {

/// One content row and its vector as one record: text, metadata as a tree, timestamps, the
/// vector's dimension, norm and first values with "stale" / "no vector" badges, a topic's posts,
/// and its nearest neighbours on request.
class RecordDetailView : public QWidget
{
    Q_OBJECT
public:
    explicit RecordDetailView(QWidget *parent = nullptr);
    void showRecord(const vwb::ContentRecord &record);
    void showSimilar(const QList<vwb::SimilarRow> &rows, const QString &operatorName);
    void showMessage(const QString &message);
    void clear();

    QLabel *badge() const { return m_badge; }
    QLabel *titleLabel() const { return m_title; }
    QTreeWidget *metadataTree() const { return m_metadata; }
    QTabWidget *tabs() const { return m_tabs; }
    QListWidget *similarList() const { return m_similar; }
    QPushButton *searchLikeButton() const { return m_searchLike; }

signals:
    void findSimilarRequested(const vwb::RowKey &key); // list the nearest rows here, in the Similar tab
    void searchLikeRequested(const vwb::RowKey &key);  // the same search in the Search panel, with its knobs
    void postActivated(const vwb::RowKey &postKey);
    void rowActivated(const vwb::RowKey &key);

private:
    QLabel *m_title = nullptr;
    QLabel *m_meta = nullptr;
    QLabel *m_badge = nullptr;
    QLabel *m_vector = nullptr;
    QTextBrowser *m_content = nullptr;
    QTreeWidget *m_metadata = nullptr;
    QTabWidget *m_tabs = nullptr;
    QListWidget *m_posts = nullptr;
    QPushButton *m_findSimilar = nullptr;
    QPushButton *m_searchLike = nullptr;
    QListWidget *m_similar = nullptr;
    vwb::RowKey m_key;
};
} // namespace vwb::ui
