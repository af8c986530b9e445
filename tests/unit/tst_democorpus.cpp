// placeholder, being written
#include <QTest>
class TestDemoCorpus : public QObject
{
    Q_OBJECT
private slots:
    void placeholder() { QVERIFY(false); }
};
QTEST_GUILESS_MAIN(TestDemoCorpus)
#include "tst_democorpus.moc"
