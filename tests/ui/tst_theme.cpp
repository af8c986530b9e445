// tests/ui/tst_theme.cpp — light and dark themes: every tone readable, labels and charts follow a switch.
#include "charts/SimilarityHistogram.h"
#include "connection/ConnectionProfile.h"
#include "theme/Theme.h"
#include "widgets/EnvironmentBadge.h"
#include <QApplication>
#include <QChart>
#include <QLabel>
#include <QListWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QStyle>
#include <QTest>

using namespace vwb;
using namespace vwb::ui;

namespace {
const QList<Tone> AllTones{Tone::Error, Tone::Warning, Tone::Ok, Tone::Info, Tone::Muted, Tone::Highlight};
constexpr double Readable = 4.5; // WCAG AA for normal text
} // namespace

class TestTheme : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { Theme::captureSystem(); }
    void cleanup() { Theme::apply(Theme::Mode::Light); }

    void tonesAreReadableInBothThemes_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("light") << int(Theme::Mode::Light);
        QTest::newRow("dark") << int(Theme::Mode::Dark);
    }
    void tonesAreReadableInBothThemes()
    {
        QFETCH(int, mode);
        Theme::apply(Theme::Mode(mode));
        const QPalette p = QApplication::palette();
        for (Tone tone : AllTones) {
            const QColor text = Theme::text(tone);
            for (QPalette::ColorRole background : {QPalette::Window, QPalette::Base, QPalette::AlternateBase})
                QVERIFY2(Theme::contrast(text, p.color(background)) >= Readable,
                         qPrintable(QStringLiteral("tone %1 %2 on %3: %4")
                                        .arg(int(tone))
                                        .arg(text.name(), p.color(background).name())
                                        .arg(Theme::contrast(text, p.color(background)))));
            QVERIFY2(Theme::contrast(Theme::fill(tone), p.color(QPalette::Text)) >= Readable,
                     qPrintable(QStringLiteral("text on fill of tone %1: %2").arg(int(tone)).arg(Theme::fill(tone).name())));
        }
        for (double share : {0.0, 0.5, 1.0})
            QVERIFY(Theme::contrast(Theme::heat(share), p.color(QPalette::Text)) >= Readable);
        // The palette's own text too, and the selection.
        QVERIFY(Theme::contrast(p.color(QPalette::Text), p.color(QPalette::Base)) >= 7);
        QVERIFY(Theme::contrast(p.color(QPalette::WindowText), p.color(QPalette::Window)) >= 7);
        QVERIFY(Theme::contrast(p.color(QPalette::HighlightedText), p.color(QPalette::Highlight)) >= Readable);
    }

    void darkIsDarkAndLightIsLight()
    {
        Theme::apply(Theme::Mode::Dark);
        QVERIFY(Theme::isDark());
        QCOMPARE(Theme::mode(), Theme::Mode::Dark);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 80);
        QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
        Theme::apply(Theme::Mode::Light);
        QVERIFY(!Theme::isDark());
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 200);
        // The same tone is another colour on each.
        Theme::apply(Theme::Mode::Dark);
        const QColor darkError = Theme::text(Tone::Error);
        Theme::apply(Theme::Mode::Light);
        QVERIFY(Theme::text(Tone::Error) != darkError);
    }

    void environmentColoursStayReadable()
    {
        // The badge paints white on its environment's colour, in every theme; production stays red.
        for (Theme::Mode mode : {Theme::Mode::Light, Theme::Mode::Dark}) {
            Theme::apply(mode);
            EnvironmentBadge badge;
            for (auto [source, production] : {std::pair{ProfileSource::Sandbox, false}, std::pair{ProfileSource::Development, false},
                                              std::pair{ProfileSource::Saved, false}, std::pair{ProfileSource::Production, true}}) {
                ConnectionProfile profile;
                profile.name = QStringLiteral("p");
                profile.source = source;
                profile.production = production;
                for (bool unlocked : {false, true}) {
                    badge.setProfile(profile, unlocked);
                    QVERIFY2(Theme::contrast(badge.color(), Qt::white) >= Readable, qPrintable(badge.color().name()));
                }
            }
            ConnectionProfile production;
            production.production = true;
            badge.setProfile(production, false);
            QVERIFY(badge.color().red() > 2 * badge.color().green());
        }
    }

    void tonedLabelsFollowASwitch()
    {
        Theme::apply(Theme::Mode::Light);
        QLabel toned, cleared;
        Theme::setTone(&toned, Tone::Error, true);
        Theme::setTone(&cleared, Tone::Warning);
        Theme::clearTone(&cleared);
        QVERIFY(toned.styleSheet().contains(Theme::text(Tone::Error).name()));
        QVERIFY(toned.styleSheet().contains(QLatin1String("bold")));
        Theme::apply(Theme::Mode::Dark);
        QVERIFY2(toned.styleSheet().contains(Theme::text(Tone::Error).name()), qPrintable(toned.styleSheet()));
        QVERIFY(toned.styleSheet().contains(QLatin1String("bold")));
        QVERIFY(cleared.styleSheet().isEmpty());
        QVERIFY(Theme::span(Tone::Ok, QStringLiteral("x")).contains(Theme::text(Tone::Ok).name()));
    }

    void itemsAndSpansFollowASwitch()
    {
        Theme::apply(Theme::Mode::Light);
        QTreeWidget tree;
        tree.setColumnCount(2);
        auto *row = new QTreeWidgetItem(&tree, {QStringLiteral("a"), QStringLiteral("b")});
        Theme::fillItem(row, 0, Tone::Error);
        Theme::colorItem(row, 1, Tone::Ok);
        QListWidget list;
        auto *hint = new QListWidgetItem(QStringLiteral("hint"), &list);
        Theme::fillItem(hint, Tone::Warning);
        QTableWidget table(1, 1);
        auto *cell = new QTableWidgetItem(QStringLiteral("idx"));
        table.setItem(0, 0, cell);
        Theme::colorItem(cell, Tone::Error);
        QLabel html(Theme::span(Tone::Error, QStringLiteral("failed")) + QStringLiteral(" and ")
                    + Theme::span(Tone::Warning, QStringLiteral("slow")));
        QCOMPARE(row->background(0).color(), Theme::fill(Tone::Error));

        Theme::apply(Theme::Mode::Dark);
        QCOMPARE(row->background(0).color(), Theme::fill(Tone::Error));
        QCOMPARE(row->foreground(1).color(), Theme::text(Tone::Ok));
        QVERIFY(!row->background(1).color().isValid() || row->background(1).style() == Qt::NoBrush); // untoned stays so
        QCOMPARE(hint->background().color(), Theme::fill(Tone::Warning));
        QCOMPARE(cell->foreground().color(), Theme::text(Tone::Error));
        QVERIFY2(html.text().contains(Theme::text(Tone::Error).name()) && html.text().contains(Theme::text(Tone::Warning).name()),
                 qPrintable(html.text()));
        const QPalette p = QApplication::palette();
        QVERIFY(Theme::contrast(row->background(0).color(), p.color(QPalette::Text)) >= Readable);
        Theme::apply(Theme::Mode::Light);
        QCOMPARE(cell->foreground().color(), Theme::text(Tone::Error));
        QVERIFY(html.text().contains(Theme::text(Tone::Error).name()));
    }

    void chartsFollowThePalette()
    {
        Theme::apply(Theme::Mode::Light);
        SimilarityHistogram chart;
        chart.setSimilarities({0.1, 0.2, 0.3});
        chart.resize(400, 200);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QVERIFY(chart.chart()->backgroundBrush().color().lightness() > 200);
        Theme::apply(Theme::Mode::Dark);
        QTRY_COMPARE(chart.chart()->backgroundBrush().color(), QApplication::palette().color(QPalette::Base));
        QVERIFY(chart.chart()->backgroundBrush().color().lightness() < 80);
        for (QAbstractAxis *axis : chart.chart()->axes())
            QVERIFY(Theme::contrast(axis->labelsColor(), chart.chart()->backgroundBrush().color()) >= Readable);
    }

    void followingTheSystemReturnsToItsPalette()
    {
        // No desktop portal here (offscreen, no session bus): the platform's palette decides.
        const bool platformDark = Theme::systemPrefersDark();
        Theme::apply(Theme::Mode::Dark);
        Theme::apply(Theme::Mode::System);
        QCOMPARE(Theme::isDark(), platformDark);
        QCOMPARE(Theme::mode(), Theme::Mode::System);
        QCOMPARE(Theme::modeFromKey(Theme::modeKey(Theme::Mode::Dark)), Theme::Mode::Dark);
        QCOMPARE(Theme::modeFromKey(QStringLiteral("nonsense")), Theme::Mode::System);
    }
};

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
