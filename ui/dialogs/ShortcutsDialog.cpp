// ui/dialogs/ShortcutsDialog.cpp
#include "dialogs/ShortcutsDialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QShortcut>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace vwb::ui {
namespace {
struct Entry
{
    QString keys;
    QString what;
};

QString plainText(QString text)
{
    return text.remove(QLatin1Char('&')).remove(QStringLiteral("…")).trimmed();
}
} // namespace

ShortcutsDialog::ShortcutsDialog(QWidget *window) : QDialog(window)
{
    setWindowTitle(tr("Keyboard shortcuts"));
    QList<Entry> entries;
    for (const QAction *a : window->findChildren<QAction *>())
        for (const QKeySequence &keys : a->shortcuts())
            entries << Entry{keys.toString(QKeySequence::NativeText), plainText(a->text())};
    for (const QShortcut *s : window->findChildren<QShortcut *>())
        if (!s->whatsThis().isEmpty())
            entries << Entry{s->key().toString(QKeySequence::NativeText), s->whatsThis()};
    std::sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) { return a.what.localeAwareCompare(b.what) < 0; });
    entries.erase(
        std::unique(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) { return a.keys == b.keys && a.what == b.what; }),
        entries.end());
    m_table = new QTableWidget(int(entries.size()), 2);
    m_table->setHorizontalHeaderLabels({tr("Keys"), tr("Does")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    for (int row = 0; row < entries.size(); ++row) {
        m_table->setItem(row, 0, new QTableWidgetItem(entries.at(row).keys));
        m_table->setItem(row, 1, new QTableWidgetItem(entries.at(row).what));
    }
    m_table->resizeColumnToContents(0);
    m_table->resizeRowsToContents(); // a long description wraps instead of being cut
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(520, 480);
}

} // namespace vwb::ui
