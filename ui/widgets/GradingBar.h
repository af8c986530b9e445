// ui/widgets/GradingBar.h
#pragma once

#include "eval/EvalStore.h"
#include <QWidget>

class QComboBox;
class QLabel;

namespace vwb::ui {

/// "Grade the selected result into SET: 2 · 1 · 0": the query set an analyst's grades of search
/// results go into (per profile, in evaluations.sqlite), the buttons, and a note of the last grade.
/// The results' view asks for a grade with gradeRequested(); the grades of a query come back
/// through gradesFor().
class GradingBar : public QWidget
{
    Q_OBJECT
public:
    explicit GradingBar(QWidget *parent = nullptr);

    /// Grades document `doc` (none: no result selected) for the search of `text` into the set
    /// named in the box; the note says how it went.
    bool grade(const QString &profile, const QString &text, std::optional<vwb::RowKey> doc, int grade);
    /// The grades the named set holds for the search of `text`, after offering the profile's sets
    /// in the box ("judgments" when none is named).
    vwb::Judgments gradesFor(const QString &profile, const QString &text);
    QComboBox *setBox() const { return m_set; }

signals:
    void gradeRequested(int grade); // a button: grade the selected result

private:
    vwb::EvalStore m_store; // one connection, kept
    QComboBox *m_set = nullptr;
    QLabel *m_note = nullptr;
};
} // namespace vwb::ui
