// ui/widgets/RecordDetailView.cpp
#include "widgets/RecordDetailView.h"

#include "core/ShownText.h"
#include "search/SearchMetric.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace vwb::ui {
namespace {

void addJson(QTreeWidgetItem *parent, const QString &key, const QJsonValue &value)
{
    auto *item = new QTreeWidgetItem(parent, {key});
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            addJson(item, it.key(), it.value());
    } else if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (int i = 0; i < a.size(); ++i)
            addJson(item, QStringLiteral("[%1]").arg(i), a.at(i));
        item->setText(1, counted(a.size(), QStringLiteral("item")));
    } else {
        item->setText(1, value.isString() ? value.toString()
                         : value.isNull()
                             ? QStringLiteral("null")
                             : QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1));
    }
}

QString when(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QStringLiteral("—");
}
} // namespace

RecordDetailView::RecordDetailView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel;
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_title->setFont(big);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    m_meta = new QLabel;
    m_meta->setWordWrap(true);
    m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_meta);
    m_badge = new QLabel;
    layout->addWidget(m_badge);
    m_vector = new QLabel;
    m_vector->setWordWrap(true);
    m_vector->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_vector);
    auto *tabs = m_tabs = new QTabWidget;
    m_content = new QTextBrowser;
    tabs->addTab(m_content, tr("Content"));
    m_metadata = new QTreeWidget;
    m_metadata->setHeaderLabels({tr("Key"), tr("Value")});
    tabs->addTab(m_metadata, tr("Metadata"));
    m_posts = new QListWidget;
    m_posts->setObjectName(QStringLiteral("detailPosts"));
    tabs->addTab(m_posts, tr("Posts"));
    auto *similarPage = new QWidget;
    auto *similarLayout = new QVBoxLayout(similarPage);
    m_findSimilar = new QPushButton(tr("Find similar"));
    m_findSimilar->setToolTip(tr("The 10 nearest rows by this row's vector, listed here"));
    m_searchLike = new QPushButton(tr("Search like this ▸"));
    m_searchLike->setToolTip(tr("Opens the Search panel on this row's vector, with its limit, filters and index knobs"));
    auto *similarButtons = new QHBoxLayout;
    similarButtons->addWidget(m_findSimilar);
    similarButtons->addWidget(m_searchLike);
    similarButtons->addStretch(1);
    similarLayout->addLayout(similarButtons);
    m_similar = new QListWidget;
    similarLayout->addWidget(m_similar);
    tabs->addTab(similarPage, tr("Similar"));
    layout->addWidget(tabs, 1);
    connect(m_findSimilar, &QPushButton::clicked, this, [this] {
        if (!m_key.isEmpty())
            emit findSimilarRequested(m_key);
    });
    connect(m_searchLike, &QPushButton::clicked, this, [this] {
        if (!m_key.isEmpty())
            emit searchLikeRequested(m_key);
    });
    connect(m_posts, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { emit postActivated(item->data(Qt::UserRole).toString()); });
    connect(m_similar, &QListWidget::itemActivated, this,
            [this](QListWidgetItem *item) { emit rowActivated(item->data(Qt::UserRole).toString()); });
    clear();
}

void RecordDetailView::clear()
{
    m_key.clear();
    m_title->setText(tr("Select a row"));
    m_meta->clear();
    m_badge->clear();
    m_vector->clear();
    m_content->clear();
    m_metadata->clear();
    m_posts->clear();
    m_similar->clear();
    m_findSimilar->setEnabled(false);
    m_searchLike->setEnabled(false);
}

void RecordDetailView::showMessage(const QString &message)
{
    clear();
    m_title->setText(message);
}

