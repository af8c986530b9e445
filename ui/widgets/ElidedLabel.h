// ui/widgets/ElidedLabel.h
#pragma once

#include <QLabel>

namespace vwb::ui {

/// A one-line plain-text label that, when narrower than its text, ends it with "…" instead of
/// cutting it mid-letter; text() keeps the whole text. It never asks for more width than it gets.
class ElidedLabel : public QLabel
{
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget *parent = nullptr);
    QSize minimumSizeHint() const override;
    /// What is painted now: the text, or its elided form.
    QString shownText() const;

protected:
    void paintEvent(QPaintEvent *event) override;
};
} // namespace vwb::ui
