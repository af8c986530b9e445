// ui/theme/Theme.cpp
#include "theme/Theme.h"

#include <QApplication>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusVariant>
#include <QLabel>
#include <QListWidget>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QTableWidget>
#include <QTreeWidget>
#include <QWidget>
#include <algorithm>
#include <cmath>

namespace vwb::ui {
namespace {
const char *const ToneProperty = "vwbTone";
const char *const BoldProperty = "vwbToneBold";
// Where an item keeps its tone: +1, so that 0 (no data) is no tone.
constexpr int FillToneRole = Qt::UserRole + 0x7e10;
constexpr int TextToneRole = Qt::UserRole + 0x7e11;
const QList<Tone> Tones{Tone::Error, Tone::Warning, Tone::Ok, Tone::Info, Tone::Muted, Tone::Highlight};

/// The brush a tone role asks for, or nothing when `toneData` holds no tone.
QVariant brushOf(const QVariant &toneData, bool fill)
{
    const int tone = toneData.toInt() - 1;
    if (tone < 0)
        return {};
    return QBrush(fill ? Theme::fill(Tone(tone)) : Theme::text(Tone(tone)));
}

/// Every toned item of `w` painted again from the palette now in use.
void repaintItems(QWidget *w)
{
    if (auto *list = qobject_cast<QListWidget *>(w)) {
        for (int i = 0; i < list->count(); ++i)
            if (const QVariant b = brushOf(list->item(i)->data(FillToneRole), true); b.isValid())
                list->item(i)->setData(Qt::BackgroundRole, b);
    } else if (auto *tree = qobject_cast<QTreeWidget *>(w)) {
        for (QTreeWidgetItemIterator it(tree); *it; ++it)
            for (int c = 0; c < (*it)->columnCount(); ++c) {
                if (const QVariant b = brushOf((*it)->data(c, FillToneRole), true); b.isValid())
                    (*it)->setData(c, Qt::BackgroundRole, b);
                if (const QVariant b = brushOf((*it)->data(c, TextToneRole), false); b.isValid())
                    (*it)->setData(c, Qt::ForegroundRole, b);
            }
    } else if (auto *table = qobject_cast<QTableWidget *>(w)) {
        for (int r = 0; r < table->rowCount(); ++r)
            for (int c = 0; c < table->columnCount(); ++c)
                if (QTableWidgetItem *item = table->item(r, c))
                    if (const QVariant b = brushOf(item->data(TextToneRole), false); b.isValid())
                        item->setData(Qt::ForegroundRole, b);
    }
}

struct Captured
{
    bool done = false;
    QPalette palette;
    QString style;
    Theme::Mode mode = Theme::Mode::System;
};

Captured &captured()
{
    static Captured c;
    return c;
}

struct ToneColors
{
    const char *lightText, *darkText, *lightFill, *darkFill;
};

// Text colours: ≥ 4.5:1 on the Fusion palettes' Window and Base; fills: ≥ 4.5:1 under their Text.
ToneColors colorsOf(Tone tone)
{
    switch (tone) {
    case Tone::Error: return {"#c62828", "#ef9a9a", "#ef9a9a", "#6b2a2a"};
    case Tone::Warning: return {"#bf360c", "#ffb74d", "#ffcc80", "#6b4a1a"};
    case Tone::Ok: return {"#1b5e20", "#81c784", "#a5d6a7", "#2a4d2e"};
    case Tone::Info: return {"#1565c0", "#90caf9", "#90caf9", "#1f3f5f"};
    case Tone::Muted: return {"#616161", "#a0a0a0", "#e0e0e0", "#3a3a3a"};
    case Tone::Highlight: return {"#7a5f00", "#fff176", "#fff176", "#5a5320"};
    }
    return {"#000000", "#ffffff", "#ffffff", "#000000"};
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2d, 0x2d, 0x2d), base(0x1e, 0x1e, 0x1e), text(0xe8, 0xe8, 0xe8), disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9e, 0x9e, 0x9e));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x38, 0x38, 0x38));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x8a, 0x80));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4a));
    p.setColor(QPalette::Midlight, QColor(0x3e, 0x3e, 0x3e));
    p.setColor(QPalette::Mid, QColor(0x28, 0x28, 0x28));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1a, 0x1a));
    p.setColor(QPalette::Shadow, QColor(0x0a, 0x0a, 0x0a));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x65, 0xca));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x90, 0xca, 0xf9));
    p.setColor(QPalette::LinkVisited, QColor(0xce, 0x93, 0xd8));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x50, 0x50));
    return p;
}

QPalette lightPalette()
{
    QPalette p = QApplication::style()->standardPalette();
    p.setColor(QPalette::Highlight, QColor(0x2a, 0x6a, 0xb8)); // Fusion's own blue is 3.6:1 under white text
    return p;
}

bool paletteIsDark(const QPalette &p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

void setStyleNamed(const QString &name)
{
    if (QApplication::style()->name().compare(name, Qt::CaseInsensitive) != 0)
        if (QStyle *style = QStyleFactory::create(name))
            QApplication::setStyle(style);
}

double channel(double c)
{
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &c)
{
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}
} // namespace

void Theme::captureSystem()
{
    Captured &c = captured();
    if (c.done)
        return;
    c.palette = QApplication::palette();
    c.style = QApplication::style()->name();
    c.done = true;
}

