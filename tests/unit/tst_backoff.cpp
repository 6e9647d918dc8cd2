#include "shared/backoff.h"

#include <QRandomGenerator>
#include <QTest>

using namespace std::chrono_literals;

class TestBackoff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ceilingDoublesUpToTheCap()
    {
        const ferry::BackoffPolicy p{1000ms, 60000ms};
        QCOMPARE(p.ceiling(1), 1000ms);
        QCOMPARE(p.ceiling(2), 2000ms);
        QCOMPARE(p.ceiling(3), 4000ms);
        QCOMPARE(p.ceiling(6), 32000ms);
        QCOMPARE(p.ceiling(7), 60000ms);
        QCOMPARE(p.ceiling(1000), 60000ms); // no overflow for absurd attempt numbers
        QCOMPARE(p.ceiling(0), 1000ms);
    }

    void fullJitterStaysWithinBoundsAndSpreads()
    {
        const ferry::BackoffPolicy p{100ms, 10000ms};
        QRandomGenerator rng(42);
        for (int attempt = 1; attempt <= 12; ++attempt) {
            const auto top = p.ceiling(attempt);
            std::chrono::milliseconds lo = top, hi = 0ms;
            for (int i = 0; i < 2000; ++i) {
                const auto d = p.delay(attempt, rng);
                QVERIFY(d >= 0ms);
                QVERIFY(d <= top);
                lo = std::min(lo, d);
                hi = std::max(hi, d);
            }
            // Full jitter: draws cover most of [0, ceiling], not a narrow band around it.
            QVERIFY2(lo <= top / 10, qPrintable(QString::number(lo.count())));
            QVERIFY2(hi >= top * 9 / 10, qPrintable(QString::number(hi.count())));
        }
    }

    void zeroBaseMeansImmediateRetry()
    {
        const ferry::BackoffPolicy p{0ms, 0ms};
        QRandomGenerator rng(1);
        QCOMPARE(p.delay(5, rng), 0ms);
    }
};

QTEST_GUILESS_MAIN(TestBackoff)
#include "tst_backoff.moc"
