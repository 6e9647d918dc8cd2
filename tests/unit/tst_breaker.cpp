// The circuit breaker's rules (agent/guards/breaker.h): when it opens, what it does while open,
// how probes close or reopen it. Every agent applies the same pure function to the stored state.
#include "agent/guards/breaker.h"

#include <QTest>

using namespace ferry::agent::guards;
using State = BreakerState::State;

class TestBreaker : public QObject
{
    Q_OBJECT

    const QDateTime m_t0 = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    BreakerSettings m_settings; // 5 in a row, or 50 % of at least 20 in 30 s; 15 s cool-down

    static BreakerDelta outcomes(const QList<bool> &failed)
    {
        BreakerDelta d;
        for (bool f : failed)
            d.add(f, f ? QStringLiteral("HTTP 503") : QString());
        return d;
    }

    BreakerState after(BreakerState s, const QList<bool> &failed, qint64 atMs = 0) const
    {
        return applyOutcomes(s, outcomes(failed), m_settings, m_t0.addMSecs(atMs));
    }

private Q_SLOTS:
    void opensAfterConsecutiveFailures()
    {
        BreakerState s = after({}, {true, true, true, true});
        QCOMPARE(s.state, State::Closed);
        s = after(s, {true});
        QCOMPARE(s.state, State::Open);
        QCOMPARE(s.retryAt, m_t0.addMSecs(m_settings.cooldownMs));
        QCOMPARE(s.openedCount, 1);
        QCOMPARE(s.lastError, QStringLiteral("HTTP 503"));
    }

    void aSuccessBreaksTheRun()
    {
        // Four failures, a success, four failures: never five in a row.
        BreakerState s = after({}, {true, true, true, true, false, true, true, true, true});
        QCOMPARE(s.state, State::Closed);
        QCOMPARE(s.consecutiveFailures, 4);
        // Across reports too: the run continues from the stored count.
        s = after(s, {true});
        QCOMPARE(s.state, State::Open);
    }

    void opensOnTheFailureShareOnceTheWindowIsFull()
    {
        // Alternating: never two failures in a row, but half of them failed.
        QList<bool> mixed;
        for (int i = 0; i < 19; ++i)
            mixed.append(i % 2 == 0);
        BreakerState s = after({}, mixed);
        QCOMPARE(s.windowFailures, 10);
        QCOMPARE(s.state, State::Closed); // 10 of 19 failed, but the window is not full yet
        s = after(s, {false});
        QCOMPARE(s.windowRequests, 20);
        QCOMPARE(s.state, State::Open); // 10 of 20: the 50 % threshold
    }

    void anOldWindowIsForgotten()
    {
        QList<bool> mixed;
        for (int i = 0; i < 18; ++i)
            mixed.append(i % 2 == 0);
        BreakerState s = after({}, mixed);
        s = after(s, {false, true}, m_settings.windowMs + 1); // a new window: 1 of 2
        QCOMPARE(s.windowRequests, 2);
        QCOMPARE(s.state, State::Closed);
    }

    void lateOutcomesChangeNothingWhileOpen()
    {
        BreakerState s = after({}, {true, true, true, true, true});
        const BreakerState open = s;
        s = after(s, {false, false, false}, 1000);
        QCOMPARE(s.state, State::Open);
        QCOMPARE(s.retryAt, open.retryAt);
    }

    void probesCloseAfterEnoughSuccesses()
    {
        BreakerState s = after({}, {true, true, true, true, true});
        s.state = State::HalfOpen; // the claim let a probe go after the cool-down
        s.probeInFlight = true;
        s = after(s, {false}, 16'000);
        QCOMPARE(s.state, State::HalfOpen);
        QVERIFY(!s.probeInFlight); // the next probe may go
        s = after(s, {false}, 16'100);
        QCOMPARE(s.state, State::Closed);
        QCOMPARE(s.consecutiveFailures, 0);
        QCOMPARE(s.windowRequests, 0);
    }

    void aFailedProbeOpensItAgain()
    {
        BreakerState s = after({}, {true, true, true, true, true});
        s.state = State::HalfOpen;
        s.probeInFlight = true;
        s = after(s, {true}, 16'000);
        QCOMPARE(s.state, State::Open);
        QCOMPARE(s.openedCount, 2);
        QCOMPARE(s.retryAt, m_t0.addMSecs(16'000 + m_settings.cooldownMs));
    }

    void namesRoundTrip()
    {
        for (State st : {State::Closed, State::Open, State::HalfOpen})
            QCOMPARE(BreakerState::parse(BreakerState::name(st)), st);
        QCOMPARE(BreakerState::name(State::HalfOpen), QStringLiteral("half_open"));
    }
};

QTEST_GUILESS_MAIN(TestBreaker)
#include "tst_breaker.moc"