bool Theme::systemPrefersDark()
{
    // The portal's org.freedesktop.appearance color-scheme: 1 prefers dark, 2 prefers light.
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (bus.isConnected()) {
        QDBusMessage read = QDBusMessage::createMethodCall(QStringLiteral("org.freedesktop.portal.Desktop"),
                                                           QStringLiteral("/org/freedesktop/portal/desktop"),
                                                           QStringLiteral("org.freedesktop.portal.Settings"), QStringLiteral("Read"));
        read << QStringLiteral("org.freedesktop.appearance") << QStringLiteral("color-scheme");
        const QDBusMessage reply = bus.call(read, QDBus::Block, 300);
        if (reply.type() == QDBusMessage::ReplyMessage && !reply.arguments().isEmpty()) {
            QVariant v = reply.arguments().constFirst();
            while (v.canConvert<QDBusVariant>() && v.userType() == qMetaTypeId<QDBusVariant>())
                v = v.value<QDBusVariant>().variant();
            bool ok = false;
            const uint scheme = v.toUInt(&ok);
            if (ok && scheme != 0)
                return scheme == 1;
        }
    }
    captureSystem();
    return paletteIsDark(captured().palette);
}

void Theme::apply(Mode mode)
{
    captureSystem();
    const bool wasDark = isDark();
    Captured &c = captured();
    c.mode = mode;
    const bool dark = mode == Mode::Dark || (mode == Mode::System && systemPrefersDark());
    if (mode == Mode::System && dark == paletteIsDark(c.palette)) {
        setStyleNamed(c.style); // the desktop's own look
        QApplication::setPalette(c.palette);
    } else {
        setStyleNamed(QStringLiteral("Fusion")); // the one style that paints from any palette
        QApplication::setPalette(dark ? darkPalette() : lightPalette());
    }
    QList<std::pair<QString, QString>> spans; // each tone's colour in span()s already shown -> now
    for (Tone tone : Tones)
        spans.append({QColor(QLatin1String(wasDark ? colorsOf(tone).darkText : colorsOf(tone).lightText)).name(), text(tone).name()});
    for (QWidget *w : QApplication::allWidgets()) {
        if (const QVariant tone = w->property(ToneProperty); tone.isValid())
            w->setStyleSheet(css(Tone(tone.toInt()), w->property(BoldProperty).toBool()));
        repaintItems(w);
        // A label showing span()s: their colours become the new theme's.
        if (auto *label = qobject_cast<QLabel *>(w); label && label->text().contains(QLatin1String("<span style='color:#"))) {
            QString html = label->text();
            for (const auto &[before, now] : spans)
                html.replace(QStringLiteral("color:%1'").arg(before), QStringLiteral("color:%1'").arg(now));
            if (html != label->text())
                label->setText(html);
        }
    }
}

void Theme::fillItem(QListWidgetItem *item, Tone tone)
{
    item->setData(FillToneRole, int(tone) + 1);
    item->setBackground(fill(tone));
}

void Theme::fillItem(QTreeWidgetItem *item, int column, Tone tone)
{
    item->setData(column, FillToneRole, int(tone) + 1);
    item->setBackground(column, fill(tone));
}

void Theme::colorItem(QTreeWidgetItem *item, int column, Tone tone)
{
    item->setData(column, TextToneRole, int(tone) + 1);
    item->setForeground(column, text(tone));
}

void Theme::colorItem(QTableWidgetItem *item, Tone tone)
{
    item->setData(TextToneRole, int(tone) + 1);
    item->setForeground(text(tone));
}

Theme::Mode Theme::mode()
{
    return captured().mode;
}

bool Theme::isDark()
{
    return paletteIsDark(QApplication::palette());
}

QColor Theme::text(Tone tone)
{
    const ToneColors c = colorsOf(tone);
    return QColor(QLatin1String(isDark() ? c.darkText : c.lightText));
}

QColor Theme::fill(Tone tone)
{
    const ToneColors c = colorsOf(tone);
    return QColor(QLatin1String(isDark() ? c.darkFill : c.lightFill));
}

QColor Theme::heat(double share)
{
    const double s = std::clamp(share, 0.0, 1.0);
    const QColor from = QApplication::palette().color(QPalette::Base);
    const QColor to = isDark() ? QColor(0x8e, 0x2b, 0x2b) : QColor(0xef, 0x53, 0x50);
    return QColor::fromRgbF(float(from.redF() + (to.redF() - from.redF()) * s), float(from.greenF() + (to.greenF() - from.greenF()) * s),
                            float(from.blueF() + (to.blueF() - from.blueF()) * s));
}

QString Theme::css(Tone tone, bool bold)
{
    return QStringLiteral("color: %1%2").arg(text(tone).name(), bold ? QStringLiteral("; font-weight: bold") : QString());
}

QString Theme::span(Tone tone, const QString &html)
{
    return QStringLiteral("<span style='color:%1'>%2</span>").arg(text(tone).name(), html);
}

void Theme::setTone(QWidget *widget, Tone tone, bool bold)
{
    widget->setProperty(ToneProperty, int(tone));
    widget->setProperty(BoldProperty, bold);
    widget->setStyleSheet(css(tone, bold));
}

void Theme::clearTone(QWidget *widget)
{
    widget->setProperty(ToneProperty, QVariant());
    widget->setProperty(BoldProperty, QVariant());
    widget->setStyleSheet({});
}

double Theme::contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QString Theme::modeKey(Mode mode)
{
    switch (mode) {
    case Mode::Light: return QStringLiteral("light");
    case Mode::Dark: return QStringLiteral("dark");
    case Mode::System: break;
    }
    return QStringLiteral("system");
}

Theme::Mode Theme::modeFromKey(const QString &key)
{
    return key == QLatin1String("light") ? Mode::Light : key == QLatin1String("dark") ? Mode::Dark : Mode::System;
}
} // namespace vwb::ui
