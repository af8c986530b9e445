// ui/widgets/EnvironmentBadge.h
#pragma once

#include <QWidget>

namespace vwb {
class ConnectionProfile;
}

namespace vwb::ui {

/// The coloured badge that says which kind of database this window talks to. Production is red
/// and carries a lock: closed while the session is read-only, open once writes are unlocked.
class EnvironmentBadge : public QWidget
{
    Q_OBJECT
public:
    enum class Kind { None, Sandbox, Development, Production, Other };

    explicit EnvironmentBadge(QWidget *parent = nullptr);
    void setProfile(const vwb::ConnectionProfile &profile, bool writesUnlocked);
    void clear();
    void setUnlocked(bool unlocked);

    Kind kind() const { return m_kind; }
    QString text() const;
    bool showsLock() const { return m_kind == Kind::Production; }
    bool isLocked() const { return !m_unlocked; }
    QColor color() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void paintLock(QPainter &painter, const QRectF &box) const;

    Kind m_kind = Kind::None;
    QString m_label;
    bool m_unlocked = false;
};
} // namespace vwb::ui
