// ui/widgets/EnvironmentBadge.cpp
#include "widgets/EnvironmentBadge.h"

#include "connection/ConnectionProfile.h"
#include <QPainter>
#include <QPainterPath>

namespace vwb::ui {
namespace {
constexpr int LockWidth = 14; // px, the drawn padlock
constexpr int Padding = 10;
} // namespace

EnvironmentBadge::EnvironmentBadge(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setAccessibleName(tr("Environment"));
}

void EnvironmentBadge::setProfile(const ConnectionProfile &profile, bool writesUnlocked)
{
    if (profile.production)
        m_kind = Kind::Production;
    else if (profile.source == ProfileSource::Sandbox)
        m_kind = Kind::Sandbox;
    else if (profile.source == ProfileSource::Development)
        m_kind = Kind::Development;
    else
        m_kind = Kind::Other;
    m_label = profile.name;
    m_unlocked = writesUnlocked;
    setToolTip(m_kind == Kind::Production ? (m_unlocked ? tr("Production: writes UNLOCKED for this session")
                                                        : tr("Production: read-only until you unlock writes"))
                                          : tr("%1 profile").arg(profile.name));
    setAccessibleDescription(text());
    updateGeometry();
    update();
}

void EnvironmentBadge::clear()
{
    m_kind = Kind::None;
    m_label.clear();
    updateGeometry();
    update();
}

void EnvironmentBadge::setUnlocked(bool unlocked)
{
    m_unlocked = unlocked;
    setAccessibleDescription(text());
    update();
}

QString EnvironmentBadge::text() const
{
    switch (m_kind) {
    case Kind::None: return tr("NOT CONNECTED");
    case Kind::Sandbox: return tr("SANDBOX");
    case Kind::Development: return tr("DEVELOPMENT");
    case Kind::Production: return m_unlocked ? tr("PRODUCTION · WRITES UNLOCKED") : tr("PRODUCTION · READ-ONLY");
    case Kind::Other: return m_label.toUpper();
    }
    return {};
}

QColor EnvironmentBadge::color() const
{
    switch (m_kind) {
    case Kind::None: return QColor(0x75, 0x75, 0x75);
    case Kind::Sandbox: return QColor(0x00, 0x79, 0x6b);
    case Kind::Development: return QColor(0x2e, 0x7d, 0x32);
    case Kind::Production: return m_unlocked ? QColor(0xb7, 0x1c, 0x1c) : QColor(0xd3, 0x2f, 0x2f);
    case Kind::Other: return QColor(0x15, 0x65, 0xc0);
    }
    return Qt::gray;
}

QSize EnvironmentBadge::sizeHint() const
{
    QFont f = font();
    f.setBold(true);
    const int textWidth = QFontMetrics(f).horizontalAdvance(text());
    const int lock = showsLock() ? LockWidth + 6 : 0;
    return {textWidth + 2 * Padding + lock, QFontMetrics(f).height() + 10};
}

void EnvironmentBadge::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF box = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    painter.setPen(m_kind == Kind::Production && m_unlocked ? QPen(QColor(0xff, 0xeb, 0x3b), 2) : Qt::NoPen);
    painter.setBrush(color());
    painter.drawRoundedRect(box, 6, 6);
    QFont f = font();
    f.setBold(true);
    painter.setFont(f);
    painter.setPen(Qt::white);
    QRectF textBox = box.adjusted(Padding, 0, -Padding, 0);
    if (showsLock()) {
        paintLock(painter, QRectF(textBox.left(), box.center().y() - 8, LockWidth, 16));
        textBox.setLeft(textBox.left() + LockWidth + 6);
    }
    painter.drawText(textBox, Qt::AlignVCenter | Qt::AlignLeft, text());
}

void EnvironmentBadge::paintLock(QPainter &painter, const QRectF &box) const
{
    painter.save();
    const QRectF body(box.left(), box.top() + box.height() * 0.45, box.width(), box.height() * 0.55);
    QPainterPath shackle;
    const qreal r = box.width() * 0.32;
    const qreal cx = box.center().x();
    const qreal top = box.top() + 1;
    if (m_unlocked) { // open: the shackle swings up and to the right
        shackle.moveTo(cx - r, body.top());
        shackle.lineTo(cx - r, top + r - 3);
        shackle.arcTo(QRectF(cx - r, top - 3, 2 * r, 2 * r), 180, -180);
    } else {
        shackle.moveTo(cx - r, body.top());
        shackle.lineTo(cx - r, top + r);
        shackle.arcTo(QRectF(cx - r, top, 2 * r, 2 * r), 180, -180);
        shackle.lineTo(cx + r, body.top());
    }
    painter.setPen(QPen(Qt::white, 2));
    painter.setBrush(Qt::NoBrush);
    painter.drawPath(shackle);
    painter.setPen(Qt::NoPen);
    painter.setBrush(Qt::white);
    painter.drawRoundedRect(body, 2, 2);
    painter.restore();
}
} // namespace vwb::ui
