// ui/widgets/GradingBar.cpp
#include "widgets/GradingBar.h"

#include "eval/EvalRunner.h"
#include "widgets/ErrorDisplay.h"
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace vwb::ui {

GradingBar::GradingBar(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_set = new QComboBox;
    m_set->setEditable(true);
    m_set->setMinimumWidth(120);
    m_set->setToolTip(tr("The query set your grades go into (Evaluate scores runs against it)"));
    m_note = new QLabel;
    m_note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // a long query never widens the window
    layout->addWidget(new QLabel(tr("grade the selected result into")));
    layout->addWidget(m_set);
    const QList<std::pair<int, QString>> grades{{2, tr("2 highly relevant")}, {1, tr("1 relevant")}, {0, tr("0 not relevant")}};
    for (const auto &[value, label] : grades) {
        auto *button = new QPushButton(label);
        button->setToolTip(tr("Key %1 in the results does the same").arg(value));
        connect(button, &QPushButton::clicked, this, [this, value = value] { emit gradeRequested(value); });
        layout->addWidget(button);
    }
    layout->addWidget(m_note, 1);
}

bool GradingBar::grade(const QString &profile, const QString &text, std::optional<RowKey> doc, int grade)
{
    const QString set = m_set->currentText().trimmed();
    if (!doc || text.isEmpty() || set.isEmpty()) {
        m_note->setText(!doc            ? tr("select a result to grade")
                        : set.isEmpty() ? tr("name the query set to grade into")
                                        : tr("grades are for text searches"));
        return false;
    }
    auto existing = m_store.loadSet(profile, set);
    const JudgedQuery query = existing.ok() ? judgedQueryFor(existing.value(), text) : JudgedQuery{text, text, {}};
    auto done = m_store.judge(profile, set, query, *doc, grade);
    // A uuid or text key is shown by its start: the note stays on the screen; the tooltip has it whole.
    const QString shown = doc->size() > 12 ? doc->left(8) + QStringLiteral("…") : *doc;
    m_note->setText(done.ok() ? tr("#%1 graded %2 in %3").arg(shown).arg(grade).arg(set) : errorText(done.error()));
    m_note->setToolTip(done.ok() ? tr("#%1 for the query \"%2\"").arg(*doc, text) : QString());
    return done.ok();
}

Judgments GradingBar::gradesFor(const QString &profile, const QString &text)
{
    if (auto sets = m_store.sets(profile); sets.ok()) { // offer the profile's sets, keeping what is typed
        const QSignalBlocker block(m_set);
        const QString typed = m_set->currentText();
        m_set->clear();
        for (const SetSummary &s : sets.value())
            m_set->addItem(s.name);
        m_set->setCurrentText(typed.isEmpty() ? QStringLiteral("judgments") : typed);
    }
    const QString set = m_set->currentText().trimmed(); // named above on a first search
    auto loaded = set.isEmpty() ? Result<QuerySet>(Error::invalid({})) : m_store.loadSet(profile, set);
    return loaded.ok() ? loaded.value().judgments.value(judgedQueryFor(loaded.value(), text).id) : Judgments{};
}
} // namespace vwb::ui
