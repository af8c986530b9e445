// ui/dialogs/TableColumnsDialog.cpp
#include "dialogs/TableColumnsDialog.h"

#include "schema/KnownLayouts.h"
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace vwb::ui {

TableColumnsDialog::TableColumnsDialog(const ContentPair &pair, QWidget *parent) : QDialog(parent), m_pair(pair)
{
    setWindowTitle(tr("Columns of %1").arg(pair.content.display()));
    auto *layout = new QVBoxLayout(this);
    auto *about = new QLabel(tr("%1<br>Key: %2. Choose the column that plays each part where the guess is wrong; the choice is kept "
                                "for this profile and applies to every panel and command.")
                                 .arg(layoutDescription(pair).toHtmlEscaped(), pair.key.describe().toHtmlEscaped()));
    about->setWordWrap(true);
    layout->addWidget(about);
    auto *form = new QFormLayout;
    const std::pair<QString, QString> roles[] = {{QStringLiteral("text"), pair.roles.text},
                                                 {QStringLiteral("title"), pair.roles.title},
                                                 {QStringLiteral("metadata"), pair.roles.metadata},
                                                 {QStringLiteral("filter"), pair.roles.filter}};
    const QStringList labels{tr("Text"), tr("Title"), tr("Metadata"), tr("Filter")};
    for (int i = 0; i < 4; ++i) {
        auto *box = new QComboBox;
        box->setObjectName(roles[i].first + QStringLiteral("Column"));
        if (roles[i].first != QLatin1String("text"))
            box->addItem(tr("(none)"), QString(QLatin1String("")));
        for (const QString &c : pair.contentColumns)
            if (!pair.key.columns.contains(c) || roles[i].first == QLatin1String("filter"))
                box->addItem(c + QStringLiteral("  (%1)").arg(pair.contentTypes.value(c)), c);
        box->setCurrentIndex(qMax(0, box->findData(roles[i].second.isNull() ? QString(QLatin1String("")) : roles[i].second)));
        form->addRow(labels.at(i), box);
        m_boxes.append({roles[i].first, box});
    }
    layout->addLayout(form);
    if (pair.roles.lookup.isSet()) {
        auto *lookup = new QLabel(
            tr("The filter shows %1.%2 for %3.").arg(pair.roles.lookup.table, pair.roles.lookup.label, pair.roles.filter));
        layout->addWidget(lookup);
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

QComboBox *TableColumnsDialog::box(const QString &role) const
{
    for (const auto &[name, box] : m_boxes)
        if (name == role)
            return box;
    return nullptr;
}

RoleChoice TableColumnsDialog::choice() const
{
    RoleChoice c;
    const QString was[] = {m_pair.roles.text, m_pair.roles.title, m_pair.roles.metadata, m_pair.roles.filter};
    std::optional<QString> RoleChoice::*targets[] = {&RoleChoice::text, &RoleChoice::title, &RoleChoice::metadata, &RoleChoice::filter};
    for (int i = 0; i < 4; ++i) {
        const QString now = m_boxes.at(i).second->currentData().toString();
        if (now != was[i])
            c.*targets[i] = now;
    }
    return c;
}
} // namespace vwb::ui
