// placeholder, being written
#include <QTest>
class TestKnexInterop : public QObject
{
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(false); }
};
QTEST_GUILESS_MAIN(TestKnexInterop)
#include "tst_knexinterop.moc"