void RecordDetailView::showRecord(const ContentRecord &r)
{
    m_key = r.key;
    m_title->setText(QStringLiteral("%1 %2 — %3").arg(r.kind, r.key, r.title.isEmpty() ? r.content.simplified().left(80) : r.title));
    QStringList facts; // what the table has: its filter, its timestamps, a post's topic
    if (!r.filterName.isEmpty())
        facts << tr("%1 <b>%2</b>").arg(r.filterName, r.forum.toHtmlEscaped());
    if (r.createdAt.isValid() || r.updatedAt.isValid())
        facts << tr("created %1 · updated %2").arg(when(r.createdAt), when(r.updatedAt));
    if (!r.topicKey.isEmpty())
        facts << tr("topic %1").arg(r.topicKey);
    facts << tr("key %1").arg(r.keyShape.describe().toHtmlEscaped());
    m_meta->setText(facts.join(QStringLiteral(" · ")));
    QString badge;
    if (!r.vector)
        badge = QStringLiteral("<span style='background:#c62828;color:white;padding:2px'>&nbsp;NO VECTOR&nbsp;</span>");
    else if (r.stale)
        badge = QStringLiteral("<span style='background:#e65100;color:white'>&nbsp;STALE&nbsp;</span> the vector is older than "
                               "the content it embeds");
    if (r.vectorRows > 1)
        badge += QStringLiteral(" <span style='background:#6a1b9a;color:white'>&nbsp;%1 VECTOR ROWS&nbsp;</span>").arg(r.vectorRows);
    m_badge->setText(badge);
    m_badge->setVisible(!badge.isEmpty());
    if (r.vector) {
        QStringList head;
        for (double v : r.vector->head)
            head << QString::number(v, 'g', 4);
        m_vector->setText(tr("<b>%1</b>: %2 dimensions · L2 norm %3 · updated %4<br><tt>[%5, …]</tt>")
                              .arg(r.vector->column.toHtmlEscaped())
                              .arg(r.vector->dimensions)
                              .arg(r.vector->norm, 0, 'f', 4)
                              .arg(when(r.vector->updatedAt), head.join(QStringLiteral(", "))));
    } else {
        m_vector->setText(tr("No vector row: backfill embeds it."));
    }
    m_content->setPlainText(r.content);
    m_metadata->clear();
    const QJsonObject meta = QJsonDocument::fromJson(r.metadataJson.toUtf8()).object();
    for (auto it = meta.begin(); it != meta.end(); ++it)
        addJson(m_metadata->invisibleRootItem(), it.key(), it.value());
    m_metadata->expandAll();
    m_posts->clear();
    m_tabs->setTabVisible(m_tabs->indexOf(m_posts), r.layout == QLatin1String("reference") && r.kind == QLatin1String("topic"));
    for (const BrowseRow &p : r.posts) {
        auto *item = new QListWidgetItem(QStringLiteral("#%1  %2  %3").arg(p.key, when(p.createdAt), p.snippet.simplified().left(140)));
        item->setData(Qt::UserRole, p.key);
        m_posts->addItem(item);
    }
    m_similar->clear();
    m_findSimilar->setEnabled(r.vector.has_value());
    m_searchLike->setEnabled(r.vector.has_value());
}

void RecordDetailView::showSimilar(const QList<SimilarRow> &rows, const QString &operatorName)
{
    m_similar->clear();
    // The measure the Search panel shows (similarity), so the same row reads the same in both.
    SearchMetric metric = SearchMetric::Cosine;
    const bool known = metricForOperator(operatorName, &metric);
    for (const SimilarRow &s : rows) {
        const QString measure = known ? tr("similarity %1").arg(similarityFromDistance(metric, s.distance), 0, 'f', 4)
                                      : tr("distance %1").arg(s.distance, 0, 'f', 4);
        auto *item = new QListWidgetItem(QStringLiteral("%1  #%2  %3  (%4)").arg(measure, s.key, s.title.simplified().left(100), s.forum));
        item->setToolTip(tr("%1 distance %2 (%3)")
                             .arg(operatorName)
                             .arg(s.distance, 0, 'f', 6)
                             .arg(known ? QLatin1String(metricInfo(metric).name) : QLatin1String("")));
        item->setData(Qt::UserRole, s.key);
        m_similar->addItem(item);
    }
    m_similar->setToolTip(known ? tr("nearest first, by %1 similarity (as Search shows it)").arg(QLatin1String(metricInfo(metric).name))
                                : tr("nearest first, by distance %1").arg(operatorName));
}
} // namespace vwb::ui
