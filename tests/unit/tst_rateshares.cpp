// How the agents share out a tenant's per-second quota (RateShares::share, decision 0032).
#include "agent/ingest/rateshares.h"

#include <QTest>

using ferry::agent::ingest::RateShares;

class TestRateShares : public QObject
{
    Q_OBJECT

    // Every agent's share, each computed from its own view of the same demands.
    static QList<double> shares(const QList<qint64> &demands, qint64 limit)
    {
        QList<double> out;
        for (int i = 0; i < demands.size(); ++i) {
            QList<qint64> others = demands;
            others.removeAt(i);
            out.append(RateShares::share(demands[i], others, limit));
        }
        return out;
    }
    static double sum(const QList<double> &values)
    {
        double s = 0;
        for (double v : values)
            s += v;
        return s;
    }

private Q_SLOTS:
    void aloneGetsEverything() { QCOMPARE(RateShares::share(5000, {}, 100), 1.0); }

    void agentsThatAllWantMoreGetEqualParts()
    {
        // Noisy demands, all far above the quota: exactly a third each, whatever the noise.
        for (double s : shares({2900, 3400, 3100}, 100))
            QCOMPARE(s, 1.0 / 3.0);
    }

    void theBusyAgentTakesWhatTheIdleOnesLeave()
    {
        const auto s = shares({3000, 0, 0}, 100);
        QCOMPARE(s[0], 0.9); // the idle ones keep 5 % each for their first events
        QCOMPARE(s[1], 0.05);
        QCOMPARE(sum(s), 1.0);
    }

    void aLightAgentGetsWhatItWantsAndTheRestGoesToTheOthers()
    {
        const auto s = shares({10, 500, 500}, 100); // wants 12, the others the rest
        QCOMPARE(s[0], 0.12);
        QCOMPARE(s[1], 0.44);
        QCOMPARE(sum(s), 1.0);
    }

    void roomLeftOverIsSharedOut()
    {
        const auto s = shares({10, 20}, 100); // wants 12 and 24: 64 left, 32 each on top
        QCOMPARE(s[0], 0.44);
        QCOMPARE(s[1], 0.56);
    }
};

QTEST_GUILESS_MAIN(TestRateShares)
#include "tst_rateshares.moc"
