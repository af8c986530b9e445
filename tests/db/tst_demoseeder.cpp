// placeholder, being written
#include <QTest>
class TestDemoSeeder : public QObject
{
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(false); }
};
QTEST_GUILESS_MAIN(TestDemoSeeder)
#include "tst_demoseeder.moc"
